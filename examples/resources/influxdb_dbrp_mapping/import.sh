# A DBRP mapping is imported as ORG_ID/ID (`influx v1 dbrp list` shows the IDs).
terraform import influxdb_dbrp_mapping.telegraf 5f3e0d9c1a2b4c6d/0b8ee5f1c2a34d10

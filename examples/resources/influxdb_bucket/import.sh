# A bucket is imported by its ID, or as ORG_ID/NAME.
terraform import influxdb_bucket.telemetry 03a2bbf46309a000
terraform import influxdb_bucket.telemetry 5f3e0d9c1a2b4c6d/telemetry

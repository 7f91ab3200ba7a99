# A secret is imported as ORG_ID/KEY; its value is never read back.
terraform import influxdb_secret.slack 5f3e0d9c1a2b4c6d/SLACK_WEBHOOK

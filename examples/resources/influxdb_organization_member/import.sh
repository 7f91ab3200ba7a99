# A membership is imported as ORG_ID/USER_ID.
terraform import influxdb_organization_member.ann 5f3e0d9c1a2b4c6d/0a1b2c3d4e5f6071

# An organization is imported by its ID or its name.
terraform import influxdb_organization.team 5f3e0d9c1a2b4c6d

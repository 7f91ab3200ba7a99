# A database is imported by its name.
terraform import influxdb_database.metrics metrics

resource "influxdb_bucket" "telemetry" {
  name                = "telemetry"
  description         = "Device telemetry"
  retention_period    = "30d"
  deletion_protection = true
}

# A token that can only read this bucket.
resource "influxdb_authorization" "dashboards" {
  description = "dashboards"
  permissions = [
    { action = "read", resource = { type = "buckets", id = influxdb_bucket.telemetry.id } },
  ]
}

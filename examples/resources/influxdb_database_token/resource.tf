# A token that can write to and read from one database, and expires.
resource "influxdb_database_token" "ingest" {
  description = "Telegraf ingest for sensors"
  permissions = [
    { action = "write", resource = "sensors" },
    { action = "read", resource = "sensors" },
  ]
  expires_at = "2030-01-01T00:00:00+01:00"
}

# A read-only token for every database, that never expires.
resource "influxdb_database_token" "dashboards" {
  description = "Grafana dashboards"
  permissions = [{ action = "read", resource = "*" }]
}

output "ingest_token" {
  value     = influxdb_database_token.ingest.access_token
  sensitive = true
}

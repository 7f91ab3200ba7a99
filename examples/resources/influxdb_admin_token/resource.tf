# InfluxDB 3 Core or Enterprise: with INFLUXDB3_HOST_URL and INFLUXDB3_AUTH_TOKEN set (as for
# the influxdb3 CLI), `provider "influxdb" {}` needs nothing more.

# A named admin token for CI, rotated by changing its name or its expiry.
resource "influxdb_admin_token" "ci" {
  name       = "ci-2026"
  expires_at = "2027-01-01T00:00:00Z"
}

# A named admin token that never expires.
resource "influxdb_admin_token" "backup" {
  name = "backup"
}

output "ci_token" {
  value     = influxdb_admin_token.ci.access_token
  sensitive = true
}

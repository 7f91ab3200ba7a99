# The demo on InfluxDB 3 Core (scripts/demo.sh core): INFLUXDB3_HOST_URL and
# INFLUXDB3_AUTH_TOKEN point the empty provider block at the server.
terraform {
  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

provider "influxdb" {}

# Named admin tokens, rotated by changing the name or the expiry.
resource "influxdb_admin_token" "ci" {
  name       = "ci-2026"
  expires_at = "2030-01-01T00:00:00Z"
}

resource "influxdb_admin_token" "backup" {
  name = "backup"
}

output "ci_token" {
  value     = influxdb_admin_token.ci.access_token
  sensitive = true
}

output "token_ids" {
  value = {
    ci     = influxdb_admin_token.ci.id
    backup = influxdb_admin_token.backup.id
  }
}

# The demo on InfluxDB 3 Core or Enterprise (scripts/demo.sh core|enterprise): INFLUXDB3_HOST_URL
# and INFLUXDB3_AUTH_TOKEN point the empty provider block at the server.
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

# A database kept 30 days (the same block as on Cloud Dedicated), and a table declared before the
# first write, with its tag and field columns.
resource "influxdb_database" "sensors" {
  name             = "sensors"
  retention_period = "30d"
}

resource "influxdb_table" "cpu" {
  database = influxdb_database.sensors.name
  name     = "cpu"
  tags     = ["host", "region"]
  fields = [
    { name = "usage", type = "float64" },
    { name = "count", type = "int64" },
  ]
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

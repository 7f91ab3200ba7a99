# The demo configuration run by scripts/demo.sh against the local Management API simulator.
# The provider settings come from INFLUXDB3_* environment variables set by the script.

terraform {
  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

provider "influxdb" {}

# A database with one read token per reader and one read-write token per writer.
module "sensors" {
  source = "./modules/database-with-tokens"

  database_name    = "sensors"
  retention_period = "30d"
  readers          = ["grafana"]
  writers          = ["telegraf"]
}

# A standalone token that may read every database.
resource "influxdb_database_token" "audit" {
  description = "Read-only audit access to every database"
  permissions = [{ action = "read", resource = "*" }]
  expires_at  = "2030-01-01T00:00:00+01:00"
}

output "database_name" {
  value = module.sensors.database_name
}

output "sensor_tokens" {
  value     = module.sensors.tokens
  sensitive = true
}

output "audit_token_id" {
  value = influxdb_database_token.audit.id
}

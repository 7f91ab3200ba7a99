data "influxdb_database_token" "ci" {
  id = "55555555-5555-4555-8555-555555555555"
}

output "ci_token_permissions" {
  value = data.influxdb_database_token.ci.permissions
}

output "ci_token_revoked" {
  value = data.influxdb_database_token.ci.revoked_at != null
}

# Active tokens only (the default).
data "influxdb_database_tokens" "active" {}

# Revoked tokens as well.
data "influxdb_database_tokens" "all" {
  include_revoked = true
}

# IDs of the active tokens that may write to the "metrics" database.
output "metrics_writers" {
  value = [
    for t in data.influxdb_database_tokens.active.tokens : t.id
    if contains([for p in t.permissions : p.resource if p.action == "write"], "metrics")
  ]
}

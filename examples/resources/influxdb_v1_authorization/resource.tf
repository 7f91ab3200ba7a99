# Terraform 1.11 or later: the password is write-only, never stored in the plan or the state.
variable "grafana_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "influxdb_bucket" "telegraf" {
  name = "telegraf"
}

resource "influxdb_dbrp_mapping" "telegraf" {
  bucket_id = influxdb_bucket.telegraf.id
  database  = "telegraf"
}

# Grafana's InfluxQL data source logs in as user "grafana" with this password.
resource "influxdb_v1_authorization" "grafana" {
  token       = "grafana"
  description = "Grafana (InfluxQL)"
  permissions = [
    { action = "read", resource = { type = "buckets", id = influxdb_bucket.telegraf.id } },
  ]
  password_wo         = var.grafana_password
  password_wo_version = 1 # increment to send a new password
}

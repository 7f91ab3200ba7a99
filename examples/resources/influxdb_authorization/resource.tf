# InfluxDB OSS v2 or Cloud Serverless. Needs Terraform 1.3.0 or later.
provider "influxdb" {
  host  = "http://localhost:8086" # or INFLUX_HOST
  token = var.operator_token      # or INFLUX_TOKEN
  org   = "my-org"                # or INFLUX_ORG; org_id / INFLUX_ORG_ID by ID
}

variable "operator_token" {
  type      = string
  sensitive = true
}

variable "telemetry_bucket_id" {
  type = string
}

# Telegraf writes to one bucket and reads every dashboard of the organization.
resource "influxdb_authorization" "telegraf" {
  description = "telegraf"
  permissions = [
    { action = "write", resource = { type = "buckets", id = var.telemetry_bucket_id } },
    { action = "read", resource = { type = "dashboards" } },
  ]
}

# Read and write on everything of the organization, as `influx auth create --all-access`.
resource "influxdb_authorization" "admin" {
  description = "all access"
  all_access  = true
}

# A token of another user: it stops working when that user is deleted.
resource "influxdb_authorization" "iot" {
  description = "iot user"
  user_id     = "0a1b2c3d4e5f6071"
  permissions = [{ action = "read", resource = { type = "buckets" } }]
}

output "telegraf_token" {
  value     = influxdb_authorization.telegraf.token
  sensitive = true
}

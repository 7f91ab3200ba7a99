# InfluxDB OSS v2 or Cloud Serverless, Terraform 1.10 or later. A write token for one Terraform
# run: created when the run starts, deleted when it ends, never written to the state or a plan
# file. The v2 API cannot make it expire, so give it a description that finds leftovers.
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

ephemeral "influxdb_authorization" "ci" {
  description = "terraform ephemeral: ci smoke test"
  permissions = [
    { action = "write", resource = { type = "buckets", id = var.telemetry_bucket_id } },
    { action = "read", resource = { type = "buckets", id = var.telemetry_bucket_id } },
  ]
}

# Use it where ephemeral values are accepted: a provider configuration, an ephemeral variable
# or output of a module, a write-only attribute, or a check.
provider "influxdb" {
  alias = "ci"
  host  = "http://localhost:8086"
  token = ephemeral.influxdb_authorization.ci.token
  org   = "my-org"
}

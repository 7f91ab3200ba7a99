terraform {
  # influxdb_v1_authorization's password is a write-only argument (Terraform 1.11 or later);
  # `terraform test` needs 1.6.
  required_version = ">= 1.11.0"

  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

locals {
  # The InfluxQL database name defaults to the bucket's name.
  database = coalesce(var.database, var.bucket_name)
}

resource "influxdb_bucket" "this" {
  name = var.bucket_name
  # null (the default) is the provider's organization.
  org_id = var.org_id
  # null (the default) keeps data forever.
  retention_period = var.retention_period
}

# `db=<database>` (with `rp=<retention_policy>`, or no rp: this mapping is the database's
# default) reaches the bucket.
resource "influxdb_dbrp_mapping" "this" {
  org_id           = influxdb_bucket.this.org_id
  bucket_id        = influxdb_bucket.this.id
  database         = local.database
  retention_policy = var.retention_policy
  default          = true
}

# Grafana's InfluxQL data source logs in with this user name and password, and may read the
# bucket and nothing else. The password is never stored in the plan or the state.
resource "influxdb_v1_authorization" "grafana" {
  org_id      = influxdb_bucket.this.org_id
  token       = var.grafana_user
  description = "Grafana (InfluxQL) reading ${influxdb_bucket.this.name}"
  permissions = [
    { action = "read", resource = { type = "buckets", id = influxdb_bucket.this.id } },
  ]
  password_wo         = var.grafana_password
  password_wo_version = var.grafana_password_version
}

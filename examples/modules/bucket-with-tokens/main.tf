terraform {
  # influxdb_authorization needs Terraform 1.3 or later (nested attributes with optional
  # fields); `terraform test` needs 1.6.
  required_version = ">= 1.3.0"

  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

resource "influxdb_bucket" "this" {
  name = var.name
  # null (the default) is the provider's organization.
  org_id = var.org_id
  # null (the default) keeps data forever.
  retention_period = var.retention_period
}

# Both tokens belong to the bucket's organization and refer to the bucket resource's ID (not to
# var.name), so Terraform creates the bucket before the tokens and deletes it after them, and a
# rename of the bucket (same ID) leaves the tokens as they are.
resource "influxdb_authorization" "writer" {
  org_id      = influxdb_bucket.this.org_id
  description = "write ${influxdb_bucket.this.name}"
  permissions = [
    { action = "write", resource = { type = "buckets", id = influxdb_bucket.this.id } },
  ]
}

resource "influxdb_authorization" "reader" {
  org_id      = influxdb_bucket.this.org_id
  description = "read ${influxdb_bucket.this.name}"
  permissions = [
    { action = "read", resource = { type = "buckets", id = influxdb_bucket.this.id } },
  ]
}

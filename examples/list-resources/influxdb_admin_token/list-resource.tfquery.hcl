# admin.tfquery.hcl: run `terraform query` (Terraform 1.14 or later), or
# `terraform query -generate-config-out=generated.tf` to write import blocks and configuration.
list "influxdb_admin_token" "all" {
  provider         = influxdb
  include_resource = true
}

# Only the named admin tokens whose name starts with "ci-".
list "influxdb_admin_token" "ci" {
  provider = influxdb

  config {
    name_prefix = "ci-"
  }
}

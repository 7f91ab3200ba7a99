# every.tfquery.hcl: run `terraform query` (Terraform 1.14 or later), or
# `terraform query -generate-config-out=generated.tf` to write import blocks and configuration.
list "influxdb_database_token" "all" {
  provider         = influxdb
  include_resource = true
}

# Only the active tokens whose description starts with "ci: ", plus the revoked ones.
list "influxdb_database_token" "ci" {
  provider = influxdb

  config {
    description_prefix = "ci: "
    include_revoked    = true
  }
}

# tokens.tfquery.hcl: run `terraform query` (Terraform 1.14 or later), or
# `terraform query -generate-config-out=generated.tf` to write import blocks and configuration.
list "influxdb_authorization" "mine" {
  provider         = influxdb
  include_resource = true
  config {
    user_id = "0a1b2c3d4e5f6071"
  }
}

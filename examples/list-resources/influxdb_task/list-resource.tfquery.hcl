# tasks.tfquery.hcl: run `terraform query` (Terraform 1.14 or later), or
# `terraform query -generate-config-out=generated.tf` to write import blocks and configuration.
list "influxdb_task" "all" {
  provider         = influxdb
  include_resource = true
}

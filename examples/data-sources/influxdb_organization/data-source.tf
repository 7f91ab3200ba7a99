data "influxdb_organization" "main" {
  name = "my-org"
}

resource "influxdb_bucket" "b" {
  org_id = data.influxdb_organization.main.id
  name   = "b"
}

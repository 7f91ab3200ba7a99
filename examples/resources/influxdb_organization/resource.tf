resource "influxdb_organization" "team" {
  name        = "team"
  description = "The team's data"
}

resource "influxdb_bucket" "metrics" {
  org_id = influxdb_organization.team.id
  name   = "metrics"
}

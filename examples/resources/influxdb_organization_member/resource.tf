resource "influxdb_organization" "team" {
  name = "team"
}

resource "influxdb_user" "ann" {
  name = "ann"
}

resource "influxdb_organization_member" "ann" {
  org_id  = influxdb_organization.team.id
  user_id = influxdb_user.ann.id
  role    = "member"
}

# A token of that user, in that organization.
resource "influxdb_authorization" "ann" {
  org_id      = influxdb_organization.team.id
  user_id     = influxdb_user.ann.id
  description = "ann's token"
  permissions = [{ action = "read", resource = { type = "buckets" } }]
  depends_on  = [influxdb_organization_member.ann]
}

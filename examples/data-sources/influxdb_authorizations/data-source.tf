# Every authorization of one user (or filter by user, org_id or org; none lists all).
data "influxdb_authorizations" "iot" {
  user_id = "0a1b2c3d4e5f6071"
}

output "inactive_iot_tokens" {
  value = [for a in data.influxdb_authorizations.iot.authorizations : a.id if a.status == "inactive"]
}

# One authorization by ID. The token string is never available.
data "influxdb_authorization" "telegraf" {
  id = "0d1c2b3a49586776"
}

output "telegraf_status" {
  value = data.influxdb_authorization.telegraf.status
}

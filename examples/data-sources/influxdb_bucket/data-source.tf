data "influxdb_bucket" "telemetry" {
  name = "telemetry"
}

output "telemetry_bucket_id" {
  value = data.influxdb_bucket.telemetry.id
}

data "influxdb_task" "downsample" {
  name = "downsample-hourly"
}

output "downsample_status" {
  value = data.influxdb_task.downsample.status
}

resource "influxdb_bucket" "raw" {
  name             = "raw"
  retention_period = "7d"
}

resource "influxdb_bucket" "hourly" {
  name             = "hourly"
  retention_period = "365d"
}

# Downsamples the raw bucket every hour; name and schedule come from `option task`.
resource "influxdb_task" "downsample" {
  description = "raw -> hourly means"
  flux        = <<-EOT
    option task = {name: "downsample-hourly", every: 1h, offset: 5m}

    from(bucket: "${influxdb_bucket.raw.name}")
      |> range(start: -task.every)
      |> aggregateWindow(every: 1h, fn: mean)
      |> to(bucket: "${influxdb_bucket.hourly.name}")
  EOT
}

output "downsample_schedule" {
  value = influxdb_task.downsample.every
}

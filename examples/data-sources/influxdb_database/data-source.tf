data "influxdb_database" "metrics" {
  name = "metrics"
}

output "metrics_retention" {
  # Canonical form, such as "30d", or "0s" for infinite.
  value = data.influxdb_database.metrics.retention_period
}

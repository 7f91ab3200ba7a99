output "database_name" {
  description = "The database's name."
  value       = influxdb_database.this.name
}

output "last_cache_name" {
  description = "The last-value cache's name (the server's default): `SELECT * FROM last_cache('TABLE', 'NAME')`."
  value       = influxdb_last_cache.latest.name
}

output "downsampled_table" {
  description = "The table the downsampler writes to."
  value       = "${influxdb_table.raw.name}_downsampled"
}

output "trigger_name" {
  description = "The processing engine trigger that runs the downsampler."
  value       = influxdb_processing_engine_trigger.downsample.name
}

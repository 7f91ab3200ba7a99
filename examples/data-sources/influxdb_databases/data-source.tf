data "influxdb_databases" "all" {}

output "database_names" {
  value = [for d in data.influxdb_databases.all.databases : d.name]
}

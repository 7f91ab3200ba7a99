output "database_name" {
  description = "The name of the database."
  value       = influxdb_database.this.name
}

output "tokens" {
  description = "Map from each reader and writer name to its token string."
  sensitive   = true
  value = merge(
    { for name, t in influxdb_database_token.reader : name => t.access_token },
    { for name, t in influxdb_database_token.writer : name => t.access_token },
  )
}

output "token_ids" {
  description = "Map from each reader and writer name to its token ID (not secret)."
  value = merge(
    { for name, t in influxdb_database_token.reader : name => t.id },
    { for name, t in influxdb_database_token.writer : name => t.id },
  )
}

output "table_names" {
  description = "The names of the tables created by the module."
  value       = sort(keys(influxdb_table.this))
}

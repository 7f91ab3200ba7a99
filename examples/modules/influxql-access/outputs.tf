output "bucket_id" {
  description = "The bucket's ID."
  value       = influxdb_bucket.this.id
}

output "org_id" {
  description = "The ID of the organization of the bucket, the mapping and the credentials."
  value       = influxdb_bucket.this.org_id
}

output "database" {
  description = "The InfluxQL database to set in Grafana's data source."
  value       = influxdb_dbrp_mapping.this.database
}

output "retention_policy" {
  description = "The InfluxQL retention policy of the mapping (the database's default)."
  value       = influxdb_dbrp_mapping.this.retention_policy
}

output "grafana_user" {
  description = "The user name to set in Grafana's data source (the password is the one given)."
  value       = influxdb_v1_authorization.grafana.token
}

output "ids" {
  description = "The IDs of the mapping and the v1 authorization (not secret)."
  value = {
    dbrp_mapping     = influxdb_dbrp_mapping.this.id
    v1_authorization = influxdb_v1_authorization.grafana.id
  }
}

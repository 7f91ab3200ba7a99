data "influxdb_buckets" "all" {}

output "bucket_names" {
  value = [for b in data.influxdb_buckets.all.buckets : b.name]
}

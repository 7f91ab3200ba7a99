# A database that keeps data for 30 days, with the server's default limits.
resource "influxdb_database" "metrics" {
  name             = "metrics"
  retention_period = "30d"
}

# A database with explicit limits and a custom partition template: by region, then by a hash of
# customer_id into 100 buckets, then by day. The template can only be set at creation.
# deletion_protection makes any plan that would delete or replace it fail.
resource "influxdb_database" "events" {
  name                  = "events"
  deletion_protection   = true
  retention_period      = "90d"
  max_tables            = 1000
  max_columns_per_table = 300
  partition_template = [
    { type = "tag", value = "region" },
    { type = "bucket", value = "customer_id,100" },
    { type = "time", value = "%Y-%m-%d" },
  ]
}

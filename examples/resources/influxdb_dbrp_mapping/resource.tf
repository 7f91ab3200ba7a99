resource "influxdb_bucket" "telegraf" {
  name             = "telegraf"
  retention_period = "30d"
}

# InfluxQL clients query `db=telegraf` (and `rp=autogen`, or no rp) and reach the bucket.
resource "influxdb_dbrp_mapping" "telegraf" {
  bucket_id        = influxdb_bucket.telegraf.id
  database         = "telegraf"
  retention_policy = "autogen"
  default          = true # the policy InfluxQL uses when a query names none
}

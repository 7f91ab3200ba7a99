# InfluxDB 1.x: one-hour means of the raw data, written into the long-term retention policy.
resource "influxdb_continuous_query" "hourly_mean" {
  name     = "cq_hourly_mean"
  database = "metrics"
  query    = "SELECT mean(\"value\") INTO \"long\".\"mean_value\" FROM \"short\".\"value\" GROUP BY time(1h), *"
  resample = "EVERY 30m FOR 2h" # optional; any change replaces the query
}

resource "influxdb_database" "sensors" {
  name = "sensors"
}

resource "influxdb_table" "cpu" {
  database = influxdb_database.sensors.name
  name     = "cpu"
  tags     = ["host", "region"]
  fields = [
    { name = "usage", type = "float64" },
    { name = "state", type = "utf8" },
  ]
}

# The latest value of every non-key column per host and region, kept for 4 hours; named by the
# server (cpu_host_region_last_cache).
resource "influxdb_last_cache" "cpu" {
  database = influxdb_database.sensors.name
  table    = influxdb_table.cpu.name
}

# The last 5 usage values per host, for an hour.
resource "influxdb_last_cache" "usage_by_host" {
  database      = influxdb_database.sensors.name
  table         = influxdb_table.cpu.name
  name          = "usage_by_host"
  key_columns   = ["host"]
  value_columns = ["usage"]
  value_count   = 5
  ttl           = "1h"
}

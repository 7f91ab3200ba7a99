resource "influxdb_database" "sensors" {
  name = "sensors"
}

resource "influxdb_table" "cpu" {
  database = influxdb_database.sensors.name
  name     = "cpu"
  tags     = ["region", "host"]
  fields   = [{ name = "usage", type = "float64" }]
}

# The regions, and the hosts of each region, seen in the last 12 hours (at most 10000
# combinations): `SELECT * FROM distinct_cache('cpu', 'hosts')`.
resource "influxdb_distinct_cache" "hosts" {
  database        = influxdb_database.sensors.name
  table           = influxdb_table.cpu.name
  name            = "hosts"
  columns         = ["region", "host"]
  max_cardinality = 10000
  max_age         = "12h"
}

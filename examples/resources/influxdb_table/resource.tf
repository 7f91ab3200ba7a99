resource "influxdb_database" "metrics" {
  name = "metrics"
}

# A table created before any data is written to it, with its own partition template: by host,
# then by day. Refer to the database resource's name, so that Terraform creates the database
# first and the table follows a rename of the database.
resource "influxdb_table" "cpu" {
  database = influxdb_database.metrics.name
  name     = "cpu"
  partition_template = [
    { type = "tag", value = "host" },
    { type = "time", value = "%Y-%m-%d" },
  ]
}

# Without a partition template, the table inherits the database's.
resource "influxdb_table" "mem" {
  database = influxdb_database.metrics.name
  name     = "mem"
}

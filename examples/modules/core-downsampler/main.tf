terraform {
  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

# A raw table, a last-value cache for its latest values, and a plugin that every `interval`
# writes the average of `field` per series into TABLE_downsampled: InfluxDB 3 Core's answer to
# a downsampling task, run by the server's processing engine.

resource "influxdb_database" "this" {
  name = var.database_name
}

resource "influxdb_table" "raw" {
  database = influxdb_database.this.name
  name     = var.table_name
  tags     = var.tags
  fields   = [{ name = var.field, type = "float64" }]
}

resource "influxdb_last_cache" "latest" {
  database    = influxdb_database.this.name
  table       = influxdb_table.raw.name
  key_columns = var.tags
  value_count = var.last_values
}

# The plugin's code is read from the module at plan: editing it is a change in place, and the
# trigger runs the new code from its next call.
resource "influxdb_plugin_file" "downsample" {
  filename = "${var.database_name}_downsample.py"
  source   = "${path.module}/plugins/downsample.py"
}

resource "influxdb_processing_engine_trigger" "downsample" {
  database              = influxdb_database.this.name
  name                  = "downsample_${var.table_name}"
  plugin_filename       = influxdb_plugin_file.downsample.filename
  trigger_specification = "every:${var.interval}"
  trigger_arguments = {
    table    = influxdb_table.raw.name
    field    = var.field
    tags     = join(",", var.tags)
    interval = var.interval
  }
}

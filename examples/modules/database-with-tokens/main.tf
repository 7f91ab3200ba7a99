terraform {
  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

resource "influxdb_database" "this" {
  name = var.database_name
  # null (the default) leaves the retention to the server: infinite.
  retention_period = var.retention_period

  deletion_protection = var.deletion_protection
}

# Tables with their own partition templates, created before data is written to them. A table
# refers to the database resource's name, so a rename of the database moves nothing here: the
# tables go with the database.
resource "influxdb_table" "this" {
  for_each = var.tables

  database           = influxdb_database.this.name
  name               = each.key
  partition_template = each.value
}

# One read-only token per reader. The permissions refer to the database resource's name (not
# to var.database_name), so Terraform creates the database before the tokens, destroys it after
# them, and moves the tokens to the new name in place when the database is renamed.
resource "influxdb_database_token" "reader" {
  for_each = toset(var.readers)

  description = "${each.key}: read ${influxdb_database.this.name}"
  permissions = [
    { action = "read", resource = influxdb_database.this.name },
  ]
}

# One read-write token per writer.
resource "influxdb_database_token" "writer" {
  for_each = toset(var.writers)

  description = "${each.key}: read and write ${influxdb_database.this.name}"
  permissions = [
    { action = "read", resource = influxdb_database.this.name },
    { action = "write", resource = influxdb_database.this.name },
  ]
}

# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_bucket.telemetry
  identity = { id = "03a2bbf46309a000" }
}

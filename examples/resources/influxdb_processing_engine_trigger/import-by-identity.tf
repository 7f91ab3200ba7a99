# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_processing_engine_trigger.hello
  identity = { database = "apps", name = "hello" }
}

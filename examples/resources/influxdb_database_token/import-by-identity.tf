# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_database_token.ingest
  identity = { id = "55555555-5555-4555-8555-555555555555" }
}

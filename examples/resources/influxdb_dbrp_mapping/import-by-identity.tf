# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_dbrp_mapping.telegraf
  identity = { org_id = "5f3e0d9c1a2b4c6d", id = "0b8ee5f1c2a34d10" }
}

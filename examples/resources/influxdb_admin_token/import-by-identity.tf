# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_admin_token.backup
  identity = { name = "backup" }
}

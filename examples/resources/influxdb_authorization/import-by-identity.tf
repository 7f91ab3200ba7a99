# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_authorization.telegraf
  identity = { id = "0d1c2b3a49586776" }
}

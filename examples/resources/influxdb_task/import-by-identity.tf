# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_task.downsample
  identity = { id = "0a1b2c3d4e5f6071" }
}

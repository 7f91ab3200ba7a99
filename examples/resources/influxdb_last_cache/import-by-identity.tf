# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_last_cache.cpu
  identity = { database = "sensors", table = "cpu", name = "cpu_host_region_last_cache" }
}

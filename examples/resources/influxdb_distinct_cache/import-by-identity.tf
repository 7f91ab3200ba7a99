# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_distinct_cache.hosts
  identity = { database = "sensors", table = "cpu", name = "hosts" }
}

# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_continuous_query.hourly_mean
  identity = { id = "metrics:cq_hourly_mean" }
}

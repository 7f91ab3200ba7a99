# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_v1_authorization.grafana
  identity = { id = "0c4f1e2d3b5a6978" }
}

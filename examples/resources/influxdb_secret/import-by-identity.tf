# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_secret.slack
  identity = { id = "5f3e0d9c1a2b4c6d/SLACK_WEBHOOK" }
}

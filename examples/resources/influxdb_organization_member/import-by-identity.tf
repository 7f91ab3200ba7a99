# Terraform 1.12 or later: import by identity in an import block.
import {
  to       = influxdb_organization_member.ann
  identity = { id = "5f3e0d9c1a2b4c6d/0a1b2c3d4e5f6071" }
}

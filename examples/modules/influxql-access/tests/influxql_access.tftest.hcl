# `terraform test` for this module (Terraform 1.11 or later). It creates real objects through
# the provider configured by the environment (INFLUX_HOST, INFLUX_TOKEN and INFLUX_ORG or
# INFLUX_ORG_ID) and destroys them at the end. Point it at the simulator to test offline:
#
#   cargo run --bin influxdb-sim -- --listen 127.0.0.1:8086 --product oss-v2 &
#   export INFLUX_HOST=http://127.0.0.1:8086 INFLUX_TOKEN=sim-operator-token INFLUX_ORG=sim-org
#   terraform test

variables {
  bucket_name      = "tftest-telegraf"
  retention_period = "30d"
  grafana_user     = "tftest-grafana"
  grafana_password = "tftest-Passw0rd-1"
}

run "maps_the_bucket_and_makes_grafanas_credentials" {
  assert {
    condition     = influxdb_dbrp_mapping.this.bucket_id == output.bucket_id && output.database == "tftest-telegraf" && output.retention_policy == "autogen"
    error_message = "The database (the bucket's name) and retention policy autogen are mapped to the bucket."
  }

  assert {
    condition     = influxdb_dbrp_mapping.this.default && influxdb_dbrp_mapping.this.is_default && !influxdb_dbrp_mapping.this.virtual
    error_message = "The mapping is its database's default, so a query without rp reaches the bucket."
  }

  assert {
    condition     = output.grafana_user == "tftest-grafana" && influxdb_v1_authorization.grafana.status == "active" && influxdb_v1_authorization.grafana.org_id == output.org_id
    error_message = "Grafana's v1 credentials are active, in the bucket's organization."
  }

  assert {
    condition     = length(influxdb_v1_authorization.grafana.permissions) == 1 && alltrue([for p in influxdb_v1_authorization.grafana.permissions : p.action == "read" && p.resource.type == "buckets" && p.resource.id == output.bucket_id])
    error_message = "Grafana can read the bucket and do nothing else."
  }

  assert {
    condition     = influxdb_v1_authorization.grafana.password_wo_version == 1
    error_message = "The first password was sent."
  }
}

run "a_new_password_and_retention_policy_keep_the_mapping_and_the_credentials" {
  variables {
    grafana_password         = "tftest-Passw0rd-2"
    grafana_password_version = 2
    retention_policy         = "month"
  }

  assert {
    condition     = output.ids == run.maps_the_bucket_and_makes_grafanas_credentials.ids
    error_message = "The mapping and the credentials are updated in place: the same IDs."
  }

  assert {
    condition     = output.retention_policy == "month" && influxdb_dbrp_mapping.this.is_default
    error_message = "The retention policy changed in place and the mapping is still the default."
  }

  assert {
    condition     = influxdb_v1_authorization.grafana.password_wo_version == 2
    error_message = "The new password was sent."
  }
}

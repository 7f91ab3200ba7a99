# `terraform test` for this module (Terraform 1.6 or later). It creates real objects through
# the provider configured by the environment (INFLUX_HOST, INFLUX_TOKEN and INFLUX_ORG or
# INFLUX_ORG_ID) and destroys them at the end. Point it at the simulator to test offline:
#
#   cargo run --bin influxdb-sim -- --listen 127.0.0.1:8086 --product oss-v2 &
#   export INFLUX_HOST=http://127.0.0.1:8086 INFLUX_TOKEN=sim-operator-token INFLUX_ORG=sim-org
#   terraform test

variables {
  name             = "tftest-telemetry"
  retention_period = "30d"
}

run "creates_the_bucket_and_two_scoped_tokens" {
  assert {
    condition     = influxdb_bucket.this.name == "tftest-telemetry" && length(output.bucket_id) == 16
    error_message = "The bucket has the requested name and an ID."
  }

  assert {
    condition     = influxdb_bucket.this.retention_period == "30d"
    error_message = "The retention period is kept as written."
  }

  assert {
    condition     = influxdb_authorization.writer.org_id == output.org_id && influxdb_authorization.reader.org_id == output.org_id
    error_message = "The tokens belong to the bucket's organization."
  }

  assert {
    condition     = length(influxdb_authorization.writer.permissions) == 1 && alltrue([for p in influxdb_authorization.writer.permissions : p.action == "write" && p.resource.type == "buckets" && p.resource.id == output.bucket_id])
    error_message = "The writer can write to the bucket and do nothing else."
  }

  assert {
    condition     = length(influxdb_authorization.reader.permissions) == 1 && alltrue([for p in influxdb_authorization.reader.permissions : p.action == "read" && p.resource.type == "buckets" && p.resource.id == output.bucket_id])
    error_message = "The reader can read the bucket and do nothing else."
  }

  assert {
    condition     = length(output.writer_token) > 0 && length(output.reader_token) > 0 && output.writer_token != output.reader_token
    error_message = "Each token has its own token string."
  }
}

run "renaming_and_a_new_retention_keep_the_bucket_and_the_tokens" {
  variables {
    name             = "tftest-telemetry-v2"
    retention_period = "7d"
  }

  assert {
    condition     = influxdb_bucket.this.name == "tftest-telemetry-v2" && influxdb_bucket.this.retention_period == "7d"
    error_message = "The bucket is renamed and its retention changed."
  }

  assert {
    condition     = output.bucket_id == run.creates_the_bucket_and_two_scoped_tokens.bucket_id
    error_message = "The bucket is updated in place: the same ID, its data kept."
  }

  assert {
    condition     = output.token_ids == run.creates_the_bucket_and_two_scoped_tokens.token_ids
    error_message = "The tokens stay: the same authorizations, the same token strings."
  }
}

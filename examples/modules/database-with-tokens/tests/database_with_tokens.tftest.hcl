# `terraform test` for this module (Terraform 1.6 or later). It creates real objects through
# the provider configured by the environment (INFLUXDB3_URL, INFLUXDB3_MANAGEMENT_TOKEN, and on
# Cloud Dedicated INFLUXDB3_ACCOUNT_ID and INFLUXDB3_CLUSTER_ID) and destroys them at the end.
# Point it at the Management API simulator to test offline:
#
#   cargo run --bin influxdb-sim -- --listen 127.0.0.1:8086 &
#   export INFLUXDB3_URL=http://127.0.0.1:8086 INFLUXDB3_MANAGEMENT_TOKEN=sim-management-token
#   export INFLUXDB3_ACCOUNT_ID=11111111-1111-4111-8111-111111111111
#   export INFLUXDB3_CLUSTER_ID=22222222-2222-4222-8222-222222222222
#   terraform test

variables {
  database_name    = "tftest-metrics"
  retention_period = "720h"
  readers          = ["grafana"]
  writers          = ["telegraf", "vector"]
}

run "creates_the_database_and_one_token_per_client" {
  assert {
    condition     = output.database_name == "tftest-metrics"
    error_message = "The database has the requested name."
  }

  assert {
    condition     = influxdb_database.this.retention_period == "720h"
    error_message = "The retention period is kept as written."
  }

  assert {
    condition     = length(output.token_ids) == 3
    error_message = "One token per reader and writer."
  }

  assert {
    condition     = alltrue([for t in influxdb_database_token.reader : t.permissions == toset([{ action = "read", resource = "tftest-metrics" }])])
    error_message = "Readers can read the database and nothing else."
  }

  assert {
    condition     = alltrue([for t in influxdb_database_token.writer : length(t.permissions) == 2])
    error_message = "Writers can read and write the database."
  }

  assert {
    condition     = alltrue([for name, t in output.tokens : length(t) > 0])
    error_message = "Every client got a token string."
  }
}

run "renaming_the_database_keeps_the_tokens" {
  variables {
    database_name = "tftest-metrics-v2"
  }

  assert {
    condition     = alltrue([for t in influxdb_database_token.writer : alltrue([for p in t.permissions : p.resource == "tftest-metrics-v2"])])
    error_message = "The tokens follow the new name."
  }

  assert {
    condition     = output.token_ids == run.creates_the_database_and_one_token_per_client.token_ids
    error_message = "Renaming updates the tokens in place: the same tokens, the same strings."
  }
}

# The InfluxDB 1.x demo (scripts/demo.sh v1): a database with two retention policies, an
# application user with a write-only password and grants, and a continuous query that
# downsamples the raw data into the long-term policy. The provider reads INFLUXDB_URL,
# INFLUXDB_USERNAME and INFLUXDB_PASSWORD (an admin user); the application's password comes
# from TF_VAR_app_password and is never stored in the plan or the state.
terraform {
  required_version = ">= 1.11.0"
  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

provider "influxdb" {}

variable "app_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "influxdb_database" "metrics" {
  name = "metrics"

  retention_policies {
    name     = "short"
    duration = "7d"
    default  = true
  }
  retention_policies {
    name     = "long"
    duration = "365d"
  }
}

resource "influxdb_user" "telegraf" {
  name                = "telegraf"
  password_wo         = var.app_password
  password_wo_version = 1 # increment to send a new password

  grant {
    database  = influxdb_database.metrics.name
    privilege = "WRITE"
  }
}

resource "influxdb_user" "grafana" {
  name                = "grafana"
  password_wo         = var.app_password
  password_wo_version = 1

  grant {
    database  = influxdb_database.metrics.name
    privilege = "read"
  }
}

resource "influxdb_continuous_query" "hourly_mean" {
  name     = "cq_hourly_mean"
  database = influxdb_database.metrics.name
  query    = "SELECT mean(\"value\") INTO \"long\".\"cpu_hourly\" FROM \"short\".\"cpu\" GROUP BY time(1h), *"
}

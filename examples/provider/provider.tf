terraform {
  required_providers {
    influxdb = {
      source = "example.com/influxdata/influxdb"
    }
  }
}

# InfluxDB 3 Cloud Dedicated: account and cluster IDs (here from variables), the management
# token from the INFLUXDB3_MANAGEMENT_TOKEN environment variable.
provider "influxdb" {
  account_id = var.account_id
  cluster_id = var.cluster_id
}

# InfluxDB 3 Clustered: the cluster's own URL, and neither account_id nor cluster_id.
# provider "influxdb" {
#   url            = "https://cluster-host.example.com"
#   ca_certificate = file("cluster-ca.pem") # only if its certificate comes from a private CA
# }

variable "account_id" {
  type = string
}

variable "cluster_id" {
  type = string
}

# InfluxDB OSS v2 or Cloud Serverless, as a second provider block with an alias: resources
# choose it with `provider = influxdb.oss`. host, token and org may also come from
# INFLUX_HOST, INFLUX_TOKEN and INFLUX_ORG (or INFLUX_ORG_ID).
provider "influxdb" {
  alias = "oss"
  host  = "http://localhost:8086"
  token = var.oss_token
  org   = "my-org"
}

variable "oss_token" {
  type      = string
  sensitive = true
}

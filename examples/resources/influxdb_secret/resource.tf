# Terraform 1.11 or later: the value is write-only, never stored in the plan or the state.
variable "slack_webhook" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "influxdb_secret" "slack" {
  key              = "SLACK_WEBHOOK"
  value_wo         = var.slack_webhook
  value_wo_version = 1 # increment to send a new value
}

# A task reads it with secrets.get().
resource "influxdb_task" "alert" {
  flux = <<-EOT
    import "influxdata/influxdb/secrets"
    import "slack"

    option task = {name: "cpu-alert", every: 5m}

    url = secrets.get(key: "${influxdb_secret.slack.key}")

    from(bucket: "telemetry")
      |> range(start: -task.every)
      |> filter(fn: (r) => r._measurement == "cpu" and r._field == "usage" and r._value > 90.0)
      |> map(fn: (r) => ({r with _sent: slack.message(url: url, channel: "#ops", text: "CPU above 90%", color: "danger")}))
  EOT
}

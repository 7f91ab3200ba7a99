resource "influxdb_database" "apps" {
  name = "apps"
}

resource "influxdb_plugin_file" "hello" {
  filename = "hello.py"
  content  = <<-EOT
    def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
        return {"greeting": args["greeting"]}
  EOT
}

# Answers POST/GET /api/v3/engine/hello with the plugin's output.
resource "influxdb_processing_engine_trigger" "hello" {
  database              = influxdb_database.apps.name
  name                  = "hello"
  plugin_filename       = influxdb_plugin_file.hello.filename
  trigger_specification = "request:hello"
  trigger_arguments     = { greeting = "hi" }
}

# Runs the plugin's process_scheduled_call every five minutes, retrying on errors; created
# disabled (enable it in place by removing `disabled`).
resource "influxdb_processing_engine_trigger" "every_five_minutes" {
  database              = influxdb_database.apps.name
  name                  = "every_five_minutes"
  plugin_filename       = "downsample.py"
  trigger_specification = "cron:0 */5 * * * *"
  error_behavior        = "retry"
  disabled              = true
}

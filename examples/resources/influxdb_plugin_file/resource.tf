# A plugin file written from a file next to the configuration (read at plan: editing it is a
# change in place, and the server runs the new code from the next trigger call).
resource "influxdb_plugin_file" "downsample" {
  filename = "downsample.py"
  source   = "${path.module}/plugins/downsample.py"
}

# A small plugin written inline.
resource "influxdb_plugin_file" "hello" {
  filename = "hello.py"
  content  = <<-EOT
    def process_request(influxdb3_local, query_parameters, request_headers, request_body, args=None):
        return {"hello": query_parameters.get("name", "world")}
  EOT
}

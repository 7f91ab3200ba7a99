# `terraform test` for this module (Terraform 1.6 or later). It creates real objects on the
# InfluxDB 3 Core or Enterprise server the environment names (INFLUXDB3_HOST_URL and
# INFLUXDB3_AUTH_TOKEN; the server needs a plugin directory, `--plugin-dir`) and destroys them
# at the end (the plugin file stays on the server: no API call deletes one).

variables {
  database_name = "tftest_downsampler"
  tags          = ["host", "region"]
  interval      = "10m"
}

run "creates_the_table_the_cache_the_plugin_and_its_trigger" {
  assert {
    condition     = output.last_cache_name == "cpu_host_region_last_cache"
    error_message = "The last-value cache has the server's default name, keyed by the tags."
  }

  assert {
    condition     = influxdb_last_cache.latest.ttl == "4h" && influxdb_last_cache.latest.value_count == 1
    error_message = "The cache has the server's defaults."
  }

  assert {
    condition     = influxdb_processing_engine_trigger.downsample.trigger_specification == "every:10m"
    error_message = "The trigger runs every interval, as written."
  }

  assert {
    condition     = influxdb_processing_engine_trigger.downsample.trigger_arguments["tags"] == "host,region"
    error_message = "The plugin is told the tags."
  }

  assert {
    condition     = strcontains(influxdb_plugin_file.downsample.content, "def process_scheduled_call")
    error_message = "The plugin file holds the module's downsampler."
  }

  assert {
    condition     = !influxdb_processing_engine_trigger.downsample.disabled
    error_message = "The trigger is enabled."
  }
}

run "a_new_interval_replaces_only_the_trigger" {
  variables {
    interval = "1h"
  }

  assert {
    condition     = influxdb_processing_engine_trigger.downsample.trigger_specification == "every:1h"
    error_message = "The trigger follows the interval."
  }

  assert {
    condition     = output.last_cache_name == "cpu_host_region_last_cache"
    error_message = "The cache is unchanged."
  }
}

# A trigger is imported as DATABASE:NAME. The server does not show `run_async`: the import
# assumes false.
terraform import influxdb_processing_engine_trigger.hello apps:hello

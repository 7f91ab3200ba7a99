# A task is imported by its ID (`influx task list`).
terraform import influxdb_task.downsample 0a1b2c3d4e5f6071

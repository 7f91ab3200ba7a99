# A last-value cache is imported as DATABASE:TABLE:NAME (`SELECT * FROM system.last_caches`
# on the database lists them).
terraform import influxdb_last_cache.cpu sensors:cpu:cpu_host_region_last_cache

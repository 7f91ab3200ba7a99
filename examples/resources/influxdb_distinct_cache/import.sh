# A distinct-value cache is imported as DATABASE:TABLE:NAME (`SELECT * FROM
# system.distinct_caches` on the database lists them).
terraform import influxdb_distinct_cache.hosts sensors:cpu:hosts

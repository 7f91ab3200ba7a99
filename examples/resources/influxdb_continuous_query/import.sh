# A continuous query is imported by DATABASE:NAME.
terraform import influxdb_continuous_query.hourly_mean metrics:cq_hourly_mean

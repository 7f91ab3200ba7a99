# A v1 authorization is imported by its ID (`influx v1 auth list`); the password is never read back.
terraform import influxdb_v1_authorization.grafana 0c4f1e2d3b5a6978

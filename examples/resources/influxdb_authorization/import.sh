# An authorization is imported by its ID (16 hexadecimal digits, as `influx auth list` shows it).
# The API never returns the token string again, so `token` is null after an import.
terraform import influxdb_authorization.telegraf 0d1c2b3a49586776

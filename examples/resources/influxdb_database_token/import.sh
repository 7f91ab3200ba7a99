# A database token is imported by its ID (a UUID, as `influxctl token list` shows it).
# The API never returns the token string again, so `access_token` is null after an import.
terraform import influxdb_database_token.ingest 55555555-5555-4555-8555-555555555555

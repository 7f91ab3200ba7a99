# An admin token is imported by its name (as `influxdb3 show tokens` shows it).
# The server never shows the token string again, so `access_token` is null after an import.
terraform import influxdb_admin_token.backup backup

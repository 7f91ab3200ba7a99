# A user is imported by its ID or its name; the password is never read back.
terraform import influxdb_user.ann 0a1b2c3d4e5f6071

# A read-only token for one Terraform run (Terraform 1.10 or later). It is created when the run
# starts, revoked when it ends, and never written to the state or a plan file.
ephemeral "influxdb_database_token" "ci" {
  description = "CI: schema checks"
  permissions = [{ action = "read", resource = "sensors" }]
  ttl         = "30m"
}

# Use it where ephemeral values are accepted: a provider configuration, an ephemeral variable
# or output of a module, a write-only attribute, or a check.
check "ci_token_issued" {
  assert {
    condition     = length(ephemeral.influxdb_database_token.ci.access_token) > 0
    error_message = "No token string was issued."
  }
}

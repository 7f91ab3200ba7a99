output "bucket_id" {
  description = "The bucket's ID."
  value       = influxdb_bucket.this.id
}

output "org_id" {
  description = "The ID of the organization of the bucket and its tokens."
  value       = influxdb_bucket.this.org_id
}

output "writer_token" {
  description = "The token that can write to the bucket (and do nothing else)."
  sensitive   = true
  value       = influxdb_authorization.writer.token
}

output "reader_token" {
  description = "The token that can read the bucket (and do nothing else)."
  sensitive   = true
  value       = influxdb_authorization.reader.token
}

output "token_ids" {
  description = "The authorization IDs of the tokens, `writer` and `reader` (not secret)."
  value = {
    writer = influxdb_authorization.writer.id
    reader = influxdb_authorization.reader.id
  }
}

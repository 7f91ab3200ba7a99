variable "name" {
  description = "Name of the bucket (unique in its organization, not starting with _, no double quotes). Changing it renames the bucket in place: same ID, data and tokens kept."
  type        = string
}

variable "retention_period" {
  description = "How long data is kept, such as \"30d\", \"720h\" or \"1h30m\"; at least one hour, or \"0s\" for ever. Null (the default) keeps data forever. \"30d\" and \"720h\" are the same value, not a change. Changing it updates the bucket in place."
  type        = string
  default     = null
}

variable "org_id" {
  description = "ID of the organization the bucket and its tokens belong to (16 hexadecimal digits). Null (the default) is the provider's organization (`org` or `org_id`). Changing it replaces the bucket (deleting its data) and both tokens."
  type        = string
  default     = null
}

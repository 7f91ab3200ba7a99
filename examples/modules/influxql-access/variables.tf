variable "bucket_name" {
  description = "Name of the bucket (unique in its organization, not starting with _, no double quotes). Changing it renames the bucket in place: same ID, data, mapping and credentials kept."
  type        = string
}

variable "retention_period" {
  description = "How long data is kept, such as \"30d\"; null (the default) keeps data forever. Changing it updates the bucket in place."
  type        = string
  default     = null
}

variable "org_id" {
  description = "ID of the organization (16 hexadecimal digits). Null (the default) is the provider's organization."
  type        = string
  default     = null
}

variable "database" {
  description = "The InfluxQL database name clients use (`db=`). Null (the default) is the bucket's name. Changing it replaces the mapping."
  type        = string
  default     = null
}

variable "retention_policy" {
  description = "The InfluxQL retention policy name clients use (`rp=`). The mapping is the database's default, so a query without `rp` works too. Changing it updates the mapping in place."
  type        = string
  default     = "autogen"
}

variable "grafana_user" {
  description = "The v1 user name Grafana logs in with (unique on the server). Changing it replaces the credentials."
  type        = string
  default     = "grafana"
}

variable "grafana_password" {
  description = "Grafana's password, at least 8 characters. Ephemeral: it is never stored in a plan or the state (set it with TF_VAR_grafana_password, or from a secret store)."
  type        = string
  sensitive   = true
  ephemeral   = true
}

variable "grafana_password_version" {
  description = "Increment it to send a new `grafana_password` (Terraform never stores the password, so it cannot see it change)."
  type        = number
  default     = 1
}

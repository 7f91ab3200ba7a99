variable "database_name" {
  description = "Name of the database: 1 to 64 characters of letters, digits, _, - and /, not starting with _. Changing it replaces the database (its data is deleted) and moves the tokens to the new name."
  type        = string
}

variable "retention_period" {
  description = "How long data is kept, such as \"30d\", \"720h\" or \"1h30m\"; \"0s\" is infinite. Null (the default) takes the server's default, infinite."
  type        = string
  default     = null
}

variable "readers" {
  description = "Names of the clients that get a read-only token (one token each). A name must not also be in writers."
  type        = list(string)
  default     = []
}

variable "writers" {
  description = "Names of the clients that get a read-write token (one token each). A name must not also be in readers."
  type        = list(string)
  default     = []
}

variable "database_name" {
  description = "Name of the database: 1 to 64 characters of letters, digits, _, - and /, not starting with _. Changing it renames the database in place (its data is kept) and moves the tokens to the new name."
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

variable "tables" {
  description = "Tables to create before any data is written to them, so that each gets its own partition template: a map from table name to a list of { type, value } parts, or null for a table that inherits the database's template. The template is set at creation only: changing it replaces the table (deleting its data)."
  type = map(list(object({
    type  = string
    value = string
  })))
  default = {}
}

variable "deletion_protection" {
  description = "While true, any plan that would delete or replace the database fails (destroy included). Set it to false and apply before destroying."
  type        = bool
  default     = false
}

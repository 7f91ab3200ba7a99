variable "database_name" {
  description = "Name of the InfluxDB 3 Core/Enterprise database holding the raw table and its downsampled copy."
  type        = string
}

variable "table_name" {
  description = "The raw table: its tags are `tags`, its one field `field` (float64)."
  type        = string
  default     = "cpu"
}

variable "tags" {
  description = "The raw table's tag columns, in series-key order; the last-value cache is keyed by them and the downsampler groups by them."
  type        = list(string)
  default     = ["host"]
}

variable "field" {
  description = "The raw table's float64 field, averaged by the downsampler."
  type        = string
  default     = "usage"
}

variable "interval" {
  description = "How often the downsampler runs and the window it averages, a duration such as \"10m\" or \"1h\". Changing it replaces the trigger (the plugin file is kept)."
  type        = string
  default     = "1h"
}

variable "last_values" {
  description = "How many of the latest values per series the last-value cache keeps."
  type        = number
  default     = 1
}

# Terraform 1.11 or later: the password is write-only, never stored in the plan or the state.
variable "ann_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

resource "influxdb_user" "ann" {
  name                = "ann"
  password_wo         = var.ann_password
  password_wo_version = 1 # increment to send a new password
}

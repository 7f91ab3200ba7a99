//! A write-only password, as `influxdb_user` and `influxdb_v1_authorization` take it:
//! `password_wo` (Terraform 1.11 or later; never in the plan or the state) is sent after the
//! create and again whenever `password_wo_version` changes. The rules of the pair live here,
//! once: InfluxDB's shortest password, the version without a password, and the diagnostic of a
//! password the server refused, which names the attribute and never the password.

use std::fmt::Display;

use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, Type, Value};

/// The shortest password InfluxDB accepts.
pub const MIN_PASSWORD_LEN: usize = 8;

/// A password InfluxDB accepts.
pub fn check_password(s: &str) -> Result<(), String> {
    if s.chars().count() < MIN_PASSWORD_LEN {
        Err(format!(
            "The password is shorter than {MIN_PASSWORD_LEN} characters, which InfluxDB refuses."
        ))
    } else {
        Ok(())
    }
}

/// `password_wo`, described by `description`, and `password_wo_version`.
pub fn attributes(description: &str) -> [Attribute; 2] {
    [
        Attribute::optional("password_wo", Type::String)
            .describe(description)
            .sensitive()
            .write_only()
            .validate_str("Invalid password_wo", check_password),
        Attribute::optional("password_wo_version", Type::Number)
            .describe("Change it (for example increment it) to send `password_wo` again: Terraform cannot compare a value it never stores."),
    ]
}

/// A version needs the password it versions.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    if !config.attr("password_wo_version").is_null()
        && config.attr("password_wo").is_null()
        && config.attr("password_wo").is_known()
    {
        diags.attribute_error(
            AttributePath::root("password_wo"),
            "Missing password_wo",
            "password_wo_version is set, so the password it versions must be set too (password_wo).",
        );
    }
}

/// The password an update sends: the planned one, when its version changed.
/// `versions` are the prior and the planned `password_wo_version`.
pub fn to_resend(versions: (Option<i64>, Option<i64>), planned: Option<&str>) -> Option<&str> {
    (versions.0 != versions.1).then_some(planned?)
}

/// Whether the server took the password (`sent`); an error says so for `what` (`"the user's"`),
/// naming `password_wo` and never the password.
pub fn taken(sent: Result<(), impl Display>, what: &str, diags: &mut Diagnostics) -> bool {
    match sent {
        Ok(()) => true,
        Err(e) => {
            diags.attribute_error(
                AttributePath::root("password_wo"),
                format!("Setting {what} password failed"),
                format!("{e}\n\nThe password was not changed. Run terraform apply again."),
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_has_eight_characters_and_is_resent_on_a_new_version() {
        assert!(check_password("12345678").is_ok());
        assert!(check_password("1234567").is_err());
        assert_eq!(to_resend((Some(1), Some(2)), Some("p")), Some("p"));
        assert_eq!(to_resend((Some(1), Some(1)), Some("p")), None);
        assert_eq!(to_resend((None, Some(1)), None), None);
    }
}

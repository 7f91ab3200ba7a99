//! Diagnostics and the attribute paths that let Terraform point at the offending line.

use std::fmt;

/// One step of an attribute path, as Terraform's `AttributePath.Step`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Attribute(String),
    ElementKeyString(String),
    ElementKeyInt(i64),
}

/// A path into a resource's object, e.g. `permissions` or `tags["env"]`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct AttributePath(pub Vec<Step>);

impl AttributePath {
    pub fn root(name: &str) -> AttributePath {
        AttributePath(vec![Step::Attribute(name.to_owned())])
    }
    pub fn attr(mut self, name: &str) -> AttributePath {
        self.0.push(Step::Attribute(name.to_owned()));
        self
    }
    pub fn key(mut self, key: &str) -> AttributePath {
        self.0.push(Step::ElementKeyString(key.to_owned()));
        self
    }
    pub fn index(mut self, i: i64) -> AttributePath {
        self.0.push(Step::ElementKeyInt(i));
        self
    }
}

impl fmt::Display for AttributePath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Step::Attribute(a) if i == 0 => f.write_str(a)?,
                Step::Attribute(a) => write!(f, ".{a}")?,
                Step::ElementKeyString(k) => write!(f, "[{k:?}]")?,
                Step::ElementKeyInt(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub summary: String,
    pub detail: String,
    pub attribute: Option<AttributePath>,
}

impl Diagnostic {
    pub fn error(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            summary: summary.into(),
            detail: detail.into(),
            attribute: None,
        }
    }
    pub fn warning(summary: impl Into<String>, detail: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(summary, detail)
        }
    }
    pub fn at(mut self, path: AttributePath) -> Diagnostic {
        self.attribute = Some(path);
        self
    }
}

/// Diagnostics collected during one request. Passed as an out-parameter so that warnings can
/// accompany a successful result.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    pub fn error(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::error(summary, detail));
    }
    pub fn warning(&mut self, summary: impl Into<String>, detail: impl Into<String>) {
        self.push(Diagnostic::warning(summary, detail));
    }
    /// A refresh that finds the object gone (`kind`: "Table"; `object`: "The table \"t\" of
    /// the database \"d\""): Terraform removes it from the state and the next apply creates it
    /// again (`again` adds how, for example " (empty)"). Always `None`, the state read.
    pub fn deleted_outside<T>(&mut self, kind: &str, object: &str, again: &str) -> Option<T> {
        self.warning(
            format!("{kind} deleted outside Terraform"),
            format!("{object} no longer exists. It is removed from the state and the next apply creates it again{again}."),
        );
        None
    }
    /// An error pointing at an attribute.
    pub fn attribute_error(
        &mut self,
        path: AttributePath,
        summary: impl Into<String>,
        detail: impl Into<String>,
    ) {
        self.push(Diagnostic::error(summary, detail).at(path));
    }
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

/// A result whose error becomes a diagnostic: `client.read(..).await.or_error(diags, "Reading
/// the database failed")?` in place of a `match` that records the error and gives up.
pub trait OrError<T> {
    /// The value, or `None` with the error recorded under `summary`.
    fn or_error(self, diags: &mut Diagnostics, summary: impl Into<String>) -> Option<T>;
    /// The value, or `None` with the error recorded under `summary`, pointing at `attribute`.
    fn or_attribute_error(
        self,
        diags: &mut Diagnostics,
        attribute: &str,
        summary: impl Into<String>,
    ) -> Option<T>;
}

impl<T, E: std::fmt::Display> OrError<T> for Result<T, E> {
    fn or_error(self, diags: &mut Diagnostics, summary: impl Into<String>) -> Option<T> {
        self.map_err(|e| diags.error(summary, e.to_string())).ok()
    }
    fn or_attribute_error(
        self,
        diags: &mut Diagnostics,
        attribute: &str,
        summary: impl Into<String>,
    ) -> Option<T> {
        self.map_err(|e| {
            diags.attribute_error(AttributePath::root(attribute), summary, e.to_string())
        })
        .ok()
    }
}

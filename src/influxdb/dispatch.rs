//! The one wrapper between the engine and the families: every Terraform type is served through
//! a [`Dispatch`] of the families that register it, usually one (`influxdb_bucket`), sometimes
//! several (`influxdb_database` is a database of Cloud Dedicated (Management API) and of
//! InfluxDB 3 Core (`/api/v3`) alike, so that one module serves both). Each family registers
//! its own implementation, written against its own client and bridged to the engine with the
//! [`super::connection::ClientOf`] lens; [`super::registry::Registry`] groups them by name:
//!
//! - every call goes to the implementation of the configured family; under a provider block of
//!   a family that does not serve the type, it fails saying which products have it (and what
//!   each product needs). This is the only place where the configured family meets a type.
//! - the schema is the union of the families' schemas (of one family: its own): an attribute
//!   several families declare must have the same type there (checked when the provider starts,
//!   and by a unit test); one only some families declare is optional in the union, and its
//!   description says which products have it. The schema version is the highest declared; the
//!   minimum Terraform version is the lowest (none when a family declares none), so that one
//!   family's need (the v2 user's write-only password) does not refuse another family's use of
//!   the type under an older Terraform: a write-only attribute is still refused there, naming it.
//! - the resource identity is the union of the families' identities; an attribute is required
//!   for import only where every family requires it, so families sharing a type must share at
//!   least one required identity attribute (an `id` or a `name`).
//! - at plan, an argument set in the configuration that the configured family does not have
//!   fails naming the argument and the products that have it, and an argument this family
//!   requires but the union does not is checked.
//! - `validate` runs without a configured provider, so it runs every family's rules: the
//!   `validate` of a shared type holds only rules true for every family; a family's own rules
//!   belong in its `modify_plan` (which, like every other call, reaches only that family). An
//!   attribute several families declare is refused at `validate` only for a value every
//!   family's validators refuse; the configured family's own validators run at plan, before any
//!   API call.

use std::sync::Arc;

use async_trait::async_trait;

mod union;
use union::{merge_identities, merge_schemas};

use super::connection::{mismatch, Connection};
use super::family::{product_names, FamilyName};
use crate::engine::ephemeral::{DynEphemeralResource, OpenedValue};
use crate::engine::identity::IdentitySchema;
use crate::engine::list::DynListResource;
use crate::engine::resource::{DynDataSource, DynResource};
use crate::engine::{AttributePath, Diagnostic, Diagnostics, PlanChange, Schema, Type, Value};

/// One family's implementation of a shared type.
pub struct Served<T: ?Sized> {
    pub family: &'static FamilyName,
    pub item: Arc<T>,
}

/// A type the families of `served` serve, dispatched on the configured family.
pub struct Dispatch<T: ?Sized> {
    type_name: &'static str,
    schema: Schema,
    identity: Option<IdentitySchema>,
    served: Vec<Served<T>>,
    /// The attributes several families declare (each family's rules checked at plan).
    shared: Vec<String>,
}

/// What every kind of type tells the dispatch.
pub trait Described {
    fn described_schema(&self) -> &Schema;
    fn described_identity(&self) -> Option<&IdentitySchema> {
        None
    }
}

impl Described for dyn DynResource<Connection> {
    fn described_schema(&self) -> &Schema {
        self.schema()
    }
    fn described_identity(&self) -> Option<&IdentitySchema> {
        self.identity()
    }
}
impl Described for dyn DynDataSource<Connection> {
    fn described_schema(&self) -> &Schema {
        self.schema()
    }
}
impl Described for dyn DynEphemeralResource<Connection> {
    fn described_schema(&self) -> &Schema {
        self.schema()
    }
}
impl Described for dyn DynListResource<Connection> {
    fn described_schema(&self) -> &Schema {
        self.schema()
    }
}

impl<T: ?Sized + Described> Dispatch<T> {
    /// Serves `type_name` through every implementation of `served`.
    pub fn new(type_name: &'static str, served: Vec<Served<T>>) -> Result<Self, String> {
        let (schema, shared) = merge_schemas(type_name, &served)?;
        let identity = merge_identities(type_name, &served)?;
        Ok(Dispatch {
            type_name,
            schema,
            identity,
            served,
            shared,
        })
    }

    /// The implementation of the configured family; records why there is none.
    fn for_family(&self, c: &Connection, diags: &mut Diagnostics) -> Option<&T> {
        let key = c.family().key;
        let found = self.served.iter().find(|s| s.family.key == key);
        if let (None, [only]) = (found, &self.served[..]) {
            diags.push(mismatch(self.type_name, only.family, c));
        } else if found.is_none() {
            let families: Vec<_> = self.served.iter().map(|s| s.family).collect();
            diags.error(
                "Resource and provider are for different InfluxDB products",
                format!(
                    "{} is available on {}, but this provider block is configured for {}. {}",
                    self.type_name,
                    product_names(&families),
                    c.family().configured_as,
                    c.products_help()
                ),
            );
        }
        found.map(|s| &*s.item)
    }

    /// At plan: the configured family's implementation, with the arguments it lacks refused.
    fn check_arguments(
        &self,
        c: &Connection,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Option<&T> {
        let item = self.for_family(c, diags)?;
        let own = item.described_schema();
        for a in &self.schema.attributes {
            let value = config.attr(&a.name);
            // No block written is an empty collection, not an argument set.
            let unset =
                value.is_null() || (a.block && value.elements().is_some_and(|e| e.is_empty()));
            match own.attribute(&a.name) {
                None if !unset && (a.optional || a.required) => {
                    let have: Vec<_> = self
                        .served
                        .iter()
                        .filter(|s| s.item.described_schema().attribute(&a.name).is_some())
                        .map(|s| s.family)
                        .collect();
                    diags.push(
                        Diagnostic::error(
                            format!("{} is not an argument on this InfluxDB", a.name),
                            format!(
                                "{} has {} only on {}; this provider block is configured for {}, which has no such setting. Remove {}.",
                                self.type_name,
                                a.name,
                                product_names(&have),
                                c.family().configured_as,
                                a.name
                            ),
                        )
                        .at(AttributePath::root(&a.name)),
                    );
                }
                Some(mine) if mine.required && !a.required && value.is_null() => diags.push(
                    Diagnostic::error(
                        format!("Missing required argument {}", a.name),
                        format!(
                            "{} needs {} on {}.",
                            self.type_name,
                            a.name,
                            c.family().configured_as
                        ),
                    )
                    .at(AttributePath::root(&a.name)),
                ),
                // A shared attribute's rules are this family's (the union's refuse only what
                // every family refuses, see `merge_schemas`), checked here at plan, before any
                // API call.
                Some(mine) if self.shared.contains(&a.name) && !mine.validators.is_empty() => {
                    mine.validate_in(config, diags)
                }
                _ => {}
            }
        }
        Some(item)
    }

    /// A value of the union made a value of `item`'s schema (the attributes it lacks dropped;
    /// they are null there, [`Dispatch::check_arguments`] saw to that).
    fn narrow(&self, item: &T, v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let own = item.described_schema();
                Value::Object(
                    m.iter()
                        .filter(|(k, _)| own.attribute(k).is_some())
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                )
            }
            other => other.clone(),
        }
    }

    /// A value of a family's schema made a value of the union (its missing attributes null).
    fn widen(&self, v: Value) -> Value {
        match v {
            Value::Object(mut m) => {
                for a in &self.schema.attributes {
                    // A block another family has is an empty list here, as Terraform writes a
                    // block that is not there.
                    let absent = if a.block {
                        Value::List(Vec::new())
                    } else {
                        Value::Null
                    };
                    m.entry(a.name.clone()).or_insert(absent);
                }
                Value::Object(m)
            }
            other => other,
        }
    }
}

impl<T: ?Sized> Dispatch<T> {
    /// Every family's `validate` (it runs before any provider is configured); of several
    /// families, what is already said (by another family, or the union's validators) is said
    /// once.
    fn validate_each(&self, diags: &mut Diagnostics, validate: impl Fn(&T, &mut Diagnostics)) {
        if let [only] = &self.served[..] {
            return validate(&only.item, diags);
        }
        let mut all = Diagnostics::default();
        for s in &self.served {
            validate(&s.item, &mut all);
        }
        for d in all.iter() {
            if !diags.iter().any(|x| x == d) {
                diags.push(d.clone());
            }
        }
    }
}

/// What every kind answers alike: its name, union schema and every family's validation, and
/// (but for a list resource) the plan-time check of the configured family and its arguments.
macro_rules! dispatched {
    () => {
        fn type_name(&self) -> &'static str {
            self.type_name
        }
        fn schema(&self) -> &Schema {
            &self.schema
        }
        fn validate(&self, config: &Value, diags: &mut Diagnostics) {
            self.validate_each(diags, |item, d| item.validate(config, d))
        }
    };
    (checked) => {
        dispatched!();
        fn check_provider(&self, c: &Connection, config: &Value, diags: &mut Diagnostics) {
            if let Some(item) = self.check_arguments(c, config, diags) {
                item.check_provider(c, &self.narrow(item, config), diags);
            }
        }
    };
}

#[async_trait]
impl DynResource<Connection> for Dispatch<dyn DynResource<Connection>> {
    dispatched!(checked);
    fn identity(&self) -> Option<&IdentitySchema> {
        self.identity.as_ref()
    }
    fn modify_plan(
        &self,
        c: Option<&Connection>,
        change: &mut PlanChange<'_>,
        diags: &mut Diagnostics,
    ) {
        // The configured family's rules; a type of one family keeps its rules when there is no
        // provider to ask (its client is then `None`).
        let mut quiet = Diagnostics::default();
        let configured = c.and_then(|c| self.for_family(c, &mut quiet));
        let only = match &self.served[..] {
            [only] => Some(&*only.item),
            _ => None,
        };
        if let Some(item) = configured.or(only) {
            item.modify_plan(c, change, diags);
            // The attributes only other families have stay null here (they are null after
            // every call, see `widen`), not "known after apply"; their blocks are as
            // configured (none: an empty list).
            let own = item.schema();
            for a in &self.schema.attributes {
                if own.attribute(&a.name).is_none() {
                    let absent = if a.block {
                        change.config.attr(&a.name).clone()
                    } else {
                        Value::Null
                    };
                    change.planned.set_attr(&a.name, absent);
                }
            }
        }
    }
    fn guard_destroy(&self, c: Option<&Connection>, prior: &Value, diags: &mut Diagnostics) {
        let mut quiet = Diagnostics::default();
        match c.and_then(|c| self.for_family(c, &mut quiet)) {
            Some(item) => item.guard_destroy(c, prior, diags),
            // Not configured: every family's guard (a protected object stays protected).
            None => {
                for s in &self.served {
                    s.item.guard_destroy(None, prior, diags);
                }
            }
        }
    }
    async fn check_server(&self, c: &Connection, planned: &Value, diags: &mut Diagnostics) {
        if let Some(item) = self.for_family(c, diags) {
            let planned = self.narrow(item, planned);
            item.check_server(c, &planned, diags).await
        }
    }
    async fn create(
        &self,
        c: &Connection,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let item = self.for_family(c, diags)?;
        let planned = self.narrow(item, planned);
        item.create(c, &planned, diags).await.map(|v| self.widen(v))
    }
    async fn read(
        &self,
        c: &Connection,
        current: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let item = self.for_family(c, diags)?;
        let current = self.narrow(item, current);
        item.read(c, &current, diags).await.map(|v| self.widen(v))
    }
    async fn update(
        &self,
        c: &Connection,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let item = self.for_family(c, diags)?;
        let (prior, planned) = (self.narrow(item, prior), self.narrow(item, planned));
        item.update(c, &prior, &planned, diags)
            .await
            .map(|v| self.widen(v))
    }
    async fn delete(&self, c: &Connection, prior: &Value, diags: &mut Diagnostics) {
        if let Some(item) = self.for_family(c, diags) {
            let prior = self.narrow(item, prior);
            item.delete(c, &prior, diags).await
        }
    }
    async fn import(&self, c: &Connection, id: &str, diags: &mut Diagnostics) -> Option<Value> {
        let item = self.for_family(c, diags)?;
        item.import(c, id, diags).await.map(|v| self.widen(v))
    }
}

#[async_trait]
impl DynDataSource<Connection> for Dispatch<dyn DynDataSource<Connection>> {
    dispatched!(checked);
    async fn read(&self, c: &Connection, config: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let item = self.for_family(c, diags)?;
        let config = self.narrow(item, config);
        item.read(c, &config, diags).await.map(|v| self.widen(v))
    }
}

#[async_trait]
impl DynEphemeralResource<Connection> for Dispatch<dyn DynEphemeralResource<Connection>> {
    dispatched!(checked);
    async fn open(
        &self,
        c: &Connection,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Option<OpenedValue> {
        let item = self.for_family(c, diags)?;
        let config = self.narrow(item, config);
        let opened = item.open(c, &config, diags).await?;
        Some(OpenedValue {
            result: self.widen(opened.result),
            private: opened.private,
        })
    }
    async fn close(&self, c: &Connection, private: &[u8], diags: &mut Diagnostics) {
        if let Some(item) = self.for_family(c, diags) {
            item.close(c, private, diags).await
        }
    }
}

#[async_trait]
impl DynListResource<Connection> for Dispatch<dyn DynListResource<Connection>> {
    dispatched!();
    async fn list(
        &self,
        c: &Connection,
        config: &Value,
        state_ty: &Type,
        diags: &mut Diagnostics,
    ) -> Vec<(String, Value)> {
        match self.check_arguments(c, config, diags) {
            Some(item) if !diags.has_errors() => {
                let config = self.narrow(item, config);
                item.list(c, &config, state_ty, diags).await
            }
            _ => Vec::new(),
        }
    }
}

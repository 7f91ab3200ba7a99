//! The one typed bridge: a [`Resource`], [`DataSource`], [`EphemeralResource`] or
//! [`ListResource`] written on typed structs and its own client, made into the object-safe
//! `Dyn*` form the engine calls with values. What the engine hands each call (`C`) is turned
//! into the client the type was written against by a [`Lens`]: [`Direct`] when they are the
//! same (the engine's own tests), or a lens of the domain (the configured provider's client
//! of the type's family).

use std::sync::Arc;

use async_trait::async_trait;

use super::diag::Diagnostics;
use super::ephemeral::{DynEphemeralResource, EphemeralResource, OpenedValue};
use super::identity::IdentitySchema;
use super::list::{DynListResource, ListResource};
use super::resource::{DataSource, DynDataSource, DynResource, PlanChange, Resource};
use super::schema::Schema;
use super::typed::{bridge_error, from_typed, to_typed};
use super::types::Type;
use super::value::Value;

/// How a type's client is found in what the engine hands every call.
pub trait Lens<C>: Send + Sync + 'static {
    type Client: Send + Sync + 'static;
    /// The client; records why there is none.
    fn client<'a>(
        &self,
        c: &'a C,
        type_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&'a Self::Client>;
    /// The client, if there is one, without saying why not.
    fn client_quietly<'a>(&self, c: &'a C) -> Option<&'a Self::Client>;
    /// Plan-time checks of a configuration that `c` itself makes, before the type's own.
    fn check(&self, _c: &C, _type_name: &str, _config: &Value, _diags: &mut Diagnostics) {}
}

/// The engine hands the type its own client.
pub struct Direct;

impl<C: Send + Sync + 'static> Lens<C> for Direct {
    type Client = C;
    fn client<'a>(&self, c: &'a C, _: &str, _: &mut Diagnostics) -> Option<&'a C> {
        Some(c)
    }
    fn client_quietly<'a>(&self, c: &'a C) -> Option<&'a C> {
        Some(c)
    }
}

/// Registers a typed resource with the engine, called with its own client.
pub fn resource<R: Resource>(r: R) -> Arc<dyn DynResource<R::Client>> {
    resource_with(r, Direct)
}

/// Registers a typed data source with the engine, called with its own client.
pub fn data_source<D: DataSource>(d: D) -> Arc<dyn DynDataSource<D::Client>> {
    data_source_with(d, Direct)
}

/// Registers a typed ephemeral resource with the engine, called with its own client.
pub fn ephemeral_resource<E: EphemeralResource>(e: E) -> Arc<dyn DynEphemeralResource<E::Client>> {
    ephemeral_resource_with(e, Direct)
}

/// Registers a typed list resource with the engine, called with its own client.
pub fn list_resource<L: ListResource>(l: L) -> Arc<dyn DynListResource<L::Client>> {
    list_resource_with(l, Direct)
}

/// A typed type `T`, its client found through `L`, with what the engine asks of every kind.
pub struct Typed<T, L> {
    inner: T,
    lens: L,
    schema: Schema,
    identity: Option<IdentitySchema>,
    ty: Type,
}

impl<T, L> Typed<T, L> {
    /// `inner` with its schema (and the type its values have) and its resource identity.
    pub fn new(inner: T, lens: L, schema: Schema, identity: Option<IdentitySchema>) -> Self {
        let ty = schema.ty();
        Typed {
            inner,
            lens,
            schema,
            identity,
            ty,
        }
    }

    fn typed<S: serde::de::DeserializeOwned>(
        &self,
        name: &str,
        v: &Value,
        what: &str,
        diags: &mut Diagnostics,
    ) -> Option<S> {
        to_typed(v, &self.ty)
            .map_err(|e| bridge_error(diags, name, what, e))
            .ok()
    }

    fn value<S: serde::Serialize>(
        &self,
        name: &str,
        s: Option<S>,
        what: &str,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        from_typed(&s?, &self.ty)
            .map_err(|e| bridge_error(diags, name, what, e))
            .ok()
    }
}

/// What every kind answers alike: its name, schema and validation, and (but for a list
/// resource) the plan-time check of the provider, the lens's first.
macro_rules! described {
    () => {
        fn type_name(&self) -> &'static str {
            self.inner.type_name()
        }
        fn schema(&self) -> &Schema {
            &self.schema
        }
        fn validate(&self, config: &Value, diags: &mut Diagnostics) {
            self.inner.validate(config, diags)
        }
    };
    (check_provider) => {
        fn check_provider(&self, c: &C, config: &Value, diags: &mut Diagnostics) {
            self.lens.check(c, self.inner.type_name(), config, diags);
            if let Some(client) = self.lens.client_quietly(c) {
                self.inner.check_provider(client, config, diags)
            }
        }
    };
    (checked) => {
        described!();
        described!(check_provider);
    };
}

/// A typed managed resource as the engine calls it.
pub fn resource_with<R: Resource, C, L>(r: R, lens: L) -> Arc<dyn DynResource<C>>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = R::Client>,
{
    let (schema, identity) = (r.schema(), r.identity());
    Arc::new(Typed::new(r, lens, schema, identity))
}

/// A typed data source as the engine calls it.
pub fn data_source_with<D: DataSource, C, L>(d: D, lens: L) -> Arc<dyn DynDataSource<C>>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = D::Client>,
{
    let schema = d.schema();
    Arc::new(Typed::new(d, lens, schema, None))
}

/// A typed ephemeral resource as the engine calls it.
pub fn ephemeral_resource_with<E: EphemeralResource, C, L>(
    e: E,
    lens: L,
) -> Arc<dyn DynEphemeralResource<C>>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = E::Client>,
{
    let schema = e.schema();
    Arc::new(Typed::new(e, lens, schema, None))
}

/// A typed list resource as the engine calls it.
pub fn list_resource_with<T: ListResource, C, L>(l: T, lens: L) -> Arc<dyn DynListResource<C>>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = T::Client>,
{
    let schema = l.schema();
    Arc::new(Typed::new(l, lens, schema, None))
}

#[async_trait]
impl<R: Resource, C, L> DynResource<C> for Typed<R, L>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = R::Client>,
{
    described!();
    fn identity(&self) -> Option<&IdentitySchema> {
        self.identity.as_ref()
    }
    fn modify_plan(&self, c: Option<&C>, change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
        let client = c.and_then(|c| self.lens.client_quietly(c));
        self.inner.modify_plan_with(client, change, diags)
    }
    fn guard_destroy(&self, _c: Option<&C>, prior: &Value, diags: &mut Diagnostics) {
        self.inner.guard_destroy(prior, diags)
    }
    described!(check_provider);
    async fn check_server(&self, c: &C, planned: &Value, diags: &mut Diagnostics) {
        if let Some(client) = self.lens.client(c, self.inner.type_name(), diags) {
            self.inner.check_server(client, planned, diags).await
        }
    }
    async fn create(&self, c: &C, planned: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let name = self.inner.type_name();
        let client = self.lens.client(c, name, diags)?;
        let planned = self.typed(name, planned, "planned state", diags)?;
        let out = self.inner.create(client, planned, diags).await;
        self.value(name, out, "new state", diags)
    }
    async fn read(&self, c: &C, current: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let name = self.inner.type_name();
        let client = self.lens.client(c, name, diags)?;
        let current = self.typed(name, current, "current state", diags)?;
        let out = self.inner.read(client, current, diags).await;
        self.value(name, out, "new state", diags)
    }
    async fn update(
        &self,
        c: &C,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let name = self.inner.type_name();
        let client = self.lens.client(c, name, diags)?;
        let prior = self.typed(name, prior, "prior state", diags)?;
        let planned = self.typed(name, planned, "planned state", diags)?;
        let out = self.inner.update(client, prior, planned, diags).await;
        self.value(name, out, "new state", diags)
    }
    async fn delete(&self, c: &C, prior: &Value, diags: &mut Diagnostics) {
        let name = self.inner.type_name();
        let Some(client) = self.lens.client(c, name, diags) else {
            return;
        };
        if let Some(prior) = self.typed(name, prior, "prior state", diags) {
            self.inner.delete(client, prior, diags).await
        }
    }
    async fn import(&self, c: &C, id: &str, diags: &mut Diagnostics) -> Option<Value> {
        let name = self.inner.type_name();
        let client = self.lens.client(c, name, diags)?;
        let out = self.inner.import(client, id, diags).await;
        self.value(name, out, "new state", diags)
    }
}

#[async_trait]
impl<D: DataSource, C, L> DynDataSource<C> for Typed<D, L>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = D::Client>,
{
    described!(checked);
    async fn read(&self, c: &C, config: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let name = self.inner.type_name();
        let client = self.lens.client(c, name, diags)?;
        let model = self.typed(name, config, "configuration", diags)?;
        let out = self.inner.read(client, model, diags).await;
        self.value(name, out, "result", diags)
    }
}

#[async_trait]
impl<E: EphemeralResource, C, L> DynEphemeralResource<C> for Typed<E, L>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = E::Client>,
{
    described!(checked);
    async fn open(&self, c: &C, config: &Value, diags: &mut Diagnostics) -> Option<OpenedValue> {
        let name = self.inner.type_name();
        let client = self.lens.client(c, name, diags)?;
        let model = self.typed(name, config, "configuration", diags)?;
        let opened = self.inner.open(client, model, diags).await?;
        let converted = serde_json::to_vec(&opened.private)
            .map_err(|e| ("private data", e.to_string()))
            .and_then(|p| {
                from_typed(&opened.result, &self.ty)
                    .map(|r| (r, p))
                    .map_err(|e| ("result", e))
            });
        match converted {
            Ok((result, private)) => Some(OpenedValue { result, private }),
            Err((what, e)) => {
                // Opened but unusable: release it now, Terraform will never close it.
                bridge_error(diags, name, what, e);
                self.inner.close(client, opened.private, diags).await;
                None
            }
        }
    }
    async fn close(&self, c: &C, private: &[u8], diags: &mut Diagnostics) {
        let name = self.inner.type_name();
        let Some(client) = self.lens.client(c, name, diags) else {
            return;
        };
        match serde_json::from_slice::<E::Private>(private) {
            Ok(p) => self.inner.close(client, p, diags).await,
            Err(e) => diags.error(
                "Invalid private data from Terraform",
                format!(
                    "{name}: the data kept since open could not be read ({e}); nothing was closed."
                ),
            ),
        }
    }
}

#[async_trait]
impl<T: ListResource, C, L> DynListResource<C> for Typed<T, L>
where
    C: Send + Sync + 'static,
    L: Lens<C, Client = T::Client>,
{
    described!();
    async fn list(
        &self,
        c: &C,
        config: &Value,
        state_ty: &Type,
        diags: &mut Diagnostics,
    ) -> Vec<(String, Value)> {
        let name = self.inner.type_name();
        let Some(client) = self.lens.client(c, name, diags) else {
            return Vec::new();
        };
        let Some(config) = self.typed(name, config, "list configuration", diags) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in self.inner.list(client, config, diags).await {
            match from_typed(&item.state, state_ty) {
                Ok(v) => out.push((item.display_name, v)),
                Err(e) => bridge_error(diags, name, "listed object", e),
            }
        }
        out
    }
}

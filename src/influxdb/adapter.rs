//! The one adapter between the engine and a family's resources: it turns a resource written
//! against its family's client (`Resource<Client = ManagementClient>`) into one the engine can
//! call with the configured provider ([`Connection`]). Before any call it fetches that client,
//! and at plan time it refuses a resource of another family ([`Connection::check`]). This is
//! the only place where the provider's family meets a resource.

use std::sync::Arc;

use async_trait::async_trait;

use super::connection::Connection;
pub use super::connection::FamilyClient;
use super::family::FamilyName;
use crate::engine::ephemeral::{DynEphemeralResource, OpenedValue};
use crate::engine::identity::IdentitySchema;
use crate::engine::list::DynListResource;
use crate::engine::resource::{DynDataSource, DynResource};
use crate::engine::{Diagnostics, PlanChange, Schema, Type, Value};

/// A family's resource (or data source, ...) `T`, served through the configured provider.
pub struct Adapted<T: ?Sized> {
    pub(super) family: &'static FamilyName,
    pub(super) inner: Arc<T>,
}

#[async_trait]
impl<X: FamilyClient> DynResource<Connection> for Adapted<dyn DynResource<X>> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        self.inner.schema()
    }
    fn identity(&self) -> Option<&IdentitySchema> {
        self.inner.identity()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.inner.validate(config, diags)
    }
    fn modify_plan(
        &self,
        c: Option<&Connection>,
        change: &mut PlanChange<'_>,
        diags: &mut Diagnostics,
    ) {
        let client = c.and_then(|c| c.client_quietly::<X>(self.family));
        self.inner.modify_plan(client, change, diags)
    }
    fn guard_destroy(&self, c: Option<&Connection>, prior: &Value, diags: &mut Diagnostics) {
        let client = c.and_then(|c| c.client_quietly::<X>(self.family));
        self.inner.guard_destroy(client, prior, diags)
    }
    fn check_provider(&self, c: &Connection, config: &Value, diags: &mut Diagnostics) {
        c.check::<X>(self.family, self.inner.type_name(), config, diags)
    }
    async fn check_server(&self, c: &Connection, planned: &Value, diags: &mut Diagnostics) {
        if let Some(client) = c.client_for::<X>(self.family, self.inner.type_name(), diags) {
            self.inner.check_server(client, planned, diags).await
        }
    }
    async fn create(
        &self,
        c: &Connection,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let client = c.client_for::<X>(self.family, self.inner.type_name(), diags)?;
        self.inner.create(client, planned, diags).await
    }
    async fn read(
        &self,
        c: &Connection,
        current: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let client = c.client_for::<X>(self.family, self.inner.type_name(), diags)?;
        self.inner.read(client, current, diags).await
    }
    async fn update(
        &self,
        c: &Connection,
        prior: &Value,
        planned: &Value,
        diags: &mut Diagnostics,
    ) -> Option<Value> {
        let client = c.client_for::<X>(self.family, self.inner.type_name(), diags)?;
        self.inner.update(client, prior, planned, diags).await
    }
    async fn delete(&self, c: &Connection, prior: &Value, diags: &mut Diagnostics) {
        if let Some(client) = c.client_for::<X>(self.family, self.inner.type_name(), diags) {
            self.inner.delete(client, prior, diags).await
        }
    }
    async fn import(&self, c: &Connection, id: &str, diags: &mut Diagnostics) -> Option<Value> {
        let client = c.client_for::<X>(self.family, self.inner.type_name(), diags)?;
        self.inner.import(client, id, diags).await
    }
}

#[async_trait]
impl<X: FamilyClient> DynDataSource<Connection> for Adapted<dyn DynDataSource<X>> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        self.inner.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.inner.validate(config, diags)
    }
    fn check_provider(&self, c: &Connection, config: &Value, diags: &mut Diagnostics) {
        c.check::<X>(self.family, self.inner.type_name(), config, diags)
    }
    async fn read(&self, c: &Connection, config: &Value, diags: &mut Diagnostics) -> Option<Value> {
        let client = c.client_for::<X>(self.family, self.inner.type_name(), diags)?;
        self.inner.read(client, config, diags).await
    }
}

#[async_trait]
impl<X: FamilyClient> DynEphemeralResource<Connection> for Adapted<dyn DynEphemeralResource<X>> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        self.inner.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.inner.validate(config, diags)
    }
    fn check_provider(&self, c: &Connection, config: &Value, diags: &mut Diagnostics) {
        c.check::<X>(self.family, self.inner.type_name(), config, diags)
    }
    async fn open(
        &self,
        c: &Connection,
        config: &Value,
        diags: &mut Diagnostics,
    ) -> Option<OpenedValue> {
        let client = c.client_for::<X>(self.family, self.inner.type_name(), diags)?;
        self.inner.open(client, config, diags).await
    }
    async fn close(&self, c: &Connection, private: &[u8], diags: &mut Diagnostics) {
        if let Some(client) = c.client_for::<X>(self.family, self.inner.type_name(), diags) {
            self.inner.close(client, private, diags).await
        }
    }
}

#[async_trait]
impl<X: FamilyClient> DynListResource<Connection> for Adapted<dyn DynListResource<X>> {
    fn type_name(&self) -> &'static str {
        self.inner.type_name()
    }
    fn schema(&self) -> &Schema {
        self.inner.schema()
    }
    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        self.inner.validate(config, diags)
    }
    async fn list(
        &self,
        c: &Connection,
        config: &Value,
        state_ty: &Type,
        diags: &mut Diagnostics,
    ) -> Vec<(String, Value)> {
        match c.client_for::<X>(self.family, self.inner.type_name(), diags) {
            Some(client) => self.inner.list(client, config, state_ty, diags).await,
            None => Vec::new(),
        }
    }
}

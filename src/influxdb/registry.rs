//! What an API family does to join the provider: the [`Family`] trait (its name, settings, how a
//! provider block of it is configured into a client, and what it registers) and the
//! [`Registry`] its types are registered in. The families are listed once, in
//! [`super::products::FAMILIES`]; everything that depends on the products (the provider schema,
//! which family a provider block talks to, the "which settings does each product need" error,
//! the docs' product tables) is derived from that list.
//!
//! A resource names the client it needs through its `Client` type (for example
//! `ManagementClient`); [`Registry`] bridges it to the engine with the
//! [`super::connection::ClientOf`] lens, which fetches that client from the configured provider
//! or says why it cannot, and serves every type name through one [`super::dispatch`] of the
//! families that register it. Resource code never looks at which product is configured.

use std::collections::HashMap;
use std::sync::Arc;

use tokio_util::sync::CancellationToken;

use super::connection::{ClientOf, FamilyClient};
use super::dispatch::{Described, Dispatch, Served};
use super::family::{Connected, FamilyName, Setting, Settings};
use super::Connection;
use crate::engine::bridge::{
    data_source_with, ephemeral_resource_with, list_resource_with, resource_with,
};
use crate::engine::ephemeral::{DynEphemeralResource, EphemeralResource};
use crate::engine::list::{DynListResource, ListResource};
use crate::engine::resource::{DataSource, DynDataSource, DynResource};
use crate::engine::{Diagnostics, Resource, Value};

/// An InfluxDB API family: a folder under `src/influxdb/` and one line in
/// [`super::products::FAMILIES`].
pub trait Family: Send + Sync + 'static {
    /// What the family is called.
    fn name(&self) -> &'static FamilyName;
    fn settings(&self) -> &'static [Setting];
    /// Cross-setting checks at validate time (values may be unknown or come from the
    /// environment later).
    fn validate(&self, _config: &Value, _diags: &mut Diagnostics) {}
    /// Builds the client. `None` (with errors in `diags`) when the settings are wrong;
    /// `Some(Err(..))` when the client cannot be made yet (a missing token) but plans may
    /// proceed.
    fn configure(
        &self,
        settings: &Settings,
        stop: CancellationToken,
        diags: &mut Diagnostics,
    ) -> Option<Connected>;
    /// Adds the family's resources, data sources, ephemeral and list resources.
    fn register(&self, registry: &mut Registry);
}

/// What every family offers, each type served through a [`Dispatch`] of the families that
/// register it.
#[derive(Default)]
pub struct Registry {
    family: Option<&'static dyn Family>,
    registered: Registered,
    pub resources: Vec<Arc<dyn DynResource<Connection>>>,
    pub data_sources: Vec<Arc<dyn DynDataSource<Connection>>>,
    pub ephemeral_resources: Vec<Arc<dyn DynEphemeralResource<Connection>>>,
    pub list_resources: Vec<Arc<dyn DynListResource<Connection>>>,
}

/// What the families registered, before same-named types are joined.
#[derive(Default)]
struct Registered {
    resources: Vec<Served<dyn DynResource<Connection>>>,
    data_sources: Vec<Served<dyn DynDataSource<Connection>>>,
    ephemeral_resources: Vec<Served<dyn DynEphemeralResource<Connection>>>,
    list_resources: Vec<Served<dyn DynListResource<Connection>>>,
}

/// The types of `served` in registration order, one [`Dispatch`] per name (a provider bug, such
/// as two types of one name declaring an attribute differently, stops the provider at start
/// with the reason).
fn join<T: ?Sized + Described>(
    served: Vec<Served<T>>,
    name: impl Fn(&T) -> &'static str,
    dispatch: impl Fn(Dispatch<T>) -> Arc<T>,
) -> Vec<Arc<T>> {
    let mut names: Vec<&'static str> = Vec::new();
    let mut groups: HashMap<&'static str, Vec<Served<T>>> = HashMap::new();
    for s in served {
        let n = name(&s.item);
        if !groups.contains_key(n) {
            names.push(n);
        }
        groups.entry(n).or_default().push(s);
    }
    names
        .into_iter()
        .map(
            |n| match Dispatch::new(n, groups.remove(n).unwrap_or_default()) {
                Ok(d) => dispatch(d),
                Err(e) => panic!("provider bug: {e}"),
            },
        )
        .collect()
}

impl Registry {
    fn family(&self) -> &'static FamilyName {
        self.family
            .expect("a family registers inside Registry::of_families")
            .name()
    }

    /// `item`, served by the family registering.
    fn served<T: ?Sized>(&self, item: Arc<T>) -> Served<T> {
        Served {
            family: self.family(),
            item,
        }
    }

    /// How a type of the family registering gets its client `X`.
    fn lens<X>(&self) -> ClientOf<X> {
        ClientOf::new(self.family())
    }

    /// Everything the families of `families` offer.
    pub fn of_families(families: &[&'static dyn Family]) -> Registry {
        let mut r = Registry::default();
        for f in families {
            r.family = Some(*f);
            f.register(&mut r);
        }
        let Registered {
            resources,
            data_sources,
            ephemeral_resources,
            list_resources,
        } = std::mem::take(&mut r.registered);
        r.resources = join(resources, |x| x.type_name(), |d| Arc::new(d));
        r.data_sources = join(data_sources, |x| x.type_name(), |d| Arc::new(d));
        r.ephemeral_resources = join(ephemeral_resources, |x| x.type_name(), |d| Arc::new(d));
        r.list_resources = join(list_resources, |x| x.type_name(), |d| Arc::new(d));
        r.family = None;
        r
    }

    pub fn resource<R: Resource>(&mut self, r: R)
    where
        R::Client: FamilyClient,
    {
        let item = self.served(resource_with(r, self.lens()));
        self.registered.resources.push(item);
    }

    pub fn data_source<D: DataSource>(&mut self, d: D)
    where
        D::Client: FamilyClient,
    {
        let item = self.served(data_source_with(d, self.lens()));
        self.registered.data_sources.push(item);
    }

    pub fn ephemeral_resource<E: EphemeralResource>(&mut self, e: E)
    where
        E::Client: FamilyClient,
    {
        let item = self.served(ephemeral_resource_with(e, self.lens()));
        self.registered.ephemeral_resources.push(item);
    }

    pub fn list_resource<L: ListResource>(&mut self, l: L)
    where
        L::Client: FamilyClient,
    {
        let item = self.served(list_resource_with(l, self.lens()));
        self.registered.list_resources.push(item);
    }
}

//! What a configured provider block holds: the API family it talks to and that family's client
//! (or why there is none), how a resource of another family is refused, in words that say
//! which settings each product needs, and the [`ClientOf`] lens through which a family's typed
//! resources get their client from it.

use std::any::Any;
use std::marker::PhantomData;

use super::family::{Connected, FamilyName};
use crate::engine::bridge::Lens;
use crate::engine::{Diagnostic, Diagnostics, Value};

/// A client type that an API family hands to its resources.
pub trait FamilyClient: Any + Send + Sync {
    /// Plan-time checks of a configuration that depend on how the provider block is set up
    /// (for example a resource without `org_id` under an InfluxDB v2 provider block without a
    /// default organization). Called before any API call.
    fn check_config(&self, _config: &Value, _diags: &mut Diagnostics) {}
}

/// The configured provider: one family and its client.
pub struct Connection {
    family: &'static FamilyName,
    client: Connected,
    /// What each product needs, for the errors that refuse a resource of another family.
    products_help: String,
}

impl Connection {
    pub fn new(family: &'static FamilyName, client: Connected, products_help: String) -> Self {
        Connection {
            family,
            client,
            products_help,
        }
    }

    /// The sentence that says what each product needs.
    pub fn products_help(&self) -> &str {
        &self.products_help
    }

    /// The family this provider block talks to.
    pub fn family(&self) -> &'static FamilyName {
        self.family
    }

    /// The client of `wanted`, the family `type_name` belongs to; records why there is none.
    pub fn client_for<X: FamilyClient>(
        &self,
        wanted: &'static FamilyName,
        type_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&X> {
        if self.family.key != wanted.key {
            diags.push(mismatch(type_name, wanted, self));
            return None;
        }
        match &self.client {
            Err(d) => {
                diags.push(d.clone());
                None
            }
            Ok(c) => {
                let found = c.downcast_ref::<X>();
                if found.is_none() {
                    diags.error(
                        "Provider internal error",
                        format!("{type_name} asks for a client that the {} family does not make. This is a bug in the provider.", wanted.key),
                    );
                }
                found
            }
        }
    }

    /// The client of `wanted`, if this provider block has one, without saying why not.
    pub fn client_quietly<X: FamilyClient>(&self, wanted: &'static FamilyName) -> Option<&X> {
        if self.family.key != wanted.key {
            return None;
        }
        self.client.as_ref().ok()?.downcast_ref::<X>()
    }
}

/// The error for a resource of family `wanted` under a provider block of `configured`.
pub fn mismatch(what: &str, wanted: &FamilyName, configured: &Connection) -> Diagnostic {
    Diagnostic::error(
        "Resource and provider are for different InfluxDB products",
        format!(
            "{what} belongs to {}, but this provider block is configured for {}. {}",
            wanted.title, configured.family.configured_as, configured.products_help
        ),
    )
}

/// The client `X` of `family`, found in the configured provider: how the engine's typed bridge
/// hands a family's resource its client.
pub struct ClientOf<X> {
    family: &'static FamilyName,
    client: PhantomData<fn() -> X>,
}

impl<X> ClientOf<X> {
    pub fn new(family: &'static FamilyName) -> Self {
        ClientOf {
            family,
            client: PhantomData,
        }
    }
}

impl<X: FamilyClient> Lens<Connection> for ClientOf<X> {
    type Client = X;
    fn client<'a>(
        &self,
        c: &'a Connection,
        type_name: &str,
        diags: &mut Diagnostics,
    ) -> Option<&'a X> {
        c.client_for::<X>(self.family, type_name, diags)
    }
    fn client_quietly<'a>(&self, c: &'a Connection) -> Option<&'a X> {
        c.client_quietly::<X>(self.family)
    }
    /// The family's own plan-time checks of a configuration (`FamilyClient::check_config`).
    /// Whether this family serves the type at all is the dispatch's to say, before this.
    fn check(&self, c: &Connection, _type_name: &str, config: &Value, diags: &mut Diagnostics) {
        if let Some(client) = self.client_quietly(c) {
            client.check_config(config, diags)
        }
    }
}

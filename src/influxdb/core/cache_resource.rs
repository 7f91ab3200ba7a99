//! The life of a cache resource, written once for the last-value and the distinct-value cache
//! (a [`CacheKind`] each): what locates a cache (its database, table and name), the read-back
//! after a create, refresh, delete and import, all from the database's `system.{kind}s` table.

use std::marker::PhantomData;

use async_trait::async_trait;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::cache::{capitalise, create_failed, identity, split_import_id, whole_seconds};
use super::client::CoreClient;
use super::database::validate_name as validate_database_name;
use crate::engine::identity::IdentitySchema;
use crate::engine::schema::{validators, Attribute};
use crate::engine::{AttributePath, Diagnostics, OrError, Resource, Schema, Type, Value};
use crate::influxdb::http::{gone_is_ok, CreateError};

/// What tells one kind of cache from the other; [`CacheResource`] is the resource of a kind.
pub trait CacheKind: Send + Sync + 'static {
    /// The Terraform type.
    const TYPE: &'static str;
    /// The API's name of the kind: `/api/v3/configure/{API}` and `system.{API}s`.
    const API: &'static str;
    /// The kind in words (`"last-value cache"`).
    const WHAT: &'static str;
    /// The resource's description.
    const DESCRIPTION: &'static str;
    /// The server's default name, in words (for `name`'s description).
    const DEFAULT_NAME: &'static str;
    /// A row of `system.{API}s`.
    type Row: DeserializeOwned + Send + Sync;
    /// The resource's state.
    type State: Serialize + DeserializeOwned + Send + Sync;
    /// The create's body.
    type Body: Serialize + Send + Sync;
    /// The kind's own attributes (after `database`, `table` and `name`).
    fn attributes() -> Vec<Attribute>;
    /// Where the cache a state describes is.
    fn at(state: &Self::State) -> &CacheAt;
    /// The create's body for `planned` (`None`, with why, when it cannot be made).
    fn body(planned: &Self::State, diags: &mut Diagnostics) -> Option<Self::Body>;
    /// The table and name of the cache a row shows.
    fn key(row: &Self::Row) -> (&str, &str);
    /// The state of the cache `row` shows in `database`, keeping the text `current` wrote for
    /// the same duration.
    fn state_from_row(
        database: &str,
        current: Option<&Self::State>,
        row: &Self::Row,
    ) -> Self::State;
}

/// The resource of the cache kind `K`.
pub struct CacheResource<K>(PhantomData<fn() -> K>);

impl<K> CacheResource<K> {
    pub fn new() -> Self {
        CacheResource(PhantomData)
    }
}

impl<K> Default for CacheResource<K> {
    fn default() -> Self {
        Self::new()
    }
}

/// `database` and `table` (they locate the cache) and `name`: a change of any replaces it.
fn location_attributes(default_name: &str) -> [Attribute; 3] {
    [
        Attribute::required("database", Type::String)
            .describe("The database's name; refer to `influxdb_database.<name>.name` so that Terraform creates the database first. A change replaces the cache.")
            .validate_str("Invalid database name", validate_database_name)
            .requires_replace(),
        Attribute::required("table", Type::String)
            .describe("The table's name; refer to `influxdb_table.<name>.name` so that the table (and its columns) exists first. A change replaces the cache.")
            .validate_str("Invalid table name", validators::not_empty)
            .requires_replace(),
        Attribute::optional_computed("name", Type::String)
            .describe(&format!("The cache's name, unique in its table. Unset: the server's default, {default_name}, read back after create. A change replaces the cache."))
            .validate_str("Invalid name", validators::not_empty)
            .requires_replace(),
    ]
}

#[async_trait]
impl<K: CacheKind> Resource for CacheResource<K> {
    type Client = CoreClient;
    type State = K::State;

    fn type_name(&self) -> &'static str {
        K::TYPE
    }

    fn schema(&self) -> Schema {
        let mut attributes = Vec::from(location_attributes(K::DEFAULT_NAME));
        attributes.extend(K::attributes());
        Schema::new(K::DESCRIPTION, attributes)
    }

    fn identity(&self) -> Option<IdentitySchema> {
        Some(identity())
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: K::State,
        diags: &mut Diagnostics,
    ) -> Option<K::State> {
        let body = K::body(&planned, diags)?;
        create::<K>(client, K::at(&planned), &body, &planned, diags).await
    }

    async fn read(
        &self,
        client: &CoreClient,
        current: K::State,
        diags: &mut Diagnostics,
    ) -> Option<K::State> {
        read::<K>(client, K::at(&current), &current, diags).await
    }

    async fn update(
        &self,
        _client: &CoreClient,
        _prior: K::State,
        planned: K::State,
        _diags: &mut Diagnostics,
    ) -> Option<K::State> {
        // Every attribute replaces the cache: nothing changes in place.
        Some(planned)
    }

    async fn delete(&self, client: &CoreClient, prior: K::State, diags: &mut Diagnostics) {
        delete::<K>(client, K::at(&prior), diags).await
    }

    async fn import(
        &self,
        client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<K::State> {
        import::<K>(client, id, diags).await
    }
}

/// A validator of a whole number of at least 1 (`max_cardinality`, `value_count`).
pub fn at_least_one(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    if v.as_number()
        .is_some_and(|n| n.as_i64().is_none_or(|n| n < 1))
    {
        let name = path.to_string();
        diags.attribute_error(
            path.clone(),
            format!("Invalid {name}"),
            format!("{name} must be a whole number, at least 1."),
        );
    }
}

/// Column names: none empty, none twice.
pub fn validate_column_names(v: &Value, path: &AttributePath, diags: &mut Diagnostics) {
    let elements = v.elements().unwrap_or_default();
    let names: Vec<&str> = elements.iter().filter_map(Value::as_str).collect();
    for (i, n) in names.iter().enumerate() {
        if n.is_empty() {
            diags.attribute_error(
                path.clone(),
                "Invalid column name",
                "A column name is empty.",
            );
        } else if names[..i].contains(n) {
            diags.attribute_error(
                path.clone(),
                "Duplicate column",
                format!("The column {n:?} is listed twice."),
            );
        }
    }
}

/// A planned duration attribute (`ttl`, `max_age`) in the API's whole seconds; `None` (with
/// the attribute named) when it is not one.
pub fn seconds_of(
    attribute: &str,
    text: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Option<u64>> {
    text.map(whole_seconds).transpose().or_attribute_error(
        diags,
        attribute,
        format!("Invalid {attribute}"),
    )
}

/// What locates a cache: its database, table and name (flattened into each kind's state).
#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct CacheAt {
    pub database: Option<String>,
    pub table: Option<String>,
    pub name: Option<String>,
}

impl CacheAt {
    /// The cache `(table, name)` of `database`.
    pub fn new(database: &str, (table, name): (&str, &str)) -> Self {
        CacheAt {
            database: Some(database.to_owned()),
            table: Some(table.to_owned()),
            name: Some(name.to_owned()),
        }
    }

    /// The database, table and name, empty where unset.
    pub fn key(&self) -> (&str, &str, &str) {
        fn text(s: &Option<String>) -> &str {
            s.as_deref().unwrap_or_default()
        }
        (text(&self.database), text(&self.table), text(&self.name))
    }
}

fn find<'a, K: CacheKind>(rows: &'a [K::Row], table: &str, name: &str) -> Option<&'a K::Row> {
    rows.iter().find(|r| K::key(r) == (table, name))
}

/// Creates the cache `body` describes and reads it back: the state, or `None` with why.
async fn create<K: CacheKind>(
    client: &CoreClient,
    at: &CacheAt,
    body: &K::Body,
    planned: &K::State,
    diags: &mut Diagnostics,
) -> Option<K::State> {
    let what = K::WHAT;
    let (database, table, _) = at.key();
    let planned_name = at.name.as_deref();
    let answer: Result<Option<String>, CreateError> = client.create_cache(K::API, body).await;
    let named = match answer {
        Ok(n) => n.or_else(|| planned_name.map(str::to_owned)),
        Err(e) => {
            create_failed(what, database, table, planned_name, &e, diags);
            return None;
        }
    };
    let Some(name) = named else {
        diags.error(
            format!("Creating the {what} failed"),
            format!("The server created a {what} on {table:?} of {database:?} but its answer does not name it. Set `name`, delete that cache (or import it) and apply again."),
        );
        return None;
    };
    match client.caches::<K::Row>(K::API, database).await {
        Ok(rows) => match find::<K>(&rows, table, &name) {
            Some(row) => Some(K::state_from_row(database, Some(planned), row)),
            None => {
                diags.error(
                    format!("Creating the {what} failed"),
                    format!("The server answered that it created the {what} {name:?} on {table:?}, but {database:?}'s system.{}s does not show it.", K::API),
                );
                None
            }
        },
        Err(e) => {
            diags.error(format!("Reading the new {what} failed"), format!("{e}\n\nThe cache {name:?} was created; import it (terraform import ADDRESS {database}:{table}:{name}) once the server answers."));
            None
        }
    }
}

/// Refresh: the cache as the server shows it, or `None` (with a warning) when it, or its
/// database, is gone.
async fn read<K: CacheKind>(
    client: &CoreClient,
    at: &CacheAt,
    current: &K::State,
    diags: &mut Diagnostics,
) -> Option<K::State> {
    let what = K::WHAT;
    let (database, table, name) = at.key();
    let gone = |diags: &mut Diagnostics| {
        diags.warning(
            format!("{} deleted outside Terraform", capitalise(what)),
            format!("The {what} {name:?} of the table {table:?} in {database:?} no longer exists. It is removed from the state and the next apply creates it again."),
        );
        None
    };
    match client.caches::<K::Row>(K::API, database).await {
        Ok(rows) => match find::<K>(&rows, table, name) {
            Some(row) => Some(K::state_from_row(database, Some(current), row)),
            None => gone(diags),
        },
        Err(e) if e.is_not_found() => gone(diags),
        Err(e) => {
            diags.error(format!("Reading the {what} failed"), e.to_string());
            None
        }
    }
}

/// Deletes the cache; one already gone is deleted.
async fn delete<K: CacheKind>(client: &CoreClient, at: &CacheAt, diags: &mut Diagnostics) {
    let (database, table, name) = at.key();
    let _ = gone_is_ok(client.delete_cache(K::API, database, table, name).await)
        .or_error(diags, format!("Deleting the {} failed", K::WHAT));
}

/// Import by `DATABASE:TABLE:NAME`.
async fn import<K: CacheKind>(
    client: &CoreClient,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<K::State> {
    let what = K::WHAT;
    let (database, table, name) = split_import_id(id, what, diags)?;
    let summary = format!("Importing the {what} failed");
    let rows = client
        .caches::<K::Row>(K::API, database)
        .await
        .or_error(diags, &summary)?;
    let found = find::<K>(&rows, table, name).map(|row| K::state_from_row(database, None, row));
    if found.is_none() {
        diags.error(
            summary,
            format!("The table {table:?} of {database:?} has no {what} named {name:?}."),
        );
    }
    found
}

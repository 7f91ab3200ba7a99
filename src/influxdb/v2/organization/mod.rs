//! An InfluxDB v2 organization: its state, shared by its resource and data source.

pub mod data_source;
pub mod resource;

use serde::{Deserialize, Serialize};

use super::models::Organization;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct OrganizationState {
    pub id: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
}

/// The state of an organization as the API describes it (an empty description is null).
pub fn state_from(o: Organization) -> OrganizationState {
    OrganizationState {
        id: Some(o.id),
        name: Some(o.name),
        description: o.description.filter(|d| !d.is_empty()),
    }
}

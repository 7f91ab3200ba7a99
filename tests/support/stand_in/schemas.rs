//! The resource schemas of the providers the stand-in plays, copied attribute by attribute
//! from their public schema code at the newest release we could read (types, optional,
//! computed, sensitive; no validation: the stand-in never checks a configuration).
//! terraform-plugin-sdk v2 blocks (`slcp/influxdb-v2`) are served as nested attributes of the
//! same nesting: their state JSON is the same.

use terraform_provider_influxdb::engine::schema::Nesting;
use terraform_provider_influxdb::engine::types::Type;
use terraform_provider_influxdb::engine::{Attribute, Schema};

/// One source provider: its address and its resource types.
pub struct Source {
    pub address: &'static str,
    pub resources: fn() -> Vec<(&'static str, Schema)>,
}

/// `STAND_IN_SOURCE` picks one of these by address.
pub const SOURCES: &[Source] = &[
    Source {
        address: "registry.terraform.io/komminarlabs/influxdb3",
        resources: influxdb3,
    },
    Source {
        address: "registry.terraform.io/komminarlabs/influxdb",
        resources: komminarlabs_influxdb,
    },
    Source {
        address: "registry.terraform.io/slcp/influxdb-v2",
        resources: slcp_influxdb_v2,
    },
];

fn s(name: &str) -> Attribute {
    Attribute::computed(name, Type::String)
}

/// komminarlabs/influxdb3 v1.5.0 (`internal/provider/database_resource.go`, `token_resource.go`).
fn influxdb3() -> Vec<(&'static str, Schema)> {
    let part = || {
        vec![
            Attribute::required("type", Type::String),
            Attribute::required("value", Type::String),
        ]
    };
    let database = Schema::new(
        "komminarlabs/influxdb3 influxdb3_database",
        vec![
            s("account_id"),
            s("cluster_id"),
            Attribute::required("name", Type::String),
            Attribute::optional_computed("max_tables", Type::Number),
            Attribute::optional_computed("max_columns_per_table", Type::Number),
            Attribute::optional_computed("retention_period", Type::Number),
            Attribute::optional_computed("partition_template", Type::Dynamic)
                .nested(Nesting::List, part()),
        ],
    );
    let token = Schema::new(
        "komminarlabs/influxdb3 influxdb3_token",
        vec![
            s("access_token").sensitive(),
            s("account_id"),
            s("created_at"),
            s("cluster_id"),
            Attribute::required("description", Type::String),
            Attribute::optional("expires_at", Type::String),
            s("id"),
            Attribute::required("permissions", Type::Dynamic).nested(
                Nesting::List,
                vec![
                    Attribute::required("action", Type::String),
                    Attribute::required("resource", Type::String),
                ],
            ),
        ],
    );
    vec![("influxdb3_database", database), ("influxdb3_token", token)]
}

/// komminarlabs/influxdb v1.4.1 (`internal/provider/*_resource.go`).
fn komminarlabs_influxdb() -> Vec<(&'static str, Schema)> {
    let authorization = Schema::new(
        "komminarlabs/influxdb influxdb_authorization",
        vec![
            s("id"),
            s("token").sensitive(),
            Attribute::optional_computed("status", Type::String),
            Attribute::optional_computed("description", Type::String),
            Attribute::required("org_id", Type::String),
            s("org"),
            Attribute::optional("user_id", Type::String),
            Attribute::optional("user", Type::String),
            s("created_at"),
            s("updated_at"),
            Attribute::required("permissions", Type::Dynamic).nested(
                Nesting::List,
                vec![
                    Attribute::required("action", Type::String),
                    Attribute::required("resource", Type::Dynamic).nested(
                        Nesting::Single,
                        vec![
                            Attribute::optional("id", Type::String),
                            s("name"),
                            Attribute::optional_computed("org", Type::String),
                            Attribute::optional_computed("org_id", Type::String),
                            Attribute::required("type", Type::String),
                        ],
                    ),
                ],
            ),
        ],
    );
    let bucket = Schema::new(
        "komminarlabs/influxdb influxdb_bucket",
        vec![
            s("id"),
            Attribute::required("org_id", Type::String),
            Attribute::optional_computed("type", Type::String),
            Attribute::optional_computed("description", Type::String),
            Attribute::required("name", Type::String),
            s("created_at"),
            s("updated_at"),
            Attribute::optional_computed("retention_period", Type::Number),
        ],
    );
    let organization = Schema::new(
        "komminarlabs/influxdb influxdb_organization",
        vec![
            s("id"),
            Attribute::required("name", Type::String),
            Attribute::optional_computed("description", Type::String),
            s("created_at"),
            s("updated_at"),
        ],
    );
    let user = Schema::new(
        "komminarlabs/influxdb influxdb_user",
        vec![
            s("id"),
            Attribute::required("name", Type::String),
            Attribute::required("password", Type::String).sensitive(),
            Attribute::optional("org_id", Type::String),
            Attribute::optional("org_role", Type::String),
            Attribute::optional_computed("status", Type::String),
        ],
    );
    vec![
        ("influxdb_authorization", authorization),
        ("influxdb_bucket", bucket),
        ("influxdb_organization", organization),
        ("influxdb_user", user),
    ]
}

/// slcp/influxdb-v2 v0.5.3 (`influxdbv2/resource_create_buckets.go`,
/// `resource_create_authorization.go`); terraform-plugin-sdk v2 adds `id`.
fn slcp_influxdb_v2() -> Vec<(&'static str, Schema)> {
    let bucket = Schema::new(
        "slcp/influxdb-v2 influxdb-v2_bucket",
        vec![
            Attribute::optional_computed("id", Type::String),
            Attribute::optional("description", Type::String),
            Attribute::required("name", Type::String),
            Attribute::required("org_id", Type::String),
            Attribute::required("retention_rules", Type::Dynamic).nested(
                Nesting::Set,
                vec![
                    Attribute::required("every_seconds", Type::Number),
                    Attribute::optional("shard_group_duration_seconds", Type::Number),
                    Attribute::optional("type", Type::String),
                ],
            ),
            Attribute::optional("rp", Type::String),
            s("created_at"),
            s("updated_at"),
            s("type"),
        ],
    );
    let authorization = Schema::new(
        "slcp/influxdb-v2 influxdb-v2_authorization",
        vec![
            Attribute::optional_computed("id", Type::String),
            Attribute::required("org_id", Type::String),
            Attribute::optional("description", Type::String),
            Attribute::optional("status", Type::String),
            Attribute::required("permissions", Type::Dynamic).nested(
                Nesting::Set,
                vec![
                    Attribute::required("action", Type::String),
                    Attribute::required("resource", Type::Dynamic).nested(
                        Nesting::Set,
                        vec![
                            Attribute::required("id", Type::String),
                            Attribute::optional("org", Type::String),
                            Attribute::required("org_id", Type::String),
                            Attribute::required("type", Type::String),
                        ],
                    ),
                ],
            ),
            s("user_id"),
            s("user_org_id"),
            s("token").sensitive(),
        ],
    );
    vec![
        ("influxdb-v2_bucket", bucket),
        ("influxdb-v2_authorization", authorization),
    ]
}

//! The union a [`super::Dispatch`] makes of the schemas and identities of the families that
//! serve one type (the rules are in the parent module's doc): attributes by name, their
//! validators kept where every family refuses, the lowest minimum Terraform, the identity
//! attributes required only where every family requires them.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Described, Served};
use crate::engine::identity::{IdentityAttribute, IdentitySchema};
use crate::engine::schema::{Attribute, MinTerraform, Validator};
use crate::engine::{AttributePath, Diagnostics, Schema, Value};
use crate::influxdb::family::{product_names, FamilyName};

/// The union of the families' schemas (see the module doc).
pub(super) fn merge_schemas<T: ?Sized + Described>(
    type_name: &str,
    served: &[Served<T>],
) -> Result<(Schema, Vec<String>), String> {
    let mut merged: BTreeMap<String, (Attribute, Vec<&'static FamilyName>)> = BTreeMap::new();
    // Each family's validators of each attribute, in the order of `served`.
    let mut rules: BTreeMap<String, Vec<Vec<Validator>>> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut description = String::new();
    let mut version = 0;
    let mut min_terraform = served
        .first()
        .and_then(|s| s.item.described_schema().min_terraform.clone());
    for s in served {
        let schema = s.item.described_schema();
        version = version.max(schema.version);
        min_terraform = match (min_terraform, &schema.min_terraform) {
            (Some(a), Some(b)) => Some(lowest(a, b.clone())),
            _ => None,
        };
        if description.is_empty() {
            description = schema.description.clone();
        } else {
            description.push_str(&format!(
                "\n\nOn {}: {}",
                product_names(&[s.family]),
                schema.description
            ));
        }
        for a in &schema.attributes {
            rules
                .entry(a.name.clone())
                .or_default()
                .push(a.validators.clone());
            match merged.get_mut(&a.name) {
                Some((have, families)) => {
                    if have.ty != a.ty {
                        return Err(format!(
                            "{type_name}.{}: the {} family declares it as {:?}, another as {:?}",
                            a.name, s.family.key, a.ty, have.ty
                        ));
                    }
                    have.required &= a.required;
                    have.optional |= a.optional || a.required;
                    have.optional &= !have.required;
                    have.computed |= a.computed;
                    have.sensitive |= a.sensitive;
                    families.push(s.family);
                }
                None => {
                    order.push(a.name.clone());
                    merged.insert(a.name.clone(), (a.clone(), vec![s.family]));
                }
            }
        }
    }
    let shared: Vec<String> = order
        .iter()
        .filter(|n| merged.get(*n).is_some_and(|(_, f)| f.len() > 1))
        .cloned()
        .collect();
    let attributes = order
        .into_iter()
        .filter_map(|name| merged.remove(&name))
        .map(|(mut a, families)| {
            if families.len() > 1 {
                a.validators = every_family_refuses(rules.remove(&a.name).unwrap_or_default());
            }
            if families.len() < served.len() {
                // Declared by some families only: never required in the union.
                a.optional = a.optional || a.required;
                a.required = false;
                a.description = format!("{} Only on {}.", a.description, product_names(&families));
            }
            a
        })
        .collect();
    Ok((
        Schema {
            version,
            description,
            attributes,
            min_terraform,
        },
        shared,
    ))
}

/// The lower of two minimum Terraform versions.
fn lowest(a: MinTerraform, b: MinTerraform) -> MinTerraform {
    let v = |m: &MinTerraform| crate::engine::schema::parse_terraform_version(m.version);
    if v(&b) < v(&a) {
        b
    } else {
        a
    }
}

/// The union's rule for an attribute several families declare: a value is refused only when
/// every family refuses it (with the first family's words, and the other families' reasons
/// where they differ, since the product is not known yet); what only some families refuse is
/// refused at plan by the configured family's own rules (`check_arguments`).
fn every_family_refuses(families: Vec<Vec<Validator>>) -> Vec<Validator> {
    if families.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    vec![Arc::new(
        move |v: &Value, path: &AttributePath, diags: &mut Diagnostics| {
            let mut all: Vec<Diagnostics> = Vec::new();
            for rules in &families {
                let mut d = Diagnostics::default();
                for check in rules {
                    check(v, path, &mut d);
                }
                if !d.has_errors() {
                    return;
                }
                all.push(d);
            }
            let mut others: Vec<String> = Vec::new();
            for d in all.iter().skip(1).flat_map(|d| d.iter()) {
                let first_says = all[0].iter().any(|f| f.detail == d.detail);
                if !first_says && !others.contains(&d.detail) {
                    others.push(d.detail.clone());
                }
            }
            for (i, d) in all.first().iter().flat_map(|d| d.iter()).enumerate() {
                let mut d = d.clone();
                if i == 0 && !others.is_empty() {
                    d.detail = format!(
                        "{}\n\nOther InfluxDB products: {}",
                        d.detail,
                        others.join(" ")
                    );
                }
                diags.push(d);
            }
        },
    )]
}

/// The union of the families' identities (see the module doc).
pub(super) fn merge_identities<T: ?Sized + Described>(
    type_name: &str,
    served: &[Served<T>],
) -> Result<Option<IdentitySchema>, String> {
    let identities: Vec<&IdentitySchema> = served
        .iter()
        .filter_map(|s| s.item.described_identity())
        .collect();
    if identities.is_empty() {
        return Ok(None);
    }
    if identities.len() != served.len() {
        return Err(format!(
            "{type_name}: some families declare a resource identity and some do not"
        ));
    }
    let mut attributes: Vec<IdentityAttribute> = Vec::new();
    for id in &identities {
        for a in &id.attributes {
            let everywhere = identities.iter().all(|i| {
                i.attributes
                    .iter()
                    .any(|b| b.name == a.name && b.required_for_import)
            });
            match attributes.iter_mut().find(|b| b.name == a.name) {
                Some(_) => {}
                None => attributes.push(IdentityAttribute {
                    name: a.name.clone(),
                    description: a.description.clone(),
                    required_for_import: everywhere,
                }),
            }
        }
    }
    if served.len() > 1 && !attributes.iter().any(|a| a.required_for_import) {
        return Err(format!(
            "{type_name}: the families share no identity attribute required for import"
        ));
    }
    Ok(Some(IdentitySchema {
        version: identities.iter().map(|i| i.version).max().unwrap_or(0),
        attributes,
    }))
}

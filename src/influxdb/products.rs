//! The one table of InfluxDB products this provider serves, grouped by API family, and what is
//! derived from it: which family a provider block talks to, the error for settings of two
//! families, and the sentence that says what each product needs.
//!
//! Adding a product: add its folder under `src/influxdb/` implementing [`Family`] and one line
//! to [`FAMILIES`] (see CONTRIBUTING.md).

use super::family::{env, Settings};
use super::registry::{Family, Registry};
use super::{core, management, v1, v2};
use crate::engine::{AttributePath, Diagnostic, Diagnostics, Value};

/// Every API family, in the order the docs list them. With nothing configured anywhere, the
/// first family is assumed (InfluxDB 3 Cloud Dedicated, whose URL has a default).
///
/// Two families may declare a setting of the same name (`url`: the Management API's and
/// InfluxDB 1.x's), each with its own environment variable. Such a shared setting does not
/// tell the families apart: their other settings (configured, else in the environment) do,
/// and a shared setting with nothing else means the family listed last that declares it
/// (InfluxDB 1.x for `url`, whose provider block needed nothing more).
pub static FAMILIES: &[&dyn Family] = &[&management::Management, &v2::V2, &core::Core, &v1::V1];

/// Whether a family other than `family` declares a setting named `name`.
fn shared(family: &dyn Family, name: &str) -> bool {
    FAMILIES
        .iter()
        .filter(|f| f.name().key != family.name().key)
        .any(|f| f.settings().iter().any(|s| s.name == name))
}

/// The sentence every product mismatch ends with: what each product needs.
pub fn products_help() -> String {
    let names: Vec<_> = FAMILIES.iter().map(|f| f.name()).collect();
    super::family::products_help(&names)
}

/// The product table of the docs and README: every product, what its provider block needs, and
/// what it offers.
pub fn products_markdown() -> String {
    let mut out = String::from(
        "| product | provider block needs | resources | data sources | ephemeral resources | list resources (`terraform query`) |\n|---|---|---|---|---|---|\n",
    );
    let names = |v: Vec<&str>| {
        if v.is_empty() {
            "none".to_owned()
        } else {
            v.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    for f in FAMILIES {
        let r = Registry::of_families(&[*f]);
        for p in f.name().products {
            let has = |n: &&str| !p.lacks.contains(n);
            let resources = names(
                r.resources
                    .iter()
                    .map(|x| x.type_name())
                    .filter(has)
                    .collect(),
            );
            let data = names(
                r.data_sources
                    .iter()
                    .map(|x| x.type_name())
                    .filter(has)
                    .collect(),
            );
            let ephemeral = names(
                r.ephemeral_resources
                    .iter()
                    .map(|x| x.type_name())
                    .filter(has)
                    .collect(),
            );
            let list = names(
                r.list_resources
                    .iter()
                    .map(|x| x.type_name())
                    .filter(has)
                    .collect(),
            );
            out.push_str(&format!(
                "| {} | {} | {resources} | {data} | {ephemeral} | {list} |\n",
                p.name, p.needs
            ));
        }
    }
    out
}

/// The settings of `family` that select it, that no other family shares, and that are set in
/// `config`.
fn selecting_settings_set(family: &dyn Family, config: &Value) -> Vec<&'static str> {
    family
        .settings()
        .iter()
        .filter(|s| s.selects && !shared(family, s.name) && !config.attr(s.name).is_null())
        .map(|s| s.name)
        .collect()
}

/// Provider validation: settings of two families in one block, then each family's own checks.
pub fn validate(config: &Value, diags: &mut Diagnostics) {
    let set: Vec<(&dyn Family, Vec<&str>)> = FAMILIES
        .iter()
        .map(|f| (*f, selecting_settings_set(*f, config)))
        .filter(|(_, s)| !s.is_empty())
        .collect();
    if set.len() > 1 {
        let which: Vec<String> = set
            .iter()
            .map(|(f, s)| format!("{} configure {}", s.join(", "), f.name().title))
            .collect();
        diags.push(
            Diagnostic::error(
                "Provider settings of two InfluxDB products",
                format!("{}. {}", which.join(" and "), products_help()),
            )
            .at(AttributePath::root(set[1].1[0])),
        );
    }
    for f in FAMILIES {
        f.validate(config, diags);
    }
}

/// The family a provider block talks to: the one whose settings the configuration sets, else
/// the one whose environment variables are set, else the first. `None` (with an error) when
/// it cannot tell.
pub fn choose(settings: &Settings, diags: &mut Diagnostics) -> Option<&'static dyn Family> {
    let own = |f: &&'static dyn Family| {
        f.settings()
            .iter()
            .any(|s| s.selects && !shared(*f, s.name) && settings.configured(s.name).is_some())
    };
    let own_env = |f: &&'static dyn Family| {
        f.settings()
            .iter()
            .any(|s| s.selects && !shared(*f, s.name) && s.env.and_then(env).is_some())
    };
    let by_config: Vec<&'static dyn Family> = FAMILIES.iter().copied().filter(own).collect();
    match by_config.as_slice() {
        [one] => return Some(*one),
        [] => {}
        _ => {
            diags.error(
                "Provider settings of two InfluxDB products",
                format!(
                    "This provider block mixes settings of {}. {}",
                    titles(&by_config),
                    products_help()
                ),
            );
            return None;
        }
    }
    // Only settings several families share (`url`): the environment tells, else the last.
    let sharing: Vec<&'static dyn Family> = FAMILIES
        .iter()
        .copied()
        .filter(|f| {
            f.settings()
                .iter()
                .any(|s| s.selects && settings.configured(s.name).is_some())
        })
        .collect();
    if let Some(last) = sharing.last() {
        let by_env: Vec<&'static dyn Family> = sharing.iter().copied().filter(own_env).collect();
        return Some(match by_env.as_slice() {
            [one] => *one,
            _ => *last,
        });
    }
    let by_env: Vec<&'static dyn Family> = FAMILIES
        .iter()
        .copied()
        .filter(|f| {
            f.settings()
                .iter()
                .any(|s| s.selects && s.env.and_then(env).is_some())
        })
        .collect();
    match by_env.as_slice() {
        [one] => Some(*one),
        [] => Some(FAMILIES[0]),
        _ => {
            let vars: Vec<&str> = by_env
                .iter()
                .flat_map(|f| f.settings().iter())
                .filter(|s| s.selects)
                .filter_map(|s| s.env.filter(|e| env(e).is_some()))
                .collect();
            diags.error(
                "Environment of two InfluxDB products",
                format!(
                    "The provider block sets nothing, and the environment has variables of {} ({}), so it cannot tell which InfluxDB to use. Set the settings in the provider block. {}",
                    titles(&by_env),
                    vars.join(", "),
                    products_help()
                ),
            );
            None
        }
    }
}

fn titles(families: &[&'static dyn Family]) -> String {
    families
        .iter()
        .map(|f| f.name().title)
        .collect::<Vec<_>>()
        .join(" and ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_names_every_product_and_its_settings() {
        let help = products_help();
        for f in FAMILIES {
            for p in f.name().products {
                assert!(help.contains(p.name), "{}: {help}", p.name);
            }
            for s in f.settings().iter().filter(|s| s.selects) {
                assert!(help.contains(s.name), "{}: {help}", s.name);
            }
        }
        assert!(help.contains("alias"));
    }

    #[test]
    fn a_setting_name_two_families_share_has_one_kind_and_two_variables() {
        let mut seen: std::collections::HashMap<&str, &crate::influxdb::family::Setting> =
            std::collections::HashMap::new();
        for f in FAMILIES {
            let mut mine = std::collections::HashSet::new();
            for s in f.settings() {
                assert!(
                    mine.insert(s.name),
                    "{} declared twice by {}",
                    s.name,
                    f.name().key
                );
                if let Some(other) = seen.insert(s.name, s) {
                    assert_eq!(other.sensitive, s.sensitive, "{}", s.name);
                    assert_ne!(
                        other.env, s.env,
                        "{}: one variable for two families",
                        s.name
                    );
                }
            }
        }
    }
}

//! Guides: `templates/guides/NAME.md.tmpl` -> `docs/guides/NAME.md`, the registry's place for
//! pages that are not about one type (how to switch from another provider, ...).
//!
//! A guide is Markdown whose first line is its `# Title` (the page title in the front matter).
//! Its one placeholder, `{{ .Migrations }}`, is the table of the other providers' types this
//! provider reads (`influxdb::migrate::MIGRATIONS`), so the guide never lists a type the code
//! does not read, nor misses one. Anything else between `{{` and `}}` is an error.

use std::path::{Path, PathBuf};

use super::Generated;
use crate::influxdb::migrate::MIGRATIONS;

const MIGRATIONS_PLACEHOLDER: &str = "{{ .Migrations }}";

/// Every guide under `root/templates/guides`, rendered; the problems of every guide otherwise.
pub fn generate(root: &Path) -> Result<Vec<Generated>, Vec<String>> {
    let dir = Path::new("templates").join("guides");
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for name in super::list(&root.join(&dir)) {
        let template = dir.join(&name);
        let Some(stem) = name.strip_suffix(".md.tmpl") else {
            problems.push(format!(
                "{}: a guide's template ends in .md.tmpl",
                template.display()
            ));
            continue;
        };
        match std::fs::read_to_string(root.join(&template)) {
            Ok(text) => match render(&text) {
                Ok(text) => out.push(Generated {
                    path: PathBuf::from("docs/guides").join(format!("{stem}.md")),
                    text,
                }),
                Err(e) => problems.push(format!("{}: {e}", template.display())),
            },
            Err(e) => problems.push(format!("{}: {e}", template.display())),
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// One guide: front matter from its title, then its text with the placeholder filled in.
fn render(template: &str) -> Result<String, String> {
    let title = template
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .ok_or("the first line must be the guide's `# Title`")?;
    let body = template.replace(MIGRATIONS_PLACEHOLDER, &migrations_table());
    if let Some(at) = body.find("{{") {
        let rest = &body[at..];
        let end = rest.find("}}").map_or(rest.len(), |e| e + 2);
        return Err(format!(
            "unknown placeholder {:?} (a guide knows only {MIGRATIONS_PLACEHOLDER})",
            &rest[..end]
        ));
    }
    Ok(format!(
        "---\npage_title: {title:?}\nsubcategory: \"Guides\"\n---\n\n{}\n",
        body.trim_end()
    ))
}

/// The table of migrations: the source provider, its type, ours, and how it is handed over.
fn migrations_table() -> String {
    let mut t =
        String::from("| from provider | their type | our type | how |\n|---|---|---|---|\n");
    for m in MIGRATIONS.iter().flat_map(|m| m.iter()) {
        let how = if m.source_type == m.target_type {
            "`terraform state replace-provider`"
        } else {
            "`moved` block (Terraform 1.8 or later)"
        };
        t.push_str(&format!(
            "| `{}` | `{}` | `{}` | {how} |\n",
            m.source_provider, m.source_type, m.target_type
        ));
    }
    t.trim_end().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guide_gets_its_title_and_the_table_of_migrations() {
        let text = render("# Switching\n\n{{ .Migrations }}\n").unwrap();
        assert!(
            text.starts_with("---\npage_title: \"Switching\"\n"),
            "{text}"
        );
        assert!(
            text.contains("| `komminarlabs/influxdb3` | `influxdb3_token` | `influxdb_database_token` | `moved` block"),
            "{text}"
        );
        assert!(text.contains("| `komminarlabs/influxdb` | `influxdb_bucket` | `influxdb_bucket` | `terraform state replace-provider` |"), "{text}");
    }

    #[test]
    fn a_guide_without_a_title_or_with_another_placeholder_is_refused() {
        assert!(render("no title").unwrap_err().contains("# Title"));
        let e = render("# T\n{{ .Example }}").unwrap_err();
        assert!(e.contains("{{ .Example }}"), "{e}");
    }
}

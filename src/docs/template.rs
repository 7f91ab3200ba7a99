//! Page templates: Markdown prose with a few placeholders, named as in HashiCorp's
//! tfplugindocs so that its templates read familiar. Anything else between `{{` and `}}` is an
//! error, so a typo never reaches a page.
//!
//! | placeholder             | becomes                                                      |
//! |-------------------------|--------------------------------------------------------------|
//! | `{{ .Name }}`           | the type name (`influxdb_database`) or the provider's name    |
//! | `{{ .Description }}`    | the schema's description                                     |
//! | `{{ .Example }}`        | the example file, in a ```` ```terraform ```` block           |
//! | `{{ .Import }}`         | `import.sh`, in a ```` ```shell ```` block                    |
//! | `{{ .Identity }}`       | the identity's attributes and `import-by-identity.tf`        |
//! | `{{ .SchemaMarkdown }}` | the `## Schema` section generated from the schema            |
//! | `{{ .Products }}`       | the provider page only: the table of products (`influxdb::products`) |
//!
//! `{{ .Example }}` and `{{ .SchemaMarkdown }}` must appear exactly once. `{{ .Import }}` must
//! appear exactly when the type has an `import.sh`: every page keeps its example and, where it
//! applies, its import section. `{{ .Identity }}` must appear exactly when the type has a
//! resource identity.

/// What the placeholders of one page stand for.
pub struct Values<'a> {
    pub name: &'a str,
    pub description: &'a str,
    pub example: &'a str,
    /// `import.sh`, if the type has one.
    pub import: Option<&'a str>,
    /// The identity's attributes and import example, if the type has an identity.
    pub identity: Option<&'a str>,
    pub schema_markdown: &'a str,
    /// The product table, on the provider's page.
    pub products: Option<&'a str>,
}

/// Renders `template` with `values`, or says what is wrong with it.
pub fn render(template: &str, values: &Values<'_>) -> Result<String, String> {
    let mut out = String::with_capacity(template.len() + values.schema_markdown.len());
    let mut rest = template;
    let (mut examples, mut imports, mut schemas, mut identities) = (0, 0, 0, 0);
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("an unclosed {{{{ at {:?}", excerpt(&rest[start..])))?;
        match after[..end].trim() {
            ".Name" => out.push_str(values.name),
            ".Description" => out.push_str(values.description.trim()),
            ".Example" => {
                examples += 1;
                out.push_str(&fenced("terraform", values.example));
            }
            ".Import" => {
                imports += 1;
                let import = values.import.ok_or(
                    "{{ .Import }} is used but the type has no import.sh next to its example",
                )?;
                out.push_str(&fenced("shell", import));
            }
            ".Identity" => {
                identities += 1;
                let identity = values
                    .identity
                    .ok_or("{{ .Identity }} is used but the type has no resource identity")?;
                out.push_str(identity.trim_end());
            }
            ".SchemaMarkdown" => {
                schemas += 1;
                out.push_str(values.schema_markdown.trim_end());
            }
            ".Products" => {
                let products = values
                    .products
                    .ok_or("{{ .Products }} is used on a page other than the provider's")?;
                out.push_str(products.trim_end());
            }
            other => {
                return Err(format!(
                    "unknown placeholder {{{{ {other} }}}}: use .Name, .Description, .Example, \
                     .Import, .Identity, .SchemaMarkdown or .Products"
                ))
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    if examples != 1 {
        return Err(format!(
            "{{{{ .Example }}}} must appear once (it appears {examples} times)"
        ));
    }
    if schemas != 1 {
        return Err(format!(
            "{{{{ .SchemaMarkdown }}}} must appear once (it appears {schemas} times)"
        ));
    }
    if values.import.is_some() && imports == 0 {
        return Err("the type has an import.sh but the template has no {{ .Import }}".into());
    }
    if values.identity.is_some() && identities == 0 {
        return Err(
            "the type has a resource identity but the template has no {{ .Identity }}".into(),
        );
    }
    Ok(out)
}

fn fenced(language: &str, body: &str) -> String {
    format!("```{language}\n{}\n```", body.trim_end())
}

fn excerpt(s: &str) -> &str {
    let end = s.char_indices().nth(30).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(import: Option<&str>) -> Values<'_> {
        Values {
            name: "influxdb_thing",
            description: "A thing.",
            example: "resource \"influxdb_thing\" \"x\" {}\n",
            import,
            identity: None,
            schema_markdown: "## Schema\n",
            products: None,
        }
    }

    #[test]
    fn placeholders_are_replaced() {
        let out = render(
            "{{ .Description }} Use `{{.Name}}`.\n\n{{ .Example }}\n\n{{ .SchemaMarkdown }}\n\n{{ .Import }}\n",
            &values(Some("terraform import influxdb_thing.x 1\n")),
        )
        .unwrap();
        assert_eq!(
            out,
            "A thing. Use `influxdb_thing`.\n\n```terraform\nresource \"influxdb_thing\" \"x\" {}\n```\n\n## Schema\n\n```shell\nterraform import influxdb_thing.x 1\n```\n"
        );
    }

    #[test]
    fn mistakes_are_named() {
        let e = render("{{ .Exmple }}", &values(None)).unwrap_err();
        assert!(e.contains(".Exmple"), "{e}");
        let e = render("{{ .Example }}", &values(None)).unwrap_err();
        assert!(e.contains(".SchemaMarkdown"), "{e}");
        let e = render("{{ .Example }} {{ .SchemaMarkdown }}", &values(Some("x"))).unwrap_err();
        assert!(e.contains("import.sh"), "{e}");
        let e = render(
            "{{ .Example }} {{ .SchemaMarkdown }} {{ .Import }}",
            &values(None),
        )
        .unwrap_err();
        assert!(e.contains("no import.sh"), "{e}");
        let e = render("{{ .Example", &values(None)).unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
        let e = render(
            "{{ .Example }} {{ .SchemaMarkdown }} {{ .Identity }}",
            &values(None),
        )
        .unwrap_err();
        assert!(e.contains("no resource identity"), "{e}");
        let with_identity = Values {
            identity: Some("- `id` (String)\n"),
            ..values(None)
        };
        let e = render("{{ .Example }} {{ .SchemaMarkdown }}", &with_identity).unwrap_err();
        assert!(e.contains("{{ .Identity }}"), "{e}");
        let out = render(
            "{{ .Example }} {{ .SchemaMarkdown }}\n## Identity\n\n{{ .Identity }}\n",
            &with_identity,
        )
        .unwrap();
        assert!(out.ends_with("## Identity\n\n- `id` (String)\n"), "{out}");
    }
}

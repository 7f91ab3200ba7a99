//! The documentation generator: every page of `docs/` (the Terraform Registry's layout) is
//! written from the schemas the provider serves, plus a template of prose per page and the
//! examples under `examples/`, so a description changed in code can never leave a stale page.
//!
//! Run `terraform-provider-influxdb docs` at the repository root to regenerate, `... docs
//! --check` to verify (tests/docs_schema.rs does the same in-process).
//!
//! For a page of kind K (see [`KINDS`]) and type `influxdb_NAME`:
//! - `templates/<K.dir>/NAME.md.tmpl`: the prose, with placeholders (see [`template`]);
//! - `examples/<K.dir>/influxdb_NAME/<K.example>`: the example, checked by `terraform validate`
//!   in the tests and shown under "Example Usage";
//! - `examples/<K.dir>/influxdb_NAME/import.sh` when the type can be imported;
//! - `examples/resources/influxdb_NAME/import-by-identity.tf` when the resource has an identity
//!   (Terraform 1.12+): shown, with the identity's attributes, where the template says
//!   `{{ .Identity }}`;
//! - `docs/<K.dir>/NAME.md`: generated: front matter, title, the template rendered, with the
//!   schema section built from the schema ([`markdown`]).
//!
//! The provider's own page is `templates/index.md.tmpl` + `examples/provider/provider.tf` ->
//! `docs/index.md`; guides are `templates/guides/NAME.md.tmpl` -> `docs/guides/NAME.md`
//! ([`guides`]). A new kind of thing Terraform knows (ephemeral resources, list resources,
//! ...) is one entry in [`KINDS`]; a new page is one template and its example.
//!
//! A kind or a schema that needs a newer Terraform than 1.0 ([`Kind::min_terraform`],
//! [`Schema::requires_terraform`]) must say so on its page: the generator refuses a page that
//! does not contain "Requires Terraform VERSION or later".

pub mod guides;
pub mod markdown;
pub mod template;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::engine::identity::TypedIdentityAttribute;
use crate::engine::server::{IdentitySchemaInfo, Schemas};
use crate::engine::Schema;

/// A kind of thing a provider serves, with its place in the registry's documentation layout.
pub struct Kind {
    /// The folder under `docs/`, `templates/` and `examples/`: `"resources"`.
    pub dir: &'static str,
    /// How the registry names the kind in page titles: `"Resource"`.
    pub title: &'static str,
    /// The example's file name in `examples/<dir>/<type>/`: `"resource.tf"`.
    pub example: &'static str,
    /// The oldest Terraform that knows this kind, which every page of it must name.
    pub min_terraform: Option<&'static str>,
    /// The schemas of this kind the provider serves, by type name.
    pub schemas: for<'a> fn(&Schemas<'a>) -> Vec<(&'static str, &'a Schema)>,
}

/// Every kind documented, in the order of the registry's navigation.
pub const KINDS: &[Kind] = &[
    Kind {
        dir: "resources",
        title: "Resource",
        example: "resource.tf",
        min_terraform: None,
        schemas: |s| s.resources.clone(),
    },
    Kind {
        dir: "data-sources",
        title: "Data Source",
        example: "data-source.tf",
        min_terraform: None,
        schemas: |s| s.data_sources.clone(),
    },
    Kind {
        dir: "ephemeral-resources",
        title: "Ephemeral Resource",
        example: "ephemeral-resource.tf",
        min_terraform: Some("1.10"),
        schemas: |s| s.ephemeral_resources.clone(),
    },
    Kind {
        dir: "list-resources",
        title: "List Resource",
        // Terraform reads list blocks only from `*.tfquery.hcl` files.
        example: "list-resource.tfquery.hcl",
        min_terraform: Some("1.14"),
        schemas: |s| s.list_resources.clone(),
    },
];

/// One page to generate: where its parts are, relative to the repository root, and its schema.
#[derive(Clone, Debug)]
pub struct Page {
    /// The type name (`influxdb_database`), or the provider's name for the index page.
    pub name: String,
    /// `page_title` in the front matter.
    pub page_title: String,
    /// `subcategory` in the front matter (absent on the index page, as in the registry).
    pub subcategory: Option<String>,
    /// The `# ` title line.
    pub heading: String,
    pub doc: PathBuf,
    pub template: PathBuf,
    pub example: PathBuf,
    /// `import.sh`: documented when it exists; a template with an import section needs it.
    pub import: PathBuf,
    /// `import-by-identity.tf`: required, and shown, when the type has an identity.
    pub import_by_identity: PathBuf,
    pub schema: Schema,
    /// The resource identity's attributes, if the type has one.
    pub identity: Option<Vec<TypedIdentityAttribute>>,
    /// Terraform versions the page must name ("Requires Terraform VERSION or later"): its
    /// kind's and its schema's minimum.
    pub min_terraform: Vec<String>,
}

/// Every page of the provider `provider_name` (`"influxdb"`), with copies of its schemas and
/// resource identities (so that a test can change one and see the check fail).
pub fn pages(
    provider_name: &str,
    schemas: &Schemas<'_>,
    identities: &[IdentitySchemaInfo],
) -> Vec<Page> {
    let mut pages = vec![Page {
        name: provider_name.to_owned(),
        page_title: format!("{provider_name} Provider"),
        subcategory: None,
        heading: format!("{provider_name} Provider"),
        doc: PathBuf::from("docs/index.md"),
        template: PathBuf::from("templates/index.md.tmpl"),
        example: PathBuf::from("examples/provider/provider.tf"),
        import: PathBuf::from("examples/provider/import.sh"),
        import_by_identity: PathBuf::from("examples/provider/import-by-identity.tf"),
        schema: schemas.provider.clone(),
        identity: None,
        min_terraform: Vec::new(),
    }];
    let prefix = format!("{provider_name}_");
    for kind in KINDS {
        for (type_name, schema) in (kind.schemas)(schemas) {
            let short = type_name.strip_prefix(&prefix).unwrap_or(type_name);
            let examples = Path::new("examples").join(kind.dir).join(type_name);
            pages.push(Page {
                name: type_name.to_owned(),
                page_title: format!(
                    "{type_name} {} - terraform-provider-{provider_name}",
                    kind.title
                ),
                subcategory: Some(String::new()),
                heading: format!("{type_name} ({})", kind.title),
                doc: Path::new("docs").join(kind.dir).join(format!("{short}.md")),
                template: Path::new("templates")
                    .join(kind.dir)
                    .join(format!("{short}.md.tmpl")),
                example: examples.join(kind.example),
                import: examples.join("import.sh"),
                import_by_identity: examples.join("import-by-identity.tf"),
                schema: schema.clone(),
                identity: (kind.dir == "resources")
                    .then(|| identities.iter().find(|i| i.type_name == type_name))
                    .flatten()
                    .map(|i| i.attributes.clone()),
                min_terraform: kind
                    .min_terraform
                    .into_iter()
                    .chain(schema.min_terraform.as_ref().map(|m| m.version))
                    .map(str::to_owned)
                    .collect(),
            });
        }
    }
    pages
}

/// A generated page: its path relative to the root and its contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Generated {
    pub path: PathBuf,
    pub text: String,
}

/// Renders every page from the files under `root`. Every problem is reported (a missing
/// template or example, an unknown placeholder, a template or example without a page), not only
/// the first.
pub fn generate(root: &Path, pages: &[Page]) -> Result<Vec<Generated>, Vec<String>> {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for page in pages {
        match render_page(root, page) {
            Ok(text) => out.push(Generated {
                path: page.doc.clone(),
                text,
            }),
            Err(mut p) => problems.append(&mut p),
        }
    }
    problems.extend(orphans(root, pages));
    match guides::generate(root) {
        Ok(mut g) => out.append(&mut g),
        Err(mut p) => problems.append(&mut p),
    }
    match readme(root) {
        Ok(Some(g)) => out.push(g),
        Ok(None) => {}
        Err(e) => problems.push(e),
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Where README.md holds the product table, which is written from `influxdb::products`.
const README_BEGIN: &str = "<!-- products: written by `terraform-provider-influxdb docs` from src/influxdb/products.rs -->\n";
const README_END: &str = "<!-- /products -->";

/// README.md with its product table written anew; `None` where the tree has no README (a
/// test's copy of the docs).
fn readme(root: &Path) -> Result<Option<Generated>, String> {
    let path = PathBuf::from("README.md");
    let text = match std::fs::read_to_string(root.join(&path)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("README.md: {e}")),
    };
    let start = text
        .find(README_BEGIN)
        .ok_or_else(|| format!("README.md has no line {:?}", README_BEGIN.trim_end()))?
        + README_BEGIN.len();
    let end = text[start..]
        .find(README_END)
        .ok_or_else(|| format!("README.md has no line {README_END:?}"))?
        + start;
    let text = format!(
        "{}{}{}",
        &text[..start],
        crate::influxdb::products::products_markdown(),
        &text[end..]
    );
    Ok(Some(Generated { path, text }))
}

fn render_page(root: &Path, page: &Page) -> Result<String, Vec<String>> {
    let products = crate::influxdb::products::products_markdown();
    let read = |p: &Path| {
        std::fs::read_to_string(root.join(p))
            .map_err(|e| format!("{}: {} ({e})", page.name, p.display()))
    };
    let mut problems = Vec::new();
    if let Err(e) = page.schema.check() {
        problems.push(format!("{}: invalid schema: {e}", page.name));
    }
    let template = read(&page.template).map_err(|e| {
        vec![format!(
            "{e}: every page needs a template; start from a page of the same kind"
        )]
    })?;
    let example = match read(&page.example) {
        Ok(text) if uses_type(&text, &page.name) => Some(text),
        Ok(_) => {
            problems.push(format!(
                "{}: the example {} does not use {}",
                page.name,
                page.example.display(),
                page.name
            ));
            None
        }
        Err(e) => {
            problems.push(format!("{e}: every page needs an example"));
            None
        }
    };
    let import = root
        .join(&page.import)
        .is_file()
        .then(|| read(&page.import))
        .transpose()
        .map_err(|e| vec![e])?;
    let identity = match &page.identity {
        None => None,
        Some(attributes) => match read(&page.import_by_identity) {
            Ok(example) if example.contains("identity = {") => Some(format!(
                "{}\n```terraform\n{}\n```\n",
                markdown::identity(attributes),
                example.trim_end()
            )),
            Ok(_) => {
                problems.push(format!(
                    "{}: {} has no `identity = {{ ... }}` import block",
                    page.name,
                    page.import_by_identity.display()
                ));
                None
            }
            Err(e) => {
                problems.push(format!(
                    "{e}: a resource with an identity needs an import-by-identity example"
                ));
                None
            }
        },
    };
    let values = template::Values {
        name: &page.name,
        description: &page.schema.description,
        example: example.as_deref().unwrap_or(""),
        import: import.as_deref(),
        identity: identity.as_deref(),
        schema_markdown: &markdown::schema(&page.schema),
        products: page.doc.ends_with("index.md").then_some(products.as_str()),
    };
    let body = match template::render(&template, &values) {
        Ok(body) => body,
        Err(e) => {
            problems.push(format!("{}: {e}", page.template.display()));
            String::new()
        }
    };
    for version in &page.min_terraform {
        let note = format!("Requires Terraform {version} or later");
        if !body.contains(&note) {
            problems.push(format!(
                "{}: {} must say \"{note}\"",
                page.name,
                page.template.display()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut text = String::from("---\n");
    text.push_str(&format!("page_title: {:?}\n", page.page_title));
    if let Some(sub) = &page.subcategory {
        text.push_str(&format!("subcategory: {sub:?}\n"));
    }
    text.push_str("description: |-\n");
    for line in page.schema.description.lines() {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str("---\n\n");
    text.push_str(&format!("# {}\n\n", page.heading));
    text.push_str(body.trim_end());
    text.push('\n');
    Ok(text)
}

/// Whether an example declares the type (`resource "influxdb_x"`, `data "influxdb_x"`, ...) or,
/// for the index page, configures the provider (`provider "influxdb"`).
fn uses_type(example: &str, type_name: &str) -> bool {
    example.contains(&format!("\"{type_name}\""))
}

/// Templates and example folders that no page uses: a page whose type was renamed or removed.
fn orphans(root: &Path, pages: &[Page]) -> Vec<String> {
    let used: BTreeSet<PathBuf> = pages
        .iter()
        .flat_map(|p| {
            [
                p.template.clone(),
                p.example
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut problems = Vec::new();
    for kind in KINDS {
        for (folder, what) in [
            (Path::new("templates").join(kind.dir), "template"),
            (Path::new("examples").join(kind.dir), "example folder"),
        ] {
            for entry in list(&root.join(&folder)) {
                let rel = folder.join(&entry);
                if !used.contains(&rel) {
                    problems.push(format!(
                        "{}: a {what} for a {} the provider does not serve",
                        rel.display(),
                        kind.title.to_lowercase()
                    ));
                }
            }
        }
    }
    problems
}

/// File names in a directory, sorted; none if it does not exist.
fn list(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// Compares the generated pages with the files under `root/docs`: a page missing, different, or
/// a page in `docs/` that nothing generates is a problem, named with the command that fixes it.
pub fn check(root: &Path, generated: &[Generated]) -> Vec<String> {
    let mut problems = Vec::new();
    for g in generated {
        match std::fs::read_to_string(root.join(&g.path)) {
            Ok(committed) if committed == g.text => {}
            Ok(committed) => problems.push(format!(
                "{} is stale: {}",
                g.path.display(),
                first_difference(&committed, &g.text)
            )),
            Err(_) => problems.push(format!("{} is missing", g.path.display())),
        }
    }
    let expected: BTreeSet<&Path> = generated.iter().map(|g| g.path.as_path()).collect();
    for doc in markdown_files(&root.join("docs")) {
        let rel = doc.strip_prefix(root).unwrap_or(&doc);
        if !expected.contains(rel) {
            problems.push(format!(
                "{} documents nothing the provider serves (or has no template)",
                rel.display()
            ));
        }
    }
    if !problems.is_empty() {
        problems.push(
            "regenerate with `cargo run -- docs` (from templates/, examples/ and the schemas)"
                .into(),
        );
    }
    problems
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in rd.filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(markdown_files(&p));
        } else if p.extension().is_some_and(|x| x == "md") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn first_difference(committed: &str, generated: &str) -> String {
    let (mut c, mut g) = (committed.lines(), generated.lines());
    let mut n = 1;
    loop {
        match (c.next(), g.next()) {
            (Some(a), Some(b)) if a == b => n += 1,
            (a, b) => {
                return format!(
                    "line {n} is {:?} but the schemas and templates give {:?}",
                    a.unwrap_or("(end of file)"),
                    b.unwrap_or("(end of file)")
                )
            }
        }
    }
}

/// Writes the generated pages under `root` (only those that changed) and removes pages in
/// `docs/` that nothing generates. Returns the paths written or removed.
pub fn write(root: &Path, generated: &[Generated]) -> std::io::Result<Vec<PathBuf>> {
    let mut touched = Vec::new();
    for g in generated {
        let path = root.join(&g.path);
        if std::fs::read_to_string(&path).ok().as_deref() == Some(g.text.as_str()) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &g.text)?;
        touched.push(g.path.clone());
    }
    let expected: BTreeSet<&Path> = generated.iter().map(|g| g.path.as_path()).collect();
    for doc in markdown_files(&root.join("docs")) {
        let rel = doc.strip_prefix(root).unwrap_or(&doc).to_path_buf();
        if !expected.contains(rel.as_path()) {
            std::fs::remove_file(&doc)?;
            touched.push(rel);
        }
    }
    Ok(touched)
}

/// `terraform-provider-influxdb docs [--check] [--dir ROOT]`: writes (or checks) `docs/` under
/// ROOT (default: the current directory, which must hold `templates/`).
pub fn cli(
    provider_name: &str,
    schemas: &Schemas<'_>,
    identities: &[IdentitySchemaInfo],
    args: &[String],
) -> std::process::ExitCode {
    use std::process::ExitCode;
    let usage = "usage: terraform-provider-influxdb docs [--check] [--dir REPOSITORY_ROOT]\n\
                 Writes docs/ from the schemas, templates/ and examples/ (--check: only compares).";
    let mut check_only = false;
    let mut root = PathBuf::from(".");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--check" => check_only = true,
            "--dir" => match it.next() {
                Some(d) => root = PathBuf::from(d),
                None => {
                    eprintln!("--dir needs a directory\n{usage}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                println!("{usage}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other:?}\n{usage}");
                return ExitCode::from(2);
            }
        }
    }
    if !root.join("templates").is_dir() {
        eprintln!(
            "{} has no templates/ folder: run this at the repository root or pass --dir",
            root.display()
        );
        return ExitCode::from(2);
    }
    let generated = match generate(&root, &pages(provider_name, schemas, identities)) {
        Ok(g) => g,
        Err(problems) => {
            for p in problems {
                eprintln!("error: {p}");
            }
            return ExitCode::FAILURE;
        }
    };
    if check_only {
        let problems = check(&root, &generated);
        for p in &problems {
            eprintln!("{p}");
        }
        return if problems.is_empty() {
            println!("docs/ is up to date ({} pages)", generated.len());
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    match write(&root, &generated) {
        Ok(touched) => {
            for p in &touched {
                println!("wrote {}", p.display());
            }
            println!(
                "docs/: {} pages, {} changed",
                generated.len(),
                touched.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot write docs/: {e}");
            ExitCode::FAILURE
        }
    }
}

//! `influxdb_plugin_file` on InfluxDB 3 Core and Enterprise (`POST /api/v3/plugins/files`): a
//! Python file of the server's plugin directory, which processing engine triggers run.
//!
//! - The call creates or overwrites the file, so a change of `content` (or of the file that
//!   `source` names, read at plan) is one call in place; the server reads a changed file again
//!   the next time a trigger runs it. A change of `filename` replaces the resource.
//! - The server has no call that reads a plugin file back (`system.plugin_files` of `_internal`
//!   lists a file, without its content, only while a trigger uses it) and none that deletes
//!   one: refresh keeps the state as applied (never a diff for what the server cannot show),
//!   and destroy says plainly, as a warning, that the file stays on the server.
//! - No import: there is nothing to read; declare the file and apply, which writes it.

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use super::client::CoreClient;
use super::engine_api::PluginFileBody;
use crate::engine::schema::Attribute;
use crate::engine::{AttributePath, Diagnostics, PlanChange, Resource, Schema, Type, Value};

pub struct PluginFileResource;

#[derive(Serialize, Deserialize, Default, Clone, Debug, PartialEq)]
pub struct PluginFileState {
    pub filename: Option<String>,
    pub content: Option<String>,
    pub source: Option<String>,
}

/// A path inside the plugin directory: relative, without `..`.
pub fn validate_filename(s: &str) -> Result<(), String> {
    if s.trim().is_empty() {
        return Err("The filename is empty.".into());
    }
    if s.starts_with('/') || s.starts_with('\\') {
        return Err(format!("{s:?} is absolute; a plugin file is named relative to the server's plugin directory, for example \"downsample.py\"."));
    }
    if s.split(['/', '\\'])
        .any(|part| part == ".." || part.is_empty())
    {
        return Err(format!("{s:?} has an empty or `..` part; the server refuses paths outside its plugin directory."));
    }
    Ok(())
}

fn read_source(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| {
        format!("The file {path:?} cannot be read as UTF-8 text: {e}. `source` is a path on the machine that runs Terraform, relative to the working directory (for example \"${{path.module}}/plugins/downsample.py\").")
    })
}

#[async_trait]
impl Resource for PluginFileResource {
    type Client = CoreClient;
    type State = PluginFileState;

    fn type_name(&self) -> &'static str {
        "influxdb_plugin_file"
    }

    fn schema(&self) -> Schema {
        Schema::new(
            "A Python plugin file in the plugin directory of an InfluxDB 3 Core or Enterprise server (started with `--plugin-dir`), for processing engine triggers to run. Its content is written in place; the server cannot show a file's content back, nor delete it, so destroying the resource leaves the file on the server (a warning says so).",
            vec![
                Attribute::required("filename", Type::String)
                    .describe("The file's name relative to the plugin directory, for example `downsample.py`. Refer to it from a trigger's `plugin_filename` as `influxdb_plugin_file.<name>.filename`. A change replaces the resource (the file under the old name stays on the server).")
                    .validate_str("Invalid filename", validate_filename)
                    .requires_replace(),
                Attribute::optional_computed("content", Type::String)
                    .describe("The file's text. Set `content` or `source`, not both; with `source`, the text read from that file at plan. A change rewrites the file in place; the server runs the new code from the next trigger call, without the trigger changing."),
                Attribute::optional("source", Type::String)
                    .describe("A path on the machine running Terraform (for example `\"${path.module}/plugins/downsample.py\"`) whose text is read at plan and written as `content`; a change of that file's text is a change in place."),
            ],
        )
    }

    fn validate(&self, config: &Value, diags: &mut Diagnostics) {
        let (content, source) = (config.attr("content"), config.attr("source"));
        if !content.is_null() && !source.is_null() {
            diags.attribute_error(
                AttributePath::root("source"),
                "Conflicting content and source",
                "Set either `content` (the text) or `source` (a path to read it from), not both.",
            );
        } else if content.is_null() && source.is_null() && content.is_known() && source.is_known() {
            diags.attribute_error(
                AttributePath::root("content"),
                "Missing content",
                "Set `content` (the plugin's text) or `source` (a path to read it from).",
            );
        }
    }

    fn modify_plan(&self, change: &mut PlanChange<'_>, diags: &mut Diagnostics) {
        let Some(path) = change.config.attr("source").as_str().map(str::to_owned) else {
            return;
        };
        match read_source(&path) {
            Ok(text) => change.planned.set_attr("content", Value::string(text)),
            Err(e) => diags.attribute_error(
                AttributePath::root("source"),
                "Cannot read the plugin source",
                e,
            ),
        }
    }

    async fn create(
        &self,
        client: &CoreClient,
        planned: PluginFileState,
        diags: &mut Diagnostics,
    ) -> Option<PluginFileState> {
        write(client, &planned, diags).await.then_some(planned)
    }

    async fn read(
        &self,
        _client: &CoreClient,
        current: PluginFileState,
        _diags: &mut Diagnostics,
    ) -> Option<PluginFileState> {
        // The server cannot show a plugin file's content: the state is what was written.
        Some(current)
    }

    async fn update(
        &self,
        client: &CoreClient,
        prior: PluginFileState,
        planned: PluginFileState,
        diags: &mut Diagnostics,
    ) -> Option<PluginFileState> {
        if prior.content == planned.content {
            return Some(planned);
        }
        write(client, &planned, diags).await.then_some(planned)
    }

    async fn delete(&self, _client: &CoreClient, prior: PluginFileState, diags: &mut Diagnostics) {
        let filename = prior.filename.unwrap_or_default();
        diags.warning(
            "Plugin file left on the server",
            format!("InfluxDB 3 has no API call that deletes a plugin file: {filename:?} stays in the server's plugin directory, and is removed from the Terraform state only. Delete it from the plugin directory (--plugin-dir) on the server if it is no longer wanted."),
        );
    }

    async fn import(
        &self,
        _client: &CoreClient,
        id: &str,
        diags: &mut Diagnostics,
    ) -> Option<PluginFileState> {
        diags.error(
            "Import not supported",
            format!("InfluxDB 3 cannot show a plugin file's content, so {id:?} cannot be imported. Declare an influxdb_plugin_file with its content (or source) and apply: the server's file is overwritten with it."),
        );
        None
    }
}

async fn write(client: &CoreClient, planned: &PluginFileState, diags: &mut Diagnostics) -> bool {
    let filename = planned.filename.clone().unwrap_or_default();
    let body = PluginFileBody {
        plugin_name: filename.clone(),
        content: planned.content.clone().unwrap_or_default(),
    };
    match client.write_plugin_file(&body).await {
        Ok(()) => true,
        Err(e) => {
            let text = e.to_string();
            let hint = if text.contains("Path traversal")
                || text.contains("plugin-dir")
                || text.contains("plugin dir")
            {
                "The server refuses this filename, or it was started without a plugin directory (`--plugin-dir`)."
            } else {
                "Check that the server was started with a plugin directory (`--plugin-dir`) it can write to."
            };
            diags.attribute_error(
                AttributePath::root("filename"),
                "Writing the plugin file failed",
                format!("{text}\n\n{hint}"),
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filenames_stay_inside_the_plugin_directory() {
        assert!(validate_filename("downsample.py").is_ok());
        assert!(validate_filename("sub/x.py").is_ok());
        for bad in ["", "/etc/x.py", "../x.py", "a//b.py", "a/"] {
            assert!(validate_filename(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn schema_is_valid() {
        PluginFileResource.schema().check().unwrap();
    }
}

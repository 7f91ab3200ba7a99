//! `POST /api/v3/write_lp?db=DB`: line protocol, parsed just enough to do what a write does to
//! the catalog: create the database and the table if missing, and add the tag and field
//! columns a line names (a field's type from its value: `1i` int64, `1u` uint64, `"x"` utf8,
//! `t`/`false` bool, else float64). Values are not kept. Answers 204; a line whose field has
//! another type than the column's is left out and the answer is 400 `{"error": "partial write
//! of line protocol occurred", "data": [{error_message, line_number, original_line}]}`, as
//! the real server answers (the other lines are written).

use std::collections::BTreeMap;

use super::model::{validate_db_name, DatabaseRecord, Field, Store, TableRecord};
use super::{json_error, text, Caller};
use serde_json::json;

use crate::sim::harness::http::{json_response, no_content, Resp};

fn field_type(v: &str) -> &'static str {
    if v.starts_with('"') {
        "utf8"
    } else if matches!(
        v,
        "t" | "T" | "true" | "True" | "TRUE" | "f" | "F" | "false" | "False" | "FALSE"
    ) {
        "bool"
    } else if v.ends_with('i') {
        "int64"
    } else if v.ends_with('u') {
        "uint64"
    } else {
        "float64"
    }
}

/// `measurement[,tag=v...] field=v[,field=v...] [timestamp]`, without escapes.
fn parse_line(line: &str) -> Option<(String, Vec<String>, Vec<Field>)> {
    let mut parts = line.split_whitespace();
    let head = parts.next()?;
    let fields = parts.next()?;
    let mut head = head.split(',');
    let table = head.next()?.to_owned();
    let tags = head
        .map(|t| t.split_once('=').map(|(k, _)| k.to_owned()))
        .collect::<Option<Vec<_>>>()?;
    let fields = fields
        .split(',')
        .map(|f| {
            f.split_once('=').map(|(k, v)| Field {
                name: k.to_owned(),
                kind: field_type(v).to_owned(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some((table, tags, fields))
}

pub(super) fn serve(
    s: &mut Store,
    caller: &Caller,
    query: &BTreeMap<String, String>,
    body: &[u8],
) -> Resp {
    let Some(db) = query.get("db") else {
        return text(400, "serde error: missing field `db`");
    };
    if let Err(e) = validate_db_name(db) {
        return json_error(400, e);
    }
    if !caller.may("write", db) {
        return json_error(403, "the token does not have permission to do this");
    }
    let body = String::from_utf8_lossy(body);
    let mut parsed = Vec::new();
    let mut lines = Vec::new();
    for (i, line) in body.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Some(p) => {
                parsed.push(p);
                lines.push((i + 1, line.to_owned()));
            }
            None => {
                return json_error(
                    400,
                    &format!("parsing failed for write_lp endpoint: line {}", i + 1),
                )
            }
        }
    }
    let next_db_id = &mut s.next_db_id;
    let d = s.databases.entry(db.clone()).or_insert_with(|| {
        *next_db_id += 1;
        DatabaseRecord::new(*next_db_id, db.clone(), None)
    });
    if d.deleted {
        return text(
            409,
            &format!("attempted to modify resource that was already deleted: {db}"),
        );
    }
    let mut errors = Vec::new();
    for ((table, tags, fields), (number, line)) in parsed.into_iter().zip(lines) {
        let conflict = d.tables.get(&table).and_then(|t| {
            fields.iter().find_map(|f| {
                t.fields
                    .iter()
                    .find(|x| x.name == f.name && x.kind != f.kind)
                    .map(|x| (f.name.clone(), iox_type(&x.kind), iox_type(&f.kind)))
            })
        });
        if let Some((column, expected, got)) = conflict {
            errors.push(json!({
                "error_message": format!("invalid column type for column '{column}', expected iox::column_type::field::{expected}, got iox::column_type::field::{got}"),
                "line_number": number,
                "original_line": line,
            }));
            continue;
        }
        // A new table numbers its columns as the server does: the line's tags, its fields,
        // then `time`; columns written later come after.
        let next_table_id = &mut d.next_table_id;
        let t = d.tables.entry(table.clone()).or_insert_with(|| {
            *next_table_id += 1;
            let mut seen_tags: Vec<String> = Vec::new();
            for tag in &tags {
                if !seen_tags.contains(tag) {
                    seen_tags.push(tag.clone());
                }
            }
            let mut seen_fields: Vec<Field> = Vec::new();
            for f in &fields {
                if !seen_fields.iter().any(|x| x.name == f.name) {
                    seen_fields.push(f.clone());
                }
            }
            TableRecord::new(*next_table_id - 1, table, seen_tags, seen_fields)
        });
        for tag in tags {
            if !t.tags.contains(&tag) {
                t.columns.push(tag.clone());
                t.tags.push(tag);
            }
        }
        for f in fields {
            if !t.fields.iter().any(|x| x.name == f.name) {
                t.columns.push(f.name.clone());
                t.fields.push(f);
            }
        }
    }
    if !errors.is_empty() {
        return json_response(
            400,
            &json!({"error": "partial write of line protocol occurred", "data": errors}),
        );
    }
    no_content()
}

/// A column type as the server names it in errors.
fn iox_type(kind: &str) -> &'static str {
    match kind {
        "utf8" => "string",
        "int64" => "integer",
        "uint64" => "uinteger",
        "float64" => "float",
        _ => "boolean",
    }
}

//! What InfluxDB 2.7 does to a script when a task PATCH sends options (`every`, `cron`,
//! `offset`, `name`) instead of, or beside, a script (`TaskUpdate.UpdateFlux`, which the
//! official clients' `update_task` triggers by sending the task's options back): it edits the
//! `option task` object (a new `every` replaces `cron` and the other way round, an empty
//! `offset` removes it, a missing key is appended) and writes the whole script back with the
//! Flux formatter (`astutil.Format`).
//!
//! The formatter here is an approximation of Flux's for the scripts tasks are made of: one
//! statement per line, a blank line between statements of different kinds, each `|>` of a
//! pipeline on its own line indented by four spaces, one space after `,` and `:` and around
//! binary operators, none inside brackets and braces, comments kept on their own lines.

/// One lexical token.
#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Regex(String),
    Comment(String),
    Punct(String),
    Newline,
}

const OPS: [&str; 10] = ["|>", "=>", "==", "!=", "<=", ">=", "=~", "!~", "<-", "<>"];

fn lex(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let literal = |i: usize, q: char| {
        let mut j = i + 1;
        while j < c.len() && c[j] != q {
            j += if c[j] == '\\' { 2 } else { 1 };
        }
        (j + 1).min(c.len())
    };
    while i < c.len() {
        let ch = c[i];
        if ch == '\n' {
            out.push(Tok::Newline);
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '"' {
            let j = literal(i, '"');
            out.push(Tok::Str(c[i..j].iter().collect()));
            i = j;
        } else if ch == '/' && c.get(i + 1) == Some(&'/') {
            let mut j = i;
            while j < c.len() && c[j] != '\n' {
                j += 1;
            }
            out.push(Tok::Comment(
                c[i..j].iter().collect::<String>().trim_end().to_owned(),
            ));
            i = j;
        } else if ch == '/' && regex_allowed(&out) {
            let j = literal(i, '/');
            out.push(Tok::Regex(c[i..j].iter().collect()));
            i = j;
        } else if ch.is_alphanumeric() || ch == '_' || ch == '.' {
            let mut j = i;
            while j < c.len() && (c[j].is_alphanumeric() || c[j] == '_' || c[j] == '.') {
                j += 1;
            }
            out.push(Tok::Word(c[i..j].iter().collect()));
            i = j;
        } else {
            let two: String = c[i..(i + 2).min(c.len())].iter().collect();
            let p = if OPS.contains(&two.as_str()) {
                two
            } else {
                ch.to_string()
            };
            i += p.chars().count();
            out.push(Tok::Punct(p));
        }
    }
    out
}

fn regex_allowed(before: &[Tok]) -> bool {
    match before.iter().rev().find(|t| **t != Tok::Newline) {
        None => true,
        Some(Tok::Punct(p)) => !matches!(p.as_str(), ")" | "]" | "}"),
        Some(Tok::Word(w)) => w == "return",
        _ => false,
    }
}

fn is_binary(p: &str) -> bool {
    matches!(
        p,
        "=" | "=="
            | "!="
            | "<"
            | ">"
            | "<="
            | ">="
            | "=~"
            | "!~"
            | "+"
            | "*"
            | "/"
            | "%"
            | "=>"
            | "<-"
            | "^"
    )
}

/// Whether a `-` here is a sign (after an operator, an opening bracket, `:` or `,`).
fn unary_position(prev: Option<&Tok>) -> bool {
    match prev {
        None | Some(Tok::Newline) => true,
        Some(Tok::Punct(p)) => !matches!(p.as_str(), ")" | "]" | "}"),
        Some(Tok::Word(w)) => matches!(w.as_str(), "return" | "and" | "or" | "not"),
        _ => false,
    }
}

/// The statements of a script: token runs split at newlines at depth 0 that do not continue
/// an expression (a following `|>`, or a trailing operator or comma).
fn statements(toks: Vec<Tok>) -> Vec<Vec<Tok>> {
    let mut out: Vec<Vec<Tok>> = Vec::new();
    let mut cur: Vec<Tok> = Vec::new();
    let mut depth = 0i32;
    for (i, t) in toks.iter().enumerate() {
        match t {
            Tok::Punct(p) if "([{".contains(p.as_str()) => depth += 1,
            Tok::Punct(p) if ")]}".contains(p.as_str()) => depth -= 1,
            _ => {}
        }
        if *t == Tok::Newline {
            let next = toks[i + 1..].iter().find(|t| **t != Tok::Newline);
            let continues = matches!(next, Some(Tok::Punct(p)) if p == "|>")
                || matches!(cur.last(), Some(Tok::Punct(p)) if is_binary(p) || p == "," || p == "|>")
                || depth > 0;
            if !continues && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Tok::Comment(_) = t {
            if depth == 0 {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(vec![t.clone()]);
                continue;
            }
        }
        cur.push(t.clone());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The kind of a statement, for blank lines between kinds.
fn kind(st: &[Tok]) -> &'static str {
    match (st.first(), st.get(1)) {
        (Some(Tok::Comment(_)), _) => "comment",
        (Some(Tok::Word(w)), _) if w == "option" => "option",
        (Some(Tok::Word(w)), _) if w == "import" => "import",
        (Some(Tok::Word(_)), Some(Tok::Punct(p))) if p == "=" => "assignment",
        _ => "expression",
    }
}

fn format_statement(st: &[Tok]) -> String {
    let mut s = String::new();
    let mut depth = 0usize;
    let mut prev: Option<&Tok> = None;
    for t in st {
        let text = match t {
            Tok::Word(w) | Tok::Str(w) | Tok::Regex(w) | Tok::Comment(w) | Tok::Punct(w) => {
                w.as_str()
            }
            Tok::Newline => continue,
        };
        let space_before = match (prev, t) {
            (None, _) => false,
            (_, Tok::Comment(_)) => true,
            (_, Tok::Punct(p)) if p == "|>" => {
                s.push('\n');
                s.push_str(&"    ".repeat(depth + 1));
                false
            }
            (_, Tok::Punct(p)) if matches!(p.as_str(), "," | ":" | ")" | "]" | "}") => false,
            (_, Tok::Punct(p)) if p == "-" => {
                !matches!(prev, Some(Tok::Punct(q)) if "([{".contains(q.as_str()))
            }
            (Some(Tok::Punct(p)), _) if matches!(p.as_str(), "(" | "[" | "{") => false,
            (Some(Tok::Punct(p)), _) if p == "-" => !unary_position(st_prev_of(st, prev)),
            (_, Tok::Punct(p)) if matches!(p.as_str(), "(" | "[") => {
                matches!(prev, Some(Tok::Punct(q)) if is_binary(q) || q == "," || q == ":")
            }
            _ => true,
        };
        if space_before && !s.ends_with(' ') && !s.ends_with('\n') {
            s.push(' ');
        }
        if let Tok::Punct(p) = t {
            match p.as_str() {
                "(" | "[" | "{" => depth += 1,
                ")" | "]" | "}" => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        s.push_str(text);
        if matches!(t, Tok::Comment(_)) {
            s.push('\n');
        }
        prev = Some(t);
    }
    // A comma before a closing bracket is dropped.
    for close in [")", "]", "}"] {
        s = s.replace(&format!(",{close}"), close);
    }
    s.trim_end().to_owned()
}

/// The token before `prev` in `st` (for telling a sign from a minus).
fn st_prev_of<'a>(st: &'a [Tok], prev: Option<&Tok>) -> Option<&'a Tok> {
    let prev = prev?;
    let i = st.iter().position(|t| std::ptr::eq(t, prev))?;
    i.checked_sub(1).and_then(|j| st.get(j))
}

/// The script as the Flux formatter would write it (see the module documentation).
pub fn format(script: &str) -> String {
    let stmts = statements(lex(script));
    let mut out = String::new();
    let mut last_kind = "";
    for st in &stmts {
        let k = kind(st);
        if !out.is_empty() {
            out.push('\n');
            if k != last_kind && last_kind != "comment" {
                out.push('\n');
            }
        }
        out.push_str(&format_statement(st));
        last_kind = k;
    }
    out
}

/// The options a PATCH sends: each `Some` replaces (an empty `offset` removes it).
#[derive(Default)]
pub struct OptionEdit {
    pub name: Option<String>,
    pub every: Option<String>,
    pub cron: Option<String>,
    pub offset: Option<String>,
}

impl OptionEdit {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.every.is_none() && self.cron.is_none() && self.offset.is_none()
    }
}

/// `script` with its `option task` object edited and the whole script reformatted; `None`
/// when the script has no `option task = {...}`.
pub fn edit_options(script: &str, edit: &OptionEdit) -> Option<String> {
    let formatted = format(script);
    let start = formatted.find("option task = {")? + "option task = {".len();
    let end = start + formatted[start..].find('}')?;
    let mut props: Vec<(String, String)> = formatted[start..end]
        .split(", ")
        .filter_map(|p| p.split_once(": "))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut set = |key: &str, value: String, replaces: &str| {
        if let Some(p) = props.iter_mut().find(|(k, _)| k == key || k == replaces) {
            *p = (key.to_owned(), value);
        } else {
            props.push((key.to_owned(), value));
        }
    };
    if let Some(n) = &edit.name {
        set("name", format!("{n:?}"), "name");
    }
    if let Some(e) = &edit.every {
        set("every", e.clone(), "cron");
    }
    if let Some(c) = &edit.cron {
        set("cron", format!("{c:?}"), "every");
    }
    match edit.offset.as_deref() {
        Some("") => props.retain(|(k, _)| k != "offset"),
        Some(o) => set("offset", o.to_owned(), "offset"),
        None => {}
    }
    let object: Vec<String> = props.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    Some(format!(
        "{}{}{}",
        &formatted[..start],
        object.join(", "),
        &formatted[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_are_written_back_as_the_flux_formatter_writes_them() {
        let script = "option task = {\n  name: \"down\",\n  every: 1h,\n}\nfrom(bucket: \"raw\") |> range(start: -1h)\n  |> filter(fn: (r) => r._value > -2 and r.x =~ /a b/)\n|> to(bucket: \"out\")\n";
        assert_eq!(
            format(script),
            "option task = {name: \"down\", every: 1h}\n\nfrom(bucket: \"raw\")\n    |> range(start: -1h)\n    |> filter(fn: (r) => r._value > -2 and r.x =~ /a b/)\n    |> to(bucket: \"out\")"
        );
        let edited = edit_options(
            script,
            &OptionEdit {
                cron: Some("0 * * * *".into()),
                offset: Some("5m".into()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(
            edited.starts_with("option task = {name: \"down\", cron: \"0 * * * *\", offset: 5m}\n"),
            "{edited}"
        );
    }
}

//! The options of a task, read from its Flux script as InfluxDB 2.7 reads them
//! (`task/options/options.go`, `FromScriptAST`): the first `option task = { ... }` statement
//! of the script; `name` (a string) is required; exactly one of `every` (a duration) and `cron`
//! (a string); `offset` (a duration), `concurrency` and `retry` (integers) optional; no other
//! key. `every` and `offset` must also be Go durations (units `ns`, `us`, `µs`, `ms`, `s`, `m`,
//! `h`: a Flux `1d` is refused, "the largest unit supported is h"), `every` at least one
//! second, both whole seconds. `every` is kept as written (`ast.Format` of the literal);
//! `offset` as a Go duration, shown by the API as hours, minutes, seconds (`90m` -> `1h30m`).
//!
//! This is not a Flux parser: strings and comments are skipped, and the values of the
//! options must be literals (the real server evaluates expressions; scripts written for a
//! task use literals).

/// What the server keeps of a script's options.
#[derive(Debug, Default, PartialEq)]
pub struct TaskOptions {
    pub name: String,
    /// The literal as written, e.g. `1h30m`; empty with `cron`.
    pub every: String,
    pub cron: String,
    /// Nanoseconds; 0 when there is no offset.
    pub offset_ns: i64,
}

const NS_PER_S: i64 = 1_000_000_000;

/// The options of `flux`, or the server's error message (`invalid options: ...`).
pub fn from_script(flux: &str) -> Result<TaskOptions, String> {
    let body = option_task_body(flux).ok_or("invalid options: missing required option: 'task'")?;
    let mut opts = TaskOptions::default();
    let (mut every, mut cron) = (false, false);
    for (key, value) in properties(body)? {
        match key.as_str() {
            "name" => opts.name = string_literal(&value).ok_or("invalid options: unexpected kind: got \"int\" expected \"string\" for name")?,
            "cron" => {
                opts.cron = string_literal(&value).ok_or("invalid options: cron must be a string")?;
                cron = true;
            }
            "every" => {
                let ns = go_duration(&value).ok_or(format!("invalid options: failed to parse field 'every': {value:?} is not a duration with units up to h"))?;
                if ns < NS_PER_S {
                    return Err("invalid options: every option must be at least 1 second".into());
                }
                if ns % NS_PER_S != 0 {
                    return Err("invalid options: every option must be expressible as whole seconds".into());
                }
                opts.every = value;
                every = true;
            }
            "offset" => {
                let ns = go_duration(&value).ok_or(format!("invalid options: failed to parse field 'offset': {value:?} is not a duration with units up to h"))?;
                if ns % NS_PER_S != 0 {
                    return Err("invalid options: offset option must be expressible as whole seconds".into());
                }
                opts.offset_ns = ns;
            }
            "concurrency" | "retry" => {
                value.parse::<i64>().map_err(|_| format!("invalid options: {key} must be an integer"))?;
            }
            other => {
                return Err(format!("invalid options: unknown task option(s): {other}. valid options are name, cron, every, offset, concurrency, retry"))
            }
        }
    }
    if opts.name.is_empty() {
        return Err("invalid options: missing required option: 'name'".into());
    }
    match (every, cron) {
        (true, true) => {
            Err("invalid options: cannot use both cron and every in task options".into())
        }
        (false, false) => {
            Err("invalid options: missing required option: 'cron or every is required'".into())
        }
        (false, true) if !valid_cron(&opts.cron) => {
            Err(format!("invalid options: cron invalid: {:?}", opts.cron))
        }
        _ => Ok(opts),
    }
}

/// `offset` as the API shows it (`customParseDuration`): `-`, then hours, minutes, seconds.
pub fn show_offset(ns: i64) -> String {
    let mut out = String::new();
    if ns < 0 {
        out.push('-');
    }
    let secs = ns.unsigned_abs() / NS_PER_S as u64;
    let (h, m, s) = (secs / 3600, secs % 3600 / 60, secs % 60);
    for (v, unit) in [(h, 'h'), (m, 'm'), (s, 's')] {
        if v != 0 {
            out.push_str(&format!("{v}{unit}"));
        }
    }
    out
}

/// The text between the braces of the first `option task = { ... }`, skipping strings and
/// comments.
fn option_task_body(flux: &str) -> Option<&str> {
    let b = flux.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => i = skip_string(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = skip_comment(b, i),
            _ if flux[i..].starts_with("option") && (i == 0 || !is_ident(b[i - 1])) => {
                let rest = flux[i + 6..].trim_start();
                if let Some(r) = rest.strip_prefix("task") {
                    if let Some(r) = r.trim_start().strip_prefix('=') {
                        if let Some(r) = r.trim_start().strip_prefix('{') {
                            let start = flux.len() - r.len();
                            let end = matching_brace(b, start)?;
                            return Some(&flux[start..end]);
                        }
                    }
                }
                i += 6;
            }
            _ => i += 1,
        }
    }
    None
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

fn skip_string(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() && b[i] != b'"' {
        i += if b[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

fn skip_comment(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && b[i] != b'\n' {
        i += 1;
    }
    i
}

/// Where the string or line comment that starts at `i` ends, if one does: what a scan for
/// braces and commas passes over.
fn skip_opaque(b: &[u8], i: usize) -> Option<usize> {
    match b[i] {
        b'"' => Some(skip_string(b, i)),
        b'/' if b.get(i + 1) == Some(&b'/') => Some(skip_comment(b, i)),
        _ => None,
    }
}

/// Walks `b` from `start`, past strings and comments, calling `at` with each other byte's
/// index and the bracket depth before it (a bracket changes the depth after `at`): the first
/// `Some` that `at` gives.
fn scan<R>(b: &[u8], start: usize, mut at: impl FnMut(usize, usize) -> Option<R>) -> Option<R> {
    let (mut depth, mut i) = (0usize, start);
    while i < b.len() {
        if let Some(after) = skip_opaque(b, i) {
            i = after;
            continue;
        }
        if let Some(r) = at(i, depth) {
            return Some(r);
        }
        match b[i] {
            b'{' | b'(' | b'[' => depth += 1,
            b'}' | b')' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the `}` closing the object that starts at `start` (just after its `{`).
fn matching_brace(b: &[u8], start: usize) -> Option<usize> {
    scan(b, start, |i, depth| {
        (b[i] == b'}' && depth == 0).then_some(i)
    })
}

/// `key: value` pairs separated by commas at depth 0.
fn properties(body: &str) -> Result<Vec<(String, String)>, String> {
    let b = body.as_bytes();
    let mut parts = Vec::new();
    let mut start = 0;
    scan(b, 0, |i, depth| {
        if b[i] == b',' && depth == 0 {
            parts.push(&body[start..i]);
            start = i + 1;
        }
        None::<()>
    });
    parts.push(&body[start..]);
    let strip_comments = |s: &str| -> String {
        s.lines()
            .map(|l| {
                if l.trim_start().starts_with("//") {
                    ""
                } else {
                    l
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut out = Vec::new();
    for p in parts {
        let p = strip_comments(p);
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        let (k, v) = p.split_once(':').ok_or(format!(
            "invalid options: expected `key: value` in the task option, got {p:?}"
        ))?;
        out.push((k.trim().to_owned(), v.trim().to_owned()));
    }
    Ok(out)
}

fn string_literal(v: &str) -> Option<String> {
    let inner = v.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// A Flux duration literal that is also a Go duration, in nanoseconds.
fn go_duration(v: &str) -> Option<i64> {
    let (neg, mut rest) = match v.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, v),
    };
    if rest.is_empty() {
        return None;
    }
    let mut total: i64 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let units = [
            ("ns", 1),
            ("us", 1_000),
            ("µs", 1_000),
            ("ms", 1_000_000),
            ("s", NS_PER_S),
            ("m", 60 * NS_PER_S),
            ("h", 3600 * NS_PER_S),
        ];
        let (unit, scale) = units.iter().find(|(u, _)| {
            rest.starts_with(u) && !rest[u.len()..].starts_with(|c: char| c.is_ascii_alphabetic())
        })?;
        total = total.checked_add(n.checked_mul(*scale)?)?;
        rest = &rest[unit.len()..];
    }
    Some(if neg { -total } else { total })
}

/// robfig/cron's rule, roughly: a descriptor (`@hourly`, `@every 1h`, ...) or 5 or 6 fields.
fn valid_cron(c: &str) -> bool {
    let fields = c.split_whitespace().count();
    if c.starts_with('@') {
        return true;
    }
    (fields == 5 || fields == 6)
        && c.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || " */,-?".contains(ch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_read_from_the_script_as_the_server_reads_them() {
        let o = from_script("// a task\noption task = {name: \"down\", every: 1h30m, offset: 90m}\nfrom(bucket: \"b\")").unwrap();
        assert_eq!(o.name, "down");
        assert_eq!(o.every, "1h30m");
        assert_eq!(show_offset(o.offset_ns), "1h30m");
        let o =
            from_script("option task = {\n  name: \"c\",\n  cron: \"0 * * * *\",\n}\n").unwrap();
        assert_eq!(o.cron, "0 * * * *");
        assert!(from_script("option task = {name: \"d\", every: 1d}")
            .unwrap_err()
            .contains("every"));
        assert!(from_script("option task = {name: \"d\"}").is_err());
        assert!(from_script("option task = {every: 1h}").is_err());
        assert!(
            from_script("option task = {name: \"d\", every: 1h, cron: \"* * * * *\"}").is_err()
        );
        assert!(from_script("option task = {name: \"d\", every: 1h, colour: 1}").is_err());
        assert!(from_script("from(bucket: \"x\")").is_err());
        assert!(from_script("option task = {name: \"d\", every: 500ms}").is_err());
        assert_eq!(show_offset(-5 * 60 * NS_PER_S), "-5m");
    }
}

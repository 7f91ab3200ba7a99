//! A task's Flux script as the provider compares and checks it.
//!
//! [`canonical`] is the script without its formatting: whitespace is dropped except a single
//! space between two words (`and x`), a comma before a closing bracket is dropped (formatters
//! add and remove them), and string literals, regular expressions and comments are kept as
//! written. Two scripts with the same canonical form differ only in formatting, so
//! [`same_script`] is `flux`'s semantic equality: re-indenting a script, or a server or UI
//! that reformats it, never shows as a change, and any other change does.
//!
//! [`check_options`] reads the `option task = {...}` statement as InfluxDB does before it
//! accepts a task: `name` is required, exactly one of `every` and `cron`, and `every` and
//! `offset` are durations in units up to hours (InfluxDB refuses `1d`, "the largest unit
//! supported is h"), `every` at least one second.

use crate::engine::Value;

/// The script without its formatting (see the module documentation).
pub fn canonical(script: &str) -> String {
    let chars: Vec<char> = script.chars().collect();
    let mut out = String::with_capacity(script.len());
    let mut pending_space = false;
    let mut i = 0;
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            pending_space = true;
            i += 1;
            continue;
        }
        if pending_space && out.chars().last().is_some_and(word) && word(c) {
            out.push(' ');
        }
        pending_space = false;
        match c {
            '"' => {
                let end = literal_end(&chars, i, '"');
                out.extend(&chars[i..end]);
                i = end;
            }
            '/' if chars.get(i + 1) == Some(&'/') => {
                let mut end = i;
                while end < chars.len() && chars[end] != '\n' {
                    end += 1;
                }
                out.push_str(chars[i..end].iter().collect::<String>().trim_end());
                out.push('\n');
                i = end;
            }
            '/' if regex_may_start(&out) => {
                let end = literal_end(&chars, i, '/');
                out.extend(&chars[i..end]);
                i = end;
            }
            '}' | ')' | ']' => {
                if out.ends_with(',') {
                    out.pop();
                }
                out.push(c);
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Whether two `flux` values are the same script, formatting aside.
pub fn same_script(a: &Value, b: &Value) -> bool {
    match (a.as_str(), b.as_str()) {
        (Some(a), Some(b)) => canonical(a) == canonical(b),
        _ => false,
    }
}

/// The index just past a literal that starts at `start` with `quote` and ends with an
/// unescaped `quote` (or at the end of the script).
fn literal_end(chars: &[char], start: usize, quote: char) -> usize {
    let mut i = start + 1;
    while i < chars.len() && chars[i] != quote {
        i += if chars[i] == '\\' { 2 } else { 1 };
    }
    (i + 1).min(chars.len())
}

/// A `/` after an operator or an opening bracket starts a regular expression literal; after
/// a value it divides.
fn regex_may_start(before: &str) -> bool {
    match before.chars().last() {
        None => true,
        Some(c) => "~=(,:[{!".contains(c) || before.ends_with("return") || c == '\n',
    }
}

/// The `option task` object's `key: value` pairs, in canonical form; `None` when the script
/// has no `option task = {...}`.
fn task_options(canonical: &str) -> Option<Vec<(String, String)>> {
    let start = canonical.find("option task={")? + "option task={".len();
    let chars: Vec<char> = canonical[start..].chars().collect();
    let (mut depth, mut current, mut parts) = (0usize, String::new(), Vec::new());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '"' => {
                let end = literal_end(&chars, i, '"');
                current.extend(&chars[i..end]);
                i = end;
                continue;
            }
            '{' | '(' | '[' => depth += 1,
            '}' if depth == 0 => break,
            '}' | ')' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut current));
                i += 1;
                continue;
            }
            _ => {}
        }
        current.push(c);
        i += 1;
    }
    parts.push(current);
    Some(
        parts
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                // Comments inside the object are not options.
                let p: String = p
                    .lines()
                    .filter(|l| !l.trim_start().starts_with("//"))
                    .collect();
                match p.split_once(':') {
                    Some((k, v)) => (k.trim().to_owned(), v.trim().to_owned()),
                    None => (p.trim().to_owned(), String::new()),
                }
            })
            .collect(),
    )
}

/// Nanoseconds of a duration literal in Go's units (up to hours); `None` otherwise.
fn go_duration(v: &str) -> Option<i128> {
    let (neg, mut rest) = v.strip_prefix('-').map_or((false, v), |r| (true, r));
    if rest.is_empty() {
        return None;
    }
    let mut total: i128 = 0;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let n: i128 = rest.get(..digits)?.parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .chars()
            .take_while(|c| c.is_alphabetic())
            .map(char::len_utf8)
            .sum();
        let scale: i128 = match &rest[..unit_len] {
            "ns" => 1,
            "us" | "µs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        total += n * scale;
        rest = &rest[unit_len..];
    }
    Some(if neg { -total } else { total })
}

/// Whether a value is a duration literal at all (any Flux unit), as opposed to an expression.
fn is_duration_literal(v: &str) -> bool {
    let v = v.strip_prefix('-').unwrap_or(v);
    !v.is_empty()
        && v.starts_with(|c: char| c.is_ascii_digit())
        && v.chars().all(|c| c.is_ascii_alphanumeric() || c == 'µ')
}

/// What InfluxDB would refuse in the script's `option task`, as a sentence naming the option.
pub fn check_options(script: &str) -> Result<(), String> {
    let Some(opts) = task_options(&canonical(script)) else {
        return Err("The script has no `option task = { name: \"...\", every: 1h }` statement, which InfluxDB reads the task's name and schedule from.".into());
    };
    let get = |k: &str| {
        opts.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    if get("name").is_none() {
        return Err("The script's `option task` has no `name`, which InfluxDB requires.".into());
    }
    match (get("every"), get("cron")) {
        (Some(_), Some(_)) => return Err("The script's `option task` sets both `every` and `cron`; InfluxDB accepts exactly one of them.".into()),
        (None, None) => return Err("The script's `option task` sets neither `every` nor `cron`; InfluxDB needs exactly one of them for the schedule.".into()),
        _ => {}
    }
    for key in ["every", "offset"] {
        let Some(v) = get(key).filter(|v| is_duration_literal(v)) else {
            continue;
        };
        let Some(ns) = go_duration(v) else {
            return Err(format!("The script's `option task` sets `{key}: {v}`, which InfluxDB refuses: task durations use the units ns, us, ms, s, m and h (the largest unit supported is h), so write for example `24h` instead of `1d`."));
        };
        if ns % 1_000_000_000 != 0 {
            return Err(format!(
                "The script's `option task` sets `{key}: {v}`, which is not a whole number of seconds, as InfluxDB requires."
            ));
        }
        if key == "every" && ns < 1_000_000_000 {
            return Err(format!("The script's `option task` sets `every: {v}`; InfluxDB requires at least one second."));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRIPT: &str = "option task = {name: \"down\", every: 1h}\n\nfrom(bucket: \"in\")\n  |> range(start: -task.every)\n  |> filter(fn: (r) => r._measurement =~ /cpu a/ and r.x == \"a  b\")\n  |> to(bucket: \"out\")\n";

    #[test]
    fn formatting_does_not_change_the_script_and_anything_else_does() {
        let reformatted = "option task = {\n    name: \"down\",\n    every: 1h,\n}\n\nfrom(bucket: \"in\") |> range(start: -task.every) |> filter(fn: (r) => r._measurement =~ /cpu a/ and r.x == \"a  b\") |> to(bucket: \"out\")";
        assert_eq!(canonical(SCRIPT), canonical(reformatted));
        for changed in [
            SCRIPT.replace("1h", "2h"),
            SCRIPT.replace("a  b", "a b"),
            SCRIPT.replace("/cpu a/", "/cpu  a/"),
            SCRIPT.replace("and r", "or r"),
            format!("// note\n{SCRIPT}"),
        ] {
            assert_ne!(canonical(SCRIPT), canonical(&changed), "{changed}");
        }
        assert!(same_script(&Value::from(SCRIPT), &Value::from(reformatted)));
    }

    #[test]
    fn the_task_options_are_checked_as_influxdb_checks_them() {
        assert!(check_options(SCRIPT).is_ok());
        assert!(
            check_options("option task = {name: \"c\", cron: \"0 * * * *\", offset: 5m}").is_ok()
        );
        for (bad, says) in [
            ("from(bucket: \"x\")", "no `option task"),
            ("option task = {every: 1h}", "no `name`"),
            (
                "option task = {name: \"a\", every: 1h, cron: \"* * * * *\"}",
                "both",
            ),
            ("option task = {name: \"a\"}", "neither"),
            ("option task = {name: \"a\", every: 1d}", "largest unit"),
            (
                "option task = {name: \"a\", every: 1h, offset: 1w}",
                "offset",
            ),
            ("option task = {name: \"a\", every: 500ms}", "whole number"),
        ] {
            let e = check_options(bad).unwrap_err();
            assert!(e.contains(says), "{bad}: {e}");
        }
    }
}

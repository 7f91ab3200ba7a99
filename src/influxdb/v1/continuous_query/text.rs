//! Comparing InfluxQL texts by meaning: InfluxDB 1.x stores a continuous query rewritten (quotes
//! dropped where not needed, keywords in capitals, durations in their largest whole unit,
//! measurement names qualified with the database and retention policy), so the text read back
//! is never the text the user wrote. Both sides are cut into tokens and normalised; two texts
//! are the same query when their token lists match. A query re-made with another body differs in
//! some token and shows in the plan.

use crate::influxdb::duration::parse_duration;

/// One token of an InfluxQL text, normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    /// A keyword, in capitals (`SELECT`, `group`, `By` are the same).
    Keyword(String),
    /// An identifier, quoted or not, without its quotes (identifiers are case-sensitive).
    Ident(String),
    /// A function name (case-insensitive in InfluxQL), lower-case.
    Function(String),
    /// A string literal's content.
    Str(String),
    /// A duration literal, in nanoseconds (`60m` and `1h` are the same).
    Duration(i64),
    /// A number, or anything else that is one word.
    Word(String),
    /// Punctuation and operators, one character at a time except `<=`, `>=`, `!=`, `<>`, `=~`, `!~`.
    Punct(String),
    /// A regular expression literal `/.../`.
    Regex(String),
}

/// InfluxQL's reserved words (the 1.x language specification), plus `AND`, `OR`, `TRUE`, `FALSE`.
const KEYWORDS: &[&str] = &[
    "ALL",
    "ALTER",
    "AND",
    "ANY",
    "AS",
    "ASC",
    "BEGIN",
    "BY",
    "CREATE",
    "CONTINUOUS",
    "DATABASE",
    "DATABASES",
    "DEFAULT",
    "DELETE",
    "DESC",
    "DESTINATIONS",
    "DIAGNOSTICS",
    "DISTINCT",
    "DROP",
    "DURATION",
    "END",
    "EVERY",
    "EXPLAIN",
    "FALSE",
    "FIELD",
    "FOR",
    "FROM",
    "GRANT",
    "GRANTS",
    "GROUP",
    "GROUPS",
    "IN",
    "INF",
    "INSERT",
    "INTO",
    "KEY",
    "KEYS",
    "KILL",
    "LIMIT",
    "MEASUREMENT",
    "MEASUREMENTS",
    "NAME",
    "NOT",
    "NULL",
    "OFFSET",
    "ON",
    "OR",
    "ORDER",
    "PASSWORD",
    "POLICIES",
    "POLICY",
    "PREVIOUS",
    "PRIVILEGES",
    "QUERIES",
    "QUERY",
    "READ",
    "REPLICATION",
    "RESAMPLE",
    "RETENTION",
    "REVOKE",
    "SELECT",
    "SERIES",
    "SET",
    "SHARD",
    "SHARDS",
    "SHOW",
    "SLIMIT",
    "SOFFSET",
    "STATS",
    "SUBSCRIPTION",
    "SUBSCRIPTIONS",
    "TAG",
    "TO",
    "TRUE",
    "USER",
    "USERS",
    "VALUES",
    "WHERE",
    "WITH",
    "WRITE",
    "LINEAR",
    "NONE",
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == 'µ'
}

/// Reads a quoted run starting after the opening `q`; backslash escapes the next character.
fn quoted(chars: &[char], mut i: usize, q: char) -> (String, usize) {
    let mut s = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                s.push(chars[i + 1]);
                i += 2;
            }
            c if c == q => return (s, i + 1),
            c => {
                s.push(c);
                i += 1;
            }
        }
    }
    (s, i)
}

fn tokens(text: &str) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '"' {
            let (s, next) = quoted(&chars, i + 1, '"');
            out.push(Token::Ident(s));
            i = next;
        } else if c == '\'' {
            let (s, next) = quoted(&chars, i + 1, '\'');
            out.push(Token::Str(s));
            i = next;
        } else if c == '/' && regex_may_start(out.last()) {
            let (s, next) = quoted(&chars, i + 1, '/');
            out.push(Token::Regex(s));
            i = next;
        } else if is_word_char(c) {
            let start = i;
            while i < chars.len() && is_word_char(chars[i]) {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            let next_is_paren = chars[i..].iter().find(|c| !c.is_whitespace()) == Some(&'(');
            out.push(word_token(word, next_is_paren));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            if ["<=", ">=", "!=", "<>", "=~", "!~"].contains(&two.as_str()) {
                out.push(Token::Punct(two));
                i += 2;
            } else {
                out.push(Token::Punct(c.to_string()));
                i += 1;
            }
        }
    }
    out
}

/// A `/` starts a regular expression after `FROM`, `=~`, `!~`, a comma or `(`; elsewhere it divides.
fn regex_may_start(prev: Option<&Token>) -> bool {
    match prev {
        Some(Token::Keyword(k)) => k == "FROM",
        Some(Token::Punct(p)) => ["=~", "!~", ",", "("].contains(&p.as_str()),
        _ => false,
    }
}

fn word_token(word: String, function: bool) -> Token {
    let upper = word.to_uppercase();
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        if word.chars().any(|c| c.is_alphabetic()) {
            if let Ok(ns) = parse_duration(&word) {
                return Token::Duration(ns);
            }
        }
        return Token::Word(word);
    }
    if function && !KEYWORDS.contains(&upper.as_str()) {
        return Token::Function(word.to_lowercase());
    }
    if KEYWORDS.contains(&upper.as_str()) {
        Token::Keyword(upper)
    } else {
        Token::Ident(word)
    }
}

/// Drops what the server adds to measurement names: the database prefix (`db.rp.m` and `db..m`)
/// when it is the query's own database, and the retention policy when one side names it and the
/// other does not (the server fills in the default policy).
fn unqualify(tokens: Vec<Token>, database: &str) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    let dot = Token::Punct(".".into());
    while i < tokens.len() {
        // A dotted name: ident (. ident?)*
        if matches!(tokens[i], Token::Ident(_)) {
            let mut parts: Vec<Option<Token>> = vec![Some(tokens[i].clone())];
            let mut j = i + 1;
            while j < tokens.len() && tokens[j] == dot {
                match tokens.get(j + 1) {
                    Some(t @ Token::Ident(_)) => {
                        parts.push(Some(t.clone()));
                        j += 2;
                    }
                    _ => {
                        parts.push(None);
                        j += 1;
                    }
                }
            }
            if parts.len() == 3 && parts[0] == Some(Token::Ident(database.to_owned())) {
                parts.remove(0);
            }
            if parts.len() == 2 {
                // rp.m (or .m): keep only the measurement; a policy that differs still shows,
                // because both sides qualify the same way once the server has rewritten one.
                if let Some(rp) = parts[0].take() {
                    out.push(Token::Word(format!("rp:{rp:?}")));
                }
                parts.remove(0);
            }
            out.extend(
                parts
                    .into_iter()
                    .map(|p| p.unwrap_or_else(|| Token::Punct(".".into()))),
            );
            i = j;
            continue;
        }
        out.push(tokens[i].clone());
        i += 1;
    }
    out
}

/// The normal form of a query body (`SELECT ... END` without `BEGIN`/`END`) of `database`.
fn normal(text: &str, database: &str) -> Vec<Token> {
    unqualify(tokens(text), database)
}

fn without_policies(t: &[Token]) -> Vec<Token> {
    t.iter()
        .filter(|t| !matches!(t, Token::Word(w) if w.starts_with("rp:")))
        .cloned()
        .collect()
}

/// Whether two query bodies of `database` are the same query. Measurement names match with or
/// without the database and retention policy (the server adds them); when both sides name the
/// policies, they must agree.
pub fn same_query(a: &str, b: &str, database: &str) -> bool {
    let (na, nb) = (normal(a, database), normal(b, database));
    if na == nb {
        return true;
    }
    let count = |t: &[Token]| {
        t.iter()
            .filter(|t| matches!(t, Token::Word(w) if w.starts_with("rp:")))
            .count()
    };
    // One side leaves the policies out (the user's text): compare without them.
    if count(&na) != count(&nb) {
        return without_policies(&na) == without_policies(&nb);
    }
    false
}

/// Whether two `RESAMPLE` clauses (`EVERY 1h FOR 2h`, with or without the word `RESAMPLE`)
/// say the same.
pub fn same_resample(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        let mut t = tokens(s);
        if t.first() == Some(&Token::Keyword("RESAMPLE".into())) {
            t.remove(0);
        }
        t
    };
    strip(a) == strip(b)
}

/// The parts of a stored `CREATE CONTINUOUS QUERY name ON db [RESAMPLE ...] BEGIN body END`:
/// the `RESAMPLE` clause's text after the keyword (if any) and the body.
#[derive(Debug, PartialEq, Eq)]
pub struct StoredQuery {
    pub resample: Option<String>,
    pub body: String,
}

/// Cuts the text `SHOW CONTINUOUS QUERIES` answers into its parts; `None` when it is not a
/// `CREATE CONTINUOUS QUERY` statement with `BEGIN ... END`.
pub fn parse_stored(text: &str) -> Option<StoredQuery> {
    let upper = text.to_uppercase();
    let begin = find_keyword(&upper, "BEGIN")?;
    let end = upper.rfind("END")?;
    if end < begin + 5 {
        return None;
    }
    let head = &text[..begin];
    let body = text[begin + 5..end].trim().to_owned();
    let resample = find_keyword(&head.to_uppercase(), "RESAMPLE")
        .map(|r| head[r + "RESAMPLE".len()..].trim().to_owned());
    Some(StoredQuery { resample, body })
}

/// The byte offset of `word` standing alone (between non-word characters), outside quotes.
fn find_keyword(upper: &str, word: &str) -> Option<usize> {
    let bytes = upper.as_bytes();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => {
                if b == b'"' || b == b'\'' {
                    quote = Some(b);
                } else if upper[i..].starts_with(word) {
                    let before = i == 0 || !is_word_char(upper[..i].chars().last().unwrap_or(' '));
                    let after = upper[i + word.len()..]
                        .chars()
                        .next()
                        .is_none_or(|c| !is_word_char(c));
                    if before && after {
                        return Some(i);
                    }
                }
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_rewrite_is_the_same_query() {
        let user = r#"SELECT mean("value") INTO "long"."mean_value" FROM "short"."value" GROUP BY time(60m)"#;
        let server = "SELECT mean(value) INTO metrics.long.mean_value FROM metrics.short.value GROUP BY time(1h)";
        assert!(same_query(user, server, "metrics"));
        let unqualified = r#"select MEAN(value) into mean_value from value group by time(1h)"#;
        let server2 = "SELECT mean(value) INTO metrics.autogen.mean_value FROM metrics.autogen.value GROUP BY time(1h)";
        assert!(same_query(unqualified, server2, "metrics"));
        assert!(same_query(server2, server2, "metrics"));
    }

    #[test]
    fn another_body_is_another_query() {
        let a = "SELECT mean(value) INTO metrics.long.m FROM metrics.short.value GROUP BY time(1h)";
        let b = "SELECT max(value) INTO metrics.long.m FROM metrics.short.value GROUP BY time(1h)";
        let c = "SELECT mean(value) INTO metrics.long.m FROM metrics.short.value GROUP BY time(2h)";
        let d =
            "SELECT mean(value) INTO metrics.other.m FROM metrics.short.value GROUP BY time(1h)";
        let e =
            "SELECT mean(\"Value\") INTO metrics.long.m FROM metrics.short.value GROUP BY time(1h)";
        for other in [b, c, d, e] {
            assert!(!same_query(a, other, "metrics"), "{other}");
        }
        // Another database's measurement is not this database's.
        assert!(!same_query(
            "SELECT mean(v) INTO m FROM other.autogen.x GROUP BY time(1h)",
            "SELECT mean(v) INTO db.autogen.m FROM db.autogen.x GROUP BY time(1h)",
            "db"
        ));
    }

    #[test]
    fn quoted_names_with_quotes_and_keywords_survive() {
        let a = r#"SELECT count("we\"ird") INTO "default"."m" FROM "x" GROUP BY time(1h)"#;
        let b =
            r#"SELECT count("we\"ird") INTO db."default".m FROM db.autogen.x GROUP BY time(1h)"#;
        assert!(same_query(a, b, "db"));
    }

    #[test]
    fn resample_clauses_compare_by_meaning() {
        assert!(same_resample(
            "EVERY 30m FOR 1h",
            "RESAMPLE EVERY 30m FOR 60m"
        ));
        assert!(!same_resample("EVERY 30m FOR 1h", "EVERY 30m FOR 2h"));
    }

    #[test]
    fn a_stored_statement_is_cut_into_its_parts() {
        let s = parse_stored("CREATE CONTINUOUS QUERY cq ON db RESAMPLE EVERY 1h FOR 2h BEGIN SELECT mean(v) INTO db.autogen.m FROM db.autogen.x GROUP BY time(1h) END").unwrap();
        assert_eq!(s.resample.as_deref(), Some("EVERY 1h FOR 2h"));
        assert_eq!(
            s.body,
            "SELECT mean(v) INTO db.autogen.m FROM db.autogen.x GROUP BY time(1h)"
        );
        let s = parse_stored(r#"CREATE CONTINUOUS QUERY "begin end" ON "x" BEGIN SELECT 1 END"#)
            .unwrap();
        assert_eq!(s.resample, None);
        assert_eq!(s.body, "SELECT 1");
    }
}

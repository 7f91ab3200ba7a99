//! Durations as users write them in Terraform (`"30d"`, `"720h"`, `"1h30m"`, `"0s"`), shared by
//! every family's retention periods and by ephemeral tokens' `ttl`: parsed to nanoseconds,
//! formatted canonically, and compared by value so `"30d"` and `"720h"` are no change.

use crate::engine::Value;

const NS: i64 = 1;
const US: i64 = 1_000;
const MS: i64 = 1_000_000;
const SEC: i64 = 1_000_000_000;
const MIN: i64 = 60 * SEC;
const HOUR: i64 = 60 * MIN;
const DAY: i64 = 24 * HOUR;
const WEEK: i64 = 7 * DAY;

const UNITS: &[(&str, i64)] = &[
    ("ns", NS),
    ("us", US),
    ("µs", US),
    ("ms", MS),
    ("s", SEC),
    ("m", MIN),
    ("h", HOUR),
    ("d", DAY),
    ("w", WEEK),
];

const UNITS_HELP: &str = "ns, us, ms, s, m, h, d, w";

/// Parses a duration such as `"30d"`, `"720h"`, `"1h30m"` or `"0s"` into nanoseconds.
/// Each number needs a unit (ns, us, ms, s, m, h, d, w); `"0"` alone is also accepted.
/// Negative values, fractions, whitespace and other units are refused with a sentence saying
/// why.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    if s.is_empty() {
        return Err(
            "The duration is empty; use for example \"30d\", or \"0s\" for infinite retention."
                .into(),
        );
    }
    if s.chars().any(char::is_whitespace) {
        return Err(format!(
            "The duration {s:?} contains whitespace; write it without spaces, such as \"1h30m\"."
        ));
    }
    if s.starts_with('-') {
        return Err(format!("The duration {s:?} is negative; use a positive duration, or \"0s\" for infinite retention."));
    }
    if s == "0" {
        return Ok(0);
    }
    let mut total: i64 = 0;
    let mut rest = s;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(format!(
                "The duration {s:?} is not a sequence of numbers with units, such as \"30d\" or \"1h30m\" (units: {UNITS_HELP})."
            ));
        }
        let (num, after) = rest.split_at(digits);
        if after.starts_with(['.', ',']) {
            return Err(format!("The duration {s:?} has a fraction; write whole numbers of a smaller unit instead, such as \"1h30m\" for 1.5 hours."));
        }
        let unit_len = after
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit())
            .map_or(after.len(), |(i, _)| i);
        let (unit, next) = after.split_at(unit_len);
        if unit.is_empty() {
            return Err(format!("The number {num} in the duration {s:?} has no unit; add one of {UNITS_HELP} (for example \"{num}d\")."));
        }
        let Some((_, factor)) = UNITS.iter().find(|(u, _)| *u == unit) else {
            return Err(format!("The duration {s:?} uses the unknown unit {unit:?}; use one of {UNITS_HELP} (months and years are not fixed lengths: write \"30d\" or \"365d\")."));
        };
        let too_long = || {
            format!("The duration {s:?} is too long; the maximum is about 292 years (\"106751d\").")
        };
        let n: i64 = num.parse().map_err(|_| too_long())?;
        total = n
            .checked_mul(*factor)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(too_long)?;
        rest = next;
    }
    Ok(total)
}

/// The canonical form of a duration in nanoseconds: the largest unit up to days that divides
/// it exactly (`"30d"`, `"36h"`, `"90m"`), `"0s"` for zero.
pub fn format_duration(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let sign = if ns < 0 { "-" } else { "" };
    let abs = ns.unsigned_abs();
    for (unit, factor) in [
        ("d", DAY),
        ("h", HOUR),
        ("m", MIN),
        ("s", SEC),
        ("ms", MS),
        ("us", US),
    ] {
        let factor = factor as u64;
        if abs % factor == 0 {
            return format!("{sign}{}{unit}", abs / factor);
        }
    }
    format!("{sign}{abs}ns")
}

/// `"30d"` and `"720h"` are the same retention period.
pub fn same_duration(a: &Value, b: &Value) -> bool {
    match (
        a.as_str().map(parse_duration),
        b.as_str().map(parse_duration),
    ) {
        (Some(Ok(a)), Some(Ok(b))) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("0s"), Ok(0));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("30d"), Ok(30 * DAY));
        assert_eq!(parse_duration("720h"), Ok(30 * DAY));
        assert_eq!(parse_duration("1h30m"), Ok(90 * MIN));
        assert_eq!(parse_duration("2w1d"), Ok(15 * DAY));
        assert_eq!(parse_duration("1s500ms"), Ok(1500 * MS));
        assert_eq!(parse_duration("3us"), Ok(3000));
        assert_eq!(parse_duration("3µs"), Ok(3000));
        assert_eq!(parse_duration("7ns"), Ok(7));
        for (bad, why) in [
            ("", "empty"),
            ("-1h", "negative"),
            ("1 h", "whitespace"),
            (" 1h", "whitespace"),
            ("30", "no unit"),
            ("1h30", "no unit"),
            ("1mo", "unknown unit \"mo\""),
            ("1y", "unknown unit"),
            ("1.5h", "fraction"),
            ("h", "numbers with units"),
            ("99999999999999999999d", "too long"),
            ("300000w", "too long"),
        ] {
            let e = parse_duration(bad).unwrap_err();
            assert!(e.contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn durations_format_canonically_and_round_trip() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(30 * DAY), "30d");
        assert_eq!(format_duration(14 * DAY), "14d");
        assert_eq!(format_duration(36 * HOUR), "36h");
        assert_eq!(format_duration(90 * MIN), "90m");
        assert_eq!(format_duration(1500 * MS), "1500ms");
        assert_eq!(format_duration(3_600_000_000_001), "3600000000001ns");
        for ns in [0, 1, 999, 1000, SEC, 90 * MIN, 30 * DAY, i64::MAX] {
            assert_eq!(parse_duration(&format_duration(ns)), Ok(ns), "{ns}");
        }
        assert!(same_duration(&"30d".into(), &"720h".into()));
        assert!(!same_duration(&"30d".into(), &"31d".into()));
        assert!(!same_duration(&"30d".into(), &"bad".into()));
    }
}

//! Timestamps as users write them (RFC 3339 with any offset) and as the InfluxDB APIs return
//! them (UTC, milliseconds), shared by every family.

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Parses an RFC 3339 timestamp with any UTC offset and optional fractional seconds, e.g.
/// `2030-01-01T00:00:00Z` or `2030-01-01T01:00:00.5+01:00`.
pub fn parse_rfc3339(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).map_err(|e| {
        format!(
            "The timestamp {s:?} is not a valid RFC 3339 date-time ({e}); use a form such as \
             \"2030-01-01T00:00:00Z\" or \"2030-01-01T09:30:00+02:00\"."
        )
    })
}

/// Formats a timestamp the way the API returns them: UTC, millisecond precision, `Z` suffix.
pub fn format_api_timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_parse_any_offset_and_format_as_utc_millis() {
        let t = parse_rfc3339("2030-01-01T01:00:00.123456+01:00").unwrap();
        assert_eq!(format_api_timestamp(t), "2030-01-01T00:00:00.123Z");
        let t = parse_rfc3339("2030-01-01T00:00:00Z").unwrap();
        assert_eq!(format_api_timestamp(t), "2030-01-01T00:00:00.000Z");
        let t = parse_rfc3339("2029-12-31T20:30:05-05:00").unwrap();
        assert_eq!(format_api_timestamp(t), "2030-01-01T01:30:05.000Z");
        for bad in [
            "2030-01-01",
            "2030-01-01 00:00:00",
            "tomorrow",
            "2030-13-01T00:00:00Z",
        ] {
            let e = parse_rfc3339(bad).unwrap_err();
            assert!(e.contains("RFC 3339"), "{e}");
        }
    }
}

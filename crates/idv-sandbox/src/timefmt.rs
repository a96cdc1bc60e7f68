//! RFC 3339 text for the instants the sandbox writes (`2023-10-16T09:21:40Z`, whole seconds in
//! UTC, as on the product page).

use time::OffsetDateTime;

/// `millis` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`. Instants beyond year 9999 are
/// written as the last second of 9999 (the form has four year digits).
pub(crate) fn rfc3339(millis: u64) -> String {
    const MAX_SECONDS: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
    let seconds = i64::try_from(millis / 1_000)
        .unwrap_or(MAX_SECONDS)
        .min(MAX_SECONDS);
    let at = OffsetDateTime::from_unix_timestamp(seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// The date part (`YYYY-MM-DD`) of `millis` shifted by whole `years` (negative: earlier),
/// clamped to years 1–9999; 29 February becomes 28 February in a common year.
pub(crate) fn date_years_from(millis: u64, years: i32) -> String {
    let text = rfc3339(millis);
    let year: i32 = text[..4].parse().unwrap_or(1970);
    let year = year.saturating_add(years).clamp(1, 9999);
    let (month, day) = (&text[5..7], &text[8..10]);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let day = if month == "02" && day == "29" && !leap {
        "28"
    } else {
        day
    };
    format!("{year:04}-{month}-{day}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_whole_seconds_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_697_448_100_999), "2023-10-16T09:21:40Z");
        assert_eq!(rfc3339(u64::MAX), "9999-12-31T23:59:59Z");
    }

    #[test]
    fn shifts_dates_by_years() {
        // 2024-02-29T12:00:00Z
        let leap_day = 1_709_208_000_000;
        assert_eq!(date_years_from(leap_day, 0), "2024-02-29");
        assert_eq!(date_years_from(leap_day, 10), "2034-02-28");
        assert_eq!(date_years_from(leap_day, -4), "2020-02-29");
        assert_eq!(date_years_from(0, -5000), "0001-01-01");
        assert_eq!(date_years_from(0, i32::MAX), "9999-01-01");
    }
}

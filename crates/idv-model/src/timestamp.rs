//! [`Timestamp`]: an RFC 3339 timestamp that keeps its exact text.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// A timestamp as sent by the API (RFC 3339, e.g. `2023-10-16T09:24:11Z` or
/// `2019-03-24T03:55:08.473Z`).
///
/// The exact text is kept (so round trips are exact) and parsed on demand; text that is not a
/// valid RFC 3339 date-time is kept too (the accessors then return `None`), never an error.
///
/// ```
/// use idv_model::Timestamp;
/// let t = Timestamp::new("2023-10-16T10:24:11.5+01:00");
/// assert_eq!(t.as_str(), "2023-10-16T10:24:11.5+01:00");
/// assert_eq!(t.unix_seconds(), Some(1_697_448_251));
/// assert_eq!(t.utc().unwrap().to_string(), "2023-10-16T09:24:11.500000000Z");
/// assert_eq!(Timestamp::new("yesterday").unix_seconds(), None);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Timestamp(String);

impl Timestamp {
    /// Wraps timestamp text (not validated).
    pub fn new(text: impl Into<String>) -> Self {
        Timestamp(text.into())
    }

    /// The exact text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Consumes the timestamp, returning its text.
    pub fn into_string(self) -> String {
        self.0
    }

    /// The parsed value, normalised to UTC; `None` when the text is not RFC 3339.
    pub fn utc(&self) -> Option<UtcDateTime> {
        parse_rfc3339(&self.0)
    }

    /// Whether the text is a valid RFC 3339 date-time.
    pub fn is_valid(&self) -> bool {
        self.utc().is_some()
    }

    /// Seconds since the Unix epoch (fraction dropped).
    pub fn unix_seconds(&self) -> Option<i64> {
        self.utc().map(|t| t.unix_seconds())
    }

    /// Milliseconds since the Unix epoch (fraction truncated to milliseconds).
    pub fn unix_millis(&self) -> Option<i64> {
        self.utc().map(|t| t.unix_millis())
    }

    /// The instant as a [`SystemTime`].
    pub fn to_system_time(&self) -> Option<SystemTime> {
        self.utc().and_then(|t| t.to_system_time())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp(text.to_owned())
    }
}

impl From<String> for Timestamp {
    fn from(text: String) -> Self {
        Timestamp(text)
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(Timestamp)
    }
}

/// A parsed date-time in UTC (nanosecond precision).
///
/// Parsing and calendar arithmetic are the `time` crate's; this type keeps the fields public and
/// free of that crate's types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UtcDateTime {
    /// Year (0–9999).
    pub year: u16,
    /// Month (1–12).
    pub month: u8,
    /// Day of the month (1–31).
    pub day: u8,
    /// Hour (0–23).
    pub hour: u8,
    /// Minute (0–59).
    pub minute: u8,
    /// Second (0–59 when parsed: a leap second `23:59:60`, valid only as the last second of a
    /// month in UTC, reads as `23:59:59.999999999`; 60 set by hand counts as the next second).
    pub second: u8,
    /// Nanoseconds (0–999 999 999).
    pub nanosecond: u32,
}

impl UtcDateTime {
    /// Seconds since the Unix epoch. Fields out of range (only possible when the value is built
    /// by hand) are clamped into range first; nothing overflows or panics.
    pub fn unix_seconds(&self) -> i64 {
        let leap = i64::from(self.second > 59);
        self.to_primitive().assume_utc().unix_timestamp() + leap
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        // |unix_seconds| < 2^38 for years 0–9999, so neither operation can overflow.
        self.unix_seconds() * 1_000 + i64::from(self.nanosecond.min(999_999_999) / 1_000_000)
    }

    /// The instant as a [`SystemTime`] (`None` if the platform cannot represent it).
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let secs = self.unix_seconds();
        let nanos = Duration::from_nanos(u64::from(self.nanosecond.min(999_999_999)));
        if secs >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::from_secs(secs.unsigned_abs()))?
                .checked_add(nanos)
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(secs.unsigned_abs()))?
                .checked_add(nanos)
        }
    }

    /// The fields as a `time` value, each clamped into its range.
    fn to_primitive(self) -> PrimitiveDateTime {
        let year = i32::from(self.year.min(9999));
        let month = Month::try_from(self.month.clamp(1, 12)).unwrap_or(Month::January);
        let day = self.day.clamp(1, month.length(year));
        let date = Date::from_calendar_date(year, month, day).unwrap_or(Date::MIN);
        let time = Time::from_hms_nano(
            self.hour.min(23),
            self.minute.min(59),
            self.second.min(59),
            self.nanosecond.min(999_999_999),
        )
        .unwrap_or(Time::MIDNIGHT);
        PrimitiveDateTime::new(date, time)
    }

    /// The fields of a UTC `time` value; `None` outside years 0–9999.
    fn from_utc(t: OffsetDateTime) -> Option<Self> {
        Some(UtcDateTime {
            year: u16::try_from(t.year()).ok().filter(|y| *y <= 9999)?,
            month: u8::from(t.month()),
            day: t.day(),
            hour: t.hour(),
            minute: t.minute(),
            second: t.second(),
            nanosecond: t.nanosecond(),
        })
    }
}

impl fmt::Display for UtcDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second, self.nanosecond
        )
    }
}

/// Parses an RFC 3339 `date-time` (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T`/`t`/space, `Z`/`z`)
/// and normalises it to UTC.
fn parse_rfc3339(text: &str) -> Option<UtcDateTime> {
    // `time` accepts any byte between date and time; RFC 3339 names `T`, `t` and (in a note) a
    // space, so the others stay invalid as they always were here.
    if !matches!(text.as_bytes().get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let parsed = OffsetDateTime::parse(text, &Rfc3339).ok()?;
    UtcDateTime::from_utc(parsed.checked_to_offset(UtcOffset::UTC)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<UtcDateTime> {
        parse_rfc3339(text)
    }

    #[test]
    fn parses_forms() {
        let t = parse("2019-03-24T03:55:12Z").unwrap();
        assert_eq!(t.unix_seconds(), 1_553_399_712);
        let t = parse("2019-03-24T03:55:08.473Z").unwrap();
        assert_eq!(t.nanosecond, 473_000_000);
        assert_eq!(t.unix_millis(), 1_553_399_708_473);
        let t = parse("2019-03-24t00:00:00-05:30").unwrap();
        assert_eq!((t.day, t.hour, t.minute), (24, 5, 30));
        let t = parse("2019-03-24 00:00:00z").unwrap();
        assert_eq!(t.unix_seconds(), 1_553_385_600);
        let t = parse("2020-01-01T00:30:00+01:00").unwrap();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2019, 12, 31, 23, 30)
        );
        assert_eq!(parse("1970-01-01T00:00:00Z").unwrap().unix_seconds(), 0);
        assert_eq!(
            parse("2000-03-01T00:00:00Z").unwrap().unix_seconds(),
            951_868_800
        );
        assert_eq!(parse("1969-12-31T23:59:59.5Z").unwrap().unix_millis(), -500);
    }

    #[test]
    fn rejects_invalid_text() {
        for text in [
            "2019-02-29T00:00:00Z",
            "2019-03-24T03:55:12",
            "2019-03-24T03:55:12.Z",
            "2019-03-24T24:00:00Z",
            "2019-03-24T03:55:12Zjunk",
            "2019-03-24X03:55:12Z",
            "2019-03-24T03:55:1€Z",
            "2019-13-01T00:00:00Z",
            "2019-03-24T03:55:12+24:00",
            // A leap second must be the last second of a month in UTC.
            "2019-03-24T03:55:60Z",
            // Normalising to UTC would leave years 0–9999.
            "0000-01-01T00:00:00+01:00",
            "",
        ] {
            assert!(parse(text).is_none(), "{text}");
        }
        assert!(parse("2020-02-29T00:00:00Z").is_some());
    }

    #[test]
    fn leap_second_reads_as_the_last_nanosecond() {
        let t = parse("2016-12-31T23:59:60Z").unwrap();
        assert_eq!((t.second, t.nanosecond), (59, 999_999_999));
        assert_eq!(t.unix_seconds(), 1_483_228_799);
    }

    #[test]
    fn out_of_range_fields_are_clamped_not_panics() {
        let t = UtcDateTime {
            year: u16::MAX,
            month: 200,
            day: 0,
            hour: 99,
            minute: 99,
            second: 60,
            nanosecond: u32::MAX,
        };
        assert_eq!(
            t.unix_seconds(),
            parse("9999-12-01T23:59:59Z").unwrap().unix_seconds() + 1
        );
        assert!(t.unix_millis() > 0);
        let _ = t.to_system_time();
    }

    #[test]
    fn long_hostile_text_is_just_invalid() {
        let mut text = "2019-03-24T03:55:12.".to_owned();
        text.push_str(&"9".repeat(100_000));
        text.push('Z');
        assert_eq!(parse(&text).unwrap().nanosecond, 999_999_999);
        assert!(parse(&"9".repeat(100_000)).is_none());
    }
}

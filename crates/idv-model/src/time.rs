//! [`Timestamp`]: an RFC 3339 timestamp that keeps its exact text.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
        parse_rfc3339(self.0.as_bytes())
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
    /// Second (0–60; 60 only for a leap second).
    pub second: u8,
    /// Nanoseconds (0–999 999 999).
    pub nanosecond: u32,
}

impl UtcDateTime {
    /// Seconds since the Unix epoch (a leap second counts as the next second).
    pub fn unix_seconds(&self) -> i64 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
    }

    /// Milliseconds since the Unix epoch.
    pub fn unix_millis(&self) -> i64 {
        self.unix_seconds() * 1_000 + i64::from(self.nanosecond / 1_000_000)
    }

    /// The instant as a [`SystemTime`] (`None` if the platform cannot represent it).
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let secs = self.unix_seconds();
        let nanos = Duration::from_nanos(u64::from(self.nanosecond));
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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let slice = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in slice {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Parses an RFC 3339 `date-time` (`YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`, `T`/`t`/space, `Z`/`z`).
fn parse_rfc3339(b: &[u8]) -> Option<UtcDateTime> {
    let year = u16::try_from(digits(b, 0, 4)?).ok()?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = u8::try_from(digits(b, 5, 2)?).ok()?;
    let day = u8::try_from(digits(b, 8, 2)?).ok()?;
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = u8::try_from(digits(b, 11, 2)?).ok()?;
    if b.get(13) != Some(&b':') || b.get(16) != Some(&b':') {
        return None;
    }
    let minute = u8::try_from(digits(b, 14, 2)?).ok()?;
    let second = u8::try_from(digits(b, 17, 2)?).ok()?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut nanosecond = 0u32;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        let mut scale = 100_000_000u32;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            nanosecond += u32::from(c - b'0') * scale;
            scale /= 10;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset_minutes: i64 = match b.get(i)? {
        b'Z' | b'z' => {
            i += 1;
            0
        }
        sign @ (b'+' | b'-') => {
            let oh = digits(b, i + 1, 2)?;
            if b.get(i + 3) != Some(&b':') {
                return None;
            }
            let om = digits(b, i + 4, 2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            i += 6;
            let total = i64::from(oh * 60 + om);
            if *sign == b'-' { -total } else { total }
        }
        _ => return None,
    };
    if i != b.len() {
        return None;
    }
    if offset_minutes == 0 {
        return Some(UtcDateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanosecond,
        });
    }
    // Normalise to UTC (a leap second keeps its 60).
    let local_minutes = days_from_civil(i64::from(year), month, day) * 1_440
        + i64::from(hour) * 60
        + i64::from(minute);
    let utc_minutes = local_minutes - offset_minutes;
    let days = utc_minutes.div_euclid(1_440);
    let rem = utc_minutes.rem_euclid(1_440);
    let (y, m, d) = civil_from_days(days);
    Some(UtcDateTime {
        year: u16::try_from(y).ok().filter(|y| *y <= 9999)?,
        month: m,
        day: d,
        hour: (rem / 60) as u8,
        minute: (rem % 60) as u8,
        second,
        nanosecond,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip() {
        for days in [-800_000i64, -1, 0, 1, 19_646, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
    }

    #[test]
    fn parses_forms() {
        let t = parse_rfc3339(b"2019-03-24T03:55:12Z").unwrap();
        assert_eq!(t.unix_seconds(), 1_553_399_712);
        let t = parse_rfc3339(b"2019-03-24T03:55:08.473Z").unwrap();
        assert_eq!(t.nanosecond, 473_000_000);
        assert_eq!(t.unix_millis(), 1_553_399_708_473);
        let t = parse_rfc3339(b"2019-03-24t00:00:00-05:30").unwrap();
        assert_eq!((t.day, t.hour, t.minute), (24, 5, 30));
        let t = parse_rfc3339(b"2020-01-01T00:30:00+01:00").unwrap();
        assert_eq!(
            (t.year, t.month, t.day, t.hour, t.minute),
            (2019, 12, 31, 23, 30)
        );
        assert!(parse_rfc3339(b"2019-02-29T00:00:00Z").is_none());
        assert!(parse_rfc3339(b"2020-02-29T00:00:00Z").is_some());
        assert!(parse_rfc3339(b"2019-03-24T03:55:12").is_none());
        assert!(parse_rfc3339(b"2019-03-24T03:55:12.Z").is_none());
        assert!(parse_rfc3339(b"2019-03-24T24:00:00Z").is_none());
        assert!(parse_rfc3339(b"2019-03-24T03:55:12Zjunk").is_none());
        assert!(parse_rfc3339("2019-03-24T03:55:1€Z".as_bytes()).is_none());
        assert!(parse_rfc3339(b"").is_none());
    }
}

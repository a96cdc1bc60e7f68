//! Sizes typed by people: `2GiB`, `500MB`, `750k`, `1.5G`, `4096`.
//!
//! Binary units are powers of 1024 (`KiB`, `MiB`, `GiB`, `TiB`, and the single letters `K`,
//! `M`, `G`, `T`, as `dd` and `sort` read them); decimal units powers of 1000 (`kB`/`KB`, `MB`,
//! `GB`, `TB`). Case does not matter, a space may separate the number from the unit, and a bare
//! number is bytes. Fractions are allowed (`1.5GiB`) and rounded down to a whole byte.
//! Anything that would not fit in a `u64` is an error, never a wrap.

/// Parses a size; the error says what is accepted (it is shown by clap after the value).
///
/// ```
/// use idv_cli::byte_size::parse_byte_size;
///
/// assert_eq!(parse_byte_size("2GiB"), Ok(2 << 30));
/// assert_eq!(parse_byte_size("500 MB"), Ok(500_000_000));
/// assert_eq!(parse_byte_size("1.5k"), Ok(1536));
/// assert!(parse_byte_size("lots").is_err());
/// ```
pub fn parse_byte_size(text: &str) -> Result<u64, String> {
    let usage = || {
        format!(
            "{text:?} is not a size (examples: 2GiB, 500MB, 750k, 1.5G, 4096; \
             K/M/G/T and KiB/MiB/GiB/TiB are powers of 1024, kB/MB/GB/TB of 1000)"
        )
    };
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kib" => 1 << 10,
        "m" | "mib" => 1 << 20,
        "g" | "gib" => 1 << 30,
        "t" | "tib" => 1 << 40,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        _ => return Err(usage()),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') {
        return Err(usage());
    }
    let too_large = || format!("{text:?} is larger than {} bytes", u64::MAX);
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_large())?
    };
    let mut bytes = whole.checked_mul(multiplier).ok_or_else(too_large)?;
    // The fraction in exact integer arithmetic, rounded down. Eighteen digits are more than a
    // byte's worth of any unit (2^40 < 10^18) and keep 10^18 × 2^40 well inside a u128.
    let mut numerator: u128 = 0;
    let mut denominator: u128 = 1;
    for digit in fraction.bytes().take(18) {
        numerator = numerator * 10 + u128::from(digit - b'0');
        denominator *= 10;
    }
    let extra = numerator * u128::from(multiplier) / denominator;
    let extra = u64::try_from(extra).map_err(|_| too_large())?;
    bytes = bytes.checked_add(extra).ok_or_else(too_large)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn units() {
        for (text, bytes) in [
            ("0", 0),
            ("4096", 4096),
            ("12B", 12),
            ("1k", 1024),
            ("1K", 1024),
            ("1KiB", 1024),
            ("1kB", 1000),
            ("1KB", 1000),
            ("3m", 3 << 20),
            ("3MiB", 3 << 20),
            ("3MB", 3_000_000),
            ("2GiB", 2 << 30),
            ("2 gib", 2 << 30),
            ("2GB", 2_000_000_000),
            ("1TiB", 1 << 40),
            ("1.5GiB", 3 << 29),
            ("0.5k", 512),
            (".5k", 512),
            ("1.", 1),
            ("  7 MB ", 7_000_000),
        ] {
            assert_eq!(parse_byte_size(text), Ok(bytes), "{text}");
        }
    }

    #[test]
    fn nonsense_and_overflow_are_errors() {
        for bad in [
            "", " ", "k", "lots", "-1", "1.2.3", "1 PiB", "1e9", ".", "1kk", "0x10",
        ] {
            let e = parse_byte_size(bad).expect_err(bad);
            assert!(e.contains("examples"), "{bad}: {e}");
        }
        for huge in [
            "18446744073709551616",
            "16777216TiB",
            "99999999999999999999999",
        ] {
            let e = parse_byte_size(huge).expect_err(huge);
            assert!(e.contains("larger than"), "{huge}: {e}");
        }
        assert_eq!(parse_byte_size("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(
            parse_byte_size("16777215.99999999999999999999999999TiB"),
            Ok(u64::MAX)
        );
    }

    proptest! {
        /// Any text gives a size or an error, never a panic; a number and a unit give exactly
        /// the product when it fits.
        #[test]
        fn prop_byte_size_never_panics(text in ".{0,40}") {
            let _ = parse_byte_size(&text);
        }

        #[test]
        fn prop_byte_size_multiplies_exactly(n in any::<u64>(), unit in 0usize..5) {
            let (suffix, multiplier) = [("", 1u64), ("KiB", 1 << 10), ("MB", 1_000_000),
                                        ("G", 1 << 30), ("TB", 1_000_000_000_000)][unit];
            let parsed = parse_byte_size(&format!("{n}{suffix}"));
            match n.checked_mul(multiplier) {
                Some(bytes) => prop_assert_eq!(parsed, Ok(bytes)),
                None => prop_assert!(parsed.is_err()),
            }
        }
    }
}

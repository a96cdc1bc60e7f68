//! The accepted RSA key sizes, checked before a key is built.

use super::error::KeyError;

/// The smallest accepted RSA modulus, in bits.
pub const MIN_KEY_BITS: usize = 2048;

/// The largest accepted RSA modulus, in bits (the limit of the `rsa` crate).
pub const MAX_KEY_BITS: usize = 8192;

/// `bits` within [`MIN_KEY_BITS`]`..=`[`MAX_KEY_BITS`], or the error saying which way it is off.
pub(super) fn check_bits(bits: usize) -> Result<(), KeyError> {
    if bits < MIN_KEY_BITS {
        Err(KeyError::TooSmall { bits })
    } else if bits > MAX_KEY_BITS {
        Err(KeyError::TooLarge { bits })
    } else {
        Ok(())
    }
}

/// Bit length of a big-endian unsigned integer (leading zero bytes ignored): the modulus size,
/// read before the key is built so that a small key gets [`KeyError::TooSmall`].
pub(super) fn uint_bits(bytes: &[u8]) -> usize {
    let trimmed: &[u8] = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => &[],
    };
    match trimmed.first() {
        Some(&first) => (trimmed.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_bits_counts_significant_bits() {
        assert_eq!(uint_bits(&[]), 0);
        assert_eq!(uint_bits(&[0, 0]), 0);
        assert_eq!(uint_bits(&[1]), 1);
        assert_eq!(uint_bits(&[0, 0x80, 0]), 16);
        assert_eq!(uint_bits(&[0x7f, 0xff]), 15);
    }

    #[test]
    fn bounds_are_inclusive() {
        assert!(check_bits(MIN_KEY_BITS).is_ok());
        assert!(check_bits(MAX_KEY_BITS).is_ok());
        assert!(matches!(
            check_bits(MIN_KEY_BITS - 1),
            Err(KeyError::TooSmall { bits: 2047 })
        ));
        assert!(matches!(
            check_bits(MAX_KEY_BITS + 8),
            Err(KeyError::TooLarge { bits: 8200 })
        ));
    }
}

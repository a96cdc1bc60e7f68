//! Request nonces: random UUID v4 by default, or a fixed one for tests.

use std::fmt;

/// A source of request nonces.
pub trait NonceSource: Send + Sync + fmt::Debug {
    /// A fresh nonce. It is percent-encoded into the query like any value, so any text works,
    /// but the API expects a lower-case UUID v4.
    fn nonce(&self) -> String;
}

/// Random lower-case hyphenated UUID v4 nonces from the OS CSPRNG (the default).
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomNonce;

impl NonceSource for RandomNonce {
    fn nonce(&self) -> String {
        let mut buf = [0u8; uuid::fmt::Hyphenated::LENGTH];
        uuid::Uuid::new_v4()
            .hyphenated()
            .encode_lower(&mut buf)
            .to_string()
    }
}

/// A nonce source that always returns the same value: for tests and test vectors only (a
/// real server rejects replayed nonces).
#[derive(Debug, Clone)]
pub struct FixedNonce(pub String);

impl NonceSource for FixedNonce {
    fn nonce(&self) -> String {
        self.0.clone()
    }
}

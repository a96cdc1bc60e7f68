//! The bearer tokens issued: opaque random strings, kept only as SHA-256 digests, each bound
//! to the app that asked for it and valid until its expiry. Bounded in number.

use std::collections::{HashMap, VecDeque};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest as _, Sha256};

/// Why no token was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IssueError {
    /// As many tokens as allowed are valid; the oldest expires at this time (epoch ms).
    Full { next_expiry_ms: u64 },
    /// The system's random generator failed.
    Random,
}

#[derive(Debug)]
struct Issued {
    sdk_id: String,
    expires_ms: u64,
}

/// The valid tokens, by digest, and their digests in order of issue (for expiry).
#[derive(Debug)]
pub(crate) struct TokenStore {
    tokens: HashMap<[u8; 32], Issued>,
    order: VecDeque<([u8; 32], u64)>,
    max: usize,
}

fn digest(token: &[u8]) -> [u8; 32] {
    Sha256::digest(token).into()
}

impl TokenStore {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            tokens: HashMap::new(),
            order: VecDeque::new(),
            max: max.max(1),
        }
    }

    /// Forgets the tokens expired at `now_ms` (those issued first go first; a clock that
    /// stepped back only delays this).
    fn purge(&mut self, now_ms: u64) {
        while let Some(&(key, expires_ms)) = self.order.front() {
            if expires_ms > now_ms {
                break;
            }
            self.order.pop_front();
            if self
                .tokens
                .get(&key)
                .is_some_and(|t| t.expires_ms == expires_ms)
            {
                self.tokens.remove(&key);
            }
        }
    }

    /// Issues a new token for `sdk_id`, valid until `expires_ms`.
    pub(crate) fn issue(
        &mut self,
        sdk_id: &str,
        now_ms: u64,
        expires_ms: u64,
    ) -> Result<String, IssueError> {
        self.purge(now_ms);
        if self.tokens.len() >= self.max {
            let next_expiry_ms = self.order.front().map_or(now_ms, |&(_, at)| at);
            return Err(IssueError::Full { next_expiry_ms });
        }
        let mut bytes = [0u8; 32];
        rustls::crypto::aws_lc_rs::default_provider()
            .secure_random
            .fill(&mut bytes)
            .map_err(|_| IssueError::Random)?;
        let token = URL_SAFE_NO_PAD.encode(bytes);
        let key = digest(token.as_bytes());
        self.tokens.insert(
            key,
            Issued {
                sdk_id: sdk_id.to_owned(),
                expires_ms,
            },
        );
        self.order.push_back((key, expires_ms));
        Ok(token)
    }

    /// The app a presented token was issued to, if it is one of ours and not expired at
    /// `now_ms`.
    pub(crate) fn app_of(&self, token: &[u8], now_ms: u64) -> Option<&str> {
        self.tokens
            .get(&digest(token))
            .filter(|t| now_ms < t.expires_ms)
            .map(|t| t.sdk_id.as_str())
    }

    /// Forgets every token; returns how many were valid at `now_ms`.
    pub(crate) fn revoke_all(&mut self, now_ms: u64) -> usize {
        let valid = self
            .tokens
            .values()
            .filter(|t| now_ms < t.expires_ms)
            .count();
        self.tokens.clear();
        self.order.clear();
        valid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_bound_to_their_app_until_they_expire() {
        let mut store = TokenStore::new(10);
        let a = store.issue("app-a", 0, 1_000).expect("issued");
        let b = store.issue("app-b", 0, 1_000).expect("issued");
        assert_ne!(a, b);
        assert_eq!(a.len(), 43, "32 random bytes, base64url");
        assert_eq!(store.app_of(a.as_bytes(), 999), Some("app-a"));
        assert_eq!(store.app_of(b.as_bytes(), 0), Some("app-b"));
        assert_eq!(store.app_of(a.as_bytes(), 1_000), None, "expired");
        assert_eq!(store.app_of(b"made-up", 0), None);
        assert_eq!(store.revoke_all(10), 2);
        assert_eq!(store.app_of(a.as_bytes(), 10), None);
    }

    #[test]
    fn the_store_is_bounded_and_makes_room_as_tokens_expire() {
        let mut store = TokenStore::new(2);
        store.issue("app", 0, 100).expect("1");
        store.issue("app", 50, 150).expect("2");
        assert_eq!(
            store.issue("app", 60, 160),
            Err(IssueError::Full {
                next_expiry_ms: 100
            })
        );
        let third = store.issue("app", 100, 200).expect("the first expired");
        assert_eq!(store.app_of(third.as_bytes(), 100), Some("app"));
        assert_eq!(store.tokens.len(), 2);
    }
}

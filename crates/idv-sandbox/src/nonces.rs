//! Replay protection with bounded memory: the timestamp window and the nonces seen.
//!
//! The rule, with a window `W` (`timestamp_skew`):
//!
//! * a request is accepted only when `|now − timestamp| ≤ W`;
//! * its nonce is remembered until `now > timestamp + W`. From then on the timestamp check
//!   alone refuses any replay of that signed request (the timestamp is covered by the
//!   signature, so a replay carries the same one), and forgetting the nonce is safe;
//! * `now` is the highest clock reading seen so far, so a clock stepping back cannot bring a
//!   forgotten nonce's timestamp back into the window.
//!
//! Without a window (the default: the official Java SDK's timestamp is not wall-clock time) no
//! nonce can be forgotten safely, so they are all remembered.
//!
//! Either way at most `max` nonces are remembered. When a fresh nonce finds the memory full
//! (after the expired ones are dropped) the request is refused with 503 rather than an old
//! nonce being forgotten early: forgetting would let a replay through, and a test sandbox
//! that silently stops detecting replays gives false passes to the clients tested against it.
//!
//! Each nonce costs a fixed amount of memory whatever its length: it is kept as 128 bits of
//! SHA-256 over the `sdkId` and the nonce.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};
use std::time::Duration;

use sha2::{Digest as _, Sha256};

/// A remembered `(sdkId, nonce)` pair.
type NonceKey = [u8; 16];

/// Why a request's nonce or timestamp was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The timestamp is not a number within the window of now.
    OutOfWindow,
    /// The nonce was already used (and is still remembered).
    Replayed,
    /// The memory is full of nonces that cannot be forgotten yet. `retry_after` is how long
    /// until the oldest can be (`None` without a window: it never can).
    Full { retry_after: Option<Duration> },
}

/// The nonces accepted so far, bounded in number and (with a window) in age.
#[derive(Debug)]
pub(crate) struct NonceMemory {
    window: Option<Duration>,
    max: usize,
    seen: HashSet<NonceKey>,
    /// With a window: each remembered nonce by the epoch millisecond after which it is
    /// forgotten, earliest first.
    expiries: BinaryHeap<Reverse<(u64, NonceKey)>>,
    /// The highest clock reading seen (epoch milliseconds).
    now: u64,
}

impl NonceMemory {
    /// `max` is at least 1.
    pub(crate) fn new(window: Option<Duration>, max: usize) -> Self {
        Self {
            window,
            max: max.max(1),
            seen: HashSet::new(),
            expiries: BinaryHeap::new(),
            now: 0,
        }
    }

    /// How many nonces are remembered.
    pub(crate) fn len(&self) -> usize {
        self.seen.len()
    }

    /// Checks the timestamp (with a window) and the nonce, and remembers the nonce when both
    /// pass and there is room. A refused request changes nothing but the memory of expired
    /// nonces, which are dropped.
    ///
    /// `timestamp_millis` is the request's timestamp when it is a decimal number; `clock_millis`
    /// the clock's reading now.
    pub(crate) fn admit(
        &mut self,
        sdk_id: &str,
        nonce: &str,
        timestamp_millis: Option<u64>,
        clock_millis: u64,
    ) -> Result<(), Refusal> {
        self.now = self.now.max(clock_millis);
        self.forget_expired();
        let expiry = match self.window {
            Some(window) => {
                let window = u64::try_from(window.as_millis()).unwrap_or(u64::MAX);
                let timestamp = timestamp_millis
                    .filter(|ts| self.now.abs_diff(*ts) <= window)
                    .ok_or(Refusal::OutOfWindow)?;
                Some(timestamp.saturating_add(window))
            }
            None => None,
        };
        let key = key(sdk_id, nonce);
        if self.seen.contains(&key) {
            return Err(Refusal::Replayed);
        }
        if self.seen.len() >= self.max {
            let retry_after = self.window.and_then(|_| {
                let Reverse((oldest, _)) = self.expiries.peek()?;
                // Forgotten once now > oldest: one millisecond after it.
                let wait = oldest.saturating_sub(self.now).saturating_add(1);
                Some(Duration::from_millis(wait))
            });
            return Err(Refusal::Full { retry_after });
        }
        self.seen.insert(key);
        if let Some(expiry) = expiry {
            self.expiries.push(Reverse((expiry, key)));
        }
        Ok(())
    }

    /// Drops the nonces whose timestamp has left the window.
    fn forget_expired(&mut self) {
        while let Some(Reverse((expiry, key))) = self.expiries.peek().copied() {
            if expiry >= self.now {
                break;
            }
            self.expiries.pop();
            self.seen.remove(&key);
        }
    }
}

/// 128 bits of SHA-256 over the length-prefixed `sdkId` and the nonce.
fn key(sdk_id: &str, nonce: &str) -> NonceKey {
    let mut hasher = Sha256::new();
    hasher.update((sdk_id.len() as u64).to_be_bytes());
    hasher.update(sdk_id.as_bytes());
    hasher.update(nonce.as_bytes());
    let digest = hasher.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: u64 = 1_700_000_000_000;
    const W: Duration = Duration::from_secs(60);

    #[test]
    fn without_a_window_every_nonce_is_remembered_up_to_the_cap() {
        let mut memory = NonceMemory::new(None, 2);
        assert_eq!(memory.admit("app", "a", None, T), Ok(()));
        assert_eq!(memory.admit("app", "a", None, T), Err(Refusal::Replayed));
        // The same nonce for another app is another pair.
        assert_eq!(memory.admit("other", "a", None, T), Ok(()));
        assert_eq!(
            memory.admit("app", "b", None, u64::MAX),
            Err(Refusal::Full { retry_after: None })
        );
        assert_eq!(
            memory.admit("app", "a", None, u64::MAX),
            Err(Refusal::Replayed)
        );
        assert_eq!(memory.len(), 2);
    }

    #[test]
    fn with_a_window_nonces_are_forgotten_once_their_timestamp_leaves_it() {
        let w = 60_000;
        let mut memory = NonceMemory::new(Some(W), 10);
        // A timestamp ahead of the clock by the whole window is accepted, and must then be
        // remembered until timestamp + W: two windows from now.
        assert_eq!(memory.admit("app", "n", Some(T + w), T), Ok(()));
        assert_eq!(
            memory.admit("app", "n", Some(T + w), T + 2 * w),
            Err(Refusal::Replayed)
        );
        assert_eq!(memory.len(), 1);
        assert_eq!(
            memory.admit("app", "n", Some(T + w), T + 2 * w + 1),
            Err(Refusal::OutOfWindow)
        );
        assert_eq!(memory.len(), 0);
        // The clock going back does not revive it.
        assert_eq!(
            memory.admit("app", "n", Some(T + w), T),
            Err(Refusal::OutOfWindow)
        );
        assert_eq!(
            memory.admit("app", "x", None, T + 2 * w),
            Err(Refusal::OutOfWindow),
            "a non-numeric timestamp is never in the window"
        );
    }

    #[test]
    fn a_full_memory_with_a_window_says_when_room_is_made() {
        let mut memory = NonceMemory::new(Some(W), 2);
        assert_eq!(memory.admit("app", "a", Some(T - 10_000), T), Ok(()));
        assert_eq!(memory.admit("app", "b", Some(T), T), Ok(()));
        assert_eq!(
            memory.admit("app", "c", Some(T), T),
            Err(Refusal::Full {
                retry_after: Some(Duration::from_millis(50_001))
            })
        );
        assert_eq!(
            memory.admit("app", "c", Some(T + 50_001), T + 50_001),
            Ok(())
        );
        assert_eq!(memory.len(), 2);
        // Huge windows and timestamps saturate instead of overflowing.
        let mut wide = NonceMemory::new(Some(Duration::MAX), 1);
        assert_eq!(wide.admit("app", "a", Some(u64::MAX), 0), Ok(()));
        assert_eq!(
            wide.admit("app", "b", Some(0), u64::MAX),
            Err(Refusal::Full {
                retry_after: Some(Duration::from_millis(1))
            })
        );
    }
}

//! The `jti`s of accepted client assertions, remembered until their assertion expires: after
//! that, the verifier refuses the assertion as expired anyway, so it can be forgotten. Kept as
//! 128-bit hashes of `(sdkId, jti)`, bounded in number.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashSet};

use sha2::{Digest as _, Sha256};

/// Why a `jti` was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JtiRefusal {
    /// Seen before (and not expired).
    Replayed,
    /// The memory is full of unexpired `jti`s; the first expires at this time (epoch s).
    Full { next_expiry_secs: u64 },
}

/// The remembered `jti`s and when each can be forgotten.
#[derive(Debug)]
pub(crate) struct JtiMemory {
    seen: HashSet<[u8; 16]>,
    expiries: BinaryHeap<Reverse<(u64, [u8; 16])>>,
    max: usize,
}

fn key(sdk_id: &str, jti: &str) -> [u8; 16] {
    let mut hasher = Sha256::new();
    hasher.update(sdk_id.as_bytes());
    hasher.update([0]);
    hasher.update(jti.as_bytes());
    let digest = hasher.finalize();
    let mut key = [0u8; 16];
    key.copy_from_slice(&digest[..16]);
    key
}

impl JtiMemory {
    pub(crate) fn new(max: usize) -> Self {
        Self {
            seen: HashSet::new(),
            expiries: BinaryHeap::new(),
            max: max.max(1),
        }
    }

    /// Forgets the `jti`s whose assertion has expired at `now_secs`.
    fn purge(&mut self, now_secs: u64) {
        while let Some(Reverse((exp, key))) = self.expiries.peek().copied() {
            if exp > now_secs {
                break;
            }
            self.expiries.pop();
            self.seen.remove(&key);
        }
    }

    /// Whether `jti` of `sdk_id` is new (nothing is recorded).
    pub(crate) fn check(
        &mut self,
        sdk_id: &str,
        jti: &str,
        now_secs: u64,
    ) -> Result<(), JtiRefusal> {
        self.purge(now_secs);
        if self.seen.contains(&key(sdk_id, jti)) {
            return Err(JtiRefusal::Replayed);
        }
        Ok(())
    }

    /// Records `jti` of `sdk_id`, whose assertion expires at `exp_secs`, if it is new and
    /// there is room.
    pub(crate) fn admit(
        &mut self,
        sdk_id: &str,
        jti: &str,
        exp_secs: u64,
        now_secs: u64,
    ) -> Result<(), JtiRefusal> {
        self.check(sdk_id, jti, now_secs)?;
        if self.seen.len() >= self.max {
            let next_expiry_secs = self
                .expiries
                .peek()
                .map_or(now_secs, |Reverse((exp, _))| *exp);
            return Err(JtiRefusal::Full { next_expiry_secs });
        }
        let key = key(sdk_id, jti);
        self.seen.insert(key);
        self.expiries.push(Reverse((exp_secs, key)));
        Ok(())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.seen.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jti_is_refused_until_its_assertion_expires() {
        let mut memory = JtiMemory::new(10);
        assert_eq!(memory.admit("app", "j1", 100, 0), Ok(()));
        assert_eq!(memory.check("app", "j1", 99), Err(JtiRefusal::Replayed));
        assert_eq!(
            memory.admit("app", "j1", 100, 99),
            Err(JtiRefusal::Replayed)
        );
        assert_eq!(memory.check("other-app", "j1", 99), Ok(()), "per app");
        assert_eq!(
            memory.check("app", "j1", 100),
            Ok(()),
            "forgotten once expired"
        );
        assert_eq!(memory.len(), 0);
    }

    #[test]
    fn the_memory_is_bounded() {
        let mut memory = JtiMemory::new(2);
        memory.admit("app", "a", 50, 0).expect("a");
        memory.admit("app", "b", 40, 0).expect("b");
        assert_eq!(
            memory.admit("app", "c", 60, 0),
            Err(JtiRefusal::Full {
                next_expiry_secs: 40
            })
        );
        memory
            .admit("app", "c", 60, 40)
            .expect("b expired, room made");
        assert_eq!(memory.len(), 2);
    }
}

//! The memory meter behind [`crate::limits`]: a per-thread budget that the deserialisers of the
//! model types charge as they allocate.
//!
//! Parsing is synchronous, so a thread-local is enough to reach every `Deserialize` impl without
//! threading a context through serde. [`Armed`] installs a budget for one parse and puts back
//! whatever was there before when dropped; outside an armed parse, charges are free.

use std::cell::Cell;

use crate::limits::{MEMORY_BASE, MEMORY_PER_DOCUMENT_BYTE, memory_budget};

#[derive(Clone, Copy)]
struct Meter {
    armed: bool,
    exceeded: bool,
    live: usize,
    limit: usize,
}

impl Meter {
    const OFF: Meter = Meter {
        armed: false,
        exceeded: false,
        live: 0,
        limit: 0,
    };
}

thread_local! {
    static METER: Cell<Meter> = const { Cell::new(Meter::OFF) };
}

/// A budget installed for one parse.
pub(crate) struct Armed {
    previous: Meter,
}

impl Armed {
    /// Installs the budget for a document of `document_len` bytes.
    pub(crate) fn new(document_len: usize) -> Self {
        let meter = Meter {
            armed: true,
            exceeded: false,
            live: 0,
            limit: memory_budget(document_len),
        };
        Armed {
            previous: METER.replace(meter),
        }
    }

    /// Whether a charge was refused since the budget was installed.
    pub(crate) fn exceeded(&self) -> bool {
        METER.get().exceeded
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        METER.set(self.previous);
    }
}

/// Charges `bytes` that the value being built is about to hold (or has just allocated).
pub(crate) fn charge<E: serde::de::Error>(bytes: usize) -> Result<(), E> {
    let mut meter = METER.get();
    if !meter.armed {
        return Ok(());
    }
    match meter.live.checked_add(bytes) {
        Some(live) if live <= meter.limit => {
            meter.live = live;
            METER.set(meter);
            Ok(())
        }
        _ => {
            meter.exceeded = true;
            METER.set(meter);
            Err(E::custom(format_args!(
                "memory limit: the parsed value would need more than {} bytes \
                 ({MEMORY_PER_DOCUMENT_BYTE} per document byte + {MEMORY_BASE})",
                meter.limit
            )))
        }
    }
}

/// Gives back `bytes` charged earlier and freed since (a list buffer that grew).
pub(crate) fn refund(bytes: usize) {
    let mut meter = METER.get();
    if meter.armed {
        meter.live = meter.live.saturating_sub(bytes);
        METER.set(meter);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type E = serde_json::Error;

    #[test]
    fn free_when_not_armed() {
        assert!(charge::<E>(usize::MAX).is_ok());
    }

    #[test]
    fn refuses_past_the_budget_and_restores_the_previous_meter() {
        let outer = Armed::new(0);
        charge::<E>(MEMORY_BASE - 10).unwrap();
        {
            let inner = Armed::new(1);
            charge::<E>(MEMORY_BASE).unwrap();
            assert!(!inner.exceeded());
            let err = charge::<E>(MEMORY_PER_DOCUMENT_BYTE + 1).unwrap_err();
            assert!(err.to_string().starts_with("memory limit:"), "{err}");
            assert!(inner.exceeded());
        }
        assert!(!outer.exceeded());
        charge::<E>(10).unwrap();
        assert!(charge::<E>(1).is_err());
        refund(5);
        charge::<E>(5).unwrap();
        assert!(charge::<E>(usize::MAX).is_err());
        drop(outer);
        assert!(charge::<E>(usize::MAX).is_ok());
    }
}

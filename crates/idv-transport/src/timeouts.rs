//! Bounds for user-supplied durations, so no timeout can overflow a clock.
//!
//! `Instant + Duration` panics on overflow, and some of the code that turns a timeout into a
//! deadline lives in dependencies (hyper-util's pool adds its idle timeout to `Instant::now()`).
//! Every duration a user hands the transport is therefore clamped to [`MAX_TIMEOUT`] when it is
//! stored, and deadlines computed here use checked arithmetic on top.

use std::time::Duration;

/// The longest timeout the transport applies: one year. Longer durations, up to
/// [`Duration::MAX`], are accepted and clamped to it (a year is "no limit" in practice).
///
/// ```
/// use std::time::Duration;
/// use idv_transport::{MAX_TIMEOUT, SendOptions};
///
/// let options = SendOptions::default().with_read_timeout(Duration::MAX);
/// assert_eq!(options.read_timeout, Some(MAX_TIMEOUT));
/// ```
pub const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// `duration`, at most [`MAX_TIMEOUT`].
pub(crate) fn clamp(duration: Duration) -> Duration {
    duration.min(MAX_TIMEOUT)
}

/// [`clamp`] through an `Option`.
#[cfg(feature = "hyper")]
pub(crate) fn clamp_opt(duration: Option<Duration>) -> Option<Duration> {
    duration.map(clamp)
}

/// `start + after`, or `None` (no deadline) when the sum does not fit the clock.
#[cfg(feature = "hyper")]
pub(crate) fn deadline_after(
    start: tokio::time::Instant,
    after: Duration,
) -> Option<tokio::time::Instant> {
    start.checked_add(after)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn any_duration() -> impl Strategy<Value = Duration> {
        prop_oneof![
            Just(Duration::MAX),
            Just(Duration::ZERO),
            Just(MAX_TIMEOUT),
            any::<u64>().prop_map(Duration::from_secs),
            (any::<u64>(), 0..1_000_000_000u32).prop_map(|(s, n)| Duration::new(s, n)),
            any::<u64>().prop_map(Duration::from_nanos),
        ]
    }

    proptest! {
        #[test]
        fn prop_clamped_durations_fit_the_clock(d in any_duration()) {
            let clamped = clamp(d);
            prop_assert!(clamped <= MAX_TIMEOUT);
            prop_assert_eq!(clamped, d.min(MAX_TIMEOUT));
            #[cfg(feature = "hyper")]
            prop_assert_eq!(clamp_opt(Some(d)), Some(clamped));
            // A clamped timeout always gives a deadline on both clocks.
            prop_assert!(std::time::Instant::now().checked_add(clamped).is_some());
            #[cfg(feature = "hyper")]
            prop_assert!(deadline_after(tokio::time::Instant::now(), clamped).is_some());
        }

        #[cfg(feature = "hyper")]
        #[test]
        fn prop_deadlines_never_panic(d in any_duration()) {
            let now = tokio::time::Instant::now();
            match deadline_after(now, d) {
                Some(deadline) => prop_assert_eq!(deadline - now, d),
                None => prop_assert!(d > MAX_TIMEOUT),
            }
        }
    }
}

//! The server's clock, injectable so rules about elapsed time can be tested
//! without sleeping: the public review form refuses answers sent sooner
//! than a few seconds after the page was served, or a day later.
//!
//! [`Clock::system`] (the default) reads the OS clock; [`Clock::manual`]
//! starts at a given instant and moves only when told ([`Clock::advance`]).
//! The campaign works in China's local time ([`LOCAL_OFFSET`]): dates
//! written on records ("today") are local dates.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use time::macros::offset;
use time::{Date, Duration, OffsetDateTime, UtcOffset};

/// China Standard Time (UTC+8), the campaign's local time.
pub const LOCAL_OFFSET: UtcOffset = offset!(+8);

/// Now, from the OS or from a test's hand. Cheap to clone; clones share
/// the manual time.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The OS clock.
    pub fn system() -> Clock {
        Clock(None)
    }

    /// A clock standing at `start` (millisecond precision) until advanced.
    pub fn manual(start: OffsetDateTime) -> Clock {
        Clock(Some(Arc::new(AtomicI64::new(unix_ms(start)))))
    }

    /// Moves a manual clock on by `by`; no effect on the system clock.
    pub fn advance(&self, by: Duration) {
        if let Some(ms) = &self.0 {
            let by = i64::try_from(by.whole_milliseconds()).unwrap_or(i64::MAX);
            ms.fetch_add(by, Ordering::SeqCst);
        }
    }

    /// Now, in UTC.
    pub fn now(&self) -> OffsetDateTime {
        match &self.0 {
            None => OffsetDateTime::now_utc(),
            Some(ms) => {
                let nanos = i128::from(ms.load(Ordering::SeqCst)) * 1_000_000;
                OffsetDateTime::from_unix_timestamp_nanos(nanos)
                    .unwrap_or(OffsetDateTime::UNIX_EPOCH)
            }
        }
    }
}

/// Milliseconds since the Unix epoch (0 before it).
pub fn unix_ms(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000)
        .unwrap_or(0)
        .max(0)
}

/// The local date at `at`.
pub fn local_date(at: OffsetDateTime) -> Date {
    at.to_offset(LOCAL_OFFSET).date()
}

/// Whole seconds from `at` to the next local midnight (at least 1).
pub fn secs_to_local_midnight(at: OffsetDateTime) -> u64 {
    let local = at.to_offset(LOCAL_OFFSET);
    let midnight = local
        .date()
        .next_day()
        .map(|d| d.midnight().assume_offset(LOCAL_OFFSET))
        .unwrap_or(local);
    u64::try_from((midnight - local).whole_seconds())
        .unwrap_or(0)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn a_manual_clock_moves_only_when_told() {
        let start = datetime!(2026-11-20 23:59:58 +08:00);
        let clock = Clock::manual(start);
        let shared = clock.clone();
        assert_eq!(clock.now(), start);
        shared.advance(Duration::seconds(3));
        assert_eq!(clock.now(), start + Duration::seconds(3));
        assert_eq!(local_date(start).to_string(), "2026-11-20");
        assert_eq!(local_date(clock.now()).to_string(), "2026-11-21");
        assert_eq!(secs_to_local_midnight(start), 2);
        assert_eq!(unix_ms(start) % 1000, 0);
    }

    #[test]
    fn the_system_clock_runs() {
        let clock = Clock::system();
        clock.advance(Duration::days(1));
        let now = OffsetDateTime::now_utc();
        assert!((clock.now() - now).abs() < Duration::seconds(5));
    }
}

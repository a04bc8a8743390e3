//! Hybrid logical clock: orders edits of mutable records across phones.
//!
//! Why: last-writer-wins needs an order that respects causality even when
//! phone clocks are wrong. An HLC is (wall milliseconds, counter, device):
//! it never goes backwards on a device, it moves past every clock it has
//! seen, and ties break by device id. A phone whose clock runs far ahead
//! could otherwise win every later merge, so the server clamps incoming
//! stamps to its own time plus [`MAX_CLOCK_AHEAD_MS`] ([`Hlc::clamped`]);
//! the value it beat is kept in the conflict list, never dropped.

use serde::{Deserialize, Serialize};

use crate::ids::DeviceId;

/// How far ahead of the server's clock a stamp may be before it is clamped.
pub const MAX_CLOCK_AHEAD_MS: u64 = 5 * 60 * 1000;

/// A hybrid logical clock stamp. Ordered by wall time, then counter, then device.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch (as far as the stamping clock knew).
    pub wall: u64,
    /// Orders events within the same millisecond.
    pub counter: u32,
    /// Breaks ties between devices deterministically.
    pub device: DeviceId,
}

impl Hlc {
    /// The clock of a device that has seen nothing yet.
    pub const fn zero(device: DeviceId) -> Hlc {
        Hlc {
            wall: 0,
            counter: 0,
            device,
        }
    }

    /// The stamp for a new local event at physical time `now_ms`.
    pub fn tick(&self, now_ms: u64) -> Hlc {
        if now_ms > self.wall {
            Hlc {
                wall: now_ms,
                counter: 0,
                device: self.device,
            }
        } else {
            Hlc {
                wall: self.wall,
                counter: self.counter.saturating_add(1),
                device: self.device,
            }
        }
    }

    /// This device's clock after seeing `remote` at physical time `now_ms`:
    /// later than both, so the next local edit orders after what was seen.
    pub fn observe(&self, remote: &Hlc, now_ms: u64) -> Hlc {
        let wall = self.wall.max(remote.wall).max(now_ms);
        let counter = match (wall == self.wall, wall == remote.wall) {
            (true, true) => self.counter.max(remote.counter).saturating_add(1),
            (true, false) => self.counter.saturating_add(1),
            (false, true) => remote.counter.saturating_add(1),
            (false, false) => 0,
        };
        Hlc {
            wall,
            counter,
            device: self.device,
        }
    }

    /// The stamp with its wall time capped at `server_now_ms + MAX_CLOCK_AHEAD_MS`.
    pub fn clamped(self, server_now_ms: u64) -> Hlc {
        let cap = server_now_ms.saturating_add(MAX_CLOCK_AHEAD_MS);
        if self.wall > cap {
            Hlc { wall: cap, ..self }
        } else {
            self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dev(n: u128) -> DeviceId {
        DeviceId::from_u128(n)
    }

    #[test]
    fn tick_is_monotonic_even_when_the_clock_goes_back() {
        let cases = [
            // (clock, now, expected wall, expected counter)
            ((100, 0), 200, 200, 0),
            ((100, 0), 100, 100, 1),
            ((100, 3), 50, 100, 4),
        ];
        for ((wall, counter), now, ew, ec) in cases {
            let h = Hlc {
                wall,
                counter,
                device: dev(1),
            }
            .tick(now);
            assert_eq!(
                (h.wall, h.counter),
                (ew, ec),
                "from ({wall},{counter}) at {now}"
            );
        }
    }

    #[test]
    fn observe_moves_past_both_clocks() {
        let cases = [
            // (local, remote, now, expected)
            ((100, 2), (100, 5), 90, (100, 6)),
            ((100, 2), (50, 9), 90, (100, 3)),
            ((50, 2), (100, 9), 90, (100, 10)),
            ((50, 2), (60, 9), 90, (90, 0)),
        ];
        for ((lw, lc), (rw, rc), now, (ew, ec)) in cases {
            let local = Hlc {
                wall: lw,
                counter: lc,
                device: dev(1),
            };
            let remote = Hlc {
                wall: rw,
                counter: rc,
                device: dev(2),
            };
            let h = local.observe(&remote, now);
            assert_eq!((h.wall, h.counter), (ew, ec));
            assert!(h > local && h.device == dev(1));
            assert!((h.wall, h.counter) > (remote.wall, remote.counter));
        }
    }

    #[test]
    fn order_is_wall_then_counter_then_device() {
        let a = Hlc {
            wall: 1,
            counter: 9,
            device: dev(9),
        };
        let b = Hlc {
            wall: 2,
            counter: 0,
            device: dev(1),
        };
        let c = Hlc {
            wall: 2,
            counter: 0,
            device: dev(2),
        };
        assert!(a < b && b < c);
    }

    #[test]
    fn a_clock_far_ahead_is_clamped() {
        let ahead = Hlc {
            wall: 10_000_000,
            counter: 1,
            device: dev(1),
        };
        assert_eq!(ahead.clamped(1_000).wall, 1_000 + MAX_CLOCK_AHEAD_MS);
        let fine = Hlc {
            wall: 1_000,
            counter: 1,
            device: dev(1),
        };
        assert_eq!(fine.clamped(1_000), fine);
    }
}

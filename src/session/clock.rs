//! Time for events: wall-clock time anchored once per run, advanced by monotonic time.

use std::cell::Cell;
use std::time::Instant;

use chrono::{DateTime, FixedOffset, Local, TimeDelta};

use super::Stamp;

/// A wall clock that disagrees with monotonic time by more than this has jumped.
const JUMP: TimeDelta = TimeDelta::seconds(60);

/// Gives stamps for new events.
pub trait Clock {
    fn stamp(&self) -> Stamp;
}

/// The real clock: the wall time read once at start, plus `Instant` elapsed since, so a
/// clock change during a sitting cannot make a later event look earlier.
#[derive(Debug, Clone)]
pub struct SystemClock {
    anchor_wall: DateTime<FixedOffset>,
    anchor: Instant,
}

impl SystemClock {
    pub fn start() -> SystemClock {
        SystemClock {
            anchor_wall: Local::now().fixed_offset(),
            anchor: Instant::now(),
        }
    }
}

impl Clock for SystemClock {
    fn stamp(&self) -> Stamp {
        let elapsed = TimeDelta::from_std(self.anchor.elapsed()).unwrap_or(TimeDelta::MAX);
        let at = self
            .anchor_wall
            .checked_add_signed(elapsed)
            .unwrap_or(self.anchor_wall);
        let wall = Local::now().fixed_offset();
        let jumped = (wall - at).abs() > JUMP;
        Stamp {
            at,
            wall: jumped.then_some(wall),
        }
    }
}

/// A clock for tests and examples: starts at a given time and moves one second per stamp.
#[derive(Debug)]
pub struct FixedClock {
    next: Cell<DateTime<FixedOffset>>,
}

impl FixedClock {
    pub fn new(start: DateTime<FixedOffset>) -> FixedClock {
        FixedClock {
            next: Cell::new(start),
        }
    }
}

impl Clock for FixedClock {
    fn stamp(&self) -> Stamp {
        let at = self.next.get();
        self.next.set(at + TimeDelta::seconds(1));
        Stamp { at, wall: None }
    }
}

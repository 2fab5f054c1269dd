//! Time for events: wall-clock time anchored once per run, advanced by monotonic time.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Local, TimeDelta};

use super::Stamp;

/// A wall clock that disagrees with monotonic time by more than this has jumped.
const JUMP: TimeDelta = TimeDelta::seconds(60);

/// Gives stamps for new events, and monotonic time for measuring intervals (how fast keys
/// arrive).
pub trait Clock {
    fn stamp(&self) -> Stamp;
    /// Time elapsed since the clock started, never going back.
    fn monotonic(&self) -> Duration;
}

/// A shared clock is a clock (tests keep a handle to pace a [`FixedClock`]).
impl<C: Clock + ?Sized> Clock for Rc<C> {
    fn stamp(&self) -> Stamp {
        (**self).stamp()
    }
    fn monotonic(&self) -> Duration {
        (**self).monotonic()
    }
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

    fn monotonic(&self) -> Duration {
        self.anchor.elapsed()
    }
}

/// A clock for tests and examples: starts at a given time and moves one second per stamp.
/// Its monotonic time moves by the pace on every reading: one second unless set, the
/// rhythm of a person choosing answers; a test sets a short pace to play fast typing.
#[derive(Debug)]
pub struct FixedClock {
    next: Cell<DateTime<FixedOffset>>,
    elapsed: Cell<Duration>,
    pace: Cell<Duration>,
}

impl FixedClock {
    pub fn new(start: DateTime<FixedOffset>) -> FixedClock {
        FixedClock {
            next: Cell::new(start),
            elapsed: Cell::new(Duration::ZERO),
            pace: Cell::new(Duration::from_secs(1)),
        }
    }

    /// From now on, each monotonic reading is `pace` after the one before.
    pub fn set_pace(&self, pace: Duration) {
        self.pace.set(pace);
    }
}

impl Clock for FixedClock {
    fn stamp(&self) -> Stamp {
        let at = self.next.get();
        self.next.set(at + TimeDelta::seconds(1));
        Stamp { at, wall: None }
    }

    fn monotonic(&self) -> Duration {
        let now = self.elapsed.get() + self.pace.get();
        self.elapsed.set(now);
        now
    }
}

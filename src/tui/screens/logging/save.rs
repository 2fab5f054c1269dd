//! Saving the sitting: every change is one event saved at once; a failed save keeps
//! everything in memory, says why, and is retried; leaving says what would be lost.

use crate::records::RecordsError;
use crate::session::{EventKind, Stamp};
use crate::tui::app::Ctx;

use super::{LoggingScreen, SaveState};

impl LoggingScreen {
    /// Appends one event and saves at once.
    pub(super) fn record(&mut self, kind: EventKind, ctx: &Ctx) {
        self.record_at(kind, None, ctx.clock.stamp(), ctx);
    }

    /// Appends one event with its time (and, for an undo or redo, the event it takes back)
    /// and saves at once.
    pub(super) fn record_at(
        &mut self,
        kind: EventKind,
        reverts: Option<u64>,
        stamp: Stamp,
        ctx: &Ctx,
    ) {
        if let Some(r) = self.open.read_only() {
            self.message = Some(format!("Not recorded: {r}"));
            return;
        }
        self.open.sitting.record_reverting(kind, reverts, stamp);
        self.folded = self.open.sitting.fold();
        self.recompare();
        self.quit_warned = false;
        self.save_now(ctx);
    }

    pub(super) fn save_now(&mut self, ctx: &Ctx) {
        if self.open.read_only().is_some() {
            self.save = SaveState::ReadOnly;
            return;
        }
        let Some(book) = ctx.book.as_ref() else {
            self.save = SaveState::NotSaved("locked; unlock to save".into());
            return;
        };
        // Where resuming opens: rides along with every save, never a save of its own.
        self.open.sitting.current_question = self
            .current_id()
            .or_else(|| self.open.sitting.current_question.clone());
        self.save = match book.save_sitting(&self.open) {
            Ok(()) => {
                self.saved_events = self.open.sitting.events.len();
                // The warning about what leaving would lose is no longer true.
                if self.quit_warned {
                    self.quit_warned = false;
                    self.message = None;
                }
                SaveState::Saved(ctx.clock.stamp().at.format("%H:%M:%S").to_string())
            }
            Err(e) => SaveState::NotSaved(save_problem(&e)),
        };
    }

    /// On a timer: tries again if the last save failed.
    pub fn retry_save(&mut self, ctx: &Ctx) {
        if matches!(self.save, SaveState::NotSaved(_)) && ctx.book.is_some() {
            self.save_now(ctx);
        }
    }

    /// Leaving (back to the case, or quitting): records the close time in the sitting
    /// (`ended`: the last time it was left) and saves. Says yes unless something would be
    /// lost; then it says exactly what, once, and yes the next time.
    pub fn may_leave(&mut self, ctx: &Ctx) -> bool {
        if self.open.read_only().is_none() && ctx.book.is_some() {
            self.open.sitting.ended = Some(ctx.clock.stamp());
            self.save_now(ctx);
            if let (SaveState::Saved(_), Some(book)) = (&self.save, ctx.book.as_ref()) {
                book.finish_sitting(&self.open);
            }
        }
        match self.unsaved_warning() {
            Some(warning) => {
                self.message = Some(warning);
                false
            }
            None => true,
        }
    }

    /// If there are unsaved changes and no warning was given yet: the warning (and it
    /// counts as given). Used before leaving, also from under the lock.
    pub fn unsaved_warning(&mut self) -> Option<String> {
        let SaveState::NotSaved(why) = &self.save else {
            return None;
        };
        if self.quit_warned {
            return None;
        }
        self.quit_warned = true;
        Some(format!(
            "NOT SAVED: leaving now loses {}. Cause: {} The save is retried every second: wait for \"✓ saved\" in the footer, then leave. Press the same key again to leave anyway and lose this.",
            self.unsaved_summary(),
            why.trim_start_matches("NOT saved: ")
        ))
    }

    /// What is in memory but not on disk, in words (question ids, never answer text).
    pub fn unsaved_summary(&self) -> String {
        let events = self
            .open
            .sitting
            .events
            .get(self.saved_events..)
            .unwrap_or_default();
        let mut answered: Vec<&str> = Vec::new();
        let (mut notes, mut flags, mut observations) = (0, 0, 0);
        for e in events {
            match &e.kind {
                EventKind::Answer { question, .. } | EventKind::Clear { question } => {
                    if !answered.contains(&question.as_str()) {
                        answered.push(question);
                    }
                }
                EventKind::Note { .. } => notes += 1,
                EventKind::Flag { .. } => flags += 1,
                EventKind::Observation { .. } => observations += 1,
            }
        }
        let plural = |n: usize, one: &str| {
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        };
        let mut parts = Vec::new();
        if !answered.is_empty() {
            let shown: Vec<&str> = answered.iter().take(4).copied().collect();
            let more = answered.len() - shown.len();
            let mut text = format!("the answers to {}", shown.join(", "));
            if more > 0 {
                text.push_str(&format!(" and {more} more"));
            }
            parts.push(text);
        }
        if notes > 0 {
            parts.push(plural(notes, "note"));
        }
        if flags > 0 {
            parts.push(plural(flags, "flag change"));
        }
        if observations > 0 {
            parts.push(plural(observations, "observation"));
        }
        let changes = plural(events.len(), "change");
        if parts.is_empty() {
            "the time this sitting was closed".to_string()
        } else {
            format!("{changes} ({})", parts.join("; "))
        }
    }
}

/// A failed save in words for the screen: the store's message (what failed, what to do),
/// with the long file path replaced by what the file is.
fn save_problem(e: &RecordsError) -> String {
    let text = e.to_string();
    let RecordsError::Save(save) = e else {
        return text;
    };
    let name = save
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let what = if crate::store::is_temp_name(&name) {
        "a temporary file"
    } else if name.ends_with(".age") {
        "the sitting file"
    } else {
        "the case folder"
    };
    text.replace(&save.path.display().to_string(), what)
}

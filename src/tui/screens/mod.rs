//! One file per screen: its state, its key handling and its drawing.

pub mod case;
pub mod cases;
pub mod field;
pub mod logging;
pub mod logging_popups;
pub mod logging_view;
pub mod resume;
pub mod review;
pub mod review_changes;
pub mod review_changes_view;
pub mod review_view;
pub mod setup;
pub mod start;
pub mod unlock;

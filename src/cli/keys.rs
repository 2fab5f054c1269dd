//! `companion init` and `companion keys …`.

use std::process::ExitCode;

use anyhow::{Result, bail};

use super::AppContext;

pub fn init(_ctx: &AppContext) -> Result<ExitCode> {
    bail!("not built yet")
}

pub fn show(_ctx: &AppContext) -> Result<ExitCode> {
    bail!("not built yet")
}

pub fn add_recipient(_ctx: &AppContext, _recipient: &str) -> Result<ExitCode> {
    bail!("not built yet")
}

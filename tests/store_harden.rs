//! Process hardening, in its own test binary (hardening cannot be undone, so it must not
//! run inside the process of other tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
#[cfg_attr(
    not(unix),
    ignore = "no core-dump switch without admin rights: hardening is a no-op off Unix"
)]
fn core_dumps_are_disabled() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use interview_companion::harden::{probe, try_harden_process};
        try_harden_process().map_err(std::io::Error::other)?;
        assert_eq!(probe::core_limit()?, (0, 0), "RLIMIT_CORE must be 0");
        #[cfg(target_os = "linux")]
        assert!(!probe::is_dumpable()?, "process must be non-dumpable");
        // Idempotent: the lead may call it more than once.
        interview_companion::harden::harden_process();
    }
    Ok(())
}

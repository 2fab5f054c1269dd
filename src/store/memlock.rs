//! Keeping the unlocked key and the passphrase out of swap.
//!
//! Memory the OS swaps out lands on disk in plaintext, where it can outlive the program.
//! So the pages holding the unlocked identity and the passphrase are locked in RAM while
//! they live: `mlock` on Linux and macOS (no admin rights needed, within the per-user limit
//! `RLIMIT_MEMLOCK`, 8 MiB by default on current Linux, 64 KiB on older ones; we need a page
//! or two), `VirtualLock` on Windows (within the process's working set). The `region` crate
//! makes the calls, so this module needs no `unsafe`.
//!
//! The OS does not count locks: unlocking a page unlocks it for everything on it. Two
//! secrets can share a page (the heap packs small values together), so locks are counted
//! here, per page, and a page is unlocked only when the last secret on it is dropped.
//!
//! Where a lock cannot be taken (the limit is reached, the platform has no such call), the
//! program goes on: the secrets are still wiped when dropped, only the promise about swap is
//! lost. That is said once ([`take_warning`]), never as an error.
//!
//! What is not covered, and cannot be from here: the text fields the passphrase is typed
//! into on the screens (their buffers grow as keys come, so their address changes), the
//! copies age and scrypt make during the second of key derivation, and a copy of the key
//! left on the stack where it was parsed, before it is moved into its locked box.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Mutex;

use age::secrecy::{ExposeSecret, SecretString};

/// Locked pages by address: how many live secrets are on each, and the guard that unlocks
/// it when dropped.
static PAGES: Mutex<Pages> = Mutex::new(Pages {
    locked: None,
    warning: Warning::None,
});

struct Pages {
    locked: Option<HashMap<usize, (usize, region::LockGuard)>>,
    warning: Warning,
}

enum Warning {
    None,
    Pending(String),
    Said,
}

fn pages() -> std::sync::MutexGuard<'static, Pages> {
    // A panic while holding this cannot leave the map inconsistent in a way that matters:
    // at worst a page stays locked.
    PAGES.lock().unwrap_or_else(|p| p.into_inner())
}

/// A count on every page under some bytes, held until dropped.
#[derive(Debug)]
pub struct MemoryLock {
    pages: Vec<usize>,
}

impl MemoryLock {
    /// Locks the pages under `value` (its own bytes, not what it points to).
    pub fn of<T>(value: &T) -> MemoryLock {
        Self::of_range(std::ptr::from_ref(value).cast::<u8>(), size_of::<T>())
    }

    /// Locks the pages under `bytes`.
    pub fn of_bytes(bytes: &[u8]) -> MemoryLock {
        Self::of_range(bytes.as_ptr(), bytes.len())
    }

    fn of_range(start: *const u8, len: usize) -> MemoryLock {
        let mut lock = MemoryLock { pages: Vec::new() };
        if len == 0 {
            return lock;
        }
        let page = region::page::size();
        let offset = start as usize % page;
        let first = start.wrapping_sub(offset);
        let count = (offset + len).div_ceil(page);
        let mut state = pages();
        for i in 0..count {
            let at = first.wrapping_add(i * page);
            let key = at as usize;
            let locked = state.locked.get_or_insert_with(HashMap::new);
            if let Some((n, _)) = locked.get_mut(&key) {
                *n += 1;
                lock.pages.push(key);
                continue;
            }
            match region::lock(at, page) {
                Ok(guard) => {
                    locked.insert(key, (1, guard));
                    lock.pages.push(key);
                }
                Err(e) => {
                    if matches!(state.warning, Warning::None) {
                        state.warning = Warning::Pending(not_locked(&e));
                    }
                }
            }
        }
        lock
    }

    /// Whether every page was locked (false where the OS refused or there was nothing).
    pub fn is_locked(&self) -> bool {
        !self.pages.is_empty()
    }
}

impl Drop for MemoryLock {
    fn drop(&mut self) {
        let mut state = pages();
        let Some(locked) = state.locked.as_mut() else {
            return;
        };
        for key in self.pages.drain(..) {
            if let Some((n, _)) = locked.get_mut(&key) {
                *n -= 1;
                if *n == 0 {
                    // Dropping the guard unlocks the page.
                    locked.remove(&key);
                }
            }
        }
    }
}

fn not_locked(e: &region::Error) -> String {
    // What limits the call, so the person (or their IT) knows where to look.
    let (call, limit, swap) = if cfg!(windows) {
        (
            "VirtualLock",
            "the limit is the program's working set",
            "the page file could hold a copy. BitLocker on the system drive, or encrypting the page file, avoids that",
        )
    } else {
        (
            "mlock",
            "the per-user limit on locked memory, ulimit -l, may be reached",
            "a swap file or partition could hold a copy. Encrypted swap, or none, avoids that",
        )
    };
    format!(
        "the unlocked key and passphrase could not be kept out of swap ({call}: {e}; {limit}). Everything works and they are still wiped from memory when done; only {swap}"
    )
}

/// The first failure to lock memory, in words, the first time this is asked after it
/// happened; `None` after that, or if every lock was taken. For saying so once.
pub fn take_warning() -> Option<String> {
    let mut state = pages();
    match std::mem::replace(&mut state.warning, Warning::Said) {
        Warning::Pending(w) => Some(w),
        Warning::None => {
            state.warning = Warning::None;
            None
        }
        Warning::Said => None,
    }
}

/// A secret string whose bytes are kept out of swap while it lives, and wiped when it is
/// dropped (by `SecretString`, before the pages are unlocked).
pub struct RamSecret {
    secret: SecretString,
    _lock: MemoryLock,
}

impl RamSecret {
    pub fn new(secret: SecretString) -> RamSecret {
        let lock = MemoryLock::of_bytes(secret.expose_secret().as_bytes());
        RamSecret {
            secret,
            _lock: lock,
        }
    }
}

impl From<SecretString> for RamSecret {
    fn from(secret: SecretString) -> Self {
        RamSecret::new(secret)
    }
}

impl Deref for RamSecret {
    type Target = SecretString;
    fn deref(&self) -> &SecretString {
        &self.secret
    }
}

impl std::fmt::Debug for RamSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RamSecret([hidden])")
    }
}

/// A value in a box whose memory is kept out of swap while it lives. The box gives it one
/// address for its whole life, so the lock stays on the right pages however the owner is
/// moved. The value is dropped (and so wiped, if it wipes itself) before the pages are
/// unlocked.
pub struct InRam<T> {
    value: Box<T>,
    _lock: MemoryLock,
}

impl<T> InRam<T> {
    pub fn new(value: T) -> InRam<T> {
        let value = Box::new(value);
        let lock = MemoryLock::of(&*value);
        InRam { value, _lock: lock }
    }

    /// Whether the value's pages are locked.
    pub fn is_locked(&self) -> bool {
        self._lock.is_locked()
    }
}

impl<T> Deref for InRam<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_counted_so_a_shared_page_stays_locked() {
        // Two halves of 64 bytes that start a page: certainly on one page.
        let page = region::page::size();
        let buf = vec![7u8; 2 * page];
        let off = page - buf.as_ptr() as usize % page;
        let (a, b) = buf[off..off + 64].split_at(32);
        let first = MemoryLock::of_bytes(a);
        let second = MemoryLock::of_bytes(b);
        if !first.is_locked() {
            // VirtualLock needs no rights, and a page is far within the default working set
            // (its minimum is 50 pages): on Windows a refusal is a bug, not a setting.
            if cfg!(windows) {
                panic!("VirtualLock refused: {:?}", take_warning());
            }
            // Not allowed here (a limit of 0): nothing to count; said once.
            assert!(take_warning().is_some() || !cfg!(unix));
            return;
        }
        let key = first.pages[0];
        assert_eq!(second.pages[0], key, "both halves are on one page");
        drop(first);
        assert!(
            pages()
                .locked
                .as_ref()
                .is_some_and(|m| m.contains_key(&key)),
            "unlocked while the other half still lives"
        );
        drop(second);
        assert!(
            !pages()
                .locked
                .as_ref()
                .is_some_and(|m| m.contains_key(&key)),
            "still locked after both are gone"
        );
    }

    #[test]
    fn a_value_spanning_pages_locks_each() {
        let page = region::page::size();
        let buf = vec![1u8; 3 * page];
        let lock = MemoryLock::of_bytes(&buf[page / 2..page / 2 + page]);
        if lock.is_locked() {
            assert_eq!(lock.pages.len(), 2);
        }
        assert!(MemoryLock::of_bytes(&[]).pages.is_empty());
    }
}

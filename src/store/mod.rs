//! All disk access and all cryptography: keys, age encryption, the folder layout, durable
//! saves and locks.
//!
//! The store works in bytes: the session layer hands it plaintext (UTF-8 TOML) to save and
//! parses the plaintext it returns. Plaintext only ever exists in memory, in
//! [`zeroize::Zeroizing`] buffers; every file written is age ciphertext (or the public
//! recipients list). Every file operation goes through [`Disk`], so tests can make any
//! step fail and check that nothing on disk was harmed.
//!
//! Typical use:
//! 1. [`keys::create_identity`] once (`companion init`), or [`keys::unlock`] once per run
//!    (one scrypt, ≈1 s);
//! 2. [`recipients::read_recipients`] → [`CaseStore::new`];
//! 3. [`CaseStore::create_case`] / [`CaseStore::lock_case`] / [`CaseStore::save_case`],
//!    [`CaseStore::new_sitting_id`] / [`CaseStore::lock_sitting`] /
//!    [`CaseStore::save_sitting`], and [`CaseStore::open_case`] to read a whole case.
//!
//! The library never imports ratatui or crossterm.

pub mod crypto;
pub mod disk;
pub mod durable;
pub mod faulty;
pub mod guard;
pub mod ids;
pub mod keys;
pub mod layout;
pub mod limits;
pub mod lock;
pub mod memlock;
pub mod passphrase;
pub mod perms;
pub mod problems;
pub mod recipients;
pub mod sealed;
pub mod strength;

pub use age::secrecy::{ExposeSecret, SecretString};
pub use crypto::{DecryptProblem, EncryptError, decrypt, encrypt};
pub use disk::{DirEntry, Disk, Op, RealDisk};
pub use durable::{SaveError, SaveStep, is_temp_name, save_durable, save_durable_new};
pub use faulty::FaultyDisk;
pub use ids::{BadId, CaseId, SittingId};
pub use keys::{KeyError, SCRYPT_WORK_FACTOR, UnlockedIdentity, create_identity, unlock};
pub use layout::{CASE_FILE, CaseStore};
pub use limits::Refused;
pub use lock::{
    Access, CaseLock, NETWORK_SHARE_WARNING, ReadOnly, ReadOnlyReason, SittingLock,
    looks_like_network_share,
};
pub use passphrase::{PASSPHRASE_FILE_ENV, PassphraseError, UnlockError};
pub use problems::{FileProblem, ListError, Opened, OpenedCase, ProblemKind};
pub use recipients::{Added, Recipients, RecipientsError, add_recipient, read_recipients};

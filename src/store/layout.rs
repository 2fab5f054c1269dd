//! The folder layout and the byte-level case store.
//!
//! ```text
//! data/cases/<case-id>/case.age           the case (reference, subjects), age-encrypted
//! data/cases/<case-id>/case.lock          lock file: one writer of case.age
//! data/cases/<case-id>/<sitting-id>.age   one sitting, age-encrypted
//! data/cases/<case-id>/<sitting-id>.lock  lock file: one writer of that sitting
//! data/cases/<case-id>/.<file>.<hex>.tmp  a save in progress (or a crashed one): ignored
//!                                         by listings; the next lock holder puts it in
//!                                         place if the signed statement names it as the
//!                                         next version (see `sealed`), else removes it
//! ```
//!
//! Ids are 16 random bytes in hex: no personal data in any name. The store deals in
//! plaintext bytes (the session layer's TOML) and hands back plaintext in [`zeroize::Zeroizing`]
//! buffers; it never writes plaintext. A file that does not open is reported by name and
//! left exactly as it is, and the rest of the case still opens.

use std::io;
use std::path::{Path, PathBuf};

use super::crypto::{decrypt, encrypt};
use super::disk::{Disk, RealDisk};
use super::durable::{SaveError, SaveStep, is_temp_name, temp_prefix};
use super::ids::{CaseId, SittingId};
use super::keys::UnlockedIdentity;
use super::limits::{CASE_FILE_LIMIT, Refused, SITTING_FILE_LIMIT};
use super::lock::{Access, CaseLock, SittingLock, looks_like_network_share, try_lock};
use super::problems::{FileProblem, ListError, Opened, OpenedCase, ProblemKind};
use super::recipients::Recipients;
use super::sealed::ManifestRead;
use crate::custody::manifest::Digest;
use crate::custody::verdict::FileFacts;
use crate::paths::Paths;

/// The case file's name inside a case folder.
pub const CASE_FILE: &str = "case.age";
const CASE_LOCK: &str = "case.lock";
const AGE_EXT: &str = ".age";
const LOCK_EXT: &str = ".lock";

/// Encrypted, durable storage of cases and sittings, as bytes.
#[derive(Debug)]
pub struct CaseStore<D: Disk = RealDisk> {
    pub(super) cases_dir: PathBuf,
    pub(super) disk: D,
    pub(super) recipients: Recipients,
    pub(super) network_share: bool,
    /// What the lock holders confirmed (interrupted saves), for the person to read.
    pub(super) notes: std::sync::Mutex<Vec<String>>,
    /// The manifest this store last wrote: (case, digest of its bytes, content).
    pub(super) last_manifest:
        std::sync::Mutex<Option<(CaseId, Digest, crate::custody::manifest::Manifest)>>,
}

impl<D: Disk> CaseStore<D> {
    /// A store under `paths.cases_dir()` that encrypts every save to `recipients`.
    pub fn new(paths: &Paths, disk: D, recipients: Recipients) -> Self {
        let cases_dir = paths.cases_dir();
        let network_share = looks_like_network_share(&cases_dir);
        CaseStore {
            cases_dir,
            disk,
            recipients,
            network_share,
            notes: std::sync::Mutex::new(Vec::new()),
            last_manifest: std::sync::Mutex::new(None),
        }
    }

    /// Takes what the store has to tell (interrupted saves it confirmed), once.
    pub fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.notes.lock().unwrap_or_else(|p| p.into_inner()))
    }

    fn note(&self, note: Option<String>) {
        if let Some(n) = note {
            self.notes.lock().unwrap_or_else(|p| p.into_inner()).push(n);
        }
    }

    /// Replaces the recipients later saves are encrypted to (after `add-recipient`).
    pub fn set_recipients(&mut self, recipients: Recipients) {
        self.recipients = recipients;
    }

    /// Who saves are encrypted to.
    pub fn recipients(&self) -> &Recipients {
        &self.recipients
    }

    /// Whether the data folder looks like a network share, where locks are unreliable.
    pub fn network_share(&self) -> bool {
        self.network_share
    }

    /// The disk this store uses.
    pub fn disk(&self) -> &D {
        &self.disk
    }

    /// `data/cases/<case-id>`.
    pub fn case_dir(&self, case: &CaseId) -> PathBuf {
        self.cases_dir.join(case.as_str())
    }

    /// `data/cases/<case-id>/case.age`.
    pub fn case_file(&self, case: &CaseId) -> PathBuf {
        self.case_dir(case).join(CASE_FILE)
    }

    /// `data/cases/<case-id>/<sitting-id>.age`.
    pub fn sitting_file(&self, case: &CaseId, sitting: &SittingId) -> PathBuf {
        self.case_dir(case).join(format!("{sitting}{AGE_EXT}"))
    }

    /// Makes a new, empty case folder with a random name, durably. Save its case file
    /// next, under [`Self::lock_case`].
    pub fn create_case(&self) -> Result<CaseId, SaveError> {
        let id = CaseId::random();
        self.create_case_folder(&id)?;
        Ok(id)
    }

    /// Makes the empty folder of case `id` (a case received under the id its sender gave
    /// it), durably, as [`Self::create_case`] does.
    pub fn create_case_folder(&self, id: &CaseId) -> Result<(), SaveError> {
        let dir = self.case_dir(id);
        self.disk
            .create_dir_all(&dir)
            .map_err(|e| SaveError::new(SaveStep::CreateDir, &dir, e))?;
        // Make the new folder's entry durable in its parent. If that cannot be confirmed,
        // take the new, empty folder back (best effort): left, it would list as a case
        // whose file is missing.
        self.disk.sync_dir(&self.cases_dir).map_err(|e| {
            let _ = self.disk.remove_dir(&dir);
            SaveError::new(SaveStep::SyncDir, &dir, e)
        })?;
        Ok(())
    }

    /// Takes back a case folder made by [`Self::create_case`] whose case file could not be
    /// saved, so a failed creation leaves nothing behind that would list as a case with a
    /// missing file. Best effort, and only while the folder holds nothing but our own lock
    /// and temp files: if a case file or anything else is there, it is all left alone.
    pub fn discard_unsaved_case(&self, case: &CaseId) {
        let file = self.case_file(case);
        if self.disk.exists(&file).unwrap_or(true) {
            return;
        }
        let dir = self.case_dir(case);
        let Ok(entries) = self.disk.list_dir(&dir) else {
            return;
        };
        let prefix = temp_prefix(&file);
        let manifest_prefix = temp_prefix(&self.manifest_file(case));
        let ours = |name: &str| {
            name == CASE_LOCK
                || name == "manifest.lock"
                || name == crate::custody::manifest::MANIFEST_FILE
                || (is_temp_name(name)
                    && (name.starts_with(&prefix) || name.starts_with(&manifest_prefix)))
        };
        if entries.iter().any(|e| e.is_dir || !ours(&e.name)) {
            return;
        }
        for e in &entries {
            if self.disk.remove_file(&dir.join(&e.name)).is_err() {
                return;
            }
        }
        if self.disk.remove_dir(&dir).is_ok() {
            let _ = self.disk.sync_dir(&self.cases_dir);
        }
    }

    /// A fresh random sitting id (touches nothing; the file appears at the first save).
    pub fn new_sitting_id(&self) -> SittingId {
        SittingId::random()
    }

    /// Case ids found under the cases folder (folders with id-shaped names only).
    pub fn list_cases(&self) -> Result<Vec<CaseId>, ListError> {
        let entries = match self.disk.list_dir(&self.cases_dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(ListError {
                    path: self.cases_dir.clone(),
                    source,
                });
            }
        };
        let mut ids: Vec<CaseId> = entries
            .into_iter()
            .filter(|e| e.is_dir)
            .filter_map(|e| e.name.parse().ok())
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Sitting ids in a case folder: `<id>.age` files only; temp and lock files skipped.
    pub fn list_sittings(&self, case: &CaseId) -> Result<Vec<SittingId>, ListError> {
        let dir = self.case_dir(case);
        let entries = self.disk.list_dir(&dir).map_err(|source| ListError {
            path: dir.clone(),
            source,
        })?;
        let mut ids: Vec<SittingId> = entries
            .into_iter()
            .filter(|e| !e.is_dir)
            .filter_map(|e| e.name.strip_suffix(AGE_EXT)?.parse().ok())
            .collect();
        ids.sort();
        Ok(ids)
    }

    /// Removes temp files left by a crashed save of `target`. Only called while holding
    /// `target`'s lock, so no save of it can be in progress. Best effort.
    pub(super) fn sweep_leftovers(&self, target: &Path) {
        let dir = super::disk::parent_dir(target);
        let prefix = temp_prefix(target);
        let Ok(entries) = self.disk.list_dir(&dir) else {
            return;
        };
        for e in entries {
            if !e.is_dir && is_temp_name(&e.name) && e.name.starts_with(&prefix) {
                let _ = self.disk.remove_file(&dir.join(&e.name));
            }
        }
    }

    /// The digests of the temp files beside `target` (see [`FileFacts::staged`]). Read
    /// only; an unreadable one is skipped.
    fn staged_digests(&self, target: &Path) -> Vec<Digest> {
        let dir = super::disk::parent_dir(target);
        let prefix = temp_prefix(target);
        let Ok(entries) = self.disk.list_dir(&dir) else {
            return Vec::new();
        };
        entries
            .into_iter()
            .filter(|e| !e.is_dir && is_temp_name(&e.name) && e.name.starts_with(&prefix))
            .filter_map(|e| self.disk.read(&dir.join(e.name)).ok())
            .map(|bytes| Digest::of(&bytes))
            .collect()
    }

    /// Tries to become the one writer of a case file.
    pub fn lock_case(&self, case: &CaseId) -> Access<CaseLock> {
        let path = self.case_dir(case).join(CASE_LOCK);
        match try_lock(&self.disk, &path, self.network_share) {
            Ok(lock) => Access::Write({
                self.settle_leftovers(case, &self.case_file(case));
                CaseLock {
                    case: case.clone(),
                    lock,
                    network_share: self.network_share,
                }
            }),
            Err(ro) => Access::ReadOnly(ro),
        }
    }

    /// Tries to become the one writer of a sitting.
    pub fn lock_sitting(&self, case: &CaseId, sitting: &SittingId) -> Access<SittingLock> {
        let path = self.case_dir(case).join(format!("{sitting}{LOCK_EXT}"));
        match try_lock(&self.disk, &path, self.network_share) {
            Ok(lock) => Access::Write({
                self.settle_leftovers(case, &self.sitting_file(case, sitting));
                SittingLock {
                    case: case.clone(),
                    sitting: sitting.clone(),
                    lock,
                    network_share: self.network_share,
                }
            }),
            Err(ro) => Access::ReadOnly(ro),
        }
    }

    /// Encrypts and saves, signed, refusing (before touching the disk) a file larger than
    /// its kind may be read back: a record that was saved must always open again.
    fn save(
        &self,
        case: &CaseId,
        target: &Path,
        plaintext: &[u8],
        limit: u64,
        signer: &UnlockedIdentity,
    ) -> Result<(), SaveError> {
        let too_large = |size: usize| {
            SaveError::new(
                SaveStep::Encrypt,
                target,
                io::Error::new(
                    io::ErrorKind::FileTooLarge,
                    format!(
                        "the file would be {size} bytes or more, over the limit of {limit} for its kind, and could not be read back"
                    ),
                ),
            )
        };
        // The ciphertext is always longer than the plaintext: no need to encrypt to know.
        if plaintext.len() as u64 > limit {
            return Err(too_large(plaintext.len()));
        }
        let ciphertext = encrypt(plaintext, &self.recipients)
            .map_err(|e| SaveError::new(SaveStep::Encrypt, target, e.into()))?;
        if ciphertext.len() as u64 > limit {
            return Err(too_large(ciphertext.len()));
        }
        self.save_signed(case, target, &ciphertext, signer)
    }

    /// Encrypts `plaintext` to all recipients and durably replaces the case file, signed
    /// (see [`super::sealed`]).
    pub fn save_case(
        &self,
        lock: &CaseLock,
        plaintext: &[u8],
        signer: &UnlockedIdentity,
    ) -> Result<(), SaveError> {
        let target = self.case_file(&lock.case);
        self.save(&lock.case, &target, plaintext, CASE_FILE_LIMIT, signer)?;
        // The case file is saved rarely: confirm at once, so the statement's checksum
        // line names it.
        self.confirm_saved(&lock.case, &target, signer);
        Ok(())
    }

    /// Encrypts `plaintext` to all recipients and durably replaces the sitting's file,
    /// signed (see [`super::sealed`]).
    pub fn save_sitting(
        &self,
        lock: &SittingLock,
        plaintext: &[u8],
        signer: &UnlockedIdentity,
    ) -> Result<(), SaveError> {
        let target = self.sitting_file(&lock.case, &lock.sitting);
        self.save(&lock.case, &target, plaintext, SITTING_FILE_LIMIT, signer)
    }

    /// With the sitting's lock held, confirms a save of it that a crash interrupted (see
    /// [`super::sealed`]); what it did is kept for [`Self::take_notes`].
    pub fn settle_sitting(&self, lock: &SittingLock, signer: &UnlockedIdentity) {
        self.sweep_manifest_leftovers(&lock.case);
        let target = self.sitting_file(&lock.case, &lock.sitting);
        self.note(self.confirm_interrupted(&lock.case, &target, signer));
    }

    /// After the last save of a sitting (leaving it), confirms that save in the signed
    /// statement, so its checksum line names the file as it is.
    pub fn finish_sitting(&self, lock: &SittingLock, signer: &UnlockedIdentity) {
        let target = self.sitting_file(&lock.case, &lock.sitting);
        self.confirm_saved(&lock.case, &target, signer);
    }

    /// With the case file's lock held, confirms a save of it that a crash interrupted.
    pub fn settle_case(&self, lock: &CaseLock, signer: &UnlockedIdentity) {
        self.sweep_manifest_leftovers(&lock.case);
        let target = self.case_file(&lock.case);
        self.note(self.confirm_interrupted(&lock.case, &target, signer));
    }

    /// Reads (at most `limit` bytes, a regular file only: see [`super::limits`]) and
    /// decrypts one file; never modifies it.
    pub fn read_file(&self, path: &Path, limit: u64, identity: &UnlockedIdentity) -> Opened {
        self.read_with_digest(path, limit, identity).1
    }

    /// Reads one file: the digest of its bytes (if it could be read at all) and its
    /// plaintext or problem. Never modifies it.
    fn read_with_digest(
        &self,
        path: &Path,
        limit: u64,
        identity: &UnlockedIdentity,
    ) -> (Option<Digest>, Opened) {
        let problem = |kind| FileProblem {
            path: path.to_path_buf(),
            kind,
        };
        let bytes = match self.disk.read_limited(path, limit) {
            Ok(b) => b,
            Err(e) => {
                return (
                    None,
                    Err(problem(match (e.kind(), Refused::of(&e)) {
                        (_, Some(refused)) => ProblemKind::Refused(refused.clone()),
                        (io::ErrorKind::NotFound, _) => ProblemKind::Missing,
                        _ => ProblemKind::Unreadable(e.to_string()),
                    })),
                );
            }
        };
        let digest = Digest::of(&bytes);
        (
            Some(digest),
            decrypt(&bytes, identity).map_err(|p| problem(ProblemKind::Decrypt(p))),
        )
    }

    /// Reads and decrypts the case file.
    pub fn read_case(&self, case: &CaseId, identity: &UnlockedIdentity) -> Opened {
        self.read_file(&self.case_file(case), CASE_FILE_LIMIT, identity)
    }

    /// Reads and decrypts one sitting.
    pub fn read_sitting(
        &self,
        case: &CaseId,
        sitting: &SittingId,
        identity: &UnlockedIdentity,
    ) -> Opened {
        self.read_file(
            &self.sitting_file(case, sitting),
            SITTING_FILE_LIMIT,
            identity,
        )
    }

    /// Opens every file of a case, with the digest of each and the case's manifest. Only
    /// an unlistable folder is an error; each bad file is reported in its place and the
    /// others still open. Never writes.
    pub fn open_case(
        &self,
        case: &CaseId,
        identity: &UnlockedIdentity,
    ) -> Result<OpenedCase, ListError> {
        let ids = self.list_sittings(case)?;
        let mut files = Vec::with_capacity(ids.len() + 1);
        let sittings = ids
            .into_iter()
            .map(|s| {
                let (digest, opened) = self.read_with_digest(
                    &self.sitting_file(case, &s),
                    SITTING_FILE_LIMIT,
                    identity,
                );
                if let Some(d) = digest {
                    files.push(FileFacts {
                        name: format!("{s}{AGE_EXT}"),
                        digest: d,
                        other_case: None,
                        detached: None,
                        staged: Vec::new(),
                    });
                }
                (s, opened)
            })
            .collect();
        let (digest, case_file) =
            self.read_with_digest(&self.case_file(case), CASE_FILE_LIMIT, identity);
        if let Some(d) = digest {
            files.push(FileFacts {
                name: CASE_FILE.to_string(),
                digest: d,
                other_case: None,
                detached: None,
                staged: Vec::new(),
            });
        }
        let manifest = self.read_manifest(case);
        if let ManifestRead::Valid(m) = &manifest {
            for f in &mut files {
                let Some(entry) = m.entries.get(&f.name) else {
                    continue;
                };
                if entry.by.is_some() {
                    f.detached = self.read_detached(case, &f.name);
                }
                if !entry.accepts(&f.digest) {
                    f.staged = self.staged_digests(&self.case_dir(case).join(&f.name));
                }
            }
        }
        Ok(OpenedCase {
            id: case.clone(),
            case: case_file,
            sittings,
            files,
            manifest,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(tmp: &Path) -> (CaseStore, UnlockedIdentity) {
        let id = UnlockedIdentity::generate();
        let s = CaseStore::new(
            &Paths::under(tmp),
            RealDisk,
            Recipients::single(id.recipient()),
        );
        (s, id)
    }

    #[test]
    fn case_and_sittings_round_trip() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let (s, id) = store(tmp.path());
        assert!(s.list_cases()?.is_empty());
        let case = s.create_case()?;
        assert_eq!(s.list_cases()?, vec![case.clone()]);
        let Access::Write(cl) = s.lock_case(&case) else {
            return Err("case lock refused".into());
        };
        s.save_case(&cl, b"reference = 'X'", &id)?;
        let sid = s.new_sitting_id();
        let Access::Write(sl) = s.lock_sitting(&case, &sid) else {
            return Err("sitting lock refused".into());
        };
        s.save_sitting(&sl, b"events = []", &id)?;
        std::fs::write(s.case_dir(&case).join(".0011223344556677.tmp"), b"junk")?;
        let stale = s
            .case_dir(&case)
            .join(format!(".{sid}.age.0011223344556677.tmp"));
        std::fs::write(&stale, b"junk")?;
        let opened = s.open_case(&case, &id)?;
        assert_eq!(
            opened.case.as_deref().map(|v| v.as_slice()).ok(),
            Some(&b"reference = 'X'"[..])
        );
        assert_eq!(
            opened.sittings.len(),
            1,
            "temp or lock file listed as a sitting"
        );
        assert_eq!(opened.sittings[0].0, sid);
        assert_eq!(opened.problems().count(), 0);
        drop(sl);
        let Access::Write(_again) = s.lock_sitting(&case, &sid) else {
            return Err("sitting lock refused after release".into());
        };
        assert!(
            !stale.exists(),
            "the lock holder must sweep its own leftovers"
        );
        assert!(
            s.case_dir(&case).join(".0011223344556677.tmp").exists(),
            "swept another's temp"
        );
        Ok(())
    }

    #[test]
    fn missing_case_file_is_a_named_problem() -> Result<(), Box<dyn std::error::Error>> {
        let tmp = tempfile::tempdir()?;
        let (s, id) = store(tmp.path());
        let case = s.create_case()?;
        let opened = s.open_case(&case, &id)?;
        let problem = opened.case.err().ok_or("missing case file opened")?;
        assert_eq!(problem.kind, ProblemKind::Missing);
        assert!(problem.to_string().contains(CASE_FILE));
        Ok(())
    }

    #[test]
    #[cfg_attr(
        not(unix),
        ignore = "no file modes: on Windows the folder's inherited ACL (the user's profile) applies"
    )]
    fn modes_are_private() -> Result<(), Box<dyn std::error::Error>> {
        #[cfg(unix)]
        modes_are_private_on_unix()?;
        Ok(())
    }

    #[cfg(unix)]
    fn modes_are_private_on_unix() -> Result<(), Box<dyn std::error::Error>> {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir()?;
        let (s, id) = store(tmp.path());
        let case = s.create_case()?;
        let Access::Write(cl) = s.lock_case(&case) else {
            return Err("case lock refused".into());
        };
        s.save_case(&cl, b"x", &id)?;
        let mode = |p: &Path| std::fs::metadata(p).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode(&s.case_dir(&case))?, 0o700);
        assert_eq!(mode(&tmp.path().join("data"))?, 0o700);
        assert_eq!(mode(&s.case_file(&case))?, 0o600);
        assert_eq!(mode(cl.lock_file())?, 0o600);
        Ok(())
    }
}

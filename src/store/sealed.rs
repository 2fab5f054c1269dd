//! Signed saves: every save of a record also updates the case's signed statement
//! (`manifest.txt`), in an order where a crash, a power cut or a failed write at any step
//! leaves a state that checks out — never one that reads as tampered.
//!
//! Two files cannot be renamed at once. A save, with the new ciphertext's digest `D`:
//!
//! 1. writes the record's new version to a temp file beside it, and the new manifest
//!    (naming `D` as `pending` beside the current version: the new version is vouched
//!    for before it exists) to another;
//! 2. flushes both temp files (the device is asked to start both before either is waited
//!    for, so the two flushes overlap);
//! 3. renames the manifest's temp file into place, and flushes the folder: this one folder
//!    flush makes durable both the manifest and the *name* of the record's temp file;
//! 4. renames the record's temp file into place, and returns. No second folder flush: if a
//!    power cut undoes this rename, the temp file (complete, flushed, named durably in 3)
//!    holds exactly the version the durable manifest names as pending, and the next
//!    program to take the record's lock puts it in place ([`CaseStore::settle_leftovers`]).
//!
//! | a crash or power cut…                  | manifest says                | file holds | verdict |
//! |----------------------------------------|------------------------------|------------|---------|
//! | before 3's folder flush returns        | old, or pending = D          | old        | signed (interrupted) |
//! | after 3, before 4's rename is durable  | current = old, pending = D   | old, temp = D | signed (interrupted); rolled forward at next lock |
//! | after 4                                | current = old, pending = D   | D          | signed |
//!
//! The record's rename comes only after the folder flush that made the manifest durable,
//! so "record new, manifest old" cannot happen, on any file system, whatever order it
//! persists renames in. (Renaming both and flushing the folder once after both would save
//! nothing more and would allow exactly that state on a file system that reorders them.)
//! `pending` is confirmed at the next save of the same file, or by whoever next takes its
//! lock ([`CaseStore::confirm_interrupted`]), which checks that the file holds exactly one
//! of the two digests it signed. Nothing else is ever re-signed: a file that matches
//! neither is left as it is and reported.
//!
//! Saves of different files of one case (two windows) are serialized by `manifest.lock`.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{SubsecRound, Utc};

use super::disk::Disk;
use super::disk::parent_dir;
use super::durable::{SaveError, SaveStep, Staged, is_temp_name, save_durable, temp_prefix};
use super::ids::CaseId;
use super::keys::UnlockedIdentity;
use super::layout::CaseStore;
use super::lock::{FileLock, try_lock_io};
use crate::custody::manifest::{Digest, MANIFEST_FILE, Manifest, is_record_name};
use crate::custody::signing::{
    MANIFEST_NAMESPACE, RECORD_NAMESPACE, SigProblem, SignerKey, seal, unseal, verify_detached,
};

const MANIFEST_LOCK: &str = "manifest.lock";
/// How long a save waits for another window's save of the same case (each takes about a
/// millisecond).
const MANIFEST_WAIT: Duration = Duration::from_secs(3);
/// The largest manifest read (a case of 10,000 sittings with full histories fits).
const MAX_MANIFEST: usize = 32 << 20;

/// The manifest as found on disk.
#[derive(Debug, Clone)]
pub enum ManifestRead {
    /// No `manifest.txt`.
    Absent,
    /// There, but unreadable or not a validly signed manifest: why.
    Damaged(String),
    /// Its signature holds (by the key it names; whether that is trusted is the caller's).
    Valid(Manifest),
}

/// A failure of the statement's own steps (the record not yet touched).
fn refuse_io(path: &Path, e: io::Error) -> SaveError {
    SaveError::new(SaveStep::Statement, path, e)
}

fn refuse(path: &Path, why: String) -> SaveError {
    SaveError::new(
        SaveStep::Statement,
        path,
        io::Error::new(io::ErrorKind::InvalidData, why),
    )
}

impl<D: Disk> CaseStore<D> {
    /// `data/cases/<case-id>/manifest.txt`.
    pub fn manifest_file(&self, case: &CaseId) -> PathBuf {
        self.case_dir(case).join(MANIFEST_FILE)
    }

    /// Reads and checks the case's manifest. Never writes.
    pub fn read_manifest(&self, case: &CaseId) -> ManifestRead {
        self.load_manifest(case)
            .unwrap_or_else(|e| ManifestRead::Damaged(format!("it could not be read ({e})")))
    }

    /// [`Self::read_manifest`], with a failed read as the I/O error it is. The manifest
    /// this store last wrote is kept in memory with the digest of its bytes: when the file
    /// still holds exactly those bytes its signature need not be checked again (a save
    /// then costs one SHA-256 of the manifest, not a parse and an Ed25519 verification).
    fn load_manifest(&self, case: &CaseId) -> io::Result<ManifestRead> {
        let bytes = match self.disk.read(&self.manifest_file(case)) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(ManifestRead::Absent),
            Err(e) => return Err(e),
        };
        let digest = Digest::of(&bytes);
        if let Some((c, d, m)) = &*self.last_manifest.lock().unwrap_or_else(|p| p.into_inner())
            && c == case
            && *d == digest
        {
            return Ok(ManifestRead::Valid(m.clone()));
        }
        Ok(parse_manifest(&bytes))
    }

    /// The detached signature of another's record (`<name>.sig`), checked over the file's
    /// bytes: the key that made it, or why it does not hold. `None` if there is none.
    pub fn read_detached(
        &self,
        case: &CaseId,
        name: &str,
    ) -> Option<Result<SignerKey, SigProblem>> {
        let bytes = match self.disk.read(&self.case_dir(case).join(name)) {
            Ok(b) => b,
            Err(e) => return Some(Err(SigProblem::Malformed(e.to_string()))),
        };
        let path = self.case_dir(case).join(format!("{name}.sig"));
        match self.disk.read(&path) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => Some(Err(SigProblem::Malformed(e.to_string()))),
            Ok(sig) => Some(
                std::str::from_utf8(&sig)
                    .map_err(|_| SigProblem::Malformed("not text".to_string()))
                    .and_then(|pem| verify_detached(RECORD_NAMESPACE, &bytes, pem)),
            ),
        }
    }

    /// Takes the case's manifest lock, waiting briefly for another window's save.
    fn lock_manifest(&self, case: &CaseId, wait: Duration) -> Result<FileLock, SaveError> {
        let path = self.case_dir(case).join(MANIFEST_LOCK);
        let deadline = std::time::Instant::now() + wait;
        loop {
            match try_lock_io(&self.disk, &path) {
                Ok(Some(lock)) => return Ok(lock),
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(None) => {
                    return Err(SaveError::new(
                        SaveStep::Statement,
                        &path,
                        io::Error::new(
                            io::ErrorKind::ResourceBusy,
                            "another companion window kept saving to this case",
                        ),
                    ));
                }
                Err(e) => return Err(SaveError::new(SaveStep::Statement, &path, e)),
            }
        }
    }

    /// Removes temp files a crashed manifest save left, if no save of this case is under
    /// way (only the manifest lock's holder may know they are leftovers). Best effort.
    pub(super) fn sweep_manifest_leftovers(&self, case: &CaseId) {
        let path = self.case_dir(case).join(MANIFEST_LOCK);
        if let Ok(Some(_lock)) = try_lock_io(&self.disk, &path) {
            self.sweep_leftovers(&self.manifest_file(case));
        }
    }

    /// The manifest to update for a save, or why saving must not go on.
    fn manifest_for_save(
        &self,
        case: &CaseId,
        signer: &UnlockedIdentity,
    ) -> Result<Manifest, SaveError> {
        let path = self.manifest_file(case);
        let own = signer.signing().public();
        let found = self
            .load_manifest(case)
            .map_err(|e| SaveError::new(SaveStep::Statement, &path, e))?;
        match found {
            ManifestRead::Valid(m) if m.case != case.as_str() => Err(refuse(
                &path,
                format!(
                    "the signed statement is case {}'s, not this case's (it was copied here)",
                    m.case
                ),
            )),
            ManifestRead::Valid(m) if &m.signer != own => Err(refuse(
                &path,
                "the signed statement was signed by another key, not yours".to_string(),
            )),
            ManifestRead::Valid(m) => Ok(m),
            ManifestRead::Damaged(why) => Err(refuse(
                &path,
                format!("the signed statement is damaged or was altered: {why}"),
            )),
            ManifestRead::Absent => {
                // A new case has no records yet. Records without a statement were made
                // before signing existed (sealed when the home was upgraded) or had their
                // statement deleted: never sign over either without a person looking.
                let records = self
                    .record_names(case)
                    .map_err(|e| SaveError::new(SaveStep::Statement, &self.case_dir(case), e))?;
                if records.is_empty() {
                    Ok(Manifest::new(case.as_str(), own.clone()))
                } else {
                    Err(refuse(
                        &path,
                        "the case's signed statement is missing although it holds records"
                            .to_string(),
                    ))
                }
            }
        }
    }

    /// Names of the record files in a case folder (`case.age`, `<sitting-id>.age`).
    pub(super) fn record_names(&self, case: &CaseId) -> io::Result<Vec<String>> {
        let mut names: Vec<String> = self
            .disk
            .list_dir(&self.case_dir(case))?
            .into_iter()
            .filter(|e| !e.is_dir && is_record_name(&e.name))
            .map(|e| e.name)
            .collect();
        names.sort();
        Ok(names)
    }

    /// The digest of the file at `path`, `None` if there is none.
    fn digest_on_disk(&self, path: &Path) -> Result<Option<Digest>, SaveError> {
        match self.disk.read(path) {
            Ok(bytes) => Ok(Some(Digest::of(&bytes))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(SaveError::new(SaveStep::Check, path, e)),
        }
    }

    /// Signs `manifest` (raising its generation): the text of the new `manifest.txt`.
    fn signed_manifest(
        &self,
        case: &CaseId,
        manifest: &mut Manifest,
        signer: &UnlockedIdentity,
    ) -> Result<String, SaveError> {
        let path = self.manifest_file(case);
        manifest.generation += 1;
        manifest.written = Utc::now().trunc_subsecs(0);
        manifest.signer = signer.signing().public().clone();
        let body = manifest.body();
        // Parse what we serialized before writing it.
        if Manifest::parse(&body).as_ref() != Ok(manifest) {
            return Err(refuse(
                &path,
                "the new statement did not read back".to_string(),
            ));
        }
        seal(&body, signer.signing(), MANIFEST_NAMESPACE).map_err(|e| refuse(&path, e.to_string()))
    }

    /// Remembers `manifest` as the one whose bytes `text` now are on disk.
    fn remember_manifest(&self, case: &CaseId, text: &str, manifest: &Manifest) {
        *self.last_manifest.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((case.clone(), Digest::of(text.as_bytes()), manifest.clone()));
    }

    /// Signs `manifest` (raising its generation) and durably replaces `manifest.txt` on
    /// its own (when no record changes with it).
    fn write_manifest(
        &self,
        case: &CaseId,
        manifest: &mut Manifest,
        signer: &UnlockedIdentity,
    ) -> Result<(), SaveError> {
        let text = self.signed_manifest(case, manifest, signer)?;
        save_durable(&self.disk, &self.manifest_file(case), text.as_bytes()).map_err(|e| {
            SaveError {
                step: SaveStep::Statement,
                ..e
            }
        })?;
        self.remember_manifest(case, &text, manifest);
        Ok(())
    }

    /// Durably replaces record `name` of `case` (at `target`) with `ciphertext`, signed:
    /// see the module docs for the order and what each crash leaves.
    pub(super) fn save_signed(
        &self,
        case: &CaseId,
        target: &Path,
        ciphertext: &[u8],
        signer: &UnlockedIdentity,
    ) -> Result<(), SaveError> {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _lock = self.lock_manifest(case, MANIFEST_WAIT)?;
        let mut manifest = self.manifest_for_save(case, signer)?;
        let on_disk = self.digest_on_disk(target)?;
        let entry = manifest.entries.entry(name.clone()).or_default();
        match on_disk {
            // The previous save landed: confirm it (it is ours, signed as pending).
            Some(f) if entry.pending == Some(f) => {
                entry.confirm(f);
                entry.unsigned = false;
                entry.by = None;
            }
            Some(f) if entry.current == Some(f) => entry.pending = None,
            None if entry.current.is_none() => entry.pending = None,
            None => {
                return Err(refuse(
                    target,
                    "the file is missing although the signed statement lists it".to_string(),
                ));
            }
            Some(_) => {
                return Err(refuse(
                    target,
                    "the file on disk is not the version last signed: it was changed by something other than this program, so it is left as it is".to_string(),
                ));
            }
        }
        entry.pending = Some(Digest::of(ciphertext));
        let manifest_path = self.manifest_file(case);
        let statement = |e: SaveError| SaveError {
            step: SaveStep::Statement,
            path: manifest_path.clone(),
            ..e
        };
        // 1. Both new versions, in temp files.
        let record = Staged::write(&self.disk, target, ciphertext)?;
        let text = self.signed_manifest(case, &mut manifest, signer)?;
        let statement_file =
            Staged::write(&self.disk, &manifest_path, text.as_bytes()).map_err(statement)?;
        // 2. Both flushed; the device starts on both before either is waited for.
        record.start_sync();
        statement_file.start_sync();
        record.sync()?;
        statement_file.sync().map_err(statement)?;
        // 3. The statement in place, and the folder flushed: from here the new version
        // survives a power cut (as the record, or as its temp file named as pending).
        *self.last_manifest.lock().unwrap_or_else(|p| p.into_inner()) = None;
        statement_file.rename().map_err(statement)?;
        self.remember_manifest(case, &text, &manifest);
        self.disk
            .sync_dir(&parent_dir(target))
            .map_err(|e| refuse_io(&manifest_path, e))?;
        // 4. The record in place. Its rename is made durable by the next folder flush
        // (the next save's step 3), or rolled forward after a power cut.
        record.rename()?;
        if on_disk.is_none() {
            // A new file: flush its name now (once per file), so that no later statement
            // can outlive it and list as missing a file whose temp file it was.
            self.disk
                .sync_dir(&parent_dir(target))
                .map_err(|e| SaveError::new(SaveStep::SyncDir, target, e))?;
        }
        Ok(())
    }

    /// Puts in place the new version of record `target` that a power cut kept from being
    /// renamed, and removes every other temp file of `target`. Called only while holding
    /// `target`'s lock, so no save of it is in progress. A temp file is put in place only
    /// when the case's validly signed statement names its exact digest as the version
    /// that follows the one the file holds now: as `pending` over `current` (step 4 of a
    /// save undone), or as `current` over the version just before it (the next save's
    /// statement persisted before this rename, on a file system that reorders them). It
    /// re-signs nothing. Best effort: on any failure the state stays as it was.
    pub(super) fn settle_leftovers(&self, case: &CaseId, target: &Path) {
        let dir = parent_dir(target);
        let prefix = temp_prefix(target);
        let Ok(entries) = self.disk.list_dir(&dir) else {
            return;
        };
        let mut temps: Vec<PathBuf> = entries
            .into_iter()
            .filter(|e| !e.is_dir && is_temp_name(&e.name) && e.name.starts_with(&prefix))
            .map(|e| dir.join(e.name))
            .collect();
        if temps.is_empty() {
            return;
        }
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let entry = match self.read_manifest(case) {
            ManifestRead::Valid(m) if m.case == case.as_str() => m.entries.get(&name).cloned(),
            _ => None,
        };
        if let Some(entry) = entry {
            // At most two steps: the version before pending, then pending.
            for _ in 0..2 {
                let Ok(now) = self.digest_on_disk(target) else {
                    break;
                };
                let next = temps.iter().position(|t| {
                    self.disk
                        .read(t)
                        .is_ok_and(|bytes| entry.follows(now.as_ref(), &Digest::of(&bytes)))
                });
                let Some(i) = next else { break };
                let temp = temps.remove(i);
                if self.disk.rename(&temp, target).is_err() || self.disk.sync_dir(&dir).is_err() {
                    return;
                }
            }
        }
        for t in temps {
            let _ = self.disk.remove_file(&t);
        }
    }

    /// Confirms an interrupted save of record `name`, if there is one: called only while
    /// holding that record's lock, so no save of it is in progress. Re-signs only a digest
    /// it signed itself as pending, and only when the file holds exactly that or the
    /// previous one. Best effort: on failure the state stays as valid as it was. Returns a
    /// sentence for the person if it changed something.
    pub(super) fn confirm_interrupted(
        &self,
        case: &CaseId,
        target: &Path,
        signer: &UnlockedIdentity,
    ) -> Option<String> {
        self.confirm_pending(case, target, signer, false)
    }

    /// After a save that went through (leaving a sitting, saving the case file): confirms
    /// its pending version so the statement's checksum line names it, for `sha256sum -c`.
    /// Quiet, and only when the file holds exactly that version.
    pub(super) fn confirm_saved(&self, case: &CaseId, target: &Path, signer: &UnlockedIdentity) {
        let _ = self.confirm_pending(case, target, signer, true);
    }

    fn confirm_pending(
        &self,
        case: &CaseId,
        target: &Path,
        signer: &UnlockedIdentity,
        quiet: bool,
    ) -> Option<String> {
        let name = target.file_name()?.to_string_lossy().into_owned();
        let ManifestRead::Valid(mut manifest) = self.read_manifest(case) else {
            return None;
        };
        let pending = manifest.entries.get(&name)?.pending?;
        let _lock = self.lock_manifest(case, Duration::from_millis(200)).ok()?;
        // Read again under the lock: another window may have written meanwhile.
        let ManifestRead::Valid(again) = self.read_manifest(case) else {
            return None;
        };
        manifest = again;
        if manifest.case != case.as_str() || &manifest.signer != signer.signing().public() {
            return None;
        }
        let on_disk = self.digest_on_disk(target).ok()?;
        let entry = manifest.entries.get_mut(&name)?;
        if entry.pending != Some(pending) {
            return None;
        }
        let note = match on_disk {
            Some(f) if f == pending => {
                entry.confirm(f);
                entry.unsigned = false;
                entry.by = None;
                format!(
                    "{name}: the last save was interrupted after the new version was stored; it is confirmed now"
                )
            }
            Some(f) if entry.current == Some(f) && !quiet => {
                entry.pending = None;
                format!(
                    "{name}: the last save was interrupted before the new version was stored; the previous version is in place"
                )
            }
            None if entry.current.is_none() && !quiet => {
                manifest.entries.remove(&name);
                format!("{name}: its first save was interrupted before anything was stored")
            }
            _ => return None,
        };
        self.write_manifest(case, &mut manifest, signer).ok()?;
        Some(note)
    }

    /// Seals a case made before signing existed: writes its first manifest, listing every
    /// record as `unsigned` with its digest as found now. Never overwrites a manifest.
    /// Returns how many records it listed (`None`: the case already had a manifest).
    pub fn seal_unsigned_case(
        &self,
        case: &CaseId,
        signer: &UnlockedIdentity,
    ) -> Result<Option<usize>, SaveError> {
        let _lock = self.lock_manifest(case, MANIFEST_WAIT)?;
        let path = self.manifest_file(case);
        // A manifest that cannot be read is not "none": never seal over it.
        let found = self
            .load_manifest(case)
            .map_err(|e| SaveError::new(SaveStep::Statement, &path, e))?;
        if !matches!(found, ManifestRead::Absent) {
            return Ok(None);
        }
        let names = self
            .record_names(case)
            .map_err(|e| SaveError::new(SaveStep::Statement, &self.case_dir(case), e))?;
        let mut manifest = Manifest::new(case.as_str(), signer.signing().public().clone());
        for name in &names {
            let path = self.case_dir(case).join(name);
            if let Some(d) = self.digest_on_disk(&path)? {
                let entry = manifest.entries.entry(name.clone()).or_default();
                entry.confirm(d);
                entry.unsigned = true;
            }
        }
        self.write_manifest(case, &mut manifest, signer)?;
        Ok(Some(names.len()))
    }
}

/// A manifest's bytes as found on disk.
pub fn parse_manifest(bytes: &[u8]) -> ManifestRead {
    if bytes.len() > MAX_MANIFEST {
        return ManifestRead::Damaged("it is too large".to_string());
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return ManifestRead::Damaged("it is not text".to_string());
    };
    let (body, signer) = match unseal(text, MANIFEST_NAMESPACE) {
        Ok(x) => x,
        Err(e) => return ManifestRead::Damaged(e.to_string()),
    };
    match Manifest::parse(body) {
        Ok(m) if m.signer == signer => ManifestRead::Valid(m),
        Ok(_) => ManifestRead::Damaged(
            "its signer line names another key than the one that signed it".to_string(),
        ),
        Err(e) => ManifestRead::Damaged(e.to_string()),
    }
}

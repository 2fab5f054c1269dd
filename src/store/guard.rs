//! Who records go to and whose signatures count, checked before anything is saved.
//!
//! `recipients.txt` decides who can read every later record, and anyone who can write the
//! config folder could add a key to it. So the list the user approved is kept in the
//! signed trust file (`trust.txt`, see `custody::trust`), and [`open_guard`] compares the
//! files with it at every unlock: a recipient added or removed by hand is named and every
//! save is refused until the user approves it (`companion keys approve`) or restores the
//! file. The same for `allowed_signers` (reported; the program trusts only the approved
//! list, so an added signer is never believed).
//!
//! Homes made before signing existed are upgraded at their first unlock: the trust file
//! is written (trust on first use, with a one-time message listing the recipients), then
//! every case is sealed (its first manifest lists its records as unsigned, pinning their
//! digests), then the trust file says `ready`. Each step is durable and the upgrade picks
//! up where a crash left it.

use super::disk::Disk;
use super::durable::{SaveError, SaveStep, save_durable};
use super::keys::UnlockedIdentity;
use super::layout::CaseStore;
use super::problems::ListError;
use super::recipients::{
    Added, Recipients, RecipientsError, add_recipient as append_recipient, parse_recipient,
    read_recipients,
};
use crate::custody::signers::{SIGNERS_FILE, SignerLine, file_text, parse_file, parse_line};
use crate::custody::signing::{TRUST_NAMESPACE, seal, unseal};
use crate::custody::trust::{Change, TRUST_FILE, TrustFile};
use crate::custody::verdict::Trusted;
use crate::paths::Paths;

/// The checked state of a home's keys.
#[derive(Debug, Clone)]
pub struct Guard {
    /// The approved state (`None` when there is no usable trust file).
    pub trust: Option<TrustFile>,
    /// Whose signatures count: the user's own key and the approved signers.
    pub trusted: Trusted,
    /// Who saves are encrypted to (as the recipients file lists them).
    pub recipients: Recipients,
    /// Set when saving must be refused: what changed and what to do.
    pub refusal: Option<String>,
    /// Things to tell the person that do not stop saving.
    pub warnings: Vec<String>,
    /// The one-time message of the upgrade to signing, when it just happened.
    pub notice: Option<String>,
    /// Whether a case without a manifest was simply made before signing existed.
    pub legacy: bool,
}

/// Why the keys could not be checked or changed.
#[derive(Debug, thiserror::Error)]
pub enum GuardError {
    #[error(transparent)]
    Recipients(#[from] RecipientsError),
    #[error(transparent)]
    Save(#[from] SaveError),
    #[error(transparent)]
    List(#[from] ListError),
    /// The trust state must be put right before keys can be added.
    #[error("{0}")]
    NotApproved(String),
    /// A signer line typed by a person is not valid.
    #[error("{0}")]
    BadSigner(String),
    /// A key file could not be read (nothing was decided from it, nothing written).
    #[error("could not read {}: {source}. Nothing was changed; check the config folder is readable and try again", .path.display())]
    Read {
        /// The file.
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

/// The user's own line in `allowed_signers`: named by their age recipient, which
/// colleagues already know them by.
pub fn own_signer_line(identity: &UnlockedIdentity) -> SignerLine {
    SignerLine {
        principal: identity.recipient().to_string(),
        key: identity.signing().public().clone(),
    }
}

enum TrustRead {
    Absent,
    Damaged(String),
    Valid(Box<TrustFile>),
}

fn read_trust<D: Disk + ?Sized>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
) -> Result<TrustRead, GuardError> {
    let path = paths.config.join(TRUST_FILE);
    let bytes = match disk.read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(TrustRead::Absent),
        Err(source) => return Err(GuardError::Read { path, source }),
    };
    Ok(judge_trust(&bytes, identity))
}

fn judge_trust(bytes: &[u8], identity: &UnlockedIdentity) -> TrustRead {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return TrustRead::Damaged("it is not text".to_string());
    };
    let (body, signer) = match unseal(text, TRUST_NAMESPACE) {
        Ok(x) => x,
        Err(e) => return TrustRead::Damaged(e.to_string()),
    };
    if &signer != identity.signing().public() {
        return TrustRead::Damaged("it was not signed with your key".to_string());
    }
    match TrustFile::parse(body) {
        Ok(t) if t.signer == signer => TrustRead::Valid(Box::new(t)),
        Ok(_) => TrustRead::Damaged("its signer line names another key".to_string()),
        Err(e) => TrustRead::Damaged(e.to_string()),
    }
}

fn write_trust<D: Disk + ?Sized>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
    trust: &TrustFile,
) -> Result<(), SaveError> {
    let path = paths.config.join(TRUST_FILE);
    let body = trust.body();
    if TrustFile::parse(&body).as_ref() != Ok(trust) {
        return Err(SaveError::new(
            SaveStep::Encrypt,
            &path,
            std::io::Error::other("the trust file did not read back"),
        ));
    }
    let text = seal(&body, identity.signing(), TRUST_NAMESPACE).map_err(|e| {
        SaveError::new(
            SaveStep::Encrypt,
            &path,
            std::io::Error::other(e.to_string()),
        )
    })?;
    save_durable(disk, &path, text.as_bytes())
}

fn write_signers<D: Disk + ?Sized>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
    trust: &TrustFile,
) -> Result<(), SaveError> {
    let mut lines = vec![own_signer_line(identity)];
    lines.extend(trust.all_trusted());
    save_durable(
        disk,
        &paths.config.join(SIGNERS_FILE),
        file_text(&lines).as_bytes(),
    )
}

fn recipient_strings(r: &Recipients) -> Vec<String> {
    r.iter().map(ToString::to_string).collect()
}

/// The signers file: `Ok(None)` if absent, `Ok(Some(Err(..)))` if it does not parse
/// (the line and why).
fn read_signers<D: Disk + ?Sized>(
    disk: &D,
    paths: &Paths,
) -> Result<Option<Result<Vec<SignerLine>, String>>, GuardError> {
    let path = paths.config.join(SIGNERS_FILE);
    match disk.read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(GuardError::Read { path, source }),
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            Ok(Some(parse_file(&text).map_err(|(line, why)| {
                format!("{}:{line}: {why}", path.display())
            })))
        }
    }
}

fn describe(change: &Change, what: &str) -> String {
    let mut parts = Vec::new();
    if !change.added.is_empty() {
        parts.push(format!("added by hand: {}", change.added.join(", ")));
    }
    if !change.removed.is_empty() {
        parts.push(format!("removed by hand: {}", change.removed.join(", ")));
    }
    format!(
        "{what} differs from the list you approved ({})",
        parts.join("; ")
    )
}

/// Whether any case already has a manifest: then the home has signed records, and a
/// missing trust file was deleted, not never made.
fn any_manifest<D: Disk>(store: &CaseStore<&D>) -> Result<bool, GuardError> {
    for case in store.list_cases()? {
        let path = store.manifest_file(&case);
        if store
            .disk()
            .exists(&path)
            .map_err(|source| GuardError::Read { path, source })?
        {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Checks the home's keys; with `upgrade`, also performs (or finishes) the upgrade of a
/// home made before signing existed. Without it, never writes anything.
pub fn open_guard<D: Disk>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
    upgrade: bool,
) -> Result<Guard, GuardError> {
    let rec_path = paths.recipients_file();
    let recipients = read_recipients(disk, &rec_path)?.with_own(&identity.recipient());
    let found = recipient_strings(&read_recipients(disk, &rec_path)?);
    let store = CaseStore::new(paths, disk, recipients.clone());
    let own = identity.signing().public().clone();
    let mut guard = Guard {
        trust: None,
        trusted: Trusted::own(own.clone()),
        recipients,
        refusal: None,
        warnings: super::perms::warnings(paths),
        notice: None,
        legacy: false,
    };
    let approve_hint = format!(
        "Nothing will be saved until this is settled. If these recipients are right, run `companion keys approve`; otherwise restore {} from a backup. Recipients listed now: {}",
        rec_path.display(),
        found.join(", ")
    );
    let mut trust = match read_trust(disk, paths, identity)? {
        TrustRead::Valid(t) => *t,
        TrustRead::Damaged(why) => {
            guard.refusal = Some(format!(
                "the trust file {} is unusable ({why}), so who may read your records cannot be checked. {approve_hint}",
                paths.config.join(TRUST_FILE).display()
            ));
            return Ok(guard);
        }
        TrustRead::Absent => {
            let signers = paths.config.join(SIGNERS_FILE);
            let signed_before = disk.exists(&signers).map_err(|source| GuardError::Read {
                path: signers,
                source,
            })? || any_manifest(&store)?;
            if signed_before {
                guard.refusal = Some(format!(
                    "the trust file {} is missing although this home has signed records: it was deleted. {approve_hint}",
                    paths.config.join(TRUST_FILE).display()
                ));
                return Ok(guard);
            }
            if !upgrade {
                guard.legacy = true;
                guard.refusal = Some(
                    "this home has not been set up for signing yet: unlock it in the program once"
                        .to_string(),
                );
                return Ok(guard);
            }
            // Trust on first use: what is in the recipients file now is approved, and the
            // person is told so, listing every key.
            let t = TrustFile::new(own.clone(), found.clone(), Vec::new(), false);
            write_trust(disk, paths, identity, &t)?;
            t
        }
    };
    if !trust.ready {
        guard.legacy = true;
        if upgrade {
            write_signers(disk, paths, identity, &trust)?;
            let (mut cases, mut files) = (0, 0);
            for case in store.list_cases()? {
                if let Some(n) = store.seal_unsigned_case(&case, identity)? {
                    cases += 1;
                    files += n;
                }
            }
            trust.ready = true;
            trust.generation += 1;
            trust.written = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0);
            write_trust(disk, paths, identity, &trust)?;
            guard.legacy = false;
            let before = if cases == 0 {
                String::new()
            } else {
                format!(
                    " {files} record file(s) in {cases} case(s) made before signing existed are listed as \"not signed\"; any later change to them will show."
                )
            };
            guard.notice = Some(format!(
                "Records are now signed with your signing key {own}; colleagues add it to theirs with the line `companion keys show` prints.{before} Every save is encrypted to these recipients, now approved: {}. A change to the recipients file not made with `companion keys` will be refused.",
                found.join(", ")
            ));
        }
    }
    let change = trust.recipients_change(&found);
    if !change.is_empty() {
        guard.refusal = Some(format!(
            "{}. {approve_hint}",
            describe(&change, &rec_path.display().to_string())
        ));
    }
    match read_signers(disk, paths)? {
        Some(Ok(lines)) => {
            let change = trust.signers_change(&lines);
            if !change.is_empty() {
                guard.warnings.push(format!(
                    "{}; the program trusts only the approved list. `companion keys approve` accepts the file as it is",
                    describe(&change, &paths.config.join(SIGNERS_FILE).display().to_string())
                ));
            }
        }
        None => guard.warnings.push(format!(
            "{} is missing (stock `ssh-keygen` checks need it); `companion keys approve` writes it again",
            paths.config.join(SIGNERS_FILE).display()
        )),
        Some(Err(e)) => guard.warnings.push(format!("{e}; the program trusts only the approved list")),
    }
    guard.trusted.others = trust
        .all_trusted()
        .into_iter()
        .map(|l| (l.principal, l.key))
        .collect();
    guard.trust = Some(trust);
    Ok(guard)
}

/// `companion keys approve`: accepts the recipients and signers files as they are now,
/// and signs that as the approved state. Returns the state and what it changed.
pub fn approve<D: Disk>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
) -> Result<(TrustFile, Vec<String>), GuardError> {
    let found = recipient_strings(&read_recipients(disk, &paths.recipients_file())?);
    let own = own_signer_line(identity);
    let signers = read_signers(disk, paths)?
        .transpose()
        .map_err(GuardError::BadSigner)?
        .unwrap_or_default();
    let others: Vec<SignerLine> = signers.into_iter().filter(|l| l.key != own.key).collect();
    let previous = match read_trust(disk, paths, identity)? {
        TrustRead::Valid(t) => Some(*t),
        _ => None,
    };
    let mut changes = Vec::new();
    let mut trust = match &previous {
        Some(t) => {
            let r = t.recipients_change(&found);
            if !r.is_empty() {
                changes.push(describe(&r, "the recipients file"));
            }
            let mut with_own = vec![own.clone()];
            with_own.extend(others.clone());
            let s = t.signers_change(&with_own);
            if !s.is_empty() {
                changes.push(describe(&s, "the signers file"));
            }
            let mut t = t.clone();
            t.generation += 1;
            t.written = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 0);
            t
        }
        None => {
            changes.push(
                "a new trust file was signed (the old one was missing or unusable)".to_string(),
            );
            TrustFile::new(own.key.clone(), Vec::new(), Vec::new(), true)
        }
    };
    trust.recipients = found;
    trust.pending_recipients.clear();
    trust.trusted = others;
    trust.pending_trusted.clear();
    write_trust(disk, paths, identity, &trust)?;
    write_signers(disk, paths, identity, &trust)?;
    Ok((trust, changes))
}

fn settled<D: Disk>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
) -> Result<TrustFile, GuardError> {
    let guard = open_guard(disk, paths, identity, true)?;
    if let Some(why) = guard.refusal {
        return Err(GuardError::NotApproved(format!("nothing was added: {why}")));
    }
    guard.trust.ok_or_else(|| {
        GuardError::NotApproved("nothing was added: there is no trust file".to_string())
    })
}

/// `companion keys add-recipient`: approves the recipient in the trust file (as pending),
/// appends it to the recipients file, then confirms it. A crash between leaves a state
/// that is still as approved.
pub fn add_recipient<D: Disk>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
    input: &str,
) -> Result<(Added, Recipients), GuardError> {
    let new = parse_recipient(input)
        .map_err(RecipientsError::BadInput)?
        .to_string();
    let mut trust = settled(disk, paths, identity)?;
    let path = paths.recipients_file();
    if trust.recipients.contains(&new) {
        return Ok(append_recipient(disk, &path, &new)?);
    }
    trust.pending_recipients = vec![new.clone()];
    trust.generation += 1;
    write_trust(disk, paths, identity, &trust)?;
    let added = append_recipient(disk, &path, &new)?;
    trust.pending_recipients.clear();
    trust.recipients.push(new);
    trust.generation += 1;
    write_trust(disk, paths, identity, &trust)?;
    Ok(added)
}

/// Whether `add_signer` changed anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignerAdded {
    /// Added under this name.
    Added(String),
    /// The key was already trusted, under this name.
    AlreadyTrusted(String),
}

/// `companion keys add-signer`: validates the line, approves it in the trust file and
/// writes `allowed_signers` (own key first).
pub fn add_signer<D: Disk>(
    disk: &D,
    paths: &Paths,
    identity: &UnlockedIdentity,
    line: &str,
    name: Option<&str>,
) -> Result<SignerAdded, GuardError> {
    let parsed = parse_line(line, name).map_err(GuardError::BadSigner)?;
    if &parsed.key == identity.signing().public() {
        return Err(GuardError::BadSigner(
            "that is your own signing key; it is trusted already".to_string(),
        ));
    }
    let mut trust = settled(disk, paths, identity)?;
    if let Some(t) = trust.all_trusted().iter().find(|t| t.key == parsed.key) {
        return Ok(SignerAdded::AlreadyTrusted(t.principal.clone()));
    }
    if trust
        .all_trusted()
        .iter()
        .any(|t| t.principal == parsed.principal)
    {
        return Err(GuardError::BadSigner(format!(
            "another key is trusted as {:?} already; choose another name with --name",
            parsed.principal
        )));
    }
    trust.pending_trusted = vec![parsed.clone()];
    trust.generation += 1;
    write_trust(disk, paths, identity, &trust)?;
    write_signers(disk, paths, identity, &trust)?;
    trust.pending_trusted.clear();
    trust.trusted.push(parsed.clone());
    trust.generation += 1;
    write_trust(disk, paths, identity, &trust)?;
    Ok(SignerAdded::Added(parsed.principal))
}

/// The path of the trust file (for messages).
pub fn trust_file(paths: &Paths) -> std::path::PathBuf {
    paths.config.join(TRUST_FILE)
}

/// The path of the signers file.
pub fn signers_file(paths: &Paths) -> std::path::PathBuf {
    paths.config.join(SIGNERS_FILE)
}

//! The transfer file's container: a plain, uncompressed POSIX tar (ustar) archive, which
//! `tar -xf` opens on Linux and macOS, and on Windows 10/11 (`tar.exe` is built in), so a
//! receiver without this program can still take it apart and decrypt each record with
//! stock `age`. (zip was the alternative: Windows' Explorer opens it too, but the `zip`
//! crate went through several major releases and yanked versions in 2024, and tar needs
//! no compression code at all; `tar` is the crate cargo itself uses.)
//!
//! Flat, in this order: `transfer.txt` (the signed list), `README.txt` (how to check and
//! decrypt by hand), `case.age`, then `<id>.age` per sitting. Every entry is a regular
//! file with mode 0600, owner 0:0, no owner names, and the sending time as its time:
//! nothing personal in any name or header.

use std::collections::BTreeMap;
use std::io::Read as _;

use crate::custody::manifest::is_record_name;

use super::list::LIST_FILE;

/// The guide inside every transfer file.
pub const README_FILE: &str = "README.txt";
/// The largest transfer file read: a case of a thousand full sittings fits.
pub const MAX_TRANSFER: u64 = 1 << 30;
/// The most entries read.
const MAX_ENTRIES: usize = 10_002;

/// Writes the archive into memory: `files` in the order given.
pub fn write(files: &[(String, Vec<u8>)], mtime: u64) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in files {
        let mut header = tar::Header::new_ustar();
        header.set_path(name)?;
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_uid(0);
        header.set_gid(0);
        header.set_mtime(mtime);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, bytes.as_slice())?;
    }
    builder.into_inner()
}

/// Reads the archive's entries by name. Refuses (naming why) anything this program does
/// not write: another kind of entry, a folder or path in a name, a name twice, an
/// unknown name, a damaged or cut-off archive.
pub fn read(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut archive = tar::Archive::new(bytes);
    let mut out = BTreeMap::new();
    let entries = archive
        .entries()
        .map_err(|e| format!("it is not a tar archive ({e})"))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| format!("it is damaged or cut short ({e})"))?;
        if out.len() >= MAX_ENTRIES {
            return Err("it holds too many files".to_string());
        }
        let name = entry
            .path()
            .map_err(|e| format!("an entry's name is unreadable ({e})"))?
            .to_string_lossy()
            .into_owned();
        let known = name == LIST_FILE || name == README_FILE || is_record_name(&name);
        if !known {
            return Err(format!(
                "it holds {:?}, which is not a file of a transfer",
                name.chars().take(60).collect::<String>()
            ));
        }
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(format!("{name} is not a regular file"));
        }
        let size = entry
            .header()
            .size()
            .map_err(|e| format!("{name}: its size is unreadable ({e})"))?;
        let mut data = Vec::with_capacity(usize::try_from(size.min(1 << 26)).unwrap_or(0));
        entry
            .by_ref()
            .take(size)
            .read_to_end(&mut data)
            .map_err(|e| format!("{name} is damaged or cut short ({e})"))?;
        if data.len() as u64 != size {
            return Err(format!("{name} is cut short"));
        }
        if out.insert(name.clone(), data).is_some() {
            return Err(format!("{name} is in it twice"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_what_it_does_not_write() -> std::io::Result<()> {
        let files = vec![
            (LIST_FILE.to_string(), b"list\n".to_vec()),
            ("case.age".to_string(), vec![7u8; 1000]),
        ];
        let bytes = write(&files, 1_700_000_000)?;
        let read_back = read(&bytes);
        assert_eq!(
            read_back.as_ref().map(|m| m.get("case.age").map(Vec::len)),
            Ok(Some(1000))
        );
        // Cut inside case.age: refused.
        let cut = read(&bytes[..512 * 3 + 100]);
        assert!(cut.is_err(), "{cut:?}");
        let odd = write(&[("notes.txt".to_string(), b"x".to_vec())], 0)?;
        assert!(read(&odd).is_err_and(|e| e.contains("notes.txt")));
        let twice = write(&[files[1].clone(), files[1].clone()], 0)?;
        assert!(read(&twice).is_err_and(|e| e.contains("twice")));
        assert!(read(b"not a tar at all, just some text").is_err());
        Ok(())
    }
}

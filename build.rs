//! Embeds every `questionnaires/*.toml` in the binary, so the standard set runs anywhere with
//! no files and the list cannot drift from the folder; and every earlier released version
//! from `questionnaires/released/`, so a sitting recorded with one is still read with the
//! exact text it was recorded with.

use std::fmt::Write as _;
use std::path::Path;
use std::{env, fs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR")?).join("questionnaires");
    let out = Path::new(&env::var("OUT_DIR")?).to_path_buf();
    fs::write(out.join("embedded.rs"), list(&dir, "")?)?;
    fs::write(
        out.join("released.rs"),
        list(&dir.join("released"), "released/")?,
    )?;
    Ok(())
}

/// `&[(name, include_str!(path)), …]` for the `*.toml` files of `dir`, sorted; each name is
/// the file name after `prefix`.
fn list(dir: &Path, prefix: &str) -> Result<String, Box<dyn std::error::Error>> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let mut out = String::from("&[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("questionnaire file names must be UTF-8")?;
        let name = format!("{prefix}{name}");
        writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )?;
    }
    out.push(']');
    Ok(out)
}

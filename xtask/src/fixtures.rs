//! Generated fixtures: `cargo xtask fixtures` writes them, `--check` compares them.
//!
//! Each generator returns `(path relative to the workspace root, bytes)` pairs. Fixtures that are
//! copies of external material (the product page's five sessions) are not generated and are not
//! listed here; `fixtures/README.md` says where each file comes from.

use std::path::{Path, PathBuf};

/// One generated file.
pub struct Fixture {
    /// Path relative to the workspace root.
    pub path: PathBuf,
    /// The exact bytes the file must hold.
    pub bytes: Vec<u8>,
}

/// Every generated fixture of the workspace.
fn all() -> Result<Vec<Fixture>, String> {
    let fixtures: Vec<Fixture> = Vec::new();
    Ok(fixtures)
}

/// Writes every generated fixture (or, with `check`, fails when one differs from the committed
/// file, naming each stale file).
pub fn run(root: &Path, check: bool) -> Result<(), String> {
    let fixtures = all()?;
    let mut stale = Vec::new();
    for f in &fixtures {
        let path = root.join(&f.path);
        let current = std::fs::read(&path).ok();
        if current.as_deref() == Some(f.bytes.as_slice()) {
            continue;
        }
        if check {
            stale.push(f.path.display().to_string());
        } else {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("creating {}: {e}", dir.display()))?;
            }
            std::fs::write(&path, &f.bytes)
                .map_err(|e| format!("writing {}: {e}", path.display()))?;
            println!("xtask: wrote {}", f.path.display());
        }
    }
    if !stale.is_empty() {
        return Err(format!(
            "{} generated fixture(s) are stale or missing; run `cargo xtask fixtures` and commit \
             the result:\n  {}",
            stale.len(),
            stale.join("\n  ")
        ));
    }
    println!(
        "xtask: {} generated fixture(s) {}",
        fixtures.len(),
        if check { "are current" } else { "written" }
    );
    Ok(())
}

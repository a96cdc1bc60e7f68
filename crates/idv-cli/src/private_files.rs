//! Files and directories that hold personal data: private to the user, and never written through
//! a name someone else can predict.
//!
//! Output directories may be shared (`/tmp`, a team drive). Directories `idv` creates are 0700 and
//! files 0600 on Unix; existing directories keep their mode. A file is written to a temporary file
//! created exclusively (`O_EXCL`) under a random name in the target directory, then renamed over
//! the final name, so a symlink planted under any name is never followed and readers never see
//! half a file.

use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// Mode of the directories `idv` creates on Unix.
#[cfg(unix)]
pub const DIR_MODE: u32 = 0o700;

/// Mode of the files `idv` writes on Unix.
#[cfg(unix)]
pub const FILE_MODE: u32 = 0o600;

/// Creates `path` and its missing parents, each private to the user (0700 on Unix).
pub fn create_private_dir_all(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(path)
}

/// [`create_private_dir_all`] for async code.
pub async fn create_private_dir_all_async(path: &Path) -> io::Result<()> {
    let mut builder = tokio::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    builder.mode(DIR_MODE);
    builder.create(path).await
}

/// Makes an existing file readable and writable by its owner only (0600 on Unix; nothing
/// elsewhere).
pub fn make_private(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Writes `bytes` to `dir/name` atomically, through a random, exclusively created temporary file
/// (0600 on Unix) that is synced, then renamed over `dir/name`. Returns the final path.
pub fn write_private_file(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<PathBuf> {
    let path = dir.join(name);
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(&path).map_err(|e| e.error)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_replace_the_file_and_leave_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        write_private_file(dir.path(), "index.json", b"one").unwrap();
        let path = write_private_file(dir.path(), "index.json", b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["index.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_planted_symlink_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, b"precious").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        // Under the old fixed temporary name, and under the final name.
        std::os::unix::fs::symlink(&victim, out.join(".index.json.tmp")).unwrap();
        std::os::unix::fs::symlink(&victim, out.join("index.json")).unwrap();
        write_private_file(&out, "index.json", b"{}").unwrap();
        assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
        let meta = std::fs::symlink_metadata(out.join("index.json")).unwrap();
        assert!(meta.file_type().is_file());
        assert_eq!(std::fs::read(out.join("index.json")).unwrap(), b"{}");
    }

    #[cfg(unix)]
    #[test]
    fn files_are_0600_and_new_directories_0700() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let nested = dir.path().join("a/b/c");
        create_private_dir_all(&nested).unwrap();
        for d in ["a", "a/b", "a/b/c"] {
            let mode = std::fs::metadata(dir.path().join(d))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "{d}: {mode:o}");
        }
        let path = write_private_file(&nested, "index.json", b"{}").unwrap();
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        let other = nested.join("other");
        std::fs::write(&other, b"x").unwrap();
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o644)).unwrap();
        make_private(&other).unwrap();
        let mode = std::fs::metadata(&other).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn async_directories_are_0700_too() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        create_private_dir_all_async(&dir.path().join("x/y"))
            .await
            .unwrap();
        for d in ["x", "x/y"] {
            let mode = std::fs::metadata(dir.path().join(d))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o700, "{d}: {mode:o}");
        }
    }
}

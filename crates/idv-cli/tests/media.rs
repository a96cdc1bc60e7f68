//! `idv media get | pull | delete`: files named by id and type, the pulled tree and its index,
//! private modes, names that survive case-insensitive file systems, and no partial file after a
//! failed or interrupted download.

mod common;

use std::time::Duration;

use common::*;
use idv_sandbox::{Fault, PRODUCT_PAGE_SESSION_ID, Route, generate_app_keys};
use predicates::prelude::*;

#[test]
fn media_get_writes_the_file_named_by_id_and_type() {
    let dir = tempfile::tempdir().unwrap();
    let media_id = "c8aa83c5-0292-4b4b-9f37-46b6bdca1856";
    let out = stdout_of(
        idv()
            .current_dir(dir.path())
            .args(["media", "get", "s-get", media_id]),
    );
    let files = files_under(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let name = &files[0];
    assert!(
        name.starts_with(media_id) && (name.ends_with(".jpg") || name.ends_with(".png")),
        "{name}"
    );
    assert!(out.contains(name.as_str()), "{out}");
    let bytes = std::fs::read(dir.path().join(name)).unwrap();
    if name.ends_with(".png") {
        assert!(bytes.starts_with(b"\x89PNG"));
    } else {
        assert!(bytes.starts_with(&[0xFF, 0xD8]));
    }

    // -o PATH and -o - give the same bytes.
    let target = dir.path().join("page.img");
    stdout_of(
        idv()
            .args(["media", "get", "s-get", media_id, "-o"])
            .arg(&target),
    );
    assert_eq!(std::fs::read(&target).unwrap(), bytes);
    let piped = idv()
        .args(["media", "get", "s-get", media_id, "-o", "-"])
        .output()
        .unwrap();
    assert!(piped.status.success());
    assert_eq!(piped.stdout, bytes);
}

#[test]
fn media_pull_writes_the_tree_and_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("media");
    let stdout = stdout_of(
        idv()
            .args(["media", "pull", "s-pull", "--concurrency", "3", "--out"])
            .arg(&out),
    );
    let files = files_under(&out);
    // 12 media in the completed session, one of which has no content; plus index.json.
    assert_eq!(files.len(), 11 + 1, "{files:?}");
    assert!(
        files
            .iter()
            .all(|f| !f.contains(".incoming") && !f.contains(".part")),
        "{files:?}"
    );
    for expected in [
        "id_documents/PASSPORT-GBR/page-1/frame-2.",
        "id_documents/DRIVING_LICENCE-GBR/page-2/media.",
        "applicant_profiles/9ab4729c/media.json",
        "index.json",
    ] {
        assert!(
            files.iter().any(|f| f.starts_with(expected)),
            "{expected} missing from {files:?}"
        );
    }
    assert!(
        !files
            .iter()
            .any(|f| f.starts_with("supplementary_documents/")),
        "{files:?}"
    );

    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["session_id"], "s-pull");
    let entries = index["files"].as_array().unwrap();
    assert_eq!(entries.len(), 11);
    for entry in entries {
        let file = entry["file"].as_str().unwrap();
        let size = std::fs::metadata(out.join(file)).unwrap().len();
        assert_eq!(entry["bytes"].as_u64(), Some(size), "{entry}");
        assert!(
            entry["media_id"].as_str().is_some_and(|id| id.len() == 36),
            "{entry}"
        );
        assert!(
            entry["context"]["location"]
                .as_str()
                .is_some_and(|l| file.starts_with(l)),
            "{entry}"
        );
    }
    let frame = entries
        .iter()
        .find(|e| {
            e["file"]
                .as_str()
                .unwrap()
                .starts_with("id_documents/PASSPORT-GBR/page-1/frame-2.")
        })
        .unwrap();
    assert_eq!(frame["media_id"], "37cbd9b9-b62b-478f-aaf1-233dc0d6eda4");
    assert_eq!(
        frame["context"]["resource_id"],
        "3332241d-2ae7-437a-ae48-4b50ddb41638"
    );
    assert_eq!(
        frame["context"]["description"],
        "ID document PASSPORT GBR, page-1/frame-2"
    );
    let skipped = index["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0]["media_id"], EMPTY_MEDIA);
    assert_eq!(skipped[0]["reason"], "no content (204)");
    assert!(
        stdout.contains(&format!("skipped {EMPTY_MEDIA}")),
        "{stdout}"
    );
    assert!(stdout.contains("11 files"), "{stdout}");
}

#[test]
fn media_delete_then_get_fails_with_the_api_code() {
    idv()
        .args(["media", "delete", "s-media", DELETABLE_MEDIA])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "deleted media {DELETABLE_MEDIA}"
        )));
    let dir = tempfile::tempdir().unwrap();
    idv()
        .current_dir(dir.path())
        .args(["media", "get", "s-media", DELETABLE_MEDIA])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("404 MEDIA_NOT_FOUND"));
    assert!(files_under(dir.path()).is_empty(), "nothing written");
    // Media of an unknown session: the session is not found.
    idv()
        .args([
            "media",
            "get",
            "no-such-session",
            DELETABLE_MEDIA,
            "-o",
            "-",
        ])
        .assert()
        .code(3);
}

#[test]
fn failed_downloads_leave_no_partial_files() {
    let keys = generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let sdk_id = keys.sdk_id.clone();
    // Every media body is cut in half: no download can complete.
    let (base_url, _) = spawn_sandbox(move |b| {
        b.app_keys(&keys).fault(
            Route::GetMedia,
            std::iter::repeat_n(Fault::TruncateBody, 200),
        )
    });
    // Reach the completed stage first.
    let mut wait = bare_idv();
    wait.env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "session",
            "wait",
            PRODUCT_PAGE_SESSION_ID,
            "--interval",
            "50ms",
        ])
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url]);
    stdout_of(&mut wait);

    let out = dir.path().join("media");
    bare_idv()
        .env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "media",
            "pull",
            PRODUCT_PAGE_SESSION_ID,
            "--timeout",
            "20s",
            "--out",
        ])
        .arg(&out)
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("12 of 12 media failed"));
    // Only the index (listing nothing) is left: no partial or temporary file.
    assert_eq!(files_under(&out), vec!["index.json".to_owned()]);
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["files"].as_array().unwrap().len(), 0);
}

#[cfg(unix)]
#[test]
fn interrupted_pull_leaves_no_partial_files() {
    let keys = generate_app_keys().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, &keys.private_key_pem).unwrap();
    let sdk_id = keys.sdk_id.clone();
    // Every media body stops half-way and stalls: downloads stay in flight.
    let (base_url, _) = spawn_sandbox(move |b| {
        b.app_keys(&keys)
            .fault(Route::GetMedia, std::iter::repeat_n(Fault::StallBody, 200))
    });
    let mut wait = bare_idv();
    wait.env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "session",
            "wait",
            PRODUCT_PAGE_SESSION_ID,
            "--interval",
            "50ms",
        ])
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url]);
    stdout_of(&mut wait);

    let out = dir.path().join("media");
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_idv"))
        .env("YOTI_KEY_FILE_PATH", &key_file)
        .args([
            "media",
            "pull",
            PRODUCT_PAGE_SESSION_ID,
            "--timeout",
            "5m",
            "--out",
        ])
        .arg(&out)
        .args(["--sdk-id", &sdk_id, "--base-url", &base_url])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait until partial downloads exist on disk.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    // A download in flight is a hidden temporary file (`.NAME….part…`, named by the client).
    let in_flight = |f: &String| {
        let name = f.rsplit('/').next().unwrap_or(f);
        name.starts_with('.') && name.contains(".part")
    };
    while !(out.exists() && files_under(&out).iter().any(in_flight)) {
        assert!(std::time::Instant::now() < deadline, "no download started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(130));
    assert!(String::from_utf8_lossy(&output.stderr).contains("interrupted"));
    assert_eq!(
        files_under(&out),
        Vec::<String>::new(),
        "partial files were left"
    );
}

/// Modes of `path` (Unix permission bits).
#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Identity documents and faces are the user's only: directories idv creates are 0700, files
/// 0600, whatever the umask.
#[cfg(unix)]
#[test]
fn pulled_media_and_their_directories_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("new/media");
    stdout_of(idv().args(["media", "pull", "s-get", "--out"]).arg(&out));
    assert_eq!(mode(&dir.path().join("new")), 0o700);
    assert_eq!(mode(&out), 0o700);
    let dirs = dirs_under(&out);
    assert!(dirs.len() >= 5, "{dirs:?}");
    for d in &dirs {
        assert_eq!(mode(&out.join(d)), 0o700, "{d}");
    }
    let files = files_under(&out);
    assert_eq!(files.len(), 13, "{files:?}");
    for f in &files {
        assert_eq!(mode(&out.join(f)), 0o600, "{f}");
    }
}

/// A symlink planted in a shared output directory under the name `index.json` used to be
/// written through is not followed: its target is untouched.
#[cfg(unix)]
#[test]
fn a_link_planted_in_the_output_directory_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, "untouched").unwrap();
    let out = dir.path().join("shared");
    std::fs::create_dir(&out).unwrap();
    std::os::unix::fs::symlink(&victim, out.join(".index.json.tmp")).unwrap();
    stdout_of(idv().args(["media", "pull", "s-get", "--out"]).arg(&out));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "untouched");
    let index = std::fs::symlink_metadata(out.join("index.json")).unwrap();
    assert!(index.file_type().is_file());
    assert_eq!(mode(&out.join("index.json")), 0o600);
}

/// A media id the server sent that no request may carry: the server's fault (exit 1, saying
/// so), not a usage error; the other media are still written.
#[test]
fn a_malformed_media_id_from_the_server_exits_1_naming_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("media");
    let output = idv()
        .args(["media", "pull", "s-bad-media", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("1 of 12 media failed")
            && stderr.contains("the server sent a malformed media id"),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("failed {MALFORMED_MEDIA}")),
        "{stdout}"
    );
    assert_eq!(files_under(&out).len(), 11 + 1);
}

/// Ids differing only in case get files and directories whose names differ case-insensitively
/// (on macOS and Windows they would otherwise be one), and a resource named like a Windows
/// device does not give a device name.
#[test]
fn names_differing_only_in_case_get_their_own_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("media");
    stdout_of(idv().args(["media", "pull", "s-case", "--out"]).arg(&out));
    let files = files_under(&out);
    assert_eq!(files.len(), 4 + 1, "{files:?}");
    let lower: std::collections::HashSet<String> =
        files.iter().map(|f| f.to_ascii_lowercase()).collect();
    assert_eq!(lower.len(), files.len(), "{files:?}");
    let dirs = dirs_under(&out);
    let lower: std::collections::HashSet<String> =
        dirs.iter().map(|d| d.to_ascii_lowercase()).collect();
    assert_eq!(lower.len(), dirs.len(), "{dirs:?}");
    for path in files.iter().chain(&dirs) {
        for part in path.split('/') {
            assert!(
                !idv_cli::naming::is_windows_reserved(part),
                "{part} in {path}"
            );
        }
    }
    let index: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("index.json")).unwrap()).unwrap();
    assert_eq!(index["files"].as_array().unwrap().len(), 4);
}

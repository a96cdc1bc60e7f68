//! Help, settings and usage errors of the `idv` binary: examples on every command, settings
//! from flags and variables, and the exit code 2 for what the user got wrong.

mod common;

use common::*;
use predicates::prelude::*;

#[test]
fn every_command_has_help_with_an_example() {
    for args in [
        &["--help"][..],
        &["session", "--help"],
        &["media", "--help"],
        &["sandbox", "--help"],
        &["session", "get", "--help"],
        &["session", "wait", "--help"],
        &["session", "delete", "--help"],
        &["media", "get", "--help"],
        &["media", "pull", "--help"],
        &["media", "delete", "--help"],
        &["sandbox", "serve", "--help"],
        &["sign", "--help"],
        &["verify", "--help"],
        &["demo", "--help"],
    ] {
        let help = stdout_of(bare_idv().args(args));
        assert!(help.contains("Example"), "{args:?} has no example:\n{help}");
        assert!(help.contains("idv "), "{args:?}:\n{help}");
    }
}

#[test]
fn missing_settings_exit_2_naming_flag_and_variable() {
    bare_idv()
        .args(["session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--sdk-id")
                .and(predicate::str::contains("YOTI_CLIENT_SDK_ID")),
        );
    bare_idv()
        .args(["session", "get", "s-get", "--sdk-id", "app"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("--key-file")
                .and(predicate::str::contains("YOTI_KEY_FILE_PATH")),
        );
    bare_idv()
        .args(["sign", "--method", "GET", "--path", "/sessions"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("YOTI_KEY_FILE_PATH"));
    // A usage error is 2 as well.
    bare_idv().args(["session", "get"]).assert().code(2);
    bare_idv()
        .args(["--timeout", "soon", "demo"])
        .assert()
        .code(2);
}

#[test]
fn settings_from_flags_and_the_fallback_variable() {
    let env = env();
    // Flags only.
    let report = stdout_of(
        bare_idv()
            .args([
                "session",
                "get",
                "s-get",
                "--sdk-id",
                &env.sdk_id,
                "--base-url",
                &env.base_url,
            ])
            .arg("--key-file")
            .arg(&env.key_file),
    );
    assert!(report.contains("State:   COMPLETED"));
    // YOTI_DOC_SCAN_API_URL when YOTI_IDV_API_URL is absent.
    let report = stdout_of(
        bare_idv()
            .env("YOTI_CLIENT_SDK_ID", &env.sdk_id)
            .env("YOTI_KEY_FILE_PATH", &env.key_file)
            .env("YOTI_DOC_SCAN_API_URL", &env.base_url)
            .args(["session", "get", "s-get"]),
    );
    assert!(report.contains("State:   COMPLETED"));
}

#[test]
fn bad_keys_and_ids_are_usage_errors() {
    let env = env();
    let dir = tempfile::tempdir().unwrap();
    // A key file that does not exist.
    idv()
        .env("YOTI_KEY_FILE_PATH", dir.path().join("missing.pem"))
        .args(["session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.pem"));
    // A public key where the private key is expected: the message says so.
    idv()
        .arg("--key-file")
        .arg(&env.public_key)
        .args(["session", "get", "s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("public key"));
    // A session id that could reach another path is refused before any request.
    idv()
        .args(["session", "get", "../sessions/s-get"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("session id"));
    // A media path that does not start with `/` is refused by sign.
    bare_idv()
        .args([
            "sign",
            "--method",
            "GET",
            "--path",
            "sessions/x",
            "--key-file",
        ])
        .arg(fixture("signing/TEST-ONLY-key.pkcs8.pem"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("must start with `/`"));
}

#[test]
fn plain_http_to_a_remote_host_is_a_configuration_error() {
    // Refused before anything is sent: no network is touched.
    idv()
        .args([
            "session",
            "get",
            "s-get",
            "--base-url",
            "http://example.invalid/idverify/v1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("http://").or(predicate::str::contains("plain http")));
}

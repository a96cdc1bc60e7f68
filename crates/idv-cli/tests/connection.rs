//! How `idv` reports what goes wrong between it and the API: a wrong key (401 with its code), a
//! refused connection, TLS without the CA certificate.

mod common;

use common::*;
use idv_sandbox::PRODUCT_PAGE_SESSION_ID;
use predicates::prelude::*;

#[test]
fn wrong_key_is_a_401_with_its_code() {
    let env = env();
    bare_idv()
        .env("YOTI_CLIENT_SDK_ID", &env.sdk_id)
        .env("YOTI_KEY_FILE_PATH", &env.wrong_key_file)
        .env("YOTI_IDV_API_URL", &env.base_url)
        .args(["session", "get", "s-wrong-key"])
        .assert()
        .code(1)
        .stderr(predicate::str::is_match(r"error: 401 [A-Z_]+").unwrap());
}

#[test]
fn connection_refused_names_the_address() {
    idv()
        .args([
            "session",
            "get",
            "s-get",
            "--base-url",
            "http://127.0.0.1:1/idverify/v1",
            "--timeout",
            "10s",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "connection refused to 127.0.0.1:1",
        ));
}

#[test]
fn tls_needs_the_ca_certificate() {
    let env = env();
    let public_pem = std::fs::read_to_string(&env.public_key).unwrap();
    let sdk_id = env.sdk_id.clone();
    let (base_url, ca) = spawn_sandbox(move |b| b.app_pem(sdk_id, public_pem).tls());
    assert!(base_url.starts_with("https://127.0.0.1:"), "{base_url}");
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.unwrap()).unwrap();

    // Without the CA the server is not trusted: a transport failure, exit 1.
    idv()
        .args([
            "session",
            "get",
            PRODUCT_PAGE_SESSION_ID,
            "--base-url",
            &base_url,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("TLS"));
    // With --ca-cert it is.
    let report = stdout_of(
        idv()
            .args([
                "session",
                "get",
                PRODUCT_PAGE_SESSION_ID,
                "--base-url",
                &base_url,
                "--ca-cert",
            ])
            .arg(&ca_file),
    );
    assert!(
        report.contains("Session 1c3cae90-1769-43a9-8554-d85f2e7cdb0f"),
        "{report}"
    );
}

//! `idv sign` and `idv verify` against every signing vector, and their hints.

mod common;

use assert_cmd::Command;
use common::*;
use predicates::prelude::*;

#[test]
fn sign_and_verify_reproduce_the_signing_vectors() {
    let vectors: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("signing/vectors.json")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vectors = vectors["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 6);
    for (i, v) in vectors.iter().enumerate() {
        let method = v["method"].as_str().unwrap();
        let path = v["path_and_query"].as_str().unwrap();
        let body = v["body"].as_str().unwrap();
        let digest = v["digest"].as_str().unwrap();
        let body_file = dir.path().join(format!("body-{i}"));
        std::fs::write(&body_file, body).unwrap();
        let with_body = |cmd: &mut Command| {
            if !body.is_empty() {
                cmd.arg("--body-file").arg(&body_file);
            }
        };

        // --json: one object with the message and the digest, both as in the vector.
        let mut cmd = bare_idv();
        cmd.args([
            "sign",
            "--method",
            method,
            "--path",
            path,
            "--json",
            "--key-file",
        ])
        .arg(fixture("signing/TEST-ONLY-key.pkcs8.pem"));
        with_body(&mut cmd);
        let json: serde_json::Value = serde_json::from_str(&stdout_of(&mut cmd)).unwrap();
        assert_eq!(json["message"], v["message"], "{}", v["name"]);
        assert_eq!(json["digest"], digest, "{}", v["name"]);

        // Text output, with the PKCS#1 key from the environment variable.
        let mut cmd = bare_idv();
        cmd.env(
            "YOTI_KEY_FILE_PATH",
            fixture("signing/TEST-ONLY-key.pkcs1.pem"),
        )
        .args(["sign", "--method", method, "--path", path]);
        with_body(&mut cmd);
        let text = stdout_of(&mut cmd);
        assert_eq!(
            text,
            format!(
                "message: {}\ndigest:  {digest}\n",
                v["message"].as_str().unwrap()
            ),
            "{}",
            v["name"]
        );

        // verify: the vector verifies (exit 0)...
        let mut cmd = bare_idv();
        cmd.args([
            "verify",
            "--method",
            method,
            "--path",
            path,
            "--digest",
            digest,
            "--public-key",
        ])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"));
        with_body(&mut cmd);
        let text = stdout_of(&mut cmd);
        assert!(
            text.contains("verified: sdkId 11111111-2222-4333-8444-555555555555"),
            "{text}"
        );

        // ...and a different method does not (exit 1, saying why).
        let other = if method == "GET" { "DELETE" } else { "GET" };
        let mut cmd = bare_idv();
        cmd.args([
            "verify",
            "--method",
            other,
            "--path",
            path,
            "--digest",
            digest,
            "--public-key",
        ])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"));
        with_body(&mut cmd);
        cmd.assert()
            .code(1)
            .stderr(predicate::str::contains("does not verify"));
    }
}

#[test]
fn verify_explains_a_path_with_the_base_prefix() {
    let vectors: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("signing/vectors.json")).unwrap()).unwrap();
    let v = &vectors["vectors"][0];
    let path = format!("/idverify/v1{}", v["path_and_query"].as_str().unwrap());
    bare_idv()
        .args([
            "verify",
            "--method",
            v["method"].as_str().unwrap(),
            "--path",
            &path,
        ])
        .args(["--digest", v["digest"].as_str().unwrap(), "--public-key"])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("includes the API base path"));
    bare_idv()
        .args([
            "verify",
            "--method",
            "GET",
            "--path",
            "/sessions/x?sdkId=a&nonce=b&timestamp=1",
        ])
        .args(["--digest", "not base64!", "--public-key"])
        .arg(fixture("signing/TEST-ONLY-key.public.pem"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not standard base64"));
}

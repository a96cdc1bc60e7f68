//! Shared helpers for the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The workspace's `fixtures/signing` directory.
pub fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/signing")
}

/// This crate's `tests/data` directory.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

/// Reads a file from `fixtures/signing`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Reads a file from `tests/data`.
pub fn data(name: &str) -> Vec<u8> {
    let path = data_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The committed test-only private key.
pub fn test_key() -> idv_sign::PrivateKey {
    idv_sign::PrivateKey::from_pem(&fixture("TEST-ONLY-key.pkcs1.pem")).expect("test key parses")
}

/// Runs a future to completion on a current-thread runtime.
pub fn block_on<F: Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime")
        .block_on(f)
}

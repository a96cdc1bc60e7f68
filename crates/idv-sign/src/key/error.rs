//! [`KeyError`]: why a key could not be loaded, precisely and without key material.

use std::path::PathBuf;

use super::size::{MAX_KEY_BITS, MIN_KEY_BITS};

/// Why a key could not be loaded.
///
/// Messages name what is wrong and how to fix it; they never contain key material (nor, for
/// environment variables and files, their contents).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The input has no `-----BEGIN …-----` line.
    #[error(
        "the key is not PEM: no `-----BEGIN …-----` line found (expected `-----BEGIN RSA PRIVATE \
         KEY-----` or `-----BEGIN PRIVATE KEY-----`; for binary DER use `from_der`)"
    )]
    NotPem,
    /// A PEM block was found but is damaged (no END line, bad base64, …).
    #[error("the PEM `{label}` block is malformed: {reason}")]
    MalformedPem {
        /// The block's label, e.g. `PRIVATE KEY`.
        label: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// A public key was given where a private key is needed.
    #[error(
        "a public key (`{label}`) was given, but signing needs the application's RSA private key \
         (`-----BEGIN RSA PRIVATE KEY-----` or `-----BEGIN PRIVATE KEY-----`)"
    )]
    PublicKeyInsteadOfPrivate {
        /// The kind of public key found, e.g. `PUBLIC KEY`.
        label: String,
    },
    /// A private key was given where a public key is needed.
    #[error(
        "a private key (`{label}`) was given, but verifying needs a public key (`PUBLIC KEY`, \
         `RSA PUBLIC KEY` or `CERTIFICATE`); derive it with `PrivateKey::public_key()` or \
         `openssl pkey -in key.pem -pubout`"
    )]
    PrivateKeyInsteadOfPublic {
        /// The kind of private key found, e.g. `PRIVATE KEY`.
        label: String,
    },
    /// A certificate was given where a private key is needed.
    #[error(
        "a certificate was given, but signing needs the application's RSA private key \
         (`-----BEGIN RSA PRIVATE KEY-----` or `-----BEGIN PRIVATE KEY-----`)"
    )]
    CertificateInsteadOfPrivate,
    /// The private key is password-protected.
    #[error(
        "the private key is encrypted; decrypt it first, e.g. `openssl pkey -in key.pem -out \
         plain.pem`, and keep the plain file as secret as the original"
    )]
    Encrypted,
    /// The key is not an RSA key.
    #[error(
        "the key is not an RSA key ({algorithm}); Yoti signing needs an RSA key of 2048 bits or more"
    )]
    NotRsa {
        /// The algorithm found, e.g. `EC`, `Ed25519` or an OID.
        algorithm: String,
    },
    /// The PEM label is not a key this crate understands.
    #[error("unsupported PEM block `{label}`{hint}")]
    UnsupportedFormat {
        /// The label found.
        label: String,
        /// How to convert it, if known (starts with `; `), or empty.
        hint: &'static str,
    },
    /// The RSA modulus is too small.
    #[error("the RSA key has {bits} bits; at least {MIN_KEY_BITS} are required")]
    TooSmall {
        /// The key's modulus size in bits.
        bits: usize,
    },
    /// The RSA modulus is too large.
    #[error("the RSA key has {bits} bits; at most {MAX_KEY_BITS} are supported")]
    TooLarge {
        /// The key's modulus size in bits.
        bits: usize,
    },
    /// The DER structure could not be decoded.
    #[error("the key's DER encoding is malformed ({what})")]
    MalformedDer {
        /// Which structure was expected.
        what: &'static str,
    },
    /// The DER decoded but the numbers do not form a valid RSA key.
    #[error(
        "the RSA key is invalid (its components are inconsistent or unsupported, e.g. multi-prime)"
    )]
    InvalidKey,
    /// Reading a key file failed.
    #[error("cannot read the key file {}: {source}", path.display())]
    File {
        /// The path that was read.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The environment variable is not set.
    #[error("environment variable {var} is not set (it should hold the PEM private key)")]
    EnvNotSet {
        /// The variable's name.
        var: String,
    },
    /// The environment variable is not valid Unicode.
    #[error("environment variable {var} is not valid UTF-8")]
    EnvNotUnicode {
        /// The variable's name.
        var: String,
    },
    /// Generating a key failed.
    #[error("RSA key generation failed: {reason}")]
    Generate {
        /// Why.
        reason: String,
    },
    /// Encoding the key (to PEM or DER) failed.
    #[error("encoding the key failed")]
    Encode,
}

//! RSA key loading: private keys for signing, public keys for verifying.
//!
//! PEM is read with `pem-rfc7468`, PKCS#1/PKCS#8/SPKI with the `rsa` crate's `pkcs1`/`pkcs8`,
//! certificates with `x509-cert`; what is written here is the choice between them and the
//! precise error when the input is the wrong kind of key.

mod error;
mod format;
mod os_rng;
mod pem;
mod private_key;
mod public_key;
mod size;
mod verify_signature;

pub use error::KeyError;
pub use private_key::PrivateKey;
pub use public_key::PublicKey;
pub use size::{MAX_KEY_BITS, MIN_KEY_BITS};
pub use verify_signature::SignatureMismatch;

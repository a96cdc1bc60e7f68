//! Fresh application credentials for tests and demos.

use crate::error::SandboxError;

/// An application's credentials: a fresh SDK id and RSA-2048 key pair.
///
/// `Debug` never shows the private key.
#[derive(Clone)]
#[non_exhaustive]
pub struct AppKeys {
    /// A fresh SDK id (a lower-case UUID v4).
    pub sdk_id: String,
    /// The private key, PKCS#8 PEM: give it to the client.
    pub private_key_pem: String,
    /// The public key, SPKI PEM: register it with the sandbox.
    pub public_key_pem: String,
}

impl std::fmt::Debug for AppKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppKeys")
            .field("sdk_id", &self.sdk_id)
            .field("private_key_pem", &"<redacted>")
            .field("public_key_pem", &self.public_key_pem)
            .finish()
    }
}

/// Generates a fresh SDK id and RSA-2048 key pair (takes a fraction of a second).
///
/// # Errors
/// [`SandboxError::KeyGeneration`] if the key cannot be generated or encoded.
pub fn generate_app_keys() -> Result<AppKeys, SandboxError> {
    let key = idv_sign::PrivateKey::generate(2048)
        .map_err(|e| SandboxError::KeyGeneration(e.to_string()))?;
    let private_key_pem = key
        .to_pem()
        .map_err(|e| SandboxError::KeyGeneration(e.to_string()))?
        .to_string();
    let public_key_pem = key
        .public_key()
        .to_pem()
        .map_err(|e| SandboxError::KeyGeneration(e.to_string()))?;
    Ok(AppKeys {
        sdk_id: uuid::Uuid::new_v4().to_string(),
        private_key_pem,
        public_key_pem,
    })
}

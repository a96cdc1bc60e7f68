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

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn generated_keys_sign_requests_the_public_key_verifies() {
        let keys = generate_app_keys().expect("generate");
        let id = uuid::Uuid::parse_str(&keys.sdk_id).expect("a UUID");
        assert_eq!(id.get_version_num(), 4);
        assert_eq!(keys.sdk_id, keys.sdk_id.to_lowercase());
        assert!(
            keys.private_key_pem
                .starts_with("-----BEGIN PRIVATE KEY-----")
        );
        assert!(
            keys.public_key_pem
                .starts_with("-----BEGIN PUBLIC KEY-----")
        );

        let private = idv_sign::PrivateKey::from_pem(keys.private_key_pem.as_bytes()).expect("pem");
        assert_eq!(private.bits(), 2048);
        let signer = idv_sign::RequestSigner::new(
            keys.sdk_id.clone(),
            std::sync::Arc::new(idv_sign::RsaSigner::new(&private)),
        );
        let signed = signer
            .sign(&idv_sign::UnsignedRequest::get("/sessions/abc"))
            .await
            .expect("sign");
        let public = idv_sign::PublicKey::from_pem(keys.public_key_pem.as_bytes()).expect("pem");
        let params = idv_sign::verify_request(
            &public,
            "GET",
            signed.path_and_query(),
            b"",
            signed.digest().expose(),
        )
        .expect("verifies");
        assert_eq!(params.sdk_id(), keys.sdk_id);

        let other = generate_app_keys().expect("generate");
        assert_ne!(other.sdk_id, keys.sdk_id);
        assert_ne!(other.public_key_pem, keys.public_key_pem);
    }

    #[test]
    fn debug_never_shows_the_private_key() {
        let keys = AppKeys {
            sdk_id: "id".to_owned(),
            private_key_pem: "-----BEGIN PRIVATE KEY-----\nSECRET\n".to_owned(),
            public_key_pem: "public".to_owned(),
        };
        let debug = format!("{keys:?}");
        assert!(!debug.contains("SECRET"), "{debug}");
        assert!(debug.contains("<redacted>"));
    }
}

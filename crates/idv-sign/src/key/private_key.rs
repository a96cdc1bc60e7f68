//! [`PrivateKey`]: an RSA private key for signing, from PEM, DER, a file or the environment.

use std::fmt;
use std::path::Path;

use rsa::pkcs1::{EncodeRsaPrivateKey as _, LineEnding};
use rsa::pkcs8::der::Decode as _;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{EncodePrivateKey as _, PrivateKeyInfoRef};
use rsa::traits::PublicKeyParts as _;
use zeroize::Zeroizing;

use super::error::KeyError;
use super::format::{
    check_rsa_algorithm, classify_non_private, is_encrypted_pkcs8, is_private_label,
    parse_certificate,
};
use super::os_rng::OsRng;
use super::pem::pem_blocks;
use super::public_key::PublicKey;
use super::size::{check_bits, uint_bits};

/// An RSA private key, parsed once and kept in memory for signing.
///
/// Accepts PKCS#1 (`RSA PRIVATE KEY`) and PKCS#8 (`PRIVATE KEY`) in PEM or DER, 2048 to 8192
/// bits. The key material is zeroised when the value is dropped, and `Debug` shows only the size.
///
/// ```
/// use idv_sign::PrivateKey;
/// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
/// #     "/../../fixtures/signing/TEST-ONLY-key.pkcs8.pem")).unwrap();
/// let key = PrivateKey::from_pem(&pem)?;
/// assert_eq!(key.bits(), 2048);
/// assert_eq!(format!("{key:?}"), "PrivateKey { bits: 2048, .. }");
/// # Ok::<(), idv_sign::KeyError>(())
/// ```
#[derive(Clone)]
pub struct PrivateKey {
    // `rsa::PrivateKey` zeroises its components on drop.
    inner: rsa::PrivateKey,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

impl PrivateKey {
    /// Parses a PEM private key: PKCS#1 (`-----BEGIN RSA PRIVATE KEY-----`) or PKCS#8
    /// (`-----BEGIN PRIVATE KEY-----`). Text around the block, other blocks (e.g. a certificate
    /// before the key) and CRLF line endings are tolerated.
    ///
    /// # Errors
    /// A [`KeyError`] saying precisely what is wrong (not PEM, a public key or certificate,
    /// encrypted, not RSA, too small, malformed).
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let blocks = pem_blocks(pem)?;
        // A private key block wins wherever it sits (bundles often put a certificate first).
        if let Some(block) = blocks.iter().find(|b| is_private_label(b.label)) {
            if block.is_legacy_encrypted() {
                return Err(KeyError::Encrypted);
            }
            let der = block.decode()?;
            return if block.label == "RSA PRIVATE KEY" {
                Self::from_pkcs1_der(&der)
            } else {
                Self::from_pkcs8_der(&der)
            };
        }
        let first = blocks.first().ok_or(KeyError::NotPem)?;
        Err(classify_non_private(first.label))
    }

    /// Parses a DER private key: PKCS#8 `PrivateKeyInfo` or PKCS#1 `RSAPrivateKey`.
    ///
    /// # Errors
    /// As [`from_pem`](Self::from_pem); a DER public key, certificate or encrypted PKCS#8 key is
    /// recognised and reported as such.
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        if PrivateKeyInfoRef::from_der(der).is_ok() {
            return Self::from_pkcs8_der(der);
        }
        if rsa::pkcs1::RsaPrivateKeyRef::from_der(der).is_ok() {
            return Self::from_pkcs1_der(der);
        }
        if SubjectPublicKeyInfoRef::from_der(der).is_ok() {
            return Err(KeyError::PublicKeyInsteadOfPrivate {
                label: "PUBLIC KEY".into(),
            });
        }
        if rsa::pkcs1::RsaPublicKeyRef::from_der(der).is_ok() {
            return Err(KeyError::PublicKeyInsteadOfPrivate {
                label: "RSA PUBLIC KEY".into(),
            });
        }
        if parse_certificate(der).is_some() {
            return Err(KeyError::CertificateInsteadOfPrivate);
        }
        if is_encrypted_pkcs8(der) {
            return Err(KeyError::Encrypted);
        }
        Err(KeyError::MalformedDer {
            what: "neither a PKCS#8 PrivateKeyInfo nor a PKCS#1 RSAPrivateKey",
        })
    }

    /// Reads and parses a PEM private key file. The error names the path, never the contents.
    ///
    /// # Errors
    /// [`KeyError::File`] if the file cannot be read, otherwise as [`from_pem`](Self::from_pem).
    pub fn from_pem_file(path: impl AsRef<Path>) -> Result<Self, KeyError> {
        let path = path.as_ref();
        let bytes = Zeroizing::new(std::fs::read(path).map_err(|source| KeyError::File {
            path: path.to_path_buf(),
            source,
        })?);
        Self::from_pem(&bytes)
    }

    /// Parses a PEM private key held in the environment variable `var`. A value written on one
    /// line with literal `\n` escapes (as some `.env` files and CI secret stores do) is accepted.
    ///
    /// # Errors
    /// [`KeyError::EnvNotSet`] / [`KeyError::EnvNotUnicode`] naming the variable, otherwise as
    /// [`from_pem`](Self::from_pem).
    pub fn from_env(var: &str) -> Result<Self, KeyError> {
        let value = Zeroizing::new(std::env::var(var).map_err(|e| match e {
            std::env::VarError::NotPresent => KeyError::EnvNotSet { var: var.into() },
            std::env::VarError::NotUnicode(_) => KeyError::EnvNotUnicode { var: var.into() },
        })?);
        if !value.contains('\n') && value.contains("\\n") {
            let unescaped = Zeroizing::new(value.replace("\\n", "\n"));
            return Self::from_pem(unescaped.as_bytes());
        }
        Self::from_pem(value.as_bytes())
    }

    /// Generates a fresh RSA key (public exponent 65537) with the operating system's CSPRNG.
    /// Meant for sandboxes, demos and tests; real application keys come from Yoti's Hub.
    ///
    /// # Errors
    /// [`KeyError::TooSmall`] / [`KeyError::TooLarge`] outside 2048..=8192 bits,
    /// [`KeyError::Generate`] if the RNG fails.
    pub fn generate(bits: usize) -> Result<Self, KeyError> {
        check_bits(bits)?;
        let inner = rsa::PrivateKey::new(&mut OsRng, bits).map_err(|e| KeyError::Generate {
            reason: e.to_string(),
        })?;
        Ok(Self { inner })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.inner.size() * 8
    }

    /// The signature length in bytes (the modulus size).
    pub fn signature_len(&self) -> usize {
        self.inner.size()
    }

    /// The matching public key.
    pub fn public_key(&self) -> PublicKey {
        PublicKey::from_rsa(self.inner.to_public_key())
    }

    /// Encodes the key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`, LF line endings). The
    /// returned string is zeroised on drop.
    ///
    /// # Errors
    /// [`KeyError::Encode`] (not expected for a key this type holds).
    pub fn to_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        self.inner
            .to_pkcs8_pem(LineEnding::LF)
            .map_err(|_| KeyError::Encode)
    }

    /// Encodes the key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`, LF line endings), the
    /// form the official Go, Java and .NET SDKs require.
    ///
    /// # Errors
    /// [`KeyError::Encode`] (not expected for a key this type holds).
    pub fn to_pkcs1_pem(&self) -> Result<Zeroizing<String>, KeyError> {
        self.inner
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|_| KeyError::Encode)
    }

    /// Encodes the key as PKCS#8 DER, zeroised on drop.
    ///
    /// # Errors
    /// [`KeyError::Encode`] (not expected for a key this type holds).
    pub fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        let doc = self.inner.to_pkcs8_der().map_err(|_| KeyError::Encode)?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    pub(crate) fn rsa(&self) -> &rsa::PrivateKey {
        &self.inner
    }

    fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        let parsed =
            rsa::pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|_| KeyError::MalformedDer {
                what: "PKCS#1 RSAPrivateKey",
            })?;
        check_bits(uint_bits(parsed.modulus.as_bytes()))?;
        let inner = rsa::PrivateKey::try_from(parsed).map_err(|_| KeyError::InvalidKey)?;
        Ok(Self { inner })
    }

    fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        let info = PrivateKeyInfoRef::from_der(der).map_err(|_| {
            if is_encrypted_pkcs8(der) {
                KeyError::Encrypted
            } else {
                KeyError::MalformedDer {
                    what: "PKCS#8 PrivateKeyInfo",
                }
            }
        })?;
        check_rsa_algorithm(info.algorithm.oid)?;
        Self::from_pkcs1_der(info.private_key.as_bytes())
    }
}

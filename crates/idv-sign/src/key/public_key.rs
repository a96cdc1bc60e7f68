//! [`PublicKey`]: an RSA public key for verifying, from SPKI, PKCS#1 or a certificate.

use std::fmt;

use rsa::pkcs1::{EncodeRsaPublicKey as _, LineEnding};
use rsa::pkcs8::der::Decode as _;
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{EncodePublicKey as _, ObjectIdentifier, PrivateKeyInfoRef};
use rsa::traits::PublicKeyParts as _;
use x509_cert::Certificate;

use super::error::KeyError;
use super::format::{
    check_rsa_algorithm, classify_non_private, is_private_label, parse_certificate,
};
use super::pem::pem_blocks;
use super::size::{check_bits, uint_bits};

/// An RSA public key, for verifying signatures.
///
/// ```
/// use idv_sign::PublicKey;
/// # let pem = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"),
/// #     "/../../fixtures/signing/TEST-ONLY-key.public.pem")).unwrap();
/// let key = PublicKey::from_pem(&pem)?;
/// assert_eq!(key.bits(), 2048);
/// # Ok::<(), idv_sign::KeyError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey {
    inner: rsa::PublicKey,
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits())
            .finish_non_exhaustive()
    }
}

impl PublicKey {
    /// Parses a PEM public key: SPKI (`-----BEGIN PUBLIC KEY-----`), PKCS#1
    /// (`-----BEGIN RSA PUBLIC KEY-----`) or a certificate (`-----BEGIN CERTIFICATE-----`, whose
    /// subject public key is used; the certificate itself is not validated).
    ///
    /// # Errors
    /// A [`KeyError`] saying what is wrong (not PEM, a private key, not RSA, too small, …).
    pub fn from_pem(pem: &[u8]) -> Result<Self, KeyError> {
        let blocks = pem_blocks(pem)?;
        let public = blocks
            .iter()
            .find(|b| matches!(b.label, "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE"));
        let Some(block) = public else {
            let first = blocks.first().ok_or(KeyError::NotPem)?;
            if is_private_label(first.label) || first.label == "ENCRYPTED PRIVATE KEY" {
                return Err(KeyError::PrivateKeyInsteadOfPublic {
                    label: first.label.to_owned(),
                });
            }
            return Err(classify_non_private(first.label));
        };
        let der = block.decode()?;
        match block.label {
            "PUBLIC KEY" => Self::from_spki_der(&der),
            "RSA PUBLIC KEY" => Self::from_pkcs1_der(&der),
            _ => {
                let certificate = parse_certificate(&der).ok_or(KeyError::MalformedDer {
                    what: "X.509 Certificate",
                })?;
                Self::from_certificate(&certificate)
            }
        }
    }

    /// Parses a DER public key: SPKI, PKCS#1 `RSAPublicKey` or an X.509 certificate.
    ///
    /// # Errors
    /// As [`from_pem`](Self::from_pem).
    pub fn from_der(der: &[u8]) -> Result<Self, KeyError> {
        if SubjectPublicKeyInfoRef::from_der(der).is_ok() {
            return Self::from_spki_der(der);
        }
        if rsa::pkcs1::RsaPublicKeyRef::from_der(der).is_ok() {
            return Self::from_pkcs1_der(der);
        }
        if let Some(certificate) = parse_certificate(der) {
            return Self::from_certificate(&certificate);
        }
        if PrivateKeyInfoRef::from_der(der).is_ok()
            || rsa::pkcs1::RsaPrivateKeyRef::from_der(der).is_ok()
        {
            return Err(KeyError::PrivateKeyInsteadOfPublic {
                label: "private key DER".into(),
            });
        }
        Err(KeyError::MalformedDer {
            what: "neither an SPKI, a PKCS#1 RSAPublicKey nor an X.509 certificate",
        })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.inner.size() * 8
    }

    /// The signature length in bytes (the modulus size).
    pub fn signature_len(&self) -> usize {
        self.inner.size()
    }

    /// Encodes the key as SPKI PEM (`-----BEGIN PUBLIC KEY-----`, LF line endings).
    ///
    /// # Errors
    /// [`KeyError::Encode`] (not expected for a key this type holds).
    pub fn to_pem(&self) -> Result<String, KeyError> {
        self.inner
            .to_public_key_pem(LineEnding::LF)
            .map_err(|_| KeyError::Encode)
    }

    /// Encodes the key as PKCS#1 PEM (`-----BEGIN RSA PUBLIC KEY-----`, LF line endings).
    ///
    /// # Errors
    /// [`KeyError::Encode`] (not expected for a key this type holds).
    pub fn to_pkcs1_pem(&self) -> Result<String, KeyError> {
        self.inner
            .to_pkcs1_pem(LineEnding::LF)
            .map_err(|_| KeyError::Encode)
    }

    pub(super) fn from_rsa(inner: rsa::PublicKey) -> Self {
        Self { inner }
    }

    pub(crate) fn rsa(&self) -> &rsa::PublicKey {
        &self.inner
    }

    fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| KeyError::MalformedDer {
            what: "SubjectPublicKeyInfo",
        })?;
        Self::from_spki(spki.algorithm.oid, spki.subject_public_key.as_bytes())
    }

    /// The certificate's subject public key (the certificate itself is not validated).
    fn from_certificate(certificate: &Certificate) -> Result<Self, KeyError> {
        let spki = certificate.tbs_certificate().subject_public_key_info();
        Self::from_spki(spki.algorithm.oid, spki.subject_public_key.as_bytes())
    }

    /// An SPKI's key: its algorithm must be RSA, its bit string a PKCS#1 `RSAPublicKey`.
    fn from_spki(algorithm: ObjectIdentifier, key: Option<&[u8]>) -> Result<Self, KeyError> {
        check_rsa_algorithm(algorithm)?;
        let key = key.ok_or(KeyError::MalformedDer {
            what: "SubjectPublicKeyInfo bit string",
        })?;
        Self::from_pkcs1_der(key)
    }

    fn from_pkcs1_der(der: &[u8]) -> Result<Self, KeyError> {
        let parsed =
            rsa::pkcs1::RsaPublicKeyRef::from_der(der).map_err(|_| KeyError::MalformedDer {
                what: "PKCS#1 RSAPublicKey",
            })?;
        check_bits(uint_bits(parsed.modulus.as_bytes()))?;
        let inner = rsa::PublicKey::try_from(parsed).map_err(|_| KeyError::InvalidKey)?;
        Ok(Self { inner })
    }
}

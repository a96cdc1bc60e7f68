//! RSA key loading: private keys for signing, public keys for verifying.

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use rsa::pkcs1::{EncodeRsaPrivateKey as _, EncodeRsaPublicKey as _, LineEnding};
use rsa::pkcs8::der::asn1::{AnyRef, ObjectIdentifier, OctetStringRef};
use rsa::pkcs8::der::{Decode as _, Reader as _, SliceReader, Tag, Tagged as _};
use rsa::pkcs8::spki::{AlgorithmIdentifierRef, SubjectPublicKeyInfoRef};
use rsa::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, PrivateKeyInfoRef};
use rsa::traits::PublicKeyParts as _;
use zeroize::Zeroizing;

/// The smallest accepted RSA modulus, in bits.
pub const MIN_KEY_BITS: usize = 2048;

/// The largest accepted RSA modulus, in bits (the limit of the `rsa` crate).
pub const MAX_KEY_BITS: usize = 8192;

const OID_RSA_ENCRYPTION: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";

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
        if let Some(block) = blocks.iter().find(|b| is_private_label(&b.label)) {
            if block.encrypted_header {
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
        Err(classify_non_private(&first.label))
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
        if certificate_spki(der).is_ok() {
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
        PublicKey {
            inner: self.inner.to_public_key(),
        }
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
        check_rsa_algorithm(&info.algorithm)?;
        Self::from_pkcs1_der(info.private_key.as_bytes())
    }
}

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
        let public = blocks.iter().find(|b| {
            matches!(
                b.label.as_str(),
                "PUBLIC KEY" | "RSA PUBLIC KEY" | "CERTIFICATE"
            )
        });
        let Some(block) = public else {
            let first = blocks.first().ok_or(KeyError::NotPem)?;
            if is_private_label(&first.label) || first.label == "ENCRYPTED PRIVATE KEY" {
                return Err(KeyError::PrivateKeyInsteadOfPublic {
                    label: first.label.clone(),
                });
            }
            return Err(classify_non_private(&first.label));
        };
        let der = block.decode()?;
        match block.label.as_str() {
            "PUBLIC KEY" => Self::from_spki_der(&der),
            "RSA PUBLIC KEY" => Self::from_pkcs1_der(&der),
            _ => {
                let spki = certificate_spki(&der).map_err(|()| KeyError::MalformedDer {
                    what: "X.509 Certificate",
                })?;
                Self::from_spki(&spki)
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
        if let Ok(spki) = certificate_spki(der) {
            return Self::from_spki(&spki);
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

    pub(crate) fn rsa(&self) -> &rsa::PublicKey {
        &self.inner
    }

    fn from_spki_der(der: &[u8]) -> Result<Self, KeyError> {
        let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| KeyError::MalformedDer {
            what: "SubjectPublicKeyInfo",
        })?;
        Self::from_spki(&spki)
    }

    fn from_spki(spki: &SubjectPublicKeyInfoRef<'_>) -> Result<Self, KeyError> {
        check_rsa_algorithm(&spki.algorithm)?;
        let bits = spki
            .subject_public_key
            .as_bytes()
            .ok_or(KeyError::MalformedDer {
                what: "SubjectPublicKeyInfo bit string",
            })?;
        Self::from_pkcs1_der(bits)
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

fn check_bits(bits: usize) -> Result<(), KeyError> {
    if bits < MIN_KEY_BITS {
        Err(KeyError::TooSmall { bits })
    } else if bits > MAX_KEY_BITS {
        Err(KeyError::TooLarge { bits })
    } else {
        Ok(())
    }
}

/// Bit length of a big-endian unsigned integer (leading zero bytes ignored).
fn uint_bits(bytes: &[u8]) -> usize {
    let trimmed: &[u8] = match bytes.iter().position(|&b| b != 0) {
        Some(i) => &bytes[i..],
        None => &[],
    };
    match trimmed.first() {
        Some(&first) => (trimmed.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

fn check_rsa_algorithm(alg: &AlgorithmIdentifierRef<'_>) -> Result<(), KeyError> {
    let oid = alg.oid.to_string();
    if oid == OID_RSA_ENCRYPTION {
        return Ok(());
    }
    let algorithm = match oid.as_str() {
        OID_RSA_PSS => "RSASSA-PSS-only key; Yoti needs a plain rsaEncryption key".to_string(),
        "1.2.840.10045.2.1" => "EC".to_string(),
        "1.3.101.112" => "Ed25519".to_string(),
        "1.3.101.113" => "Ed448".to_string(),
        "1.3.101.110" => "X25519".to_string(),
        "1.3.101.111" => "X448".to_string(),
        "1.2.840.10040.4.1" => "DSA".to_string(),
        other => format!("algorithm OID {other}"),
    };
    Err(KeyError::NotRsa { algorithm })
}

fn is_private_label(label: &str) -> bool {
    label == "RSA PRIVATE KEY" || label == "PRIVATE KEY"
}

/// The error for a PEM file whose first block is not a usable private key.
fn classify_non_private(label: &str) -> KeyError {
    match label {
        "ENCRYPTED PRIVATE KEY" => KeyError::Encrypted,
        "PUBLIC KEY" | "RSA PUBLIC KEY" => KeyError::PublicKeyInsteadOfPrivate {
            label: label.to_string(),
        },
        "CERTIFICATE" | "X509 CERTIFICATE" | "TRUSTED CERTIFICATE" => {
            KeyError::CertificateInsteadOfPrivate
        }
        "EC PRIVATE KEY" | "EC PARAMETERS" => KeyError::NotRsa {
            algorithm: "EC".into(),
        },
        "DSA PRIVATE KEY" => KeyError::NotRsa {
            algorithm: "DSA".into(),
        },
        "OPENSSH PRIVATE KEY" => KeyError::UnsupportedFormat {
            label: label.to_string(),
            hint: "; convert it with `ssh-keygen -p -m PKCS8 -f key` (on a copy)",
        },
        "CERTIFICATE REQUEST" | "NEW CERTIFICATE REQUEST" => KeyError::UnsupportedFormat {
            label: label.to_string(),
            hint: "; this is a certificate signing request, not a key",
        },
        _ => KeyError::UnsupportedFormat {
            label: label.to_string(),
            hint: "",
        },
    }
}

/// One `-----BEGIN X-----` … `-----END X-----` block.
struct PemBlock {
    label: String,
    /// The base64 body with whitespace removed (zeroised: it is the key).
    body: Zeroizing<String>,
    /// RFC 1421 `Proc-Type: 4,ENCRYPTED` header (legacy OpenSSL encryption).
    encrypted_header: bool,
    /// The END line is missing or does not match.
    unterminated: bool,
}

impl PemBlock {
    fn decode(&self) -> Result<Zeroizing<Vec<u8>>, KeyError> {
        if self.unterminated {
            return Err(KeyError::MalformedPem {
                label: self.label.clone(),
                reason: "no matching `-----END …-----` line",
            });
        }
        let der = base64::engine::general_purpose::STANDARD
            .decode(self.body.as_bytes())
            .map_err(|_| KeyError::MalformedPem {
                label: self.label.clone(),
                reason: "its body is not valid base64",
            })?;
        if der.is_empty() {
            return Err(KeyError::MalformedPem {
                label: self.label.clone(),
                reason: "its body is empty",
            });
        }
        Ok(Zeroizing::new(der))
    }
}

/// Finds every PEM block in `input`. Lenient: text outside blocks, CRLF, indentation and
/// RFC 1421 headers are allowed.
fn pem_blocks(input: &[u8]) -> Result<Vec<PemBlock>, KeyError> {
    let Ok(text) = std::str::from_utf8(input) else {
        return Err(KeyError::NotPem);
    };
    let mut blocks = Vec::new();
    let mut lines = text.lines().map(str::trim);
    while let Some(line) = lines.next() {
        // Labels are short upper-case words (RFC 7468); anything else is not a BEGIN line, so a
        // mangled key can never end up in an error message as a "label".
        let Some(label) = line
            .strip_prefix("-----BEGIN ")
            .and_then(|rest| rest.strip_suffix("-----"))
            .filter(|l| {
                !l.is_empty()
                    && l.len() <= 40
                    && l.bytes()
                        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b' ')
            })
        else {
            continue;
        };
        let end = format!("-----END {label}-----");
        let mut body = Zeroizing::new(String::new());
        let mut encrypted_header = false;
        let mut unterminated = true;
        for line in lines.by_ref() {
            if line == end {
                unterminated = false;
                break;
            }
            if line.starts_with("-----") {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.trim().eq_ignore_ascii_case("Proc-Type") && value.contains("ENCRYPTED") {
                    encrypted_header = true;
                }
                continue;
            }
            body.push_str(line);
        }
        blocks.push(PemBlock {
            label: label.to_string(),
            body,
            encrypted_header,
            unterminated,
        });
    }
    if blocks.is_empty() {
        return Err(KeyError::NotPem);
    }
    Ok(blocks)
}

/// Extracts the SubjectPublicKeyInfo of a DER X.509 certificate with a minimal walk:
/// `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
/// signature, issuer, validity, subject, subjectPublicKeyInfo, … }, … }`.
fn certificate_spki(der: &[u8]) -> Result<SubjectPublicKeyInfoRef<'_>, ()> {
    let cert = AnyRef::from_der(der).map_err(|_| ())?;
    if cert.tag() != Tag::Sequence {
        return Err(());
    }
    let mut outer = SliceReader::new(cert.value()).map_err(|_| ())?;
    let tbs: AnyRef<'_> = outer.decode().map_err(|_| ())?;
    if tbs.tag() != Tag::Sequence {
        return Err(());
    }
    // The signature algorithm and the signature value must follow.
    let sig_alg: AnyRef<'_> = outer.decode().map_err(|_| ())?;
    let _sig: AnyRef<'_> = outer.decode().map_err(|_| ())?;
    if sig_alg.tag() != Tag::Sequence || !outer.is_finished() {
        return Err(());
    }
    let mut reader = SliceReader::new(tbs.value()).map_err(|_| ())?;
    let first: AnyRef<'_> = reader.decode().map_err(|_| ())?;
    // With an explicit [0] version, the serial number comes next; otherwise `first` is it.
    if first.tag() != Tag::Integer {
        let _serial: AnyRef<'_> = reader.decode().map_err(|_| ())?;
    }
    for _ in 0..4 {
        // signature, issuer, validity, subject
        let _skip: AnyRef<'_> = reader.decode().map_err(|_| ())?;
    }
    reader.decode().map_err(|_| ())
}

/// Recognises a PKCS#8 `EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }`
/// whose algorithm is a PKCS#5 or PKCS#12 encryption scheme.
fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    let parse = || -> Result<ObjectIdentifier, rsa::pkcs8::der::Error> {
        let any = AnyRef::from_der(der)?;
        any.sequence(|r: &mut SliceReader<'_>| {
            let alg: AlgorithmIdentifierRef<'_> = r.decode()?;
            let _data: &OctetStringRef = r.decode()?;
            Ok(alg.oid)
        })
    };
    parse().is_ok_and(|oid| {
        let oid = oid.to_string();
        oid.starts_with("1.2.840.113549.1.5.") || oid.starts_with("1.2.840.113549.1.12.")
    })
}

/// The operating system CSPRNG, as the `rand_core` version the `rsa` crate uses.
struct OsRng;

impl rsa::rand_core::TryRng for OsRng {
    type Error = getrandom::Error;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        getrandom::u32()
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        getrandom::u64()
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        getrandom::fill(dst)
    }
}

impl rsa::rand_core::TryCryptoRng for OsRng {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uint_bits_counts_significant_bits() {
        assert_eq!(uint_bits(&[]), 0);
        assert_eq!(uint_bits(&[0, 0]), 0);
        assert_eq!(uint_bits(&[1]), 1);
        assert_eq!(uint_bits(&[0, 0x80, 0]), 16);
        assert_eq!(uint_bits(&[0x7f, 0xff]), 15);
    }
}

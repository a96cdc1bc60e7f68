//! Recognising what a PEM label or a DER document holds, to say precisely why it is not the key
//! that was asked for: certificates (parsed with `x509-cert`), encrypted PKCS#8, algorithm OIDs.

use rsa::pkcs8::ObjectIdentifier;
use rsa::pkcs8::der::Decode as _;
use rsa::pkcs8::der::asn1::{AnyRef, OctetStringRef};
use rsa::pkcs8::der::{Reader as _, SliceReader};
use rsa::pkcs8::spki::AlgorithmIdentifierRef;
use x509_cert::Certificate;

use super::error::KeyError;

/// `rsaEncryption` (RFC 8017): the only key algorithm Yoti's signing accepts.
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// Names of the key algorithms people give by mistake, for the error message.
const NOT_RSA: [(ObjectIdentifier, &str); 7] = [
    (
        ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10"),
        "RSASSA-PSS-only key; Yoti needs a plain rsaEncryption key",
    ),
    (ObjectIdentifier::new_unwrap("1.2.840.10045.2.1"), "EC"),
    (ObjectIdentifier::new_unwrap("1.3.101.112"), "Ed25519"),
    (ObjectIdentifier::new_unwrap("1.3.101.113"), "Ed448"),
    (ObjectIdentifier::new_unwrap("1.3.101.110"), "X25519"),
    (ObjectIdentifier::new_unwrap("1.3.101.111"), "X448"),
    (ObjectIdentifier::new_unwrap("1.2.840.10040.4.1"), "DSA"),
];

/// PKCS#5 (PBES1/PBES2) and PKCS#12 password-based encryption arcs.
const ENCRYPTION_ARCS: [&str; 2] = ["1.2.840.113549.1.5.", "1.2.840.113549.1.12."];

/// `Ok` for `rsaEncryption`, otherwise [`KeyError::NotRsa`] naming the algorithm.
pub(super) fn check_rsa_algorithm(oid: ObjectIdentifier) -> Result<(), KeyError> {
    if oid == RSA_ENCRYPTION {
        return Ok(());
    }
    let algorithm = NOT_RSA.iter().find(|(known, _)| *known == oid).map_or_else(
        || format!("algorithm OID {oid}"),
        |(_, name)| (*name).to_string(),
    );
    Err(KeyError::NotRsa { algorithm })
}

/// The PEM labels of a private key this crate reads.
pub(super) fn is_private_label(label: &str) -> bool {
    label == "RSA PRIVATE KEY" || label == "PRIVATE KEY"
}

/// The error for a PEM file whose first block is not a usable private key.
pub(super) fn classify_non_private(label: &str) -> KeyError {
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

/// The DER document as an X.509 certificate (RFC 5280), if it is one.
pub(super) fn parse_certificate(der: &[u8]) -> Option<Certificate> {
    Certificate::from_der(der).ok()
}

/// Recognises a PKCS#8 `EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING }`
/// whose algorithm is a PKCS#5 or PKCS#12 encryption scheme. (The `pkcs8` crate's own type
/// needs its `encryption` feature, which builds the ciphers: heavy, only to name the error.)
pub(super) fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    let parse = || -> Result<ObjectIdentifier, rsa::pkcs8::der::Error> {
        AnyRef::from_der(der)?.sequence(|r: &mut SliceReader<'_>| {
            let algorithm: AlgorithmIdentifierRef<'_> = r.decode()?;
            let _data: &OctetStringRef = r.decode()?;
            Ok(algorithm.oid)
        })
    };
    parse().is_ok_and(|oid| {
        let oid = oid.to_string();
        ENCRYPTION_ARCS.iter().any(|arc| oid.starts_with(arc))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_are_named() {
        assert!(check_rsa_algorithm(RSA_ENCRYPTION).is_ok());
        let named = |oid: &str| match check_rsa_algorithm(ObjectIdentifier::new_unwrap(oid)) {
            Err(KeyError::NotRsa { algorithm }) => algorithm,
            other => panic!("{oid}: {other:?}"),
        };
        assert_eq!(named("1.2.840.10045.2.1"), "EC");
        assert_eq!(named("1.3.101.112"), "Ed25519");
        assert_eq!(named("1.2.3.4"), "algorithm OID 1.2.3.4");
        assert!(named("1.2.840.113549.1.1.10").contains("PSS"));
    }

    #[test]
    fn garbage_is_neither_a_certificate_nor_encrypted() {
        for der in [
            &[][..],
            &[0x30, 0x00],
            &[0x30, 0x03, 0x02, 0x01, 0x00],
            b"hello",
        ] {
            assert!(parse_certificate(der).is_none());
            assert!(!is_encrypted_pkcs8(der));
        }
    }
}

//! RSASSA-PSS / SHA-384 (`PS384`): both backends sign it, every verifier accepts either's
//! signature, and the `Signer` trait stays compatible with signers written before it.

mod common;

use std::sync::Arc;

use async_trait::async_trait;
use common::{block_on, test_key};
use idv_sign::{RsaSigner, SignError, SignatureAlgorithm, SignatureMismatch, Signer, sign_message};

const PSS: SignatureAlgorithm = SignatureAlgorithm::RsaPssSha384;
const PKCS1: SignatureAlgorithm = SignatureAlgorithm::RsaPkcs1Sha256;

/// The built-in signers this build has.
fn backends() -> Vec<(&'static str, Arc<dyn Signer>)> {
    let key = test_key();
    #[allow(unused_mut)]
    let mut list: Vec<(&'static str, Arc<dyn Signer>)> =
        vec![("rsa", Arc::new(RsaSigner::new(&key)))];
    #[cfg(feature = "aws-lc")]
    list.push((
        "aws-lc",
        Arc::new(idv_sign::AwsLcSigner::new(&key).unwrap()),
    ));
    list
}

#[test]
fn every_backend_signs_ps384_that_the_pure_verifier_accepts() {
    let public = test_key().public_key();
    for (name, signer) in backends() {
        for message in [&b""[..], b"header.payload", &[0xa5; 4096]] {
            let sig = block_on(signer.sign_with(PSS, message)).unwrap();
            assert_eq!(sig.len(), 256, "{name}");
            public
                .verify_signature(PSS, message, &sig)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            // Not a PKCS#1 v1.5 signature, and not of another message.
            assert_eq!(
                public.verify_signature(PKCS1, message, &sig),
                Err(SignatureMismatch)
            );
            assert_eq!(
                public.verify_signature(PSS, b"other", &sig),
                Err(SignatureMismatch)
            );
        }
    }
}

#[test]
fn ps384_is_randomised_and_pkcs1_is_not() {
    for (name, signer) in backends() {
        let a = block_on(signer.sign_with(PSS, b"m")).unwrap();
        let b = block_on(signer.sign_with(PSS, b"m")).unwrap();
        assert_ne!(
            a, b,
            "{name}: two PSS signatures of one message differ (fresh salt)"
        );
        let pkcs1 = block_on(signer.sign_with(PKCS1, b"m")).unwrap();
        assert_eq!(pkcs1, block_on(signer.sign(b"m")).unwrap(), "{name}");
    }
}

#[test]
fn a_pss_salt_other_than_48_bytes_is_refused() {
    // The rsa crate can sign with another salt length; PS384 verifiers expect exactly 48.
    use rsa::signature::{RandomizedSigner as _, SignatureEncoding as _};
    let key = test_key();
    let public = key.public_key();
    let mut rng = TestRng(7);
    for (salt, ok) in [
        (0, false),
        (32, false),
        (47, false),
        (48, true),
        (64, false),
    ] {
        let signing = rsa::pss::SigningKey::<sha2::Sha384>::new_with_salt_len(rsa_key(&key), salt);
        let sig = signing.sign_with_rng(&mut rng, b"m").to_vec();
        assert_eq!(
            public.verify_signature(PSS, b"m", &sig).is_ok(),
            ok,
            "salt {salt}"
        );
    }
}

#[test]
fn signatures_of_the_wrong_length_or_garbage_are_mismatches_not_panics() {
    let public = test_key().public_key();
    for sig in [
        vec![],
        vec![0; 255],
        vec![0; 257],
        vec![0; 256],
        vec![0xff; 256],
    ] {
        for algorithm in [PSS, PKCS1] {
            assert_eq!(
                public.verify_signature(algorithm, b"m", &sig),
                Err(SignatureMismatch)
            );
        }
    }
    assert_eq!(
        SignatureMismatch.to_string(),
        "the signature does not match the message and key"
    );
}

#[test]
fn another_keys_signature_is_refused() {
    let other = idv_sign::PrivateKey::generate(2048).unwrap();
    let sig = RsaSigner::new(&other).sign_with_sync(PSS, b"m").unwrap();
    assert_eq!(
        test_key().public_key().verify_signature(PSS, b"m", &sig),
        Err(SignatureMismatch)
    );
    other
        .public_key()
        .verify_signature(PSS, b"m", &sig)
        .unwrap();
}

/// A custom signer written before `sign_with` existed: implements `sign` only.
#[derive(Debug)]
struct LegacySigner(RsaSigner);

#[async_trait]
impl Signer for LegacySigner {
    async fn sign(&self, message: &[u8]) -> Result<Vec<u8>, SignError> {
        self.0.sign_sync(message)
    }
}

#[test]
fn a_signer_implementing_only_sign_keeps_working_and_refuses_pss_with_a_typed_error() {
    let key = test_key();
    let legacy = LegacySigner(RsaSigner::new(&key));
    // Request signing is unchanged, through `sign` and through the default `sign_with`.
    let digest = block_on(sign_message(&legacy, b"GET&/x?y")).unwrap();
    idv_sign::verify_message(&key.public_key(), b"GET&/x?y", digest.expose()).unwrap();
    assert_eq!(
        block_on(legacy.sign_with(PKCS1, b"m")).unwrap(),
        RsaSigner::new(&key).sign_sync(b"m").unwrap()
    );
    let err = block_on(legacy.sign_with(PSS, b"m")).unwrap_err();
    assert!(matches!(
        err,
        SignError::UnsupportedAlgorithm {
            algorithm: SignatureAlgorithm::RsaPssSha384
        }
    ));
    assert_eq!(
        err.to_string(),
        "the signer does not support RSASSA-PSS with SHA-384, MGF1-SHA-384, 48-byte salt (PS384)"
    );
}

#[test]
fn algorithm_names() {
    assert_eq!(PSS.jws_name(), "PS384");
    assert_eq!(PKCS1.jws_name(), "RS256");
    assert_eq!((PSS.salt_len(), PKCS1.salt_len()), (Some(48), None));
    assert!(!PSS.is_deterministic() && PKCS1.is_deterministic());
}

#[cfg(feature = "aws-lc")]
mod aws_lc {
    use super::*;
    use idv_sign::{AwsLcSigner, PublicKey};

    /// AWS-LC's own PS384 verifier (`RSA_PSS_2048_8192_SHA384`), on the key's PKCS#1 DER.
    pub(crate) fn aws_lc_verifies(public: &PublicKey, message: &[u8], sig: &[u8]) -> bool {
        let pem = public.to_pkcs1_pem().unwrap();
        let (_, der) = pem_rfc7468::decode_vec(pem.as_bytes()).unwrap();
        aws_lc_rs::signature::UnparsedPublicKey::new(
            &aws_lc_rs::signature::RSA_PSS_2048_8192_SHA384,
            der,
        )
        .verify(message, sig)
        .is_ok()
    }

    #[test]
    fn each_backends_ps384_verifies_with_the_others_verifier() {
        let key = test_key();
        let public = key.public_key();
        let rsa = RsaSigner::new(&key);
        let aws = AwsLcSigner::new(&key).unwrap();
        for message in [&b""[..], b"header.payload", &[7; 3000]] {
            let by_rsa = rsa.sign_with_sync(PSS, message).unwrap();
            let by_aws = aws.sign_with_sync(PSS, message).unwrap();
            assert!(aws_lc_verifies(&public, message, &by_rsa));
            public.verify_signature(PSS, message, &by_aws).unwrap();
            // Both verifiers refuse a flipped bit.
            let mut bad = by_rsa.clone();
            bad[100] ^= 1;
            assert!(!aws_lc_verifies(&public, message, &bad));
            assert_eq!(
                public.verify_signature(PSS, message, &bad),
                Err(SignatureMismatch)
            );
        }
    }

    #[test]
    fn a_3072_bit_key_works_across_backends() {
        let key = idv_sign::PrivateKey::generate(3072).unwrap();
        let sig = AwsLcSigner::new(&key)
            .unwrap()
            .sign_with_sync(PSS, b"m")
            .unwrap();
        assert_eq!(sig.len(), 384);
        key.public_key().verify_signature(PSS, b"m", &sig).unwrap();
        let sig = RsaSigner::new(&key).sign_with_sync(PSS, b"m").unwrap();
        assert!(aws_lc_verifies(&key.public_key(), b"m", &sig));
    }
}

/// The `rsa` crate's key for a `PrivateKey`, through PKCS#8 (this crate does not expose it).
fn rsa_key(key: &idv_sign::PrivateKey) -> rsa::PrivateKey {
    use rsa::pkcs8::DecodePrivateKey as _;
    rsa::PrivateKey::from_pkcs8_der(&key.to_pkcs8_der().unwrap()).unwrap()
}

/// A deterministic RNG for the salt-length test (salts need not be secret in a test).
struct TestRng(u64);

impl rsa::rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.try_next_u64().map(|v| v as u32)
    }

    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        // SplitMix64.
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        Ok(z ^ (z >> 31))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}

impl rsa::rand_core::TryCryptoRng for TestRng {}

//! Property tests for PS384 and the client assertion (`cargo xtask props` runs every `prop_`
//! test). Each case costs one or two RSA signatures, so the default case counts are modest;
//! `PROPTEST_CASES` overrides them. The key is the committed test key, loaded once.

mod common;

use std::sync::OnceLock;

use common::{block_on, test_key};
use idv_sign::{
    ClientAssertion, FixedClock, PublicKey, RsaSigner, SignatureAlgorithm, Signer,
    verify_client_assertion,
};
use proptest::prelude::*;

const PSS: SignatureAlgorithm = SignatureAlgorithm::RsaPssSha384;

fn config(default_cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

struct Keys {
    rsa: RsaSigner,
    #[cfg(feature = "aws-lc")]
    aws: idv_sign::AwsLcSigner,
    public: PublicKey,
    #[cfg(feature = "aws-lc")]
    public_der: Vec<u8>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let key = test_key();
        let public = key.public_key();
        Keys {
            rsa: RsaSigner::new(&key),
            #[cfg(feature = "aws-lc")]
            aws: idv_sign::AwsLcSigner::new(&key).unwrap(),
            #[cfg(feature = "aws-lc")]
            public_der: pem_rfc7468::decode_vec(public.to_pkcs1_pem().unwrap().as_bytes())
                .unwrap()
                .1,
            public,
        }
    })
}

/// The built-in signers of this build.
fn signers() -> Vec<&'static dyn Signer> {
    let keys = keys();
    #[allow(unused_mut)]
    let mut list: Vec<&'static dyn Signer> = vec![&keys.rsa];
    #[cfg(feature = "aws-lc")]
    list.push(&keys.aws);
    list
}

/// Every PS384 verifier of this build accepts (or refuses) `sig` alike; returns the verdict.
fn verifiers_agree(message: &[u8], sig: &[u8]) -> Result<bool, TestCaseError> {
    let keys = keys();
    let pure = keys.public.verify_signature(PSS, message, sig).is_ok();
    #[cfg(feature = "aws-lc")]
    {
        let aws = aws_lc_rs::signature::UnparsedPublicKey::new(
            &aws_lc_rs::signature::RSA_PSS_2048_8192_SHA384,
            &keys.public_der,
        )
        .verify(message, sig)
        .is_ok();
        prop_assert_eq!(pure, aws, "the pure and AWS-LC verifiers disagree");
    }
    Ok(pure)
}

proptest! {
    #![proptest_config(config(32))]

    /// Each backend's PS384 signature verifies with every verifier (the pure `PublicKey` one
    /// and, with `aws-lc`, AWS-LC's), and no verifier accepts it for another message.
    #[test]
    fn prop_ps384_verifies_across_backends(
        message in prop::collection::vec(any::<u8>(), 0..2048),
        other in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        for signer in signers() {
            let sig = block_on(signer.sign_with(PSS, &message)).unwrap();
            prop_assert_eq!(sig.len(), 256);
            prop_assert!(verifiers_agree(&message, &sig)?, "{:?} refused", signer);
            if other != message {
                prop_assert!(!verifiers_agree(&other, &sig)?);
            }
        }
    }

    /// Any bit flipped in a signature is refused by every verifier.
    #[test]
    fn prop_flipped_signature_bit_fails_everywhere(
        message in prop::collection::vec(any::<u8>(), 0..256),
        index in 0usize..256,
        bit in 0u8..8,
        use_second_backend in any::<bool>(),
    ) {
        let signers = signers();
        let signer = signers[usize::from(use_second_backend) % signers.len()];
        let mut sig = block_on(signer.sign_with(PSS, &message)).unwrap();
        sig[index] ^= 1 << bit;
        prop_assert!(!verifiers_agree(&message, &sig)?);
    }

    /// Any SDK id, audience and time: the assertion signed by either backend verifies and gives
    /// back the same claims, with exp − iat = 300.
    #[test]
    fn prop_client_assertion_round_trips(
        sdk_id in ".{1,40}",
        aud in ".{1,80}",
        now_ms in any::<u64>(),
        use_second_backend in any::<bool>(),
    ) {
        let signers = signers();
        let signer = signers[usize::from(use_second_backend) % signers.len()];
        let clock = FixedClock(now_ms);
        let jwt = block_on(ClientAssertion::new(sdk_id.as_str(), aud.as_str()).sign(signer, &clock))
            .unwrap();
        let claims = verify_client_assertion(&keys().public, jwt.expose(), &aud, &clock).unwrap();
        prop_assert_eq!(&claims, jwt.claims());
        prop_assert_eq!(claims.sdk_id(), sdk_id.as_str());
        prop_assert_eq!(claims.issued_at(), now_ms / 1000);
        prop_assert_eq!(claims.expires_at() - claims.issued_at(), 300);
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Changing any one character of a valid assertion (header, payload or signature, dots
    /// included) gets it refused, and the error never quotes the token.
    #[test]
    fn prop_any_changed_character_is_refused(
        index in any::<prop::sample::Index>(),
        replacement in prop::char::range('!', '~'),
    ) {
        let (jwt, clock) = fixed_assertion();
        let mut chars: Vec<char> = jwt.chars().collect();
        let at = index.index(chars.len());
        prop_assume!(chars[at] != replacement);
        chars[at] = replacement;
        let tampered: String = chars.into_iter().collect();
        let err = verify_client_assertion(&keys().public, &tampered, AUD, &clock).unwrap_err();
        let text = format!("{err} {err:?}");
        for part in tampered.split('.').filter(|p| p.len() >= 8) {
            prop_assert!(!text.contains(part));
        }
    }

    /// Arbitrary text, and three arbitrary base64url parts, are errors, never panics.
    #[test]
    fn prop_verifier_never_panics(
        text in ".{0,400}",
        parts in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 3),
    ) {
        use base64::Engine as _;
        let clock = FixedClock(1_700_000_000_000);
        prop_assert!(verify_client_assertion(&keys().public, &text, AUD, &clock).is_err());
        let encoded: Vec<String> = parts
            .iter()
            .map(|p| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(p))
            .collect();
        let jwt = encoded.join(".");
        prop_assert!(verify_client_assertion(&keys().public, &jwt, AUD, &clock).is_err());
    }
}

const AUD: &str = "https://auth.api.yoti.com/v1/oauth/token";

/// One valid assertion and the time at which it is valid, signed once for all cases.
fn fixed_assertion() -> (&'static str, FixedClock) {
    static JWT: OnceLock<String> = OnceLock::new();
    let clock = FixedClock(1_700_000_000_000);
    let jwt = JWT.get_or_init(|| {
        let jwt =
            block_on(ClientAssertion::new("prop-sdk-id", AUD).sign(&keys().rsa, &clock)).unwrap();
        verify_client_assertion(&keys().public, jwt.expose(), AUD, &clock).unwrap();
        jwt.expose().to_owned()
    });
    (jwt, clock)
}

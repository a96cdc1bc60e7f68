//! TLS: a certificate generated on the fly (a throwaway CA and a leaf for `localhost`,
//! `127.0.0.1` and `::1`), or one given as PEM.

use std::sync::Arc;

use rustls::ServerConfig;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::error::SandboxError;

/// How the sandbox gets its certificate.
#[derive(Clone)]
pub(crate) enum TlsSetup {
    /// Generate a CA and a leaf certificate at start.
    Generate,
    /// Use this certificate chain and private key (PEM).
    Given {
        cert_chain_pem: String,
        key_pem: String,
    },
}

impl std::fmt::Debug for TlsSetup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Generate => f.write_str("Generate"),
            Self::Given { .. } => f.write_str("Given { .. }"),
        }
    }
}

/// The server configuration and, for a generated certificate, the CA's PEM.
pub(crate) struct Tls {
    pub(crate) config: Arc<ServerConfig>,
    pub(crate) ca_pem: Option<String>,
}

pub(crate) fn setup(setup: &TlsSetup) -> Result<Tls, SandboxError> {
    let (chain_pem, key_pem, ca_pem) = match setup {
        TlsSetup::Generate => {
            let (chain, key, ca) = generate().map_err(|e| SandboxError::Tls(e.to_string()))?;
            (chain, key, Some(ca))
        }
        TlsSetup::Given {
            cert_chain_pem,
            key_pem,
        } => (cert_chain_pem.clone(), key_pem.clone(), None),
    };
    let chain = CertificateDer::pem_slice_iter(chain_pem.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| SandboxError::Tls(format!("certificate PEM: {e}")))?;
    if chain.is_empty() {
        return Err(SandboxError::Tls(
            "certificate PEM: no CERTIFICATE block".to_owned(),
        ));
    }
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes())
        .map_err(|_| SandboxError::Tls("private key PEM: no usable private key".to_owned()))?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| SandboxError::Tls(e.to_string()))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|e| SandboxError::Tls(e.to_string()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls {
        config: Arc::new(config),
        ca_pem,
    })
}

/// Returns (leaf + CA chain PEM, leaf key PEM, CA PEM).
fn generate() -> Result<(String, String, String), rcgen::Error> {
    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType, IsCa,
        KeyPair, KeyUsagePurpose,
    };
    let mut ca_params = CertificateParams::new(Vec::<String>::new())?;
    let mut ca_name = DistinguishedName::new();
    ca_name.push(DnType::CommonName, "idv-sandbox throwaway CA");
    ca_params.distinguished_name = ca_name;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate()?)?;

    let mut leaf_params = CertificateParams::new(vec![
        "localhost".to_owned(),
        "127.0.0.1".to_owned(),
        "::1".to_owned(),
    ])?;
    let mut leaf_name = DistinguishedName::new();
    leaf_name.push(DnType::CommonName, "localhost");
    leaf_params.distinguished_name = leaf_name;
    let leaf_key = KeyPair::generate()?;
    let leaf = leaf_params.signed_by(&leaf_key, &ca)?;
    let ca_pem = ca.pem();
    Ok((
        format!("{}{ca_pem}", leaf.pem()),
        leaf_key.serialize_pem(),
        ca_pem,
    ))
}

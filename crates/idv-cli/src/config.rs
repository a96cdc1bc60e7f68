//! Resolving settings from flags and environment variables.

use std::ffi::OsString;
use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use idv_client::env::{BASE_URL as ENV_BASE_URL, BASE_URL_FALLBACK as ENV_BASE_URL_FALLBACK};
use zeroize::Zeroizing;

use crate::auth::AuthMode;
use crate::cli::{DEFAULT_BASE_URL, GlobalArgs};
use crate::error::{CliError, CliResult};

/// Where the private key comes from: `--key-file` / `YOTI_KEY_FILE_PATH`, else the PEM itself
/// in `YOTI_KEY_PEM`.
#[derive(Clone)]
pub enum KeySource {
    /// A PEM file.
    File(PathBuf),
    /// The PEM text (from `YOTI_KEY_PEM`); wiped when dropped, never shown.
    Pem(Zeroizing<String>),
}

impl fmt::Debug for KeySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeySource::File(path) => f.debug_tuple("File").field(path).finish(),
            KeySource::Pem(_) => f.write_str("Pem([redacted])"),
        }
    }
}

/// Settings for commands that call the API.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// The SDK id.
    pub sdk_id: String,
    /// The private key.
    pub key: KeySource,
    /// The base URL.
    pub base_url: String,
    /// An extra CA certificate file.
    pub ca_cert: Option<PathBuf>,
    /// The `--timeout` value.
    pub timeout: Option<Duration>,
    /// `--auth` / `YOTI_AUTH`.
    pub auth: AuthMode,
    /// `--auth-url` / `YOTI_AUTH_URL`.
    pub auth_url: Option<String>,
}

/// The base URL: the flag, else `YOTI_IDV_API_URL`, else `YOTI_DOC_SCAN_API_URL`, else production.
pub fn base_url(flag: Option<&str>, env: impl Fn(&str) -> Option<OsString>) -> CliResult<String> {
    if let Some(url) = flag.filter(|u| !u.is_empty()) {
        return Ok(url.to_owned());
    }
    for var in [ENV_BASE_URL, ENV_BASE_URL_FALLBACK] {
        if let Some(value) = env(var).filter(|v| !v.is_empty()) {
            return value
                .into_string()
                .map_err(|_| CliError::Config(format!("{var} is not valid UTF-8")));
        }
    }
    Ok(DEFAULT_BASE_URL.to_owned())
}

/// The private key: `--key-file` / `YOTI_KEY_FILE_PATH`, else `YOTI_KEY_PEM`, else the
/// one-line "missing setting" error.
pub fn key_source(
    global: &GlobalArgs,
    env: impl Fn(&str) -> Option<OsString>,
) -> CliResult<KeySource> {
    if let Some(path) = global
        .key_file
        .clone()
        .filter(|p| !p.as_os_str().is_empty())
    {
        return Ok(KeySource::File(path));
    }
    let var = idv_client::env::KEY_PEM;
    match env(var).filter(|v| !v.is_empty()) {
        Some(pem) => pem
            .into_string()
            .map(|pem| KeySource::Pem(Zeroizing::new(pem)))
            .map_err(|_| CliError::Config(format!("{var} is not valid UTF-8"))),
        None => Err(CliError::Config(format!(
            "missing private key: pass --key-file or set {} (or {var}, the PEM itself)",
            idv_client::env::KEY_FILE_PATH
        ))),
    }
}

impl ApiSettings {
    /// Everything an API call needs; the first missing setting is the error.
    pub fn resolve(global: &GlobalArgs) -> CliResult<Self> {
        let sdk_id = global
            .sdk_id
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CliError::missing("SDK id", "--sdk-id", "YOTI_CLIENT_SDK_ID"))?;
        let key = key_source(global, |v| std::env::var_os(v))?;
        let base_url = base_url(global.base_url.as_deref(), |v| std::env::var_os(v))?;
        Ok(ApiSettings {
            sdk_id,
            key,
            base_url,
            ca_cert: global.ca_cert.clone(),
            timeout: global.timeout,
            auth: global.auth.unwrap_or_default(),
            auth_url: global.auth_url.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_of(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<OsString> {
        move |name| {
            pairs
                .iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        }
    }

    #[test]
    fn base_url_precedence() {
        let both = env_of(&[
            (ENV_BASE_URL, "http://a"),
            (ENV_BASE_URL_FALLBACK, "http://b"),
        ]);
        assert_eq!(base_url(Some("http://flag"), &both).unwrap(), "http://flag");
        assert_eq!(base_url(None, &both).unwrap(), "http://a");
        let fallback = env_of(&[(ENV_BASE_URL, ""), (ENV_BASE_URL_FALLBACK, "http://b")]);
        assert_eq!(base_url(None, fallback).unwrap(), "http://b");
        assert_eq!(base_url(None, env_of(&[])).unwrap(), DEFAULT_BASE_URL);
    }

    #[test]
    fn missing_settings_name_flag_and_variable() {
        let global = GlobalArgs {
            sdk_id: None,
            key_file: Some("k.pem".into()),
            base_url: None,
            ca_cert: None,
            timeout: None,
            auth: None,
            auth_url: None,
        };
        let e = ApiSettings::resolve(&global).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("--sdk-id") && e.to_string().contains("YOTI_CLIENT_SDK_ID"));
        let global = GlobalArgs {
            sdk_id: Some("app".into()),
            key_file: None,
            ..global
        };
        let e = ApiSettings::resolve(&global).unwrap_err();
        assert!(
            e.to_string().contains("--key-file") && e.to_string().contains("YOTI_KEY_FILE_PATH")
        );
    }

    #[test]
    fn the_key_comes_from_the_file_else_from_yoti_key_pem() {
        let mut global = GlobalArgs {
            sdk_id: Some("app".into()),
            key_file: Some("k.pem".into()),
            base_url: None,
            ca_cert: None,
            timeout: None,
            auth: None,
            auth_url: None,
        };
        let pem = env_of(&[(idv_client::env::KEY_PEM, "-----BEGIN PRIVATE KEY-----")]);
        assert!(
            matches!(key_source(&global, &pem).unwrap(), KeySource::File(p) if p == std::path::Path::new("k.pem"))
        );
        global.key_file = None;
        let source = key_source(&global, &pem).unwrap();
        assert!(matches!(&source, KeySource::Pem(text) if text.starts_with("-----BEGIN")));
        // The PEM never shows in Debug.
        assert_eq!(format!("{source:?}"), "Pem([redacted])");
        let e = key_source(&global, env_of(&[])).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        for name in ["--key-file", "YOTI_KEY_FILE_PATH", "YOTI_KEY_PEM"] {
            assert!(e.to_string().contains(name), "{e}");
        }
    }
}

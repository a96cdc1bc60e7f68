//! Resolving settings from flags and environment variables.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{DEFAULT_BASE_URL, GlobalArgs};
use crate::error::{CliError, CliResult};

/// The environment variable for the base URL.
pub const ENV_BASE_URL: &str = "YOTI_IDV_API_URL";
/// The fallback variable for the base URL (the name the other official SDKs read).
pub const ENV_BASE_URL_FALLBACK: &str = "YOTI_DOC_SCAN_API_URL";

/// Settings for commands that call the API.
#[derive(Debug, Clone)]
pub struct ApiSettings {
    /// The SDK id.
    pub sdk_id: String,
    /// The private key file.
    pub key_file: PathBuf,
    /// The base URL.
    pub base_url: String,
    /// An extra CA certificate file.
    pub ca_cert: Option<PathBuf>,
    /// The `--timeout` value.
    pub timeout: Option<Duration>,
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

/// The private key file, or the one-line "missing setting" error.
pub fn key_file(global: &GlobalArgs) -> CliResult<PathBuf> {
    global
        .key_file
        .clone()
        .filter(|p| !p.as_os_str().is_empty())
        .ok_or_else(|| CliError::missing("private key", "--key-file", "YOTI_KEY_FILE_PATH"))
}

impl ApiSettings {
    /// Everything an API call needs; the first missing setting is the error.
    pub fn resolve(global: &GlobalArgs) -> CliResult<Self> {
        let sdk_id = global
            .sdk_id
            .clone()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| CliError::missing("SDK id", "--sdk-id", "YOTI_CLIENT_SDK_ID"))?;
        let key_file = key_file(global)?;
        let base_url = base_url(global.base_url.as_deref(), |v| std::env::var_os(v))?;
        Ok(ApiSettings {
            sdk_id,
            key_file,
            base_url,
            ca_cert: global.ca_cert.clone(),
            timeout: global.timeout,
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
}

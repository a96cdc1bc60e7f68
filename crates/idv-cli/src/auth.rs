//! `--auth signed|bearer`: how the command's requests authenticate.

use idv_client::Authentication;

/// The environment variable for `--auth` (`signed` or `bearer`).
///
/// Not (yet) one of [`idv_client::env`]'s names: the client is told the mode by its builder,
/// not by the environment, so only the command reads this variable.
pub const ENV_AUTH: &str = "YOTI_AUTH";

/// How requests authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum AuthMode {
    /// Every request signed with the application's key (one RSA signature per request).
    #[default]
    Signed,
    /// `Authorization: Bearer` with an access token bought with one signed client assertion
    /// and reused until it nearly expires (one signature per token).
    Bearer,
}

/// The client's authentication for `mode`; `token_url` (from `--auth-url` or `YOTI_AUTH_URL`)
/// replaces Yoti's token endpoint in bearer mode and is not used by signed requests (so a
/// variable set for another SDK does not get in the way). The URL is checked when the client
/// is built: plain `http` off loopback is a configuration error (exit 2).
pub fn authentication(mode: AuthMode, token_url: Option<&str>) -> Authentication {
    match mode {
        AuthMode::Signed => Authentication::Signed,
        AuthMode::Bearer => {
            let mut config = Authentication::bearer();
            if let Some(url) = token_url.map(str::trim).filter(|u| !u.is_empty()) {
                config = config.token_url(url);
            }
            config.into()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_map_to_the_client_authentication() {
        assert_eq!(
            authentication(AuthMode::Signed, Some("https://auth.example/token")),
            Authentication::Signed
        );
        assert_eq!(
            authentication(AuthMode::Bearer, Some(" http://127.0.0.1:9/token ")),
            Authentication::bearer()
                .token_url("http://127.0.0.1:9/token")
                .into()
        );
        assert!(matches!(
            authentication(AuthMode::Bearer, Some("")),
            Authentication::Bearer(_)
        ));
    }
}

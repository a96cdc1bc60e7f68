//! The command line of the `idv-sandbox` binary, reusable as `idv sandbox serve`.
//!
//! ```
//! use clap::Parser;
//! use idv_sandbox::cli::Args;
//!
//! let args = Args::try_parse_from([
//!     "idv-sandbox", "--app", "my-sdk-id=public.pem", "--product-page", "--tls",
//! ])?;
//! assert_eq!(args.addr.to_string(), "127.0.0.1:0");
//! assert_eq!(args.base_path, "/idverify/v1");
//! assert_eq!(args.app[0].sdk_id, "my-sdk-id");
//! # Ok::<(), clap::Error>(())
//! ```

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use crate::error::SandboxError;
use crate::limits::{
    DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CREATED_SESSIONS, DEFAULT_MAX_NONCES,
    DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_REQUEST_LOG_CAPACITY,
};
use crate::sandbox::{DEFAULT_BASE_PATH, Sandbox, SandboxBuilder, SandboxHandle};

/// `SDK_ID=PUBLIC_KEY.pem`: an application and the file of its public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppArg {
    /// The SDK id.
    pub sdk_id: String,
    /// The PEM file of its public key (SPKI, PKCS#1 or a certificate).
    pub public_key: PathBuf,
}

impl FromStr for AppArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('=') {
            Some((id, path)) if !id.is_empty() && !path.is_empty() => Ok(Self {
                sdk_id: id.to_owned(),
                public_key: PathBuf::from(path),
            }),
            _ => Err(format!("expected SDK_ID=PUBLIC_KEY.pem, got {s:?}")),
        }
    }
}

/// Serve a local emulator of the Yoti IDV API that verifies request signatures.
///
/// Prints the base URL as the first line of standard output, then serves until interrupted.
#[derive(Debug, Clone, clap::Parser)]
#[command(name = "idv-sandbox", version)]
pub struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:0")]
    pub addr: SocketAddr,
    /// API base path.
    #[arg(long, value_name = "PATH", default_value = DEFAULT_BASE_PATH)]
    pub base_path: String,
    /// Register an application: its SDK id and the PEM file of its public key (repeatable).
    #[arg(long, value_name = "SDK_ID=PUBLIC_KEY.pem")]
    pub app: Vec<AppArg>,
    /// A session JSON file (repeatable); files with the same session_id become stages in
    /// the order given.
    #[arg(long, value_name = "FILE")]
    pub session: Vec<PathBuf>,
    /// Serve the five stages of the product page's in-branch session (built in).
    #[arg(long)]
    pub product_page: bool,
    /// Directory of media files named by media id (extension optional); other media are
    /// synthesised.
    #[arg(long, value_name = "DIR")]
    pub media_dir: Option<PathBuf>,
    /// Answer 204 No Content for this media id (repeatable).
    #[arg(long, value_name = "MEDIA_ID")]
    pub no_content: Vec<String>,
    /// Advance stages on this interval after the first retrieval (e.g. `10s`) instead of
    /// once per retrieval.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub stage_interval: Option<Duration>,
    /// Reject timestamps further than this from the clock (e.g. `5m`), and forget nonces
    /// whose timestamp has left this window; off by default.
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub timestamp_skew: Option<Duration>,
    /// Keep at most this many requests in the request log (the oldest are dropped).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_REQUEST_LOG_CAPACITY)]
    pub request_log_capacity: usize,
    /// Remember at most this many nonces; a fresh nonce beyond that is refused with 503
    /// (with --timestamp-skew, old nonces are forgotten and make room).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_NONCES)]
    pub max_nonces: usize,
    /// Close a connection that takes longer than this to send a request's headers or to
    /// start its next request (default 30s; clamped to 1ms-24h).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub header_read_timeout: Option<Duration>,
    /// Serve at most this many connections at once; more wait until one ends.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS)]
    pub max_connections: usize,
    /// Keep at most this many sessions created with POST /sessions; at the cap the oldest
    /// finished one is evicted, or creating is refused with 503 when none is finished.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CREATED_SESSIONS)]
    pub max_created_sessions: usize,
    /// Keep at most this many bytes of media uploaded through the user side; beyond it the
    /// oldest finished created sessions are evicted, or the upload is refused with 507.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_UPLOAD_BYTES)]
    pub max_upload_bytes: usize,
    /// Serve HTTPS with a generated certificate; the CA PEM is written to stderr, or to the
    /// file given with --ca-out.
    #[arg(long)]
    pub tls: bool,
    /// With --tls, write the CA certificate PEM to this file.
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca_out: Option<PathBuf>,
    /// The lifetime (expires_in) of the bearer tokens the token endpoint
    /// ({base}/oauth/token) issues (e.g. `1h`, `30s`).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub bearer_token_lifetime: Option<Duration>,
    /// Retry a notification that is not delivered for this long before giving up (e.g.
    /// `10m`).
    #[arg(long, value_name = "DURATION", value_parser = humantime::parse_duration)]
    pub notification_deadline: Option<Duration>,
    /// Trust the CA certificates in this PEM file (besides the public roots) for https
    /// notification endpoints.
    #[arg(long, value_name = "FILE")]
    pub notification_ca: Option<PathBuf>,
}

impl Args {
    /// The builder these arguments describe (key files are read here).
    ///
    /// # Errors
    /// [`SandboxError::Io`] when a public key file cannot be read.
    pub fn builder(&self) -> Result<SandboxBuilder, SandboxError> {
        let mut builder = if self.product_page {
            Sandbox::product_page_demo()
        } else {
            Sandbox::builder()
        };
        builder = builder.addr(self.addr).base_path(&self.base_path);
        for app in &self.app {
            let pem =
                std::fs::read_to_string(&app.public_key).map_err(|source| SandboxError::Io {
                    path: app.public_key.clone(),
                    source,
                })?;
            builder = builder.app_pem(app.sdk_id.clone(), pem);
        }
        for path in &self.session {
            builder = builder.session_file(path.clone());
        }
        if let Some(dir) = &self.media_dir {
            builder = builder.media_dir(dir.clone());
        }
        for id in &self.no_content {
            builder = builder.no_content(id.clone());
        }
        if let Some(interval) = self.stage_interval {
            builder = builder.stage_interval(interval);
        }
        if let Some(window) = self.timestamp_skew {
            builder = builder.timestamp_skew(window);
        }
        builder = builder
            .request_log_capacity(self.request_log_capacity)
            .max_nonces(self.max_nonces)
            .max_connections(self.max_connections)
            .max_created_sessions(self.max_created_sessions)
            .max_upload_bytes(self.max_upload_bytes);
        if let Some(timeout) = self.header_read_timeout {
            builder = builder.header_read_timeout(timeout);
        }
        if self.tls {
            builder = builder.tls();
        }
        if let Some(lifetime) = self.bearer_token_lifetime {
            builder = builder.bearer_token_lifetime(lifetime);
        }
        if let Some(deadline) = self.notification_deadline {
            builder = builder.notification_deadline(deadline);
        }
        if let Some(path) = &self.notification_ca {
            let pem = std::fs::read_to_string(path).map_err(|source| SandboxError::Io {
                path: path.clone(),
                source,
            })?;
            builder = builder.notification_ca_pem(pem);
        }
        Ok(builder)
    }

    /// Starts the sandbox and writes the base URL as the first line of `out`; notes for the
    /// user (the token endpoint's URL, a warning when no app is registered, the sessions
    /// served, and the CA PEM unless `--ca-out` names a file for it) go to `notes`.
    ///
    /// # Errors
    /// Any [`SandboxError`] from starting, or [`SandboxError::Runtime`] when writing fails.
    pub async fn start(
        &self,
        out: &mut impl Write,
        notes: &mut impl Write,
    ) -> Result<SandboxHandle, SandboxError> {
        let handle = self.builder()?.start().await?;
        writeln!(out, "{}", handle.base_url()).map_err(SandboxError::Runtime)?;
        out.flush().map_err(SandboxError::Runtime)?;
        writeln!(
            notes,
            "token endpoint (bearer tokens): {}/oauth/token",
            handle.base_url()
        )
        .map_err(SandboxError::Runtime)?;
        if self.app.is_empty() {
            writeln!(
                notes,
                "warning: no --app registered: every request will be rejected"
            )
            .map_err(SandboxError::Runtime)?;
        }
        for id in handle.session_ids() {
            writeln!(
                notes,
                "session {id} ({} media)",
                handle.media_ids(&id).len()
            )
            .map_err(SandboxError::Runtime)?;
        }
        if let Some(ca) = handle.ca_pem() {
            match &self.ca_out {
                Some(path) => {
                    std::fs::write(path, ca).map_err(|source| SandboxError::Io {
                        path: path.clone(),
                        source,
                    })?;
                    writeln!(notes, "CA certificate written to {}", path.display())
                        .map_err(SandboxError::Runtime)?;
                }
                None => write!(notes, "CA certificate:\n{ca}").map_err(SandboxError::Runtime)?,
            }
        }
        Ok(handle)
    }
}

/// Runs the sandbox until `stop` completes: the base URL goes to `out` (first line), notes
/// to `notes`, and then one line per notification delivery attempt and its outcome
/// ([`NotificationLogEntry`](crate::NotificationLogEntry)'s `Display`; never the auth
/// token).
///
/// # Errors
/// Any [`SandboxError`] from [`Args::start`].
pub async fn run_until(
    args: &Args,
    out: &mut impl Write,
    notes: &mut impl Write,
    stop: impl Future<Output = ()>,
) -> Result<(), SandboxError> {
    let handle = args.start(out, notes).await?;
    let mut deliveries = handle.notification_events();
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            Some(entry) = deliveries.next() => {
                // A note that cannot be written is not a reason to stop serving.
                let _ = writeln!(notes, "{entry}").and_then(|()| notes.flush());
            }
        }
    }
    handle.shutdown().await;
    Ok(())
}

/// Runs the sandbox on standard output and error until Ctrl-C (SIGINT).
///
/// # Errors
/// Any [`SandboxError`] from [`Args::start`].
pub async fn run(args: &Args) -> Result<(), SandboxError> {
    let mut out = std::io::stdout();
    let mut notes = std::io::stderr();
    run_until(args, &mut out, &mut notes, async {
        // If the signal cannot be installed, serve until killed.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory as _;

    use super::*;
    use crate::limits::DEFAULT_HEADER_READ_TIMEOUT;

    #[test]
    fn store_limits_have_defaults_and_flags() {
        use clap::Parser as _;
        let defaults = Args::try_parse_from(["idv-sandbox"]).expect("parse");
        assert_eq!(defaults.max_created_sessions, DEFAULT_MAX_CREATED_SESSIONS);
        assert_eq!(defaults.max_upload_bytes, DEFAULT_MAX_UPLOAD_BYTES);
        let set = Args::try_parse_from([
            "idv-sandbox",
            "--max-created-sessions",
            "5",
            "--max-upload-bytes",
            "1024",
        ])
        .expect("parse");
        assert_eq!((set.max_created_sessions, set.max_upload_bytes), (5, 1024));
    }

    #[test]
    fn the_help_states_the_default_header_read_timeout() {
        let help = Args::command().render_long_help().to_string();
        let default = humantime::format_duration(DEFAULT_HEADER_READ_TIMEOUT).to_string();
        assert!(
            help.contains(&format!("(default {default};")),
            "--header-read-timeout's help names {default}"
        );
    }
}

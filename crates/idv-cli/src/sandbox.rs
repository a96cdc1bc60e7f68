//! `idv sandbox serve`: the `idv-sandbox` binary's own arguments and run function, so the flags
//! and the first stdout line (the base URL) are identical.

use idv_sandbox::SandboxError;

use crate::error::{CliError, CliResult};

/// The arguments of `idv sandbox serve` (those of the `idv-sandbox` binary).
pub use idv_sandbox::cli::Args as ServeArgs;

/// Map a sandbox start-up error: bad input is exit 2, anything else exit 1.
pub fn map_error(e: SandboxError) -> CliError {
    match e {
        SandboxError::Io { .. }
        | SandboxError::InvalidSession { .. }
        | SandboxError::MixedSessionIds { .. }
        | SandboxError::InvalidAppKey { .. }
        | SandboxError::InvalidArgument(_) => CliError::Config(format!("sandbox: {e}")),
        other => CliError::Failure(format!("sandbox: {other}")),
    }
}

/// Serve until Ctrl-C.
pub async fn serve(args: ServeArgs) -> CliResult<()> {
    idv_sandbox::cli::run(&args).await.map_err(map_error)
}

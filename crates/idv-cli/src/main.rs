//! `idv`: the command-line tool for Yoti's Identity Verification (IDV) API.
//!
//! Inspect sessions as readable reports, download their media, sign and verify requests by hand
//! (the tool for "why does the API answer 401"), run the local sandbox, and run the whole flow
//! end to end with `idv demo`, with no credentials and no network. See the crate README for the
//! command reference; every command has `--help` with examples.
//!
//! Exit codes: 0 success, 1 the API or the transport failed, 2 usage or configuration,
//! 3 session not found, 130 interrupted.

mod api;
mod cli;
mod config;
mod demo;
mod error;
mod media;
mod pull;
mod sandbox;
mod session;
mod sign;
mod term;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, SandboxCommand};
use crate::error::{CliError, CliResult};
use crate::term::{Style, paint};

/// Exit code when interrupted with Ctrl-C (128 + SIGINT).
const EXIT_INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            report_error(&CliError::Failure(format!(
                "could not start the async runtime: {e}"
            )));
            return ExitCode::from(error::EXIT_FAILURE);
        }
    };
    // `sandbox serve` handles Ctrl-C itself: it is how the server is stopped (exit 0).
    let handles_interrupt = matches!(cli.command, Command::Sandbox(_));
    let outcome = runtime.block_on(async {
        if handles_interrupt {
            return Some(run(cli).await);
        }
        let interrupted = async {
            // If no handler can be installed, Ctrl-C keeps its default behaviour.
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            result = run(cli) => Some(result),
            () = interrupted => None,
        }
    });
    // Shutting the runtime down drops every in-flight download, which removes its temporary
    // file; a blocking operation (DNS, file system) gets a moment to finish, not forever.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match outcome {
        Some(Ok(())) => ExitCode::SUCCESS,
        Some(Err(e)) => {
            report_error(&e);
            ExitCode::from(e.exit_code())
        }
        None => {
            term::errln("interrupted");
            ExitCode::from(EXIT_INTERRUPTED)
        }
    }
}

fn report_error(e: &CliError) {
    let color =
        term::stderr_is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    term::errln(&format!("{} {e}", paint("error:", Style::Red, color)));
}

async fn run(cli: Cli) -> CliResult<()> {
    let global = cli.global;
    match cli.command {
        Command::Session(command) => session::run(&global, command).await,
        Command::Media(command) => media::run(&global, command).await,
        Command::Sandbox(SandboxCommand::Serve(args)) => sandbox::serve(args).await,
        Command::Sign(args) => sign::sign(&global, &args).await,
        Command::Verify(args) => sign::verify(&args),
        Command::Demo(args) => demo::run(&global, &args).await,
    }
}

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
mod auth;
mod cli;
mod config;
mod demo;
mod demo_lifecycle;
mod devices;
mod documents;
mod error;
mod face_capture;
mod ibv;
mod json_input;
mod media;
mod notification_receiver;
mod output;
mod pull;
mod request_cmd;
mod sandbox;
mod sandbox_config;
mod sandbox_user;
mod session;
mod session_config;
mod session_create;
mod sign;
mod signals;
mod term;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command, SandboxCommand, SessionCommand};
use crate::error::{CliError, CliResult};
use crate::term::{Style, paint};

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
    let handles_interrupt = matches!(cli.command, Command::Sandbox(SandboxCommand::Serve(_)));
    let outcome = runtime.block_on(async {
        if handles_interrupt {
            return Ok(run(cli).await);
        }
        // Ctrl-C, or `kill` (SIGTERM): stop, dropping the downloads in flight.
        tokio::select! {
            result = run(cli) => Ok(result),
            signal = signals::interrupted() => Err(signal),
        }
    });
    // Shutting the runtime down drops every in-flight download, which removes its temporary
    // file; a blocking operation (DNS, file system) gets a moment to finish, not forever.
    runtime.shutdown_timeout(std::time::Duration::from_secs(2));
    match outcome {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            report_error(&e);
            ExitCode::from(e.exit_code())
        }
        Err(signal) => {
            term::errln(signal.message());
            ExitCode::from(signal.exit_code())
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
        // A dry run needs no credentials: it sends nothing.
        Command::Session(SessionCommand::Create(args)) if args.dry_run => {
            session_create::dry_run(&global, &args)
        }
        Command::Session(command) => session::run(&global, command).await,
        Command::Documents(args) => documents::run(&global, args).await,
        Command::Media(command) => media::run(&global, command).await,
        Command::Sandbox(SandboxCommand::Serve(args)) => sandbox::serve(args).await,
        Command::Sandbox(SandboxCommand::User(command)) => {
            sandbox_user::run(&global, command).await
        }
        Command::Sandbox(SandboxCommand::Config(command)) => {
            sandbox_config::run(&global, command).await
        }
        Command::Sign(args) => sign::sign(&global, &args).await,
        Command::Verify(args) => sign::verify(&args),
        Command::Demo(args) => demo::run(&global, &args).await,
        Command::Request(args) => request_cmd::run(&global, args).await,
        Command::FaceCapture(command) => face_capture::run(&global, command).await,
        Command::Ibv(command) => ibv::run(&global, command).await,
        Command::Devices(command) => devices::run(&global, command).await,
    }
}

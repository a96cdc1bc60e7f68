//! The `idv-sandbox` binary: see `idv_sandbox::cli`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let args = idv_sandbox::cli::Args::parse();
    match idv_sandbox::cli::run(&args).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            #[allow(clippy::print_stderr)]
            {
                eprintln!("idv-sandbox: {error}");
            }
            std::process::ExitCode::FAILURE
        }
    }
}

//! Writes a fresh application key pair for the sandbox: `DIR/app.pem` (private, PKCS#8) and
//! `DIR/app.pub.pem` (public, SPKI), and prints the new SDK id.
//!
//! `cargo run -p idv-sandbox --example gen_app_keys -- DIR`

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| ".".to_owned()));
    let keys = idv_sandbox::generate_app_keys()?;
    std::fs::write(dir.join("app.pem"), &keys.private_key_pem)?;
    std::fs::write(dir.join("app.pub.pem"), &keys.public_key_pem)?;
    #[allow(clippy::print_stdout)]
    {
        println!("{}", keys.sdk_id);
    }
    Ok(())
}

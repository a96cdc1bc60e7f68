//! `idv documents`: the documents the API supports, by country (`GET /supported-documents`).

use std::fmt::Write as _;

use clap::Args;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::Method;
use idv_model::SupportedDocumentsResponse;

use crate::api::{self, Subject};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::term::out;

/// `--help` examples of `idv documents`.
pub const EXAMPLES: &str = "\
Examples:
  idv documents
  idv documents --include-non-latin
  idv documents --json > supported-documents.json

One line per country (ISO 3166-1 alpha-3) with the document types it supports. Documents that
are not strictly Latin are left out unless --include-non-latin is given, and then marked.";

/// `idv documents`
#[derive(Debug, Clone, Args)]
pub struct DocumentsArgs {
    /// Include documents that are not strictly Latin (marked "non-Latin").
    #[arg(long)]
    pub include_non_latin: bool,
    /// Print the response exactly as received from the API.
    #[arg(long)]
    pub json: bool,
}

/// Retrieves the supported documents and prints them.
pub async fn run(global: &GlobalArgs, args: DocumentsArgs) -> CliResult<()> {
    let (client, settings) = api::client(global)?;
    let mut request = client.request(Method::GET, "/supported-documents");
    if args.include_non_latin {
        request = request.query("includeNonLatin", "true");
    }
    let response = request
        .send()
        .await
        .map_err(|e| api::map_error(e, Subject::Other, &settings.base_url))?;
    if args.json {
        let mut stdout = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut stdout, response.body());
        let _ = std::io::Write::flush(&mut stdout);
        return Ok(());
    }
    let documents: SupportedDocumentsResponse =
        idv_model::from_slice(response.body()).map_err(|e| {
            CliError::Failure(format!(
                "the server sent supported documents that do not fit the model: {e}"
            ))
        })?;
    out(&render_documents(&documents));
    Ok(())
}

/// One line per country, then a count; server text terminal-safe.
pub fn render_documents(documents: &SupportedDocumentsResponse) -> String {
    let mut text = String::new();
    let mut total = 0usize;
    for country in &documents.supported_countries {
        let kinds: Vec<String> = country
            .supported_documents
            .iter()
            .map(|d| {
                let kind = terminal_safe(d.document_type.as_deref().unwrap_or("?"));
                if d.is_strictly_latin == Some(false) {
                    format!("{kind} (non-Latin)")
                } else {
                    kind.to_string()
                }
            })
            .collect();
        total = total.saturating_add(kinds.len());
        let _ = writeln!(
            text,
            "{:<4} {}",
            terminal_safe(country.code.as_deref().unwrap_or("?")),
            if kinds.is_empty() {
                "(none)".to_owned()
            } else {
                kinds.join(", ")
            }
        );
    }
    let countries = documents.supported_countries.len();
    let _ = writeln!(
        text,
        "{countries} countr{}, {total} document{}",
        if countries == 1 { "y" } else { "ies" },
        if total == 1 { "" } else { "s" }
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn countries_and_their_documents() {
        let documents: SupportedDocumentsResponse = idv_model::from_slice(
            json!({"supported_countries": [
                {"code": "GBR", "supported_documents": [
                    {"type": "PASSPORT", "is_strictly_latin": true},
                    {"type": "DRIVING_LICENCE", "is_strictly_latin": true}]},
                {"code": "CHN", "supported_documents": [
                    {"type": "NATIONAL_ID", "is_strictly_latin": false}]},
                {"code": "X\u{1b}[2J", "supported_documents": []}
            ]})
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        assert_eq!(
            render_documents(&documents),
            "GBR  PASSPORT, DRIVING_LICENCE\n\
             CHN  NATIONAL_ID (non-Latin)\n\
             X\\u{1b}[2J (none)\n\
             3 countries, 3 documents\n"
        );
    }
}

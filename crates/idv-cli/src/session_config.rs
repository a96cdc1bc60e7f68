//! `idv session config ID`: what a session asks of its user (requested checks, required
//! resources with their countries and document types summarised), or the exact bytes with
//! `--json`.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use clap::Args;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::{IdvClient, Method, SessionId};
use idv_model::{Requirement, SessionConfiguration, SupportedCountry};

use crate::api::{self, Subject};
use crate::error::{CliError, CliResult};
use crate::term::out;

/// `--help` examples of `idv session config`.
pub const EXAMPLES: &str = "\
Examples:
  idv session config 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv session config 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --json > configuration.json

The readable form lists the requested checks and each required resource: ID documents with the
countries and document types they accept (summarised), supplementary documents with their
objective, liveness with its type. --json prints the configuration exactly as received.";

/// How many country codes a summary names before `and N more`.
const COUNTRIES_SHOWN: usize = 12;

/// `idv session config`
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// The session id.
    pub session_id: SessionId,
    /// Print the configuration exactly as received from the API.
    #[arg(long)]
    pub json: bool,
}

/// Retrieves `GET /sessions/{id}/configuration` and prints it.
pub async fn run(client: &IdvClient, base_url: &str, args: ConfigArgs) -> CliResult<()> {
    let subject = Subject::Session(args.session_id.as_str());
    let response = client
        .request(
            Method::GET,
            &format!("/sessions/{}/configuration", args.session_id),
        )
        .send()
        .await
        .map_err(|e| api::map_error(e, subject, base_url))?;
    if args.json {
        let mut stdout = std::io::stdout().lock();
        let _ = std::io::Write::write_all(&mut stdout, response.body());
        let _ = std::io::Write::flush(&mut stdout);
        return Ok(());
    }
    let configuration: SessionConfiguration =
        idv_model::from_slice(response.body()).map_err(|e| {
            CliError::Failure(format!(
                "the server sent a session configuration that does not fit the model: {e}"
            ))
        })?;
    out(&render_configuration(&configuration));
    Ok(())
}

/// The readable configuration; every string from the server is terminal-safe.
pub fn render_configuration(configuration: &SessionConfiguration) -> String {
    let mut text = String::new();
    let id = configuration
        .session_id
        .as_deref()
        .unwrap_or("(no session id)");
    let _ = writeln!(text, "Session {}", terminal_safe(id));
    if let Some(ttl) = configuration.client_session_token_ttl {
        let _ = writeln!(text, "Client session token valid for {ttl} s");
    }
    let checks: Vec<&str> = configuration
        .requested_checks
        .iter()
        .map(|c| c.as_str())
        .collect();
    let _ = writeln!(
        text,
        "Requested checks ({}): {}",
        checks.len(),
        safe_list(&checks, "none")
    );
    let capture = configuration.capture.as_ref();
    if let Some(consent) = capture.and_then(|c| c.biometric_consent.as_ref()) {
        let _ = writeln!(
            text,
            "Biometric consent given: {}",
            terminal_safe(consent.as_str())
        );
    }
    let requirements = capture.map_or(&[][..], |c| c.required_resources.as_slice());
    let _ = writeln!(text, "Required resources ({}):", requirements.len());
    for requirement in requirements {
        render_requirement(&mut text, requirement);
    }
    if let Some(sdk) = &configuration.sdk_config
        && !sdk.suppressed_screens.is_empty()
    {
        let screens: Vec<&str> = sdk.suppressed_screens.iter().map(String::as_str).collect();
        let _ = writeln!(text, "Suppressed screens: {}", safe_list(&screens, ""));
    }
    text
}

fn render_requirement(text: &mut String, requirement: &Requirement) {
    let kind = requirement
        .requirement_type
        .as_ref()
        .map_or("(no type)", |t| t.as_str());
    let _ = writeln!(
        text,
        "  {}  {}  {}",
        terminal_safe(kind),
        terminal_safe(requirement.id.as_deref().unwrap_or("(no id)")),
        terminal_safe(requirement.state.as_deref().unwrap_or("(no state)")),
    );
    let mut field = |name: &str, value: String| {
        let _ = writeln!(text, "    {:<11}{value}", format!("{name}:"));
    };
    let sources: Vec<&str> = requirement
        .allowed_sources
        .iter()
        .filter_map(|s| s.source_type.as_ref().map(|t| t.as_str()))
        .collect();
    if !sources.is_empty() {
        field("sources", safe_list(&sources, ""));
    }
    if !requirement.requested_tasks.is_empty() {
        let tasks: Vec<String> = requirement
            .requested_tasks
            .iter()
            .map(|t| {
                let kind = t.task_type.as_ref().map_or("(no type)", |k| k.as_str());
                match &t.state {
                    Some(state) => format!("{kind} ({})", state.as_str()),
                    None => kind.to_owned(),
                }
            })
            .collect();
        field("tasks", safe_list(&tasks, ""));
    }
    if let Some(liveness) = &requirement.liveness_type {
        field("liveness", terminal_safe(liveness.as_str()).to_string());
    }
    if let Some(objective) = requirement
        .objective
        .as_ref()
        .and_then(|o| o.objective_type.as_deref())
    {
        field("objective", terminal_safe(objective).to_string());
    }
    if let Some(methods) = &requirement.allowed_capture_methods {
        field("capture", terminal_safe(methods).to_string());
    }
    if let Some(attempts) = &requirement.attempts_remaining {
        let list: Vec<String> = attempts.iter().map(|(k, v)| format!("{k} {v}")).collect();
        field("attempts", safe_list(&list, "none"));
    }
    if !requirement.supported_countries.is_empty() {
        let (countries, documents) = summarise_countries(&requirement.supported_countries);
        field("countries", countries);
        field("documents", documents);
    }
    let is_supplementary = requirement
        .requirement_type
        .as_ref()
        .is_some_and(|t| t.as_str() == "SUPPLEMENTARY_DOCUMENT");
    if is_supplementary || !requirement.document_types.is_empty() {
        let types: Vec<&str> = requirement
            .document_types
            .iter()
            .map(String::as_str)
            .collect();
        field("documents", safe_list(&types, "any"));
    }
    if is_supplementary || !requirement.country_codes.is_empty() {
        let codes: Vec<&str> = requirement
            .country_codes
            .iter()
            .map(String::as_str)
            .collect();
        field("countries", safe_list(&codes, "any"));
    }
}

/// `78 (AFG, ALB, … and 66 more)` and `PASSPORT (78 countries), NATIONAL_ID (40 countries)`:
/// document types by how many countries accept them, most first (then by name).
fn summarise_countries(countries: &[SupportedCountry]) -> (String, String) {
    let codes: Vec<&str> = countries
        .iter()
        .map(|c| c.code.as_deref().unwrap_or("?"))
        .collect();
    let shown = codes.len().min(COUNTRIES_SHOWN);
    let mut summary = format!(
        "{} ({}",
        codes.len(),
        safe_list(codes.get(..shown).unwrap_or_default(), "")
    );
    if codes.len() > shown {
        let _ = write!(summary, " and {} more", codes.len() - shown);
    }
    summary.push(')');

    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for country in countries {
        for document in &country.supported_documents {
            let kind = document.document_type.as_deref().unwrap_or("?");
            let count = by_type.entry(kind).or_default();
            *count = count.saturating_add(1);
        }
    }
    let mut types: Vec<(&str, usize)> = by_type.into_iter().collect();
    types.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let documents: Vec<String> = types
        .iter()
        .map(|(kind, n)| {
            format!(
                "{} ({n} countr{})",
                terminal_safe(kind),
                if *n == 1 { "y" } else { "ies" }
            )
        })
        .collect();
    (summary, documents.join(", "))
}

/// `a, b, c` with each item terminal-safe; `empty` when there is none.
fn safe_list<S: AsRef<str>>(items: &[S], empty: &str) -> String {
    if items.is_empty() {
        return empty.to_owned();
    }
    items
        .iter()
        .map(|s| terminal_safe(s.as_ref()).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn configuration(value: serde_json::Value) -> SessionConfiguration {
        idv_model::from_slice(value.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn requirements_are_summarised() {
        let countries: Vec<_> = (0..14)
            .map(|i| {
                let mut documents = vec![json!({"type": "PASSPORT", "is_strictly_latin": true})];
                if i % 2 == 0 {
                    documents.push(json!({"type": "NATIONAL_ID", "is_strictly_latin": true}));
                }
                json!({"code": format!("C{i:02}"), "supported_documents": documents})
            })
            .collect();
        let text = render_configuration(&configuration(json!({
            "session_id": "s-1", "client_session_token_ttl": 599,
            "requested_checks": ["ID_DOCUMENT_AUTHENTICITY", "LIVENESS"],
            "capture": {"required_resources": [
                {"type": "ID_DOCUMENT", "id": "r-1", "state": "REQUIRED",
                 "allowed_sources": [{"type": "END_USER"}],
                 "requested_tasks": [{"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "state": "REQUIRED"}],
                 "supported_countries": countries,
                 "allowed_capture_methods": "CAMERA_AND_UPLOAD",
                 "attempts_remaining": {"GENERIC": 3}},
                {"type": "SUPPLEMENTARY_DOCUMENT", "id": "r-2", "state": "REQUIRED",
                 "document_types": ["UTILITY_BILL"], "country_codes": [],
                 "objective": {"type": "PROOF_OF_ADDRESS"}},
                {"type": "LIVENESS", "id": "r-3", "state": "REQUIRED", "liveness_type": "ZOOM"}
            ]}
        })));
        let expected = "\
Session s-1
Client session token valid for 599 s
Requested checks (2): ID_DOCUMENT_AUTHENTICITY, LIVENESS
Required resources (3):
  ID_DOCUMENT  r-1  REQUIRED
    sources:   END_USER
    tasks:     ID_DOCUMENT_TEXT_DATA_EXTRACTION (REQUIRED)
    capture:   CAMERA_AND_UPLOAD
    attempts:  GENERIC 3
    countries: 14 (C00, C01, C02, C03, C04, C05, C06, C07, C08, C09, C10, C11 and 2 more)
    documents: PASSPORT (14 countries), NATIONAL_ID (7 countries)
  SUPPLEMENTARY_DOCUMENT  r-2  REQUIRED
    objective: PROOF_OF_ADDRESS
    documents: UTILITY_BILL
    countries: any
  LIVENESS  r-3  REQUIRED
    liveness:  ZOOM
";
        assert_eq!(text, expected);
    }

    #[test]
    fn an_empty_configuration_still_reads() {
        let text = render_configuration(&configuration(json!({})));
        assert_eq!(
            text,
            "Session (no session id)\nRequested checks (0): none\nRequired resources (0):\n"
        );
    }

    #[test]
    fn server_text_is_terminal_safe() {
        let text = render_configuration(&configuration(json!({
            "session_id": "s\u{1b}[2J",
            "requested_checks": ["X\u{7}"],
            "capture": {"required_resources": [
                {"type": "ID_DOCUMENT\r\n", "id": "\u{202e}r", "state": "REQUIRED",
                 "supported_countries": [{"code": "G\u{1b}B", "supported_documents": [{"type": "P\u{9b}"}]}]}
            ]},
            "sdk_config": {"suppressed_screens": ["\u{1b}]0;t\u{7}"]}
        })));
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && idv_cli::terminal_safe::needs_escape(c)),
            "{text:?}"
        );
        assert!(text.contains(r"Session s\u{1b}[2J"), "{text}");
        assert!(
            text.contains(r"Suppressed screens: \u{1b}]0;t\u{7}"),
            "{text}"
        );
    }
}

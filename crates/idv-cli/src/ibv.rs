//! `idv ibv put | get | pdf | contact | email`: in-branch verification (IBV) instructions
//! (§5.7): where the user goes (e.g. a UK Post Office branch), what they bring, who to email.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use clap::Subcommand;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::SessionId;
use idv_model::{ContactProfile, IbvInstructions};
use indicatif::HumanBytes;
use serde::Serialize;

use crate::api::{self, Subject};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::output;
use crate::term::{self, errln, out, outln};

/// `idv ibv --help` examples.
pub const GROUP_EXAMPLES: &str = "\
Examples:
  idv ibv put SESSION_ID --file instructions.json
  idv ibv get SESSION_ID
  idv ibv pdf SESSION_ID -o instructions.pdf
  idv ibv contact SESSION_ID
  idv ibv email SESSION_ID";

const PUT_EXAMPLES: &str = "\
Examples:
  idv ibv put SESSION_ID --file instructions.json
  idv ibv put SESSION_ID --file - < instructions.json

The file is the PUT body of §5.7, for example:
  {\"contact_profile\": {\"first_name\": \"Jane\", \"last_name\": \"Doe\", \"email\": \"jane@example.com\"},
   \"documents\": [{\"requirement_id\": \"REQ\", \"document\": {\"type\": \"ID_DOCUMENT\",
                   \"country_code\": \"GBR\", \"document_type\": \"PASSPORT\"}}],
   \"branch\": {\"type\": \"UK_POST_OFFICE\", \"fad_code\": \"1234567\", \"name\": \"Ludgate Circus\",
              \"address\": \"1 Ludgate Circus, London\", \"post_code\": \"EC4M 7LQ\",
              \"location\": {\"latitude\": 51.5138, \"longitude\": -0.1043}}}
A value of the wrong type is refused before anything is sent, naming its JSON path; keys and
values this version does not know are sent as given.";

const GET_EXAMPLES: &str = "\
Examples:
  idv ibv get SESSION_ID
  idv ibv get SESSION_ID --json";

const PDF_EXAMPLES: &str = "\
Examples:
  idv ibv pdf SESSION_ID -o instructions.pdf
  idv ibv pdf SESSION_ID -o - | pdftotext - -

No instructions yet (204): nothing is written, and it says so.";

const CONTACT_EXAMPLES: &str = "\
Examples:
  idv ibv contact SESSION_ID
  idv ibv contact SESSION_ID --json";

const EMAIL_EXAMPLES: &str = "\
Example:
  idv ibv email SESSION_ID

Asks the API to email the instructions to the contact profile. Sent once: it is not retried
after it may have reached the server (a retry could send a second email).";

/// The largest instructions file read.
const MAX_INSTRUCTIONS_BYTES: u64 = 1024 * 1024;

/// `idv ibv …`
#[derive(Debug, Subcommand)]
pub enum IbvCommand {
    /// Set a session's in-branch instructions from a JSON file.
    #[command(after_help = PUT_EXAMPLES)]
    Put {
        /// The session id.
        session_id: SessionId,
        /// The instructions (JSON), or `-` for stdin.
        #[arg(long, value_name = "FILE|-")]
        file: PathBuf,
    },
    /// Show a session's in-branch instructions.
    #[command(after_help = GET_EXAMPLES)]
    Get {
        /// The session id.
        session_id: SessionId,
        /// Print the instructions as JSON (every field, unknown ones included).
        #[arg(long)]
        json: bool,
    },
    /// Download the instructions as a PDF.
    #[command(after_help = PDF_EXAMPLES)]
    Pdf {
        /// The session id.
        session_id: SessionId,
        /// Where to write the PDF (`-` for stdout, refused when stdout is a terminal).
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Show the contact profile given with the instructions.
    #[command(after_help = CONTACT_EXAMPLES)]
    Contact {
        /// The session id.
        session_id: SessionId,
        /// Print the profile as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ask the API to email the instructions to the contact.
    #[command(after_help = EMAIL_EXAMPLES)]
    Email {
        /// The session id.
        session_id: SessionId,
    },
}

impl IbvCommand {
    /// The session the command is about.
    fn session_id(&self) -> &SessionId {
        match self {
            IbvCommand::Put { session_id, .. }
            | IbvCommand::Get { session_id, .. }
            | IbvCommand::Pdf { session_id, .. }
            | IbvCommand::Contact { session_id, .. }
            | IbvCommand::Email { session_id } => session_id,
        }
    }
}

/// The instructions from a file or stdin, read as the model (a wrong type names its JSON path).
fn read_instructions(source: &Path) -> CliResult<IbvInstructions> {
    let name = if output::is_stdout(source) {
        "stdin".to_owned()
    } else {
        source.display().to_string()
    };
    let cannot = |e: std::io::Error| CliError::Config(format!("cannot read {name}: {e}"));
    let reader: Box<dyn std::io::Read> = if output::is_stdout(source) {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(std::fs::File::open(source).map_err(cannot)?)
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_INSTRUCTIONS_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_INSTRUCTIONS_BYTES {
        return Err(CliError::Config(format!(
            "{name} is larger than {}",
            HumanBytes(MAX_INSTRUCTIONS_BYTES)
        )));
    }
    idv_model::from_slice(&bytes)
        .map_err(|e| CliError::Config(format!("{name} is not valid instructions: {e}")))
}

/// Prints `value` as pretty JSON (terminal-safe on a terminal).
fn print_json(value: &impl Serialize) -> CliResult<()> {
    let mut text = serde_json::to_vec_pretty(value)
        .map_err(|e| CliError::Failure(format!("cannot write JSON: {e}")))?;
    text.push(b'\n');
    output::print_document(&text);
    Ok(())
}

/// `idv ibv …`
pub async fn run(global: &GlobalArgs, command: IbvCommand) -> CliResult<()> {
    // Input is checked before the client is built (and before anything is sent).
    let instructions = match &command {
        IbvCommand::Put { file, .. } => Some(read_instructions(file)?),
        IbvCommand::Pdf { output: path, .. }
            if output::is_stdout(path) && term::stdout_is_terminal() =>
        {
            return Err(CliError::Config(output::BINARY_TO_TERMINAL.into()));
        }
        _ => None,
    };
    let (client, settings) = api::client(global)?;
    let base = settings.base_url.as_str();
    let session_id = command.session_id().clone();
    let map = |e| api::map_error(e, Subject::Session(session_id.as_str()), base);
    match command {
        IbvCommand::Put { .. } => {
            let instructions = instructions.unwrap_or_default();
            client
                .put_ibv_instructions(&session_id, &instructions)
                .await
                .map_err(map)?;
            outln(&format!(
                "set the in-branch instructions of session {session_id} ({} document{})",
                instructions.documents.len(),
                if instructions.documents.len() == 1 {
                    ""
                } else {
                    "s"
                }
            ));
        }
        IbvCommand::Get { json, .. } => {
            let instructions = client
                .get_ibv_instructions(&session_id)
                .await
                .map_err(map)?;
            if json {
                print_json(&instructions)?;
            } else {
                out(&render_instructions(&instructions));
            }
        }
        IbvCommand::Pdf { output: path, .. } => {
            let pdf = client
                .get_ibv_instructions_pdf(&session_id)
                .await
                .map_err(map)?;
            let Some(pdf) = pdf else {
                errln(&format!(
                    "session {session_id} has no instructions PDF (204): nothing written"
                ));
                return Ok(());
            };
            if output::is_stdout(&path) {
                use std::io::Write as _;
                let mut stdout = std::io::stdout().lock();
                let _ = stdout.write_all(pdf.bytes()).and_then(|()| stdout.flush());
            } else {
                let written = output::write_file(&path, pdf.bytes())?;
                outln(&format!(
                    "wrote {} ({}, {})",
                    written.display(),
                    HumanBytes(pdf.len() as u64),
                    terminal_safe(pdf.content_type().unwrap_or("no content type"))
                ));
            }
        }
        IbvCommand::Contact { json, .. } => {
            let contact = client
                .get_ibv_contact_profile(&session_id)
                .await
                .map_err(map)?;
            if json {
                print_json(&contact)?;
            } else {
                out(&render_contact(&contact));
            }
        }
        IbvCommand::Email { .. } => {
            client
                .trigger_ibv_instructions_email(&session_id)
                .await
                .map_err(map)?;
            outln(&format!(
                "asked the API to email the instructions of session {session_id} to its contact"
            ));
        }
    }
    Ok(())
}

/// The instructions as text, terminal-safe.
pub fn render_instructions(instructions: &IbvInstructions) -> String {
    let safe = |text: Option<&str>| terminal_safe(text.unwrap_or("-")).to_string();
    let mut text = String::new();
    match &instructions.branch {
        Some(branch) => {
            text.push_str(&format!(
                "Branch:    {} ({})\n",
                safe(branch.name.as_deref()),
                safe(branch.branch_type.as_deref())
            ));
            text.push_str(&format!(
                "Address:   {}, {}\n",
                safe(branch.address.as_deref()),
                safe(branch.post_code.as_deref())
            ));
            if let Some(code) = &branch.fad_code {
                text.push_str(&format!("FAD code:  {}\n", terminal_safe(code)));
            }
            if let Some(location) = &branch.location {
                let number =
                    |n: Option<&serde_json::Number>| n.map_or("-".into(), |n| n.to_string());
                text.push_str(&format!(
                    "Location:  {}, {}\n",
                    number(location.latitude.as_ref()),
                    number(location.longitude.as_ref())
                ));
            }
        }
        None => text.push_str("Branch:    (none)\n"),
    }
    text.push_str(&format!("Documents: {}\n", instructions.documents.len()));
    for document in &instructions.documents {
        let proposal = document.document.as_ref();
        text.push_str(&format!(
            "  {} {} {} (requirement {})\n",
            safe(
                proposal
                    .and_then(|d| d.document_kind.as_ref())
                    .map(|k| k.as_str())
            ),
            safe(proposal.and_then(|d| d.document_type.as_deref())),
            safe(proposal.and_then(|d| d.country_code.as_deref())),
            safe(document.requirement_id.as_deref())
        ));
    }
    let contact = match (
        instructions.contact_profile_exists,
        &instructions.contact_profile,
    ) {
        (_, Some(_)) | (Some(true), None) => "yes (idv ibv contact SESSION_ID)",
        (Some(false), None) => "no",
        (None, None) => "-",
    };
    text.push_str(&format!("Contact:   {contact}\n"));
    text
}

/// The contact profile as text, terminal-safe.
pub fn render_contact(contact: &ContactProfile) -> String {
    let safe = |text: &Option<String>| terminal_safe(text.as_deref().unwrap_or("-")).to_string();
    format!(
        "Name:  {} {}\nEmail: {}\n",
        safe(&contact.first_name),
        safe(&contact.last_name),
        safe(&contact.email)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_render_terminal_safe() {
        let instructions: IbvInstructions = idv_model::from_slice(
            br#"{"contact_profile_exists": true,
                 "documents": [{"requirement_id": "req-1",
                                "document": {"type": "ID_DOCUMENT", "country_code": "GBR",
                                             "document_type": "PASSPORT"}},
                               {"requirement_id": "req-2",
                                "document": {"type": "A_FUTURE_KIND"}}],
                 "branch": {"type": "UK_POST_OFFICE", "fad_code": "1234567",
                            "name": "Ludgate\u001b[2J Circus", "address": "1 Ludgate Circus",
                            "post_code": "EC4M 7LQ",
                            "location": {"latitude": 51.5138, "longitude": -0.1043}}}"#,
        )
        .unwrap();
        assert_eq!(
            render_instructions(&instructions),
            "Branch:    Ludgate\\u{1b}[2J Circus (UK_POST_OFFICE)\n\
             Address:   1 Ludgate Circus, EC4M 7LQ\n\
             FAD code:  1234567\n\
             Location:  51.5138, -0.1043\n\
             Documents: 2\n  \
             ID_DOCUMENT PASSPORT GBR (requirement req-1)\n  \
             A_FUTURE_KIND - - (requirement req-2)\n\
             Contact:   yes (idv ibv contact SESSION_ID)\n"
        );
        let contact: ContactProfile =
            idv_model::from_slice(br#"{"first_name": "Zo\u00eb", "email": "z@example.com\r"}"#)
                .unwrap();
        assert_eq!(
            render_contact(&contact),
            "Name:  Zoë -\nEmail: z@example.com\\u{d}\n"
        );
    }

    #[test]
    fn instructions_files_are_checked_before_sending() {
        let dir = tempfile::tempdir().unwrap();
        let bad = dir.path().join("bad.json");
        std::fs::write(&bad, br#"{"documents": [{"requirement_id": 7}]}"#).unwrap();
        let e = read_instructions(&bad).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.to_string().contains("documents[0].requirement_id"), "{e}");
        let e = read_instructions(&dir.path().join("missing.json")).unwrap_err();
        assert_eq!(e.exit_code(), 2);
    }
}

//! `idv devices get | delete`: the device events tracked for a session (§5.5).

use clap::Subcommand;
use idv_cli::terminal_safe::terminal_safe;
use idv_client::SessionId;
use idv_model::TrackedDeviceEvent;

use crate::api::{self, Subject};
use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};
use crate::output;
use crate::term::{out, outln};

/// `idv devices --help` examples.
pub const GROUP_EXAMPLES: &str = "\
Examples:
  idv devices get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv devices get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --json
  idv devices delete 1c3cae90-1769-43a9-8554-d85f2e7cdb0f";

const GET_EXAMPLES: &str = "\
Examples:
  idv devices get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f
  idv devices get 1c3cae90-1769-43a9-8554-d85f2e7cdb0f --json | jq '.[].device.ip_address'

One line per event (SESSION_CREATED, RESOURCE_CREATED with its resource): when, then the
device as the API saw it (browser, operating system, maker and model, IP address, locale).";

const DELETE_EXAMPLES: &str = "\
Example:
  idv devices delete 1c3cae90-1769-43a9-8554-d85f2e7cdb0f";

/// `idv devices …`
#[derive(Debug, Subcommand)]
pub enum DevicesCommand {
    /// List the device events tracked for a session.
    #[command(after_help = GET_EXAMPLES)]
    Get {
        /// The session id.
        session_id: SessionId,
        /// Print the events as JSON (every field, unknown ones included).
        #[arg(long)]
        json: bool,
    },
    /// Delete the device events tracked for a session.
    #[command(after_help = DELETE_EXAMPLES)]
    Delete {
        /// The session id.
        session_id: SessionId,
    },
}

/// `idv devices …`
pub async fn run(global: &GlobalArgs, command: DevicesCommand) -> CliResult<()> {
    let (client, settings) = api::client(global)?;
    let base = settings.base_url.as_str();
    match command {
        DevicesCommand::Get { session_id, json } => {
            let events = client
                .get_tracked_devices(&session_id)
                .await
                .map_err(|e| api::map_error(e, Subject::Session(session_id.as_str()), base))?;
            if json {
                let mut text = serde_json::to_vec_pretty(&events).map_err(|e| {
                    CliError::Failure(format!("cannot write the events as JSON: {e}"))
                })?;
                text.push(b'\n');
                output::print_document(&text);
            } else {
                out(&render_events(&events));
            }
            Ok(())
        }
        DevicesCommand::Delete { session_id } => {
            let deleted = client
                .delete_tracked_devices(&session_id)
                .await
                .map_err(|e| api::map_error(e, Subject::Session(session_id.as_str()), base))?;
            outln(&format!(
                "deleted the tracked devices of session {session_id}{}",
                crate::session::deleted_suffix(deleted)
            ));
            Ok(())
        }
    }
}

/// The events, one line each, terminal-safe: `created  EVENT  [resource]  device`.
pub fn render_events(events: &[TrackedDeviceEvent]) -> String {
    if events.is_empty() {
        return "no tracked device events\n".to_owned();
    }
    let mut text = String::new();
    for event in events {
        let mut line = format!(
            "{}  {}",
            terminal_safe(event.created.as_ref().map_or("(no time)", |t| t.as_str())),
            terminal_safe(event.event.as_ref().map_or("(no event)", |e| e.as_str())),
        );
        if let Some(resource) = &event.resource_id {
            line.push_str(&format!("  resource {}", terminal_safe(resource)));
        }
        let device = describe_device(event);
        if !device.is_empty() {
            line.push_str("  ");
            line.push_str(&device);
        }
        text.push_str(&line);
        text.push('\n');
    }
    text.push_str(&format!(
        "{} event{}\n",
        events.len(),
        if events.len() == 1 { "" } else { "s" }
    ));
    text
}

/// `Chrome 120 on Android 14, Samsung SM-S911B, 203.0.113.7 (GBR), en-GB` (what is known).
fn describe_device(event: &TrackedDeviceEvent) -> String {
    let Some(d) = &event.device else {
        return String::new();
    };
    let join = |parts: [&Option<String>; 2]| {
        parts
            .iter()
            .filter_map(|p| p.as_deref())
            .filter(|p| !p.is_empty())
            .map(|p| terminal_safe(p).to_string())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut parts = Vec::new();
    let browser = join([&d.browser_name, &d.browser_version]);
    let os = join([&d.os_name, &d.os_version]);
    match (browser.is_empty(), os.is_empty()) {
        (false, false) => parts.push(format!("{browser} on {os}")),
        (false, true) => parts.push(browser),
        (true, false) => parts.push(os),
        (true, true) => {}
    }
    let hardware = join([&d.manufacture_name, &d.model_name]);
    if !hardware.is_empty() {
        parts.push(hardware);
    }
    if let Some(ip) = d.ip_address.as_deref() {
        let mut ip = terminal_safe(ip).to_string();
        if let Some(country) = d.ip_iso_country_code.as_deref() {
            ip.push_str(&format!(" ({})", terminal_safe(country)));
        }
        parts.push(ip);
    }
    for extra in [&d.locale, &d.client_version].into_iter().flatten() {
        parts.push(terminal_safe(extra).to_string());
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_render_one_line_each_terminal_safe() {
        let events: Vec<TrackedDeviceEvent> = idv_model::from_slice(
            br#"[
              {"event": "SESSION_CREATED", "created": "2024-05-01T10:00:00Z",
               "device": {"ip_address": "127.0.0.1", "browser_name": "idv-rs",
                          "browser_version": "0.1.0"}},
              {"event": "RESOURCE_CREATED", "resource_id": "r-1\u001b[2J",
               "created": "2024-05-01T10:01:00Z",
               "device": {"ip_address": "203.0.113.7", "ip_iso_country_code": "GBR",
                          "manufacture_name": "Samsung", "model_name": "SM-S911B",
                          "os_name": "Android", "os_version": "14",
                          "browser_name": "Chrome", "browser_version": "120",
                          "locale": "en-GB"}},
              {"event": "SOMETHING_NEW"}
            ]"#,
        )
        .unwrap();
        let text = render_events(&events);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "2024-05-01T10:00:00Z  SESSION_CREATED  idv-rs 0.1.0, 127.0.0.1",
                r"2024-05-01T10:01:00Z  RESOURCE_CREATED  resource r-1\u{1b}[2J  Chrome 120 on Android 14, Samsung SM-S911B, 203.0.113.7 (GBR), en-GB",
                "(no time)  SOMETHING_NEW",
                "3 events",
            ]
        );
        assert_eq!(render_events(&[]), "no tracked device events\n");
    }
}

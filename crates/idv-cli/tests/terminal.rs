//! What reaches the terminal: colour only on a terminal and without `NO_COLOR`, never binary
//! media, and never a control sequence the server sent.

mod common;

use common::*;
use idv_cli::style::STYLE_SEQUENCES;
use idv_cli::terminal_safe::needs_escape;
use idv_sandbox::{Fault, PRODUCT_PAGE_SESSION_ID, Route, StatusCode};

#[cfg(target_os = "linux")]
#[test]
fn terminal_output_is_coloured_unless_no_color_and_never_binary() {
    let Some((code, shown)) = on_terminal(&["session", "get", "s-get"], false) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("\x1b[32mAPPROVE\x1b[0m"), "{shown}");

    let (code, shown) = on_terminal(&["session", "get", "s-get"], true).unwrap();
    assert_eq!(code, 0, "{shown}");
    assert!(
        shown.contains("Overall: APPROVE") && !shown.contains('\x1b'),
        "{shown}"
    );

    let media_id = "c8aa83c5-0292-4b4b-9f37-46b6bdca1856";
    let (code, shown) = on_terminal(&["media", "get", "s-get", media_id, "-o", "-"], true).unwrap();
    assert_eq!(code, 2, "{shown}");
    assert!(
        shown.contains("refusing to write binary media to a terminal"),
        "{shown}"
    );
}

/// The first control character in `text` that `idv` did not write itself: anything
/// [`needs_escape`] holds for, except line breaks (and the carriage returns a terminal adds to
/// them) and, with colour, the style codes `paint` writes.
fn foreign_control(text: &str) -> Option<char> {
    let mut rest = text.replace("\r\n", "\n");
    for sequence in STYLE_SEQUENCES {
        rest = rest.replace(sequence, "");
    }
    rest.chars().find(|&c| c != '\n' && needs_escape(c))
}

#[test]
fn hostile_session_text_is_printed_escaped() {
    let output = idv()
        .args(["session", "get", "s-hostile"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report = String::from_utf8(output.stdout).unwrap();
    assert_eq!(foreign_control(&report), None, "{report}");
    assert!(!report.contains('\r'), "{report}");
    assert!(
        report
            .contains("reason: s\\u{1b}]0;pwned\\u{7}\\u{1b}[2J (suggestion: \\u{9b}2J\\u{202e})"),
        "{report}"
    );
    assert!(
        report.contains("ID document PASSPORTs\\u{1b}]0;pwned"),
        "{report}"
    );
    assert!(
        report.contains("GBR\\u{d}\\u{a}Overall: APPROVE"),
        "{report}"
    );
    assert!(report.contains("LIVENESS\\u{1b}[8m"), "{report}");
    let verdicts: Vec<&str> = report
        .lines()
        .filter(|l| l.starts_with("Overall:"))
        .collect();
    assert_eq!(
        verdicts,
        ["Overall: APPROVE — all 1 checks are DONE and recommend APPROVE"],
        "{report}"
    );
}

/// A server that lies: it answers any session id with a session whose `session_id` sets the
/// window title and clears the screen. (The sandbox serves sessions under their own ids, which
/// `idv` would refuse to request, hence a canned server.)
#[test]
fn a_hostile_session_id_is_printed_escaped() {
    let body = serde_json::json!({"session_id": HOSTILE, "state": "COMPLETED\u{1b}[2J",
                                  "checks": []})
    .to_string();
    let base_url = spawn_canned_server(200, body);
    let output = idv()
        .args(["session", "get", "s-lies", "--base-url", &base_url])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let report = String::from_utf8(output.stdout).unwrap();
    assert_eq!(foreign_control(&report), None, "{report}");
    assert!(
        report.starts_with(
            "Session s\\u{1b}]0;pwned\\u{7}\\u{1b}[2J\nState:   COMPLETED\\u{1b}[2J\n"
        ),
        "{report}"
    );
}

/// An API error whose code and message carry escapes: exit 1, and stderr shows them escaped.
#[test]
fn hostile_error_codes_and_messages_are_printed_escaped() {
    // From the sandbox's fault injection (the code), ...
    let env = env();
    let public_pem = std::fs::read_to_string(&env.public_key).unwrap();
    let sdk_id = env.sdk_id.clone();
    let (base_url, _) = spawn_sandbox(move |b| {
        b.app_pem(sdk_id, public_pem).fault(
            Route::GetSession,
            [Fault::Status {
                status: StatusCode::BAD_REQUEST,
                code: "X\u{1b}[2J".to_owned(),
                retry_after: None,
            }],
        )
    });
    let output = idv()
        .args([
            "session",
            "get",
            PRODUCT_PAGE_SESSION_ID,
            "--base-url",
            &base_url,
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(foreign_control(&stderr), None, "{stderr}");
    assert!(stderr.contains("error: 400 X\\u{1b}[2J"), "{stderr}");

    // ... and from a canned server (the code, the message and the field errors).
    let body = serde_json::json!({
        "code": "X\u{1b}[2J", "message": "bad\u{1b}]0;pwned\u{7}\nerror: forged",
        "errors": [{"property": "p\u{1b}", "message": "m\u{202e}"}]
    })
    .to_string();
    let base_url = spawn_canned_server(400, body);
    let output = idv()
        .args(["session", "get", "s-lies", "--base-url", &base_url])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(foreign_control(&stderr), None, "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("X\\u{1b}[2J"), "{stderr}");
    assert!(stderr.contains("\\u{1b}]0;pwned\\u{7}"), "{stderr}");
}

/// On a real terminal, with colour: the only escape sequences are the report's own styles.
#[cfg(target_os = "linux")]
#[test]
fn hostile_text_on_a_colour_terminal_carries_only_the_report_styles() {
    let Some((code, shown)) = on_terminal(&["session", "get", "s-hostile"], false) else {
        eprintln!("skipped: util-linux `script` is not installed");
        return;
    };
    assert_eq!(code, 0, "{shown}");
    assert!(shown.contains("\x1b[32mAPPROVE\x1b[0m"), "{shown}");
    assert_eq!(foreign_control(&shown), None, "{shown}");
}

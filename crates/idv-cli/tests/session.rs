//! `idv session get | wait | delete` against the sandbox: the report, the exact JSON, waiting
//! through the stages, and a session that is not found.

mod common;

use common::*;
use idv_sandbox::PRODUCT_PAGE_SESSION_ID;
use predicates::prelude::*;

#[test]
fn session_get_prints_the_report() {
    let report = stdout_of(idv().args(["session", "get", "s-get"]));
    assert!(
        report.starts_with("Session s-get\nState:   COMPLETED\n"),
        "{report}"
    );
    assert!(
        report.contains("ID document PASSPORT GBR  source IBV  1 page"),
        "{report}"
    );
    assert!(
        report.contains("page-1/frame-3  c8aa83c5-0292-4b4b-9f37-46b6bdca1856  IMAGE"),
        "{report}"
    );
    assert!(
        report.contains("DOCUMENT_SCHEME_VALIDITY_CHECK  DONE  APPROVE  scheme UK_DBS"),
        "{report}"
    );
    assert!(
        report.contains("Overall: APPROVE — all 9 checks are DONE and recommend APPROVE"),
        "{report}"
    );
    assert!(!report.contains('\x1b'), "no colour when piped");
}

#[test]
fn session_get_json_is_the_exact_bytes() {
    let output = idv()
        .args(["session", "get", "s-get", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        get_session_bytes()
    );
}

#[test]
fn session_wait_follows_the_stages_to_completion() {
    let output = stdout_of(idv().args([
        "session",
        "wait",
        PRODUCT_PAGE_SESSION_ID,
        "--timeout",
        "60s",
        "--interval",
        "100ms",
    ]));
    assert!(output.contains("State:   COMPLETED"), "{output}");
    assert!(output.contains("Checks (9)"), "{output}");
}

#[test]
fn session_wait_times_out_with_the_last_state() {
    idv()
        .args([
            "session",
            "wait",
            "s-never",
            // Room for the first answer on a loaded machine (it gives the last state).
            "--timeout",
            "5s",
            "--interval",
            "200ms",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "did not complete within 5s (last state ONGOING)",
        ));
}

#[test]
fn unknown_session_exits_3() {
    idv()
        .args(["session", "get", "no-such-session"])
        .assert()
        .code(3)
        .stderr(
            predicate::str::contains("session no-such-session not found")
                .and(predicate::str::contains("404")),
        );
}

#[test]
fn session_delete_then_get_is_not_found() {
    idv()
        .args(["session", "delete", "s-delete"])
        .assert()
        .success()
        .stdout(predicate::str::contains("deleted session s-delete"));
    idv().args(["session", "get", "s-delete"]).assert().code(3);
}

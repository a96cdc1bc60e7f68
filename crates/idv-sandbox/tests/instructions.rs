//! In-branch instructions through signed requests: put, get (the other shape), the PDF, the
//! contact profile and the recorded email request.

mod common;

use common::*;
use idv_sandbox::{Route, Sandbox, SandboxHandle};
use serde_json::{Value, json};

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().test_app().start().await.expect("start")
}

fn ibv_spec() -> Value {
    json!({
        "requested_checks": [{"type": "IBV_VISUAL_REVIEW_CHECK", "config": {"manual_check": "IBV"}}],
        "ibv_options": {"support": "MANDATORY"}
    })
}

fn instructions(contact: bool) -> Value {
    let mut body = json!({
        "documents": [
            {"requirement_id": "req-1",
             "document": {"type": "ID_DOCUMENT", "country_code": "GBR", "document_type": "PASSPORT"}},
            {"requirement_id": "req-2",
             "document": {"type": "A_FUTURE_KIND", "country_code": "GBR",
                          "document_type": "UTILITY_BILL"}}
        ],
        "branch": {
            "type": "UK_POST_OFFICE", "fad_code": "1234567", "name": "Ludgate Circus",
            "address": "1 Ludgate Circus, London", "post_code": "EC4M 7LQ",
            "location": {"latitude": 51.5138, "longitude": -0.1043}
        }
    });
    if contact {
        body["contact_profile"] =
            json!({"first_name": "Zoë", "last_name": "Specimen", "email": "zoe@example.com"});
    }
    body
}

async fn put(sandbox: &SandboxHandle, session_id: &str, body: &[u8]) -> Reply {
    let path = format!("/sessions/{session_id}/instructions");
    call_with_body(sandbox, "PUT", &path, body).await
}

/// The text of a PDF literal string as `render_document` writes it.
fn pdf_has(pdf: &str, text: &str) -> bool {
    pdf.contains(&format!("({text}) Tj"))
}

#[tokio::test]
async fn instructions_are_kept_shown_rendered_and_emailed() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &ibv_spec()).await;
    let id = &session.session_id;
    let body = serde_json::to_vec(&instructions(true)).expect("json");
    let reply = put(&sandbox, id, &body).await;
    assert_eq!(
        reply.status,
        204,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );

    // The GET shape: contact_profile_exists instead of the profile; documents and branch as
    // put, unknown document type included.
    let reply = call(&sandbox, "GET", &format!("/sessions/{id}/instructions")).await;
    assert_eq!(reply.status, 200);
    let got = reply.json();
    let mut expected = instructions(false);
    expected["contact_profile_exists"] = json!(true);
    assert_eq!(got, expected);
    let typed: idv_model::IbvInstructions = idv_model::from_slice(&reply.body).expect("model");
    assert_eq!(typed.contact_profile_exists, Some(true));
    assert_eq!(
        typed.branch.as_ref().and_then(|b| b.branch_type.as_deref()),
        Some("UK_POST_OFFICE")
    );

    let reply = call(
        &sandbox,
        "GET",
        &format!("/sessions/{id}/instructions/contact-profile"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.json(),
        json!({"first_name": "Zoë", "last_name": "Specimen", "email": "zoe@example.com"})
    );

    // A real PDF with the branch, the documents and the contact.
    let reply = call(&sandbox, "GET", &format!("/sessions/{id}/instructions/pdf")).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/pdf"));
    let pdf = String::from_utf8(reply.body.to_vec()).expect("ASCII");
    assert!(pdf.starts_with("%PDF-1.4\n") && pdf.trim_end().ends_with("%%EOF"));
    for text in [
        "In-branch identity verification",
        "Name: Ludgate Circus",
        "Type: UK_POST_OFFICE",
        "Address: 1 Ludgate Circus, London",
        "Post code: EC4M 7LQ",
        "Branch code \\(FAD\\): 1234567",
        "Location: 51.5138, -0.1043",
        "1. PASSPORT issued by GBR \\(ID_DOCUMENT\\)",
        "2. UTILITY_BILL issued by GBR \\(A_FUTURE_KIND\\)",
        "Name: Zo\\353 Specimen",
        "Email: zoe@example.com",
    ] {
        assert!(pdf_has(&pdf, text), "{text} in\n{pdf}");
    }
    // The cross-reference table points at the objects.
    let startxref: usize = pdf
        .rsplit("startxref\n")
        .next()
        .and_then(|t| t.lines().next())
        .and_then(|n| n.parse().ok())
        .expect("startxref");
    assert!(pdf[startxref..].starts_with("xref\n0 "));
    for entry in pdf[startxref..]
        .lines()
        .skip(3)
        .take_while(|l| l.ends_with(" n "))
    {
        let offset: usize = entry[..10].parse().expect("offset");
        assert!(pdf[offset..].split_once(" 0 obj\n").is_some(), "{entry}");
    }

    // The email request: answered, logged, recorded.
    let reply = call(
        &sandbox,
        "POST",
        &format!("/sessions/{id}/instructions/email"),
    )
    .await;
    assert_eq!(reply.status, 204);
    assert!(
        sandbox
            .request_log()
            .iter()
            .any(|e| e.route == Some(Route::TriggerInstructionsEmail)
                && e.status == Some(204)
                && e.signature_verified)
    );
    let emails = sandbox.instruction_emails(id);
    assert_eq!(emails.len(), 1);
    assert_eq!(emails[0].email.as_deref(), Some("zoe@example.com"));
    assert!(idv_model::Timestamp::new(&emails[0].requested_at).is_valid());

    // Putting again replaces them: now without a contact profile.
    let body = serde_json::to_vec(&instructions(false)).expect("json");
    assert_eq!(put(&sandbox, id, &body).await.status, 204);
    let reply = call(&sandbox, "GET", &format!("/sessions/{id}/instructions")).await;
    assert_eq!(reply.json()["contact_profile_exists"], false);
    let reply = call(
        &sandbox,
        "GET",
        &format!("/sessions/{id}/instructions/contact-profile"),
    )
    .await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (404, "CONTACT_PROFILE_NOT_FOUND")
    );
    let reply = call(
        &sandbox,
        "POST",
        &format!("/sessions/{id}/instructions/email"),
    )
    .await;
    assert_eq!(reply.code(), "CONTACT_PROFILE_NOT_FOUND");
    assert_eq!(sandbox.instruction_emails(id).len(), 1, "not recorded");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn without_instructions() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &ibv_spec()).await;
    let id = &session.session_id;
    let reply = call(&sandbox, "GET", &format!("/sessions/{id}/instructions")).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (404, "INSTRUCTIONS_NOT_FOUND")
    );
    let reply = call(&sandbox, "GET", &format!("/sessions/{id}/instructions/pdf")).await;
    assert_eq!(reply.status, 204);
    assert!(reply.body.is_empty());
    let reply = call(
        &sandbox,
        "GET",
        &format!("/sessions/{id}/instructions/contact-profile"),
    )
    .await;
    assert_eq!(reply.code(), "CONTACT_PROFILE_NOT_FOUND");
    let reply = call(
        &sandbox,
        "POST",
        &format!("/sessions/{id}/instructions/email"),
    )
    .await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (404, "INSTRUCTIONS_NOT_FOUND")
    );
    assert!(sandbox.instruction_emails(id).is_empty());
    let reply = call(&sandbox, "GET", "/sessions/no-such-session/instructions").await;
    assert_eq!(reply.code(), "SESSION_NOT_FOUND");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_instructions_are_refused_with_their_paths() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &ibv_spec()).await;
    let id = &session.session_id;
    let cases: [(&[u8], &[&str]); 4] = [
        (b"{", &["body"]),
        (br#"{"documents": []}"#, &["branch"]),
        (
            br#"{"branch": {"type": "UK_POST_OFFICE"}, "documents": [{"document": {}}]}"#,
            &["documents[0].requirement_id", "documents[0].document.type"],
        ),
        (
            br#"{"branch": {"location": {"latitude": "north"}}, "documents": []}"#,
            &["branch.location.latitude"],
        ),
    ];
    for (body, paths) in cases {
        let reply = put(&sandbox, id, body).await;
        assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(body));
        let found: Vec<String> = reply.json()["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| e["property"].as_str().expect("property").to_owned())
            .collect();
        assert_eq!(found, paths, "{}", String::from_utf8_lossy(body));
    }
    let reply = call(&sandbox, "GET", &format!("/sessions/{id}/instructions")).await;
    assert_eq!(reply.code(), "INSTRUCTIONS_NOT_FOUND", "nothing was kept");

    // Unsigned, and a staged session.
    let target = format!("{}/sessions/{id}/instructions", base_path(&sandbox));
    let reply = send_raw(&sandbox, "PUT", &target, &[], b"{}")
        .await
        .expect("response");
    assert_eq!(reply.code(), "MISSING_AUTH");
    sandbox.shutdown().await;

    let staged = Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start");
    let body = serde_json::to_vec(&instructions(true)).expect("json");
    let reply = put(&staged, idv_sandbox::PRODUCT_PAGE_SESSION_ID, &body).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (409, "STAGED_SESSION")
    );
    // Read, a staged session has none.
    let id = idv_sandbox::PRODUCT_PAGE_SESSION_ID;
    let reply = call(&staged, "GET", &format!("/sessions/{id}/instructions")).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (404, "INSTRUCTIONS_NOT_FOUND")
    );
    let reply = call(&staged, "GET", &format!("/sessions/{id}/instructions/pdf")).await;
    assert_eq!(reply.status, 204);
    let reply = call(
        &staged,
        "POST",
        &format!("/sessions/{id}/instructions/email"),
    )
    .await;
    assert_eq!(reply.code(), "STAGED_SESSION");
    staged.shutdown().await;
}

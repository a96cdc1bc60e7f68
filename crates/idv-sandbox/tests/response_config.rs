//! Scripted outcomes: `PUT /sessions/{id}/response-config` and `PUT /apps/{sdkId}/response-config`
//! through signed requests, then a session completed as the user and read back.

mod common;

use std::sync::Arc;

use base64::Engine as _;
use common::*;
use idv_model::{CheckState, RecommendationValue, SessionState};
use idv_sandbox::{IdDocumentUpload, LivenessUpload, Route, Sandbox, SandboxHandle};
use serde_json::{Value, json};

/// Authenticity and face match per ID document, ZOOM liveness, and text extraction.
fn spec() -> Value {
    json!({
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "FALLBACK"}},
            {"type": "LIVENESS", "config": {"liveness_type": "ZOOM"}}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ]
    })
}

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().test_app().start().await.expect("start")
}

async fn put_session_config(sandbox: &SandboxHandle, session_id: &str, config: &Value) -> Reply {
    let body = serde_json::to_vec(config).expect("json");
    let path = format!("/sessions/{session_id}/response-config");
    call_with_body(sandbox, "PUT", &path, &body).await
}

/// `PUT /apps/{app}/response-config` without `sdkId` in the query, as Yoti's Node and Go
/// sandbox clients send it, signed by `private_key_pem`.
async fn put_app_config_path_only(
    sandbox: &SandboxHandle,
    app: &str,
    private_key_pem: &str,
    body: &[u8],
) -> Reply {
    let target = format!(
        "/apps/{app}/response-config?nonce={}&timestamp=1700000000000",
        uuid::Uuid::new_v4()
    );
    let digest = digest_for(private_key_pem, "PUT", &target, body).await;
    send_raw(
        sandbox,
        "PUT",
        &format!("{}{target}", base_path(sandbox)),
        &[
            ("X-Yoti-Auth-Digest", &digest),
            ("Content-Type", "application/json"),
        ],
        body,
    )
    .await
    .expect("response")
}

/// Creates a session, adds a GBR passport and a ZOOM capture, and finishes it as the user.
async fn run(sandbox: &SandboxHandle, config: Option<&Value>) -> (idv_model::Session, Value) {
    let session = created(sandbox, &spec()).await;
    if let Some(config) = config {
        let reply = put_session_config(sandbox, &session.session_id, config).await;
        assert_eq!(
            reply.status,
            204,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
    }
    complete(sandbox, &session).await
}

async fn complete(sandbox: &SandboxHandle, session: &Created) -> (idv_model::Session, Value) {
    let user = session.user(sandbox);
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("passport");
    user.add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");
    user.finish().await.expect("finish");
    model_session(sandbox, &session.session_id).await
}

/// The raw check of this type (the first).
fn check<'a>(raw: &'a Value, check_type: &str) -> &'a Value {
    raw["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["type"] == check_type)
        .unwrap_or_else(|| panic!("no {check_type} check in {raw}"))
}

fn recommendation(raw: &Value, check_type: &str) -> Value {
    check(raw, check_type)["report"]["recommendation"].clone()
}

#[tokio::test]
async fn approve_reject_and_manual_review_are_scripted_per_session() {
    let sandbox = sandbox().await;

    // APPROVE everything, with a configured breakdown on the liveness check.
    let approve = json!({"check_reports": {
        "ID_DOCUMENT_AUTHENTICITY": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}}}],
        "LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"},
            "breakdown": [{"sub_check": "liveness_auth", "result": "PASS", "details": []}]}},
            "liveness_type": "ZOOM"}]
    }});
    let (model, raw) = run(&sandbox, Some(&approve)).await;
    assert_eq!(model.state, Some(SessionState::Completed));
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY"),
        json!({"value": "APPROVE"})
    );
    assert_eq!(
        check(&raw, "LIVENESS")["report"]["breakdown"],
        json!([{"sub_check": "liveness_auth", "result": "PASS", "details": []}])
    );

    // REJECT with reasons: the configured reason, recovery suggestion and breakdown, exactly.
    let reject = json!({"check_reports": {
        "ID_DOCUMENT_AUTHENTICITY": [{"result": {"report": {
            "recommendation": {"value": "REJECT", "reason": "COUNTERFEIT"},
            "breakdown": [
                {"sub_check": "security_features", "result": "FAIL",
                 "details": [{"name": "hologram", "value": "missing"}]},
                {"sub_check": "document_in_date", "result": "PASS"}
            ]}}}],
        "LIVENESS": [{"result": {"report": {"recommendation": {"value": "REJECT",
            "reason": "LIVENESS_FAILED", "recovery_suggestion": "TRY_AGAIN_OUTSIDE"}}}}]
    }});
    let (model, raw) = run(&sandbox, Some(&reject)).await;
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY"),
        json!({"value": "REJECT", "reason": "COUNTERFEIT"})
    );
    assert_eq!(
        check(&raw, "ID_DOCUMENT_AUTHENTICITY")["report"]["breakdown"],
        json!([
            {"sub_check": "security_features", "result": "FAIL",
             "details": [{"name": "hologram", "value": "missing"}]},
            {"sub_check": "document_in_date", "result": "PASS", "details": []}
        ])
    );
    assert_eq!(
        recommendation(&raw, "LIVENESS"),
        json!({"value": "REJECT", "reason": "LIVENESS_FAILED",
               "recovery_suggestion": "TRY_AGAIN_OUTSIDE"})
    );
    // Without a configured breakdown, the default one is shaped by the configured value.
    let liveness = &check(&raw, "LIVENESS")["report"]["breakdown"];
    assert_eq!(liveness[0]["sub_check"], "liveness_auth");
    assert_eq!(liveness[0]["result"], "FAIL");
    // Checks the config does not mention keep the default.
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_FACE_MATCH"),
        json!({"value": "APPROVE"})
    );
    let summary = model.recommendation_summary();
    assert_eq!((summary.reject, summary.approve), (2, 2), "{summary:?}");
    assert!(summary.all_done);

    // A manual review: the automated face match is unsure, a person decides; the liveness
    // result is not available (too dark).
    let manual = json!({"check_reports": {
        "ID_DOCUMENT_FACE_MATCH": [{"result": {"report": {
            "recommendation": {"value": "APPROVE"},
            "breakdown": [
                {"sub_check": "ai_face_match", "result": "FAIL",
                 "details": [{"name": "confidence_score", "value": "0.53"}]},
                {"sub_check": "manual_face_match", "result": "PASS"}
            ]}}}],
        "LIVENESS": [{"result": {"report": {"recommendation": {"value": "NOT_AVAILABLE",
            "reason": "PICTURE_TOO_DARK", "recovery_suggestion": "BETTER_LIGHTING"}}}}]
    }});
    let (model, raw) = run(&sandbox, Some(&manual)).await;
    let face_match = &check(&raw, "ID_DOCUMENT_FACE_MATCH")["report"];
    assert_eq!(face_match["recommendation"], json!({"value": "APPROVE"}));
    assert_eq!(face_match["breakdown"][1]["sub_check"], "manual_face_match");
    assert_eq!(face_match["breakdown"][0]["details"][0]["value"], "0.53");
    assert_eq!(
        recommendation(&raw, "LIVENESS"),
        json!({"value": "NOT_AVAILABLE", "reason": "PICTURE_TOO_DARK",
               "recovery_suggestion": "BETTER_LIGHTING"})
    );
    let liveness = model
        .checks
        .iter()
        .find(|c| c.check_type == Some(idv_model::CheckType::Liveness))
        .and_then(|c| c.report.as_ref())
        .and_then(|r| r.recommendation.as_ref())
        .and_then(|r| r.value.clone());
    assert_eq!(liveness, Some(RecommendationValue::NotAvailable));

    // The log names the route.
    assert!(
        sandbox
            .request_log()
            .iter()
            .any(|e| e.route == Some(Route::PutSessionResponseConfig) && e.status == Some(204))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_app_default_applies_unless_the_session_has_its_own() {
    let sandbox = sandbox().await;
    let keys = keys();
    let app_reject = json!({"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [
        {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "APP_DEFAULT"}}}}
    ]}});
    // As Node and Go send it: the app in the path only.
    let body = serde_json::to_vec(&app_reject).expect("json");
    let reply =
        put_app_config_path_only(&sandbox, &keys.sdk_id, &keys.private_key_pem, &body).await;
    assert_eq!(
        reply.status,
        204,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );

    // A session created before or after the app config, without its own: the app's.
    let before = created(&sandbox, &spec()).await;
    let (_, raw) = run(&sandbox, None).await;
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY"),
        json!({"value": "REJECT", "reason": "APP_DEFAULT"})
    );
    let (_, raw) = complete(&sandbox, &before).await;
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY")["reason"],
        "APP_DEFAULT"
    );

    // A session config replaces the app's entirely: its authenticity is approved, and the
    // liveness it configures follows it.
    let session_approve = json!({"check_reports": {
        "ID_DOCUMENT_AUTHENTICITY": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}}}],
        "LIVENESS": [{"result": {"report": {"recommendation": {"value": "REJECT"}}}}]
    }});
    let (_, raw) = run(&sandbox, Some(&session_approve)).await;
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY"),
        json!({"value": "APPROVE"})
    );
    assert_eq!(recommendation(&raw, "LIVENESS")["value"], "REJECT");

    // As Java sends it (sdkId in the query too), replacing the app config.
    let app_consider = json!({"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [
        {"result": {"report": {"recommendation": {"value": "NOT_AVAILABLE"}}}}
    ]}});
    let body = serde_json::to_vec(&app_consider).expect("json");
    let path = format!("/apps/{}/response-config", keys.sdk_id);
    let reply = call_with_body(&sandbox, "PUT", &path, &body).await;
    assert_eq!(
        reply.status,
        204,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let (_, raw) = run(&sandbox, None).await;
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY")["value"],
        "NOT_AVAILABLE"
    );
    let app_entries: Vec<_> = sandbox
        .request_log()
        .into_iter()
        .filter(|e| e.route == Some(Route::PutAppResponseConfig))
        .collect();
    assert_eq!(app_entries.len(), 2);
    assert!(
        app_entries
            .iter()
            .all(|e| e.signature_verified && e.sdk_id.as_deref() == Some(keys.sdk_id.as_str()))
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn document_fields_and_the_id_photo_come_back_through_the_text_extraction_media() {
    let sandbox = sandbox().await;
    let photo = JPEG_BYTES;
    let config = json!({
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{
            "result": {
                "document_fields": {"full_name": "Jane Doe", "date_of_birth": "1988-02-29",
                                    "nationality": "GBR", "document_number": "123456789"},
                "document_id_photo": {"content_type": "image/jpeg",
                    "data": base64::engine::general_purpose::STANDARD.encode(photo)},
                "detected_country": "GBR",
                "detected_document_type": "PASSPORT",
                "recommendation": {"value": "SHOULD_TRY_AGAIN",
                                   "reason": {"value": "QUALITY", "detail": "GLARE"}}
            },
            "response_delay": 0
        }]},
        "check_reports": {"ID_DOCUMENT_TEXT_DATA_CHECK": [{
            "result": {"report": {"recommendation": {"value": "APPROVE"}},
                       "document_fields": {"given_names": "Jane"}}
        }]}
    });
    let (model, raw) = run(&sandbox, Some(&config)).await;
    let session_id = model.session_id.clone().expect("id");
    let passport = &raw["resources"]["id_documents"][0];

    let fields_id = passport["document_fields"]["media"]["id"]
        .as_str()
        .expect("document_fields media");
    let reply = call(
        &sandbox,
        "GET",
        &format!("/sessions/{session_id}/media/{fields_id}/content"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("application/json"));
    assert_eq!(
        reply.json(),
        json!({"full_name": "Jane Doe", "date_of_birth": "1988-02-29", "nationality": "GBR",
               "document_number": "123456789", "given_names": "Jane",
               "issuing_country": "GBR", "document_type": "PASSPORT"}),
        "exactly the configured fields"
    );

    let photo_id = passport["document_id_photo"]["media"]["id"]
        .as_str()
        .expect("document_id_photo media");
    let reply = call(
        &sandbox,
        "GET",
        &format!("/sessions/{session_id}/media/{photo_id}/content"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), Some("image/jpeg"));
    assert_eq!(&reply.body[..], photo, "byte for byte");

    let task = &passport["tasks"][0];
    assert_eq!(
        task["recommendation"],
        json!({"value": "SHOULD_TRY_AGAIN", "reason": {"value": "QUALITY", "detail": "GLARE"}})
    );
    // The generated profile of identity checks would read the same fields; the text-data
    // check reports as configured.
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_TEXT_DATA_CHECK"),
        json!({"value": "APPROVE"})
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn document_filters_pick_the_resource_each_result_applies_to() {
    let sandbox = sandbox().await;
    let spec = json!({
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "ID_DOCUMENT_COMPARISON", "config": {}}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ]
    });
    let config = json!({
        "check_reports": {
            "ID_DOCUMENT_AUTHENTICITY": [
                {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "FRENCH"}}},
                 "document_filter": {"document_types": [], "country_codes": ["FRA"]}},
                {"result": {"report": {"recommendation": {"value": "APPROVE", "reason": "ANY"}}}}
            ],
            "ID_DOCUMENT_COMPARISON": [
                {"result": {"report": {"recommendation": {"value": "REJECT", "reason": "WRONG_ORDER"}}},
                 "document_filter": {"country_codes": ["FRA"]},
                 "secondary_document_filter": {"country_codes": ["GBR"]}},
                {"result": {"report": {"recommendation": {"value": "APPROVE", "reason": "GBR_FIRST"}}},
                 "document_filter": {"country_codes": ["GBR"]},
                 "secondary_document_filter": {"country_codes": ["FRA"]}}
            ]
        },
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
            {"result": {"document_fields": {"full_name": "Marie Curie"}},
             "document_filter": {"country_codes": ["FRA"]}},
            {"result": {"document_fields": {"full_name": "Ada Lovelace"}},
             "document_filter": {"country_codes": ["GBR"]}}
        ]}
    });
    let session = created(&sandbox, &spec).await;
    let reply = put_session_config(&sandbox, &session.session_id, &config).await;
    assert_eq!(
        reply.status,
        204,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    let user = session.user(&sandbox);
    let british = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("GBR passport");
    let french = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "FRA"))
        .await
        .expect("FRA passport");
    user.finish().await.expect("finish");
    let (_, raw) = model_session(&sandbox, &session.session_id).await;

    let authenticity = |resource_id: &str| -> Value {
        raw["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| {
                c["type"] == "ID_DOCUMENT_AUTHENTICITY" && c["resources_used"][0] == resource_id
            })
            .expect("one per document")["report"]["recommendation"]
            .clone()
    };
    assert_eq!(
        authenticity(&french.resource_id),
        json!({"value": "REJECT", "reason": "FRENCH"})
    );
    assert_eq!(
        authenticity(&british.resource_id),
        json!({"value": "APPROVE", "reason": "ANY"})
    );
    // The comparison: the GBR document came first.
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_COMPARISON"),
        json!({"value": "APPROVE", "reason": "GBR_FIRST"})
    );

    // Each document's extracted fields follow its own filter.
    for (resource_id, name) in [
        (&british.resource_id, "Ada Lovelace"),
        (&french.resource_id, "Marie Curie"),
    ] {
        let document = raw["resources"]["id_documents"]
            .as_array()
            .expect("documents")
            .iter()
            .find(|d| d["id"] == resource_id.as_str())
            .expect("document");
        let media_id = document["document_fields"]["media"]["id"]
            .as_str()
            .expect("fields");
        let reply = call(
            &sandbox,
            "GET",
            &format!("/sessions/{}/media/{media_id}/content", session.session_id),
        )
        .await;
        assert_eq!(reply.json()["full_name"], name);
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn delayed_results_stay_pending_on_the_sandbox_clock() {
    const T0: u64 = 1_700_000_000_000;
    let clock = ManualClock::at(T0);
    let sandbox = Sandbox::builder()
        .test_app()
        .clock(Arc::clone(&clock) as Arc<dyn idv_sign::Clock>)
        .start()
        .await
        .expect("start");
    let config = json!({
        "check_reports": {
            "LIVENESS": [{"result": {"report": {"recommendation": {"value": "APPROVE"}}},
                          "response_delay": 10}],
            "async_report_delay": 30
        },
        "task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
            {"result": {"document_fields": {"full_name": "Jane Doe"}}, "response_delay": 5}
        ]}
    });
    let session = created(&sandbox, &spec()).await;
    let reply = put_session_config(&sandbox, &session.session_id, &config).await;
    assert_eq!(reply.status, 204);
    let user = session.user(&sandbox);
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("passport");
    user.add_liveness(&LivenessUpload::required_type())
        .await
        .expect("liveness");
    let finished = user.finish().await.expect("finish");
    assert_eq!(finished.state, SessionState::Ongoing, "results are pending");

    let states = |model: &idv_model::Session| -> Vec<(String, Option<CheckState>)> {
        model
            .checks
            .iter()
            .map(|c| {
                (
                    c.check_type
                        .as_ref()
                        .map(|t| t.as_str().to_owned())
                        .unwrap_or_default(),
                    c.state.clone(),
                )
            })
            .collect()
    };
    let pending = Some(CheckState::Pending);
    let done = Some(CheckState::Done);

    // Just after the user finished: everything pending, no report, no token.
    let (model, raw) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(model.state, Some(SessionState::Ongoing));
    assert!(!model.is_finished());
    assert!(
        raw.get("client_session_token").is_none(),
        "the user has finished"
    );
    assert!(states(&model).iter().all(|(_, s)| *s == pending), "{raw}");
    assert!(
        raw["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .all(|c| c.get("report").is_none())
    );
    let passport = &raw["resources"]["id_documents"][0];
    assert_eq!(passport["tasks"][0]["state"], "PENDING");
    assert!(
        passport.get("document_fields").is_none(),
        "not extracted yet"
    );
    // The user cannot add anything any more.
    let again = user.finish().await.expect_err("finished already");
    assert_eq!(again.code(), Some("SESSION_COMPLETED"));

    // The task is done after its own delay; the checks wait for async_report_delay.
    clock.set(T0 + 5_000);
    let (model, raw) = model_session(&sandbox, &session.session_id).await;
    let passport = &raw["resources"]["id_documents"][0];
    assert_eq!(passport["tasks"][0]["state"], "DONE");
    assert!(passport.get("document_fields").is_some());
    assert!(states(&model).iter().all(|(_, s)| *s == pending));

    // After 30 s every check is done except the liveness (30 + 10 s).
    clock.set(T0 + 30_000);
    let (model, _) = model_session(&sandbox, &session.session_id).await;
    for (check_type, state) in states(&model) {
        let expected = if check_type == "LIVENESS" {
            &pending
        } else {
            &done
        };
        assert_eq!(&state, expected, "{check_type}");
    }
    assert_eq!(model.state, Some(SessionState::Ongoing));

    clock.set(T0 + 40_000);
    let (model, raw) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(model.state, Some(SessionState::Completed));
    assert!(model.is_finished());
    assert!(states(&model).iter().all(|(_, s)| *s == done));
    let liveness = check(&raw, "LIVENESS");
    assert_eq!(liveness["created"], "2023-11-14T22:13:20Z");
    assert_eq!(liveness["last_updated"], "2023-11-14T22:14:00Z");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn bad_bodies_are_refused_with_their_paths() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &spec()).await;
    let path = format!("/sessions/{}/response-config", session.session_id);
    let app_path = format!("/apps/{}/response-config", keys().sdk_id);
    let cases: [(&[u8], &[&str]); 5] = [
        (b"not json", &["body"]),
        (
            br#"{"check_reports": {"async_report_delay": "soon"}}"#,
            &["check_reports.async_report_delay"],
        ),
        // A shape error: idv-model writes upper-case map keys as `<key>` in parse-error paths
        // (keys of free-form objects may be personal data); validation errors name them.
        (
            br#"{"check_reports": {"LIVENESS": {"result": {}}}}"#,
            &["check_reports.<key>"],
        ),
        (
            br#"{"check_reports": {"async_report_delay": -1,
                 "ID_DOCUMENT_AUTHENTICITY": [{"result": {}, "liveness_type": "ZOOM"}]}}"#,
            &[
                "check_reports.async_report_delay",
                "check_reports.ID_DOCUMENT_AUTHENTICITY[0].result.report",
                "check_reports.ID_DOCUMENT_AUTHENTICITY[0].liveness_type",
            ],
        ),
        (
            br#"{"task_results": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result":
                 {"document_id_photo": {"content_type": "image/jpeg", "data": "%%"}}}]}}"#,
            &["task_results.ID_DOCUMENT_TEXT_DATA_EXTRACTION[0].result.document_id_photo.data"],
        ),
    ];
    for (body, paths) in cases {
        for target in [&path, &app_path] {
            let reply = call_with_body(&sandbox, "PUT", target, body).await;
            assert_eq!(reply.status, 400, "{}", String::from_utf8_lossy(body));
            let json = reply.json();
            assert_eq!(json["code"], "PAYLOAD_VALIDATION");
            let mut found: Vec<&str> = json["errors"]
                .as_array()
                .expect("errors")
                .iter()
                .map(|e| e["property"].as_str().expect("property"))
                .collect();
            found.sort_unstable();
            let mut expected = paths.to_vec();
            expected.sort_unstable();
            assert_eq!(found, expected, "{}", String::from_utf8_lossy(body));
        }
    }
    let huge = vec![b' '; idv_sandbox::limits::MAX_RESPONSE_CONFIG_BODY + 1];
    let reply = call_with_body(&sandbox, "PUT", &path, &huge).await;
    assert_eq!(reply.status, 413);
    assert_eq!(reply.code(), "PAYLOAD_TOO_LARGE");

    // Nothing was set: the session runs with the defaults.
    let (_, raw) = complete(&sandbox, &session).await;
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY"),
        json!({"value": "APPROVE"})
    );
    // A finished session, a staged one and an unknown one cannot be configured.
    let valid = json!({"check_reports": {}});
    let reply = put_session_config(&sandbox, &session.session_id, &valid).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (409, "SESSION_COMPLETED")
    );
    let reply = put_session_config(&sandbox, "no-such-session", &valid).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (404, "SESSION_NOT_FOUND")
    );
    sandbox.shutdown().await;

    let staged = Sandbox::product_page_demo()
        .test_app()
        .start()
        .await
        .expect("start");
    let reply = put_session_config(&staged, idv_sandbox::PRODUCT_PAGE_SESSION_ID, &valid).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (409, "STAGED_SESSION")
    );
    staged.shutdown().await;
}

#[tokio::test]
async fn a_path_naming_another_app_is_refused() {
    let other = other_keys();
    let sandbox = Sandbox::builder()
        .test_app()
        .app_keys(other)
        .start()
        .await
        .expect("start");
    let reject = serde_json::to_vec(&json!({"check_reports": {"ID_DOCUMENT_AUTHENTICITY": [
        {"result": {"report": {"recommendation": {"value": "REJECT"}}}}
    ]}}))
    .expect("json");

    // Signed by the test app (sdkId in the query) for the other app's path.
    let path = format!("/apps/{}/response-config", other.sdk_id);
    let reply = call_with_body(&sandbox, "PUT", &path, &reject).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (403, "APP_MISMATCH")
    );

    // The app in the path only, signed with another app's key.
    let reply =
        put_app_config_path_only(&sandbox, &other.sdk_id, &keys().private_key_pem, &reject).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (401, "INVALID_SIGNATURE")
    );

    // An app that is not registered.
    let reply =
        put_app_config_path_only(&sandbox, "unknown-app", &keys().private_key_pem, &reject).await;
    assert_eq!(
        (reply.status.as_u16(), reply.code().as_str()),
        (404, "APP_NOT_FOUND")
    );

    // The other app itself may.
    let reply =
        put_app_config_path_only(&sandbox, &other.sdk_id, &other.private_key_pem, &reject).await;
    assert_eq!(reply.status, 204);

    // None of this touched the test app's sessions.
    let (_, raw) = run(&sandbox, None).await;
    assert_eq!(
        recommendation(&raw, "ID_DOCUMENT_AUTHENTICITY"),
        json!({"value": "APPROVE"})
    );
    sandbox.shutdown().await;
}

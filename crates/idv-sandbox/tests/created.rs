//! Sessions created with `POST /sessions` and completed through the user side: the first stage,
//! every check and task type, media, outcomes, and the 400 validation errors.

mod common;

use std::collections::{BTreeSet, HashSet};

use common::*;
use idv_model::{CheckType, RecommendationValue, SessionState};
use idv_sandbox::{
    FinishOptions, IdDocumentUpload, LivenessUpload, Sandbox, SandboxHandle,
    SupplementaryDocumentUpload, Upload,
};
use serde_json::json;

async fn sandbox() -> SandboxHandle {
    Sandbox::builder().test_app().start().await.expect("start")
}

/// Every check type and both task types, with two ID documents (for the comparison), a
/// proof of address and an applicant profile.
fn everything_spec() -> serde_json::Value {
    json!({
        "client_session_token_ttl": 900,
        "resources_ttl": 604_800,
        "user_tracking_id": "user-4711",
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {"manual_check": "FALLBACK",
                "issuing_authority_sub_check": {"requested": true}}},
            {"type": "ID_DOCUMENT_FACE_MATCH", "config": {"manual_check": "ALWAYS"}},
            {"type": "ID_DOCUMENT_COMPARISON", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "ZOOM", "max_retries": 1}},
            {"type": "FACE_COMPARISON", "config": {"manual_check": "NEVER"}},
            {"type": "THIRD_PARTY_IDENTITY", "config": {}},
            {"type": "WATCHLIST_SCREENING", "config": {"categories": ["ADVERSE-MEDIA", "SANCTIONS"]}},
            {"type": "WATCHLIST_ADVANCED_CA", "config": {
                "type": "WITH_CUSTOM_ACCOUNT", "api_key": "secret-api-key", "monitoring": true,
                "remove_deceased": false, "share_url": false, "client_ref": "ref-1",
                "tags": {"team": "a"},
                "sources": {"type": "TYPE_LIST", "types": ["pep"]},
                "matching_strategy": {"type": "FUZZY", "fuzziness": 0.6}}},
            {"type": "IBV_VISUAL_REVIEW_CHECK", "config": {"manual_check": "IBV"}},
            {"type": "DOCUMENT_SCHEME_VALIDITY_CHECK", "config": {"scheme": "UK_DBS"}},
            {"type": "PROFILE_DOCUMENT_MATCH", "config": {}}
        ],
        "requested_tasks": [
            {"type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
             "config": {"manual_check": "FALLBACK", "create_expanded_document_fields": true}},
            {"type": "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION", "config": {"manual_check": "NEVER"}}
        ],
        "required_documents": [
            {"type": "ID_DOCUMENT", "filter": {"type": "ORTHOGONAL_RESTRICTIONS",
                "type_restriction": {"inclusion": "WHITELIST", "document_types": ["PASSPORT"]}}},
            {"type": "ID_DOCUMENT", "filter": {"type": "DOCUMENT_RESTRICTIONS",
                "inclusion": "WHITELIST",
                "documents": [{"country_codes": ["GBR"], "document_types": ["DRIVING_LICENCE"]}]}},
            {"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"},
             "document_types": ["UTILITY_BILL"], "country_codes": ["GBR"]}
        ],
        "resources": {"applicant_profile": {"full_name": "Alex Specimen", "date_of_birth": "1990-07-21"}},
        "sdk_config": {"allowed_capture_methods": "CAMERA_AND_UPLOAD", "primary_colour": "#2d9fff"}
    })
}

#[tokio::test]
async fn a_new_session_looks_like_the_first_stage_of_the_product_page() {
    let sandbox = sandbox().await;
    let session = created(
        &sandbox,
        &json!({"client_session_token_ttl": 600, "user_tracking_id": "optional_string"}),
    )
    .await;
    assert_eq!(session.result["client_session_token_ttl"], 600);
    let deadline = session.result["session_deadline"]
        .as_str()
        .expect("deadline");
    assert!(idv_model::Timestamp::new(deadline).is_valid(), "{deadline}");
    uuid_v4(&session.session_id);
    uuid_v4(&session.token);
    let typed: idv_model::CreateSessionResult =
        idv_model::from_slice(&serde_json::to_vec(&session.result).unwrap()).expect("model");
    assert_no_unknown_fields(&typed);

    let (model, raw) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(model.state, Some(SessionState::Ongoing));
    assert_eq!(
        model
            .client_session_token
            .as_ref()
            .map(|t| t.expose_secret()),
        Some(session.token.as_str())
    );
    assert!(
        model
            .client_session_token_ttl
            .is_some_and(|t| (590..=600).contains(&t))
    );
    assert_eq!(model.user_tracking_id.as_deref(), Some("optional_string"));
    assert!(model.checks.is_empty());
    assert_eq!(
        raw["resources"],
        json!({"id_documents": [], "supplementary_documents": [], "liveness_capture": [],
               "face_capture": [], "applicant_profiles": []})
    );
    assert!(sandbox.session_ids().contains(&session.session_id));
    sandbox.shutdown().await;
}

fn uuid_v4(text: &str) {
    let parsed = uuid::Uuid::parse_str(text).expect("a UUID");
    assert_eq!(parsed.get_version_num(), 4, "{text}");
}

#[tokio::test]
async fn every_check_and_task_type_runs_on_the_resources_the_user_added() {
    let sandbox = sandbox().await;
    let session = created(&sandbox, &everything_spec()).await;
    let user = session.user(&sandbox);

    // The applicant profile is there from the start, as on the product page.
    let (first, _) = model_session(&sandbox, &session.session_id).await;
    let profile_id = first
        .resources
        .as_ref()
        .expect("resources")
        .applicant_profiles[0]
        .id
        .clone()
        .expect("profile id");

    let passport = user
        .add_id_document(&IdDocumentUpload::new("PASSPORT", "FRA").page(Upload::png(PNG_BYTES)))
        .await
        .expect("passport");
    assert_eq!(passport.media_ids.len(), 1, "one uploaded page, no frames");
    let licence = user
        .add_id_document(
            &IdDocumentUpload::new("DRIVING_LICENCE", "GBR")
                .document_field("full_name", "JANE DOE"),
        )
        .await
        .expect("licence");
    assert_eq!(
        licence.media_ids.len(),
        6,
        "two synthesised pages with two frames each"
    );
    let bill = user
        .add_supplementary_document(
            &SupplementaryDocumentUpload::new("UTILITY_BILL", "GBR").file(Upload::pdf(PDF_BYTES)),
        )
        .await
        .expect("bill");
    let liveness = user
        .add_liveness(&LivenessUpload::required_type().frame(Upload::jpeg(JPEG_BYTES)))
        .await
        .expect("liveness");
    assert_eq!(liveness.media_ids.len(), 2, "facemap and one frame");

    // Before finishing: still in progress, resources but no checks.
    let (ongoing, _) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(ongoing.state, Some(SessionState::Ongoing));
    assert!(ongoing.checks.is_empty());
    assert!(
        ongoing.biometric_consent.is_some(),
        "recorded with the liveness capture"
    );

    let finished = user.finish().await.expect("finish");
    assert_eq!(finished.state, SessionState::Completed);

    let (done, raw) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(done.state, Some(SessionState::Completed));
    assert!(done.client_session_token.is_none(), "the token disappears");
    assert!(raw.get("client_session_token").is_none());
    assert!(done.is_finished());
    let resources = done.resources.as_ref().expect("resources");
    assert_eq!(resources.id_documents.len(), 2);
    assert_eq!(resources.supplementary_documents.len(), 1);
    assert_eq!(resources.liveness_capture.len(), 1);
    let resource_ids: HashSet<String> = [
        passport.resource_id.clone(),
        licence.resource_id.clone(),
        bill.resource_id.clone(),
        liveness.resource_id.clone(),
        profile_id.clone(),
    ]
    .into();

    // Every check is done, reports, and uses resources of the session.
    for check in &done.checks {
        assert_eq!(check.state, Some(idv_model::CheckState::Done), "{check:?}");
        assert!(!check.resources_used.is_empty(), "{check:?}");
        assert!(
            check
                .resources_used
                .iter()
                .all(|id| resource_ids.contains(id)),
            "{check:?}"
        );
        let recommendation = check
            .report
            .as_ref()
            .and_then(|r| r.recommendation.as_ref())
            .and_then(|r| r.value.clone())
            .expect("a recommendation");
        let expected = if check.check_type == Some(CheckType::FaceComparison) {
            RecommendationValue::NotAvailable // no face capture: the business uploads it
        } else {
            RecommendationValue::Approve
        };
        assert_eq!(recommendation, expected, "{check:?}");
    }
    let types: BTreeSet<&str> = done
        .checks
        .iter()
        .filter_map(|c| c.check_type.as_ref().map(CheckType::as_str))
        .collect();
    let spec = everything_spec();
    let requested: BTreeSet<&str> = spec["requested_checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["type"].as_str().unwrap())
        .collect::<Vec<_>>()
        .into_iter()
        .chain([
            "ID_DOCUMENT_TEXT_DATA_CHECK",
            "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
        ])
        .collect();
    assert_eq!(types, requested);

    let count = |t: CheckType| {
        done.checks
            .iter()
            .filter(|c| c.check_type == Some(t.clone()))
            .count()
    };
    assert_eq!(
        count(CheckType::IdDocumentAuthenticity),
        2,
        "one per ID document"
    );
    assert_eq!(count(CheckType::IdDocumentTextDataCheck), 2);
    assert_eq!(count(CheckType::SupplementaryDocumentTextDataCheck), 1);
    assert_eq!(
        count(CheckType::IbvVisualReviewCheck),
        3,
        "one per document"
    );
    assert_eq!(count(CheckType::Liveness), 1);
    let comparison = done
        .checks
        .iter()
        .find(|c| c.check_type == Some(CheckType::IdDocumentComparison))
        .expect("comparison");
    assert_eq!(comparison.resources_used.len(), 2);
    let face_match = done
        .checks
        .iter()
        .find(|c| c.check_type == Some(CheckType::IdDocumentFaceMatch))
        .expect("face match");
    assert!(face_match.resources_used.contains(&liveness.resource_id));
    let sub_checks: Vec<&str> = face_match
        .report
        .as_ref()
        .unwrap()
        .breakdown
        .iter()
        .filter_map(|b| b.sub_check.as_deref())
        .collect();
    assert_eq!(
        sub_checks,
        ["ai_face_match", "manual_face_match"],
        "manual_check ALWAYS"
    );
    let matches_profile = done
        .checks
        .iter()
        .filter(|c| c.check_type == Some(CheckType::ProfileDocumentMatch))
        .all(|c| c.resources_used.contains(&profile_id));
    assert!(matches_profile);
    let scheme = done
        .checks
        .iter()
        .find(|c| c.check_type == Some(CheckType::DocumentSchemeValidityCheck))
        .and_then(|c| c.scheme.as_deref());
    assert_eq!(scheme, Some("UK_DBS"));
    let authenticity = done
        .checks
        .iter()
        .find(|c| {
            c.check_type == Some(CheckType::IdDocumentAuthenticity)
                && c.resources_used == [passport.resource_id.clone()]
        })
        .expect("the passport's authenticity check");
    let subs: Vec<&str> = authenticity
        .report
        .as_ref()
        .unwrap()
        .breakdown
        .iter()
        .filter_map(|b| b.sub_check.as_deref())
        .collect();
    assert!(
        subs.contains(&"mrz_validation") && subs.contains(&"issuing_authority_verification"),
        "{subs:?}"
    );

    // Watchlists: a generated profile, a summary echoing the search (never the api key).
    let advanced = done
        .checks
        .iter()
        .find(|c| c.check_type == Some(CheckType::WatchlistAdvancedCa))
        .expect("advanced CA");
    let summary = advanced
        .report
        .as_ref()
        .unwrap()
        .watchlist_summary
        .as_ref()
        .expect("summary");
    assert_eq!(summary.total_hits, Some(0));
    let search = summary.search_config.as_ref().expect("search config");
    assert_eq!(search.client_ref.as_deref(), Some("ref-1"));
    assert_eq!(search.monitoring, Some(true));
    assert!(search.api_key.is_none());
    assert!(
        !String::from_utf8_lossy(
            &call(
                &sandbox,
                "GET",
                &format!("/sessions/{}", session.session_id)
            )
            .await
            .body
        )
        .contains("secret-api-key")
    );
    let screening = done
        .checks
        .iter()
        .find(|c| c.check_type == Some(CheckType::WatchlistScreening))
        .expect("screening");
    let categories = &screening
        .report
        .as_ref()
        .unwrap()
        .watchlist_summary
        .as_ref()
        .unwrap()
        .search_config
        .as_ref()
        .unwrap()
        .categories;
    assert_eq!(categories, &["ADVERSE-MEDIA", "SANCTIONS"]);
    let profile_media = screening
        .generated_profile
        .as_ref()
        .and_then(|h| h.media.as_ref())
        .and_then(|m| m.id.clone())
        .expect("generated profile");
    let profile = call(
        &sandbox,
        "GET",
        &format!(
            "/sessions/{}/media/{profile_media}/content",
            session.session_id
        ),
    )
    .await;
    assert_eq!(profile.status, 200);
    assert_eq!(profile.json()["family_name"], "SPECIMEN");

    // Text extraction: a task on each document, with document_fields JSON media.
    let passport_doc = resources
        .id_documents
        .iter()
        .find(|d| d.id.as_deref() == Some(&passport.resource_id))
        .expect("passport resource");
    assert_eq!(
        passport_doc
            .source
            .as_ref()
            .and_then(|s| s.source_type())
            .map(|t| t.as_str()),
        Some("END_USER")
    );
    let task = &passport_doc.tasks[0];
    assert_eq!(
        task.task_type.as_ref().map(|t| t.as_str()),
        Some("ID_DOCUMENT_TEXT_DATA_EXTRACTION")
    );
    assert_eq!(task.state, Some(idv_model::TaskState::Done));
    let generated_check = task.generated_checks[0]
        .id
        .clone()
        .expect("generated check id");
    assert!(
        done.checks
            .iter()
            .any(|c| c.id.as_deref() == Some(generated_check.as_str()))
    );
    let fields_id = passport_doc
        .document_fields
        .as_ref()
        .and_then(|h| h.media.as_ref())
        .and_then(|m| m.id.clone())
        .expect("document_fields");
    assert_eq!(
        task.generated_media[0].id.as_deref(),
        Some(fields_id.as_str())
    );
    assert!(
        passport_doc.expanded_document_fields.is_some(),
        "create_expanded_document_fields"
    );
    assert!(passport_doc.document_id_photo.is_some());
    let fields = call(
        &sandbox,
        "GET",
        &format!("/sessions/{}/media/{fields_id}/content", session.session_id),
    )
    .await;
    assert_eq!(fields.status, 200);
    assert_eq!(fields.content_type(), Some("application/json"));
    let fields = fields.json();
    assert_eq!(fields["document_type"], "PASSPORT");
    assert_eq!(fields["issuing_country"], "FRA");
    assert_eq!(fields["mrz"]["line1"].as_str().map(str::len), Some(44));
    let licence_doc = resources
        .id_documents
        .iter()
        .find(|d| d.id.as_deref() == Some(&licence.resource_id))
        .unwrap();
    let licence_fields_id = licence_doc
        .document_fields
        .as_ref()
        .unwrap()
        .media
        .as_ref()
        .unwrap()
        .id
        .clone()
        .unwrap();
    let licence_fields = call(
        &sandbox,
        "GET",
        &format!(
            "/sessions/{}/media/{licence_fields_id}/content",
            session.session_id
        ),
    )
    .await
    .json();
    assert_eq!(
        licence_fields["full_name"], "JANE DOE",
        "the user's fields win"
    );
    let bill_doc = &resources.supplementary_documents[0];
    assert_eq!(
        bill_doc.tasks[0].task_type.as_ref().map(|t| t.as_str()),
        Some("SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION")
    );
    assert!(bill_doc.document_fields.is_some());

    // Uploaded media come back byte for byte; synthesised ones are images.
    let media = |id: &str| format!("/sessions/{}/media/{id}/content", session.session_id);
    let page = call(&sandbox, "GET", &media(&passport.media_ids[0])).await;
    assert_eq!((page.status.as_u16(), &page.body[..]), (200, PNG_BYTES));
    assert_eq!(page.content_type(), Some("image/png"));
    let file = call(
        &sandbox,
        "GET",
        &media(&bill.media_ids[bill.media_ids.len() - 1]),
    )
    .await;
    assert_eq!(
        (file.content_type(), &file.body[..]),
        (Some("application/pdf"), PDF_BYTES)
    );
    let frame = call(&sandbox, "GET", &media(&liveness.media_ids[1])).await;
    assert_eq!(&frame.body[..], JPEG_BYTES);
    let synthesised = call(&sandbox, "GET", &media(&licence.media_ids[0])).await;
    assert_eq!(synthesised.content_type(), Some("image/png"));
    assert!(synthesised.body.starts_with(b"\x89PNG"));
    let facemap = call(&sandbox, "GET", &media(&liveness.media_ids[0])).await;
    assert_eq!(facemap.content_type(), Some("application/octet-stream"));
    // Every media id the model finds has content.
    for reference in done.media_refs() {
        let reply = call(&sandbox, "GET", &media(reference.media_id)).await;
        assert_eq!(reply.status, 200, "{}", reference.location.path_hint());
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn finish_options_shape_the_reports() {
    let sandbox = sandbox().await;
    let spec = json!({
        "requested_checks": [
            {"type": "ID_DOCUMENT_AUTHENTICITY", "config": {}},
            {"type": "LIVENESS", "config": {"liveness_type": "STATIC"}},
            {"type": "WATCHLIST_SCREENING", "config": {"categories": ["SANCTIONS"]}}
        ]
    });
    let session = created(&sandbox, &spec).await;
    let user = session.user(&sandbox);
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("doc");
    let liveness = user
        .add_liveness(&LivenessUpload::required_type())
        .await
        .expect("static");
    assert_eq!(liveness.media_ids.len(), 1, "one synthesised image");
    let options = FinishOptions::default()
        .recommendation(RecommendationValue::Reject)
        .check("LIVENESS", RecommendationValue::NotAvailable)
        .check("WATCHLIST_SCREENING", RecommendationValue::Consider);
    user.finish_with(&options).await.expect("finish");
    let (done, raw) = model_session(&sandbox, &session.session_id).await;
    let value = |t: CheckType| {
        done.checks
            .iter()
            .find(|c| c.check_type == Some(t.clone()))
            .and_then(|c| c.report.clone())
            .expect("report")
    };
    let authenticity = value(CheckType::IdDocumentAuthenticity);
    let rec = authenticity.recommendation.as_ref().unwrap();
    assert_eq!(rec.value, Some(RecommendationValue::Reject));
    assert_eq!(rec.reason.as_deref(), Some("NOT_GENUINE"));
    assert_eq!(
        authenticity.breakdown[0]
            .result
            .as_ref()
            .map(|r| r.as_str()),
        Some("FAIL")
    );
    let liveness_report = value(CheckType::Liveness);
    assert_eq!(
        liveness_report.recommendation.as_ref().unwrap().value,
        Some(RecommendationValue::NotAvailable)
    );
    let screening = value(CheckType::WatchlistScreening);
    assert_eq!(
        screening.recommendation.as_ref().unwrap().reason.as_deref(),
        Some("POTENTIAL_MATCH")
    );
    assert_eq!(
        screening.watchlist_summary.as_ref().unwrap().total_hits,
        Some(1)
    );
    assert_eq!(
        raw["resources"]["liveness_capture"][0]["capture_type"],
        "PHOTOGRAPH"
    );

    // Unknown recommendation values are refused, naming the property.
    let other = created(&sandbox, &json!({})).await;
    let bad = other
        .user(&sandbox)
        .finish_with(
            &FinishOptions::default().check("LIVENESS", RecommendationValue::from("MAYBE")),
        )
        .await
        .expect_err("unknown value");
    assert_eq!(bad.code(), Some("PAYLOAD_VALIDATION"));
    assert_eq!(bad.field_errors()[0].property, "recommendations.LIVENESS");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn an_ibv_session_takes_its_resources_from_the_branch() {
    let sandbox = sandbox().await;
    let spec = json!({
        "ibv_options": {"support": "MANDATORY"},
        "requested_checks": [{"type": "IBV_VISUAL_REVIEW_CHECK", "config": {}}],
        "required_documents": [{"type": "ID_DOCUMENT"}]
    });
    let session = created(&sandbox, &spec).await;
    let user = session.user(&sandbox);
    user.add_id_document(&IdDocumentUpload::new("PASSPORT", "GBR"))
        .await
        .expect("doc");
    user.finish().await.expect("finish");
    let (_, raw) = model_session(&sandbox, &session.session_id).await;
    assert_eq!(
        raw["resources"]["id_documents"][0]["source"],
        json!({"type": "IBV"})
    );
    assert_eq!(
        raw["resources"]["id_documents"][0]["pages"][0]["frames"]
            .as_array()
            .map(Vec::len),
        Some(3)
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn invalid_specifications_get_400_naming_each_property() {
    let sandbox = sandbox().await;
    let errors = |reply: &Reply| -> Vec<(String, String)> {
        assert_eq!(
            reply.status,
            400,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let body = reply.json();
        assert_eq!(body["code"], "PAYLOAD_VALIDATION");
        assert_eq!(body["message"], "There were errors validating the payload");
        body["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .map(|e| {
                (
                    e["property"].as_str().unwrap().to_owned(),
                    e["message"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let bad_values = create_session(
        &sandbox,
        &json!({
            "client_session_token_ttl": -5,
            "sdk_config": {"primary_colour": "blue"},
            "notifications": {"endpoint": "https://example.com/n", "auth_type": "BEARER"},
            "requested_checks": [{"type": "LIVENESS", "config": {}}]
        }),
    )
    .await;
    let properties: Vec<String> = errors(&bad_values).into_iter().map(|(p, _)| p).collect();
    for expected in [
        "client_session_token_ttl",
        "sdk_config.primary_colour",
        "notifications.auth_token",
        "requested_checks[0].config.liveness_type",
    ] {
        assert!(
            properties.iter().any(|p| p == expected),
            "{expected} in {properties:?}"
        );
    }

    let wrong_type = create_session(&sandbox, &json!({"client_session_token_ttl": "600"})).await;
    assert_eq!(errors(&wrong_type)[0].0, "client_session_token_ttl");
    let nested = create_session(
        &sandbox,
        &json!({"requested_checks": [{"type": "LIVENESS", "config": {"liveness_type": 7}}]}),
    )
    .await;
    assert_eq!(
        errors(&nested)[0].0,
        "requested_checks[0].config.liveness_type"
    );
    let syntax = call_with_body(&sandbox, "POST", "/sessions", b"not json").await;
    assert_eq!(errors(&syntax)[0].0, "body");
    let cut_short = call_with_body(&sandbox, "POST", "/sessions", b"{\"user_tracking_id\":").await;
    assert_eq!(errors(&cut_short)[0].0, "user_tracking_id");
    let past = create_session(
        &sandbox,
        &json!({"session_deadline": "2001-01-01T00:00:00Z"}),
    )
    .await;
    assert_eq!(
        errors(&past),
        [(
            "session_deadline".to_owned(),
            "must be in the future".to_owned()
        )]
    );
    let huge = vec![b' '; idv_sandbox::limits::MAX_SPECIFICATION_BODY + 1];
    let too_large = call_with_body(&sandbox, "POST", "/sessions", &huge).await;
    assert_eq!(
        (too_large.status.as_u16(), too_large.code()),
        (413, "PAYLOAD_TOO_LARGE".to_owned())
    );
    assert_eq!(sandbox.created_sessions(), 0, "nothing was created");

    // Keys this version does not know are accepted (forward compatibility).
    let unknown = create_session(&sandbox, &json!({"brand_new_key": {"x": 1}})).await;
    assert_eq!(unknown.status, 201);
    sandbox.shutdown().await;
}

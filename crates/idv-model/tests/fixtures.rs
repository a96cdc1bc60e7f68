//! Every session fixture (the workspace's `fixtures/sessions/` and the product page's sessions,
//! which `idv-sandbox` embeds and so keeps in `crates/idv-sandbox/fixtures/sessions/`) parses and
//! round-trips to an identical JSON value; the helpers give the expected answers on the product
//! page's sessions.

use std::path::{Path, PathBuf};

use idv_model::{CheckType, MediaType, RecommendationValue, ResourceRef, SessionState};
use serde_json::Value;

fn sessions_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/sessions")
}

/// The product page's five sessions, kept inside the sandbox crate that embeds them.
fn product_page_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../idv-sandbox/fixtures/sessions")
}

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

fn all_fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    json_files(&sessions_dir(), &mut files);
    json_files(&product_page_dir(), &mut files);
    files.sort();
    files
}

/// A fixture by name: a product-page session, or a path under `fixtures/sessions/`.
fn load(name: &str) -> Vec<u8> {
    let dir = if name.starts_with("product-page-") {
        product_page_dir()
    } else {
        sessions_dir()
    };
    std::fs::read(dir.join(name)).unwrap()
}

#[test]
fn every_session_fixture_round_trips() {
    let files = all_fixtures();
    assert!(
        files.len() >= 12,
        "expected the session fixtures, found {files:?}"
    );
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let session =
            idv_model::parse_session(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let original: Value = serde_json::from_slice(&bytes).unwrap();
        let written = serde_json::to_value(&session).unwrap();
        assert_eq!(written, original, "{} does not round-trip", path.display());
        // Serialising twice is stable and re-parses to an equal model.
        let again = idv_model::parse_session(&serde_json::to_vec(&session).unwrap()).unwrap();
        assert_eq!(again, session, "{}", path.display());
    }
}

#[test]
fn product_page_completed_session_helpers() {
    let session = idv_model::parse_session(&load("product-page-5-completed.json")).unwrap();
    assert_eq!(session.state(), Some(&SessionState::Completed));
    assert!(session.is_finished());
    assert!(session.client_session_token.is_none());

    let summary = session.recommendation_summary();
    assert_eq!(summary.total_checks, 9);
    assert_eq!(summary.approve, 9);
    assert_eq!(summary.count(&RecommendationValue::Reject), 0);
    assert!(summary.all_done);
    assert!(summary.all_approved());

    let resources = session.resources.as_ref().unwrap();
    let profile_id = resources.applicant_profiles[0].id.as_deref().unwrap();
    let matches: Vec<_> = session
        .checks
        .iter()
        .filter(|c| c.check_type == Some(CheckType::ProfileDocumentMatch))
        .collect();
    assert_eq!(matches.len(), 3);
    for check in &matches {
        assert!(check.resources_used.iter().any(|r| r == profile_id));
    }
    assert_eq!(session.checks_using(profile_id).len(), 3);

    // Every document is used by exactly one check of each IBV type.
    for doc in resources
        .id_documents
        .iter()
        .map(|d| d.id.as_deref().unwrap())
        .chain(
            resources
                .supplementary_documents
                .iter()
                .map(|d| d.id.as_deref().unwrap()),
        )
    {
        let types: Vec<_> = session
            .checks_using(doc)
            .iter()
            .map(|c| c.check_type.clone().unwrap())
            .collect();
        assert_eq!(types.len(), 3, "{doc}");
        assert!(types.contains(&CheckType::IbvVisualReviewCheck));
        assert!(types.contains(&CheckType::DocumentSchemeValidityCheck));
        assert!(types.contains(&CheckType::ProfileDocumentMatch));
    }
    let scheme_checks: Vec<_> = session
        .checks
        .iter()
        .filter(|c| c.check_type == Some(CheckType::DocumentSchemeValidityCheck))
        .collect();
    assert!(
        scheme_checks
            .iter()
            .all(|c| c.scheme.as_deref() == Some("UK_DBS"))
    );

    match session.resource(profile_id) {
        Some(ResourceRef::ApplicantProfile(p)) => {
            assert_eq!(p.media.as_ref().unwrap().media_type, Some(MediaType::Json));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(session.resource("no-such-id").is_none());
    let passport = resources
        .id_documents
        .iter()
        .find(|d| d.document_type.as_deref() == Some("PASSPORT"))
        .unwrap();
    assert!(matches!(
        session.resource(passport.id.as_deref().unwrap()),
        Some(ResourceRef::IdDocument(d)) if d.pages.len() == 1
    ));
}

#[test]
fn product_page_completed_media_refs() {
    let session = idv_model::parse_session(&load("product-page-5-completed.json")).unwrap();
    let refs = session.media_refs();
    let hints: Vec<String> = refs.iter().map(|r| r.location.path_hint()).collect();
    // Driving licence: 2 pages + 4 frames; passport: 1 page + 3 frames; utility bill: 1 page;
    // applicant profile: 1 media.
    assert_eq!(refs.len(), 12, "{hints:#?}");
    assert!(hints.contains(&"id_documents/DRIVING_LICENCE-GBR/page-2/frame-2".to_owned()));
    assert!(hints.contains(&"id_documents/PASSPORT-GBR/page-1/frame-3".to_owned()));
    assert!(hints.contains(&"id_documents/PASSPORT-GBR/page-1/media".to_owned()));
    assert!(hints.contains(&"supplementary_documents/UTILITY_BILL-GBR/page-1/media".to_owned()));
    assert!(hints.contains(&"applicant_profiles/9ab4729c/media".to_owned()));
    let frame = refs
        .iter()
        .find(|r| r.location.path_hint() == "id_documents/PASSPORT-GBR/page-1/frame-2")
        .unwrap();
    assert_eq!(frame.media_id, "37cbd9b9-b62b-478f-aaf1-233dc0d6eda4");
    assert_eq!(frame.media_type, Some(&MediaType::Image));
    let mut unique = hints.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), hints.len());
}

#[test]
fn product_page_created_session() {
    let session = idv_model::parse_session(&load("product-page-1-created.json")).unwrap();
    assert_eq!(session.state(), Some(&SessionState::Ongoing));
    assert!(!session.is_finished());
    assert_eq!(
        session
            .client_session_token
            .as_ref()
            .unwrap()
            .expose_secret(),
        "039abe07-166b-4f1d-9442-c86127d0143e"
    );
    let summary = session.recommendation_summary();
    assert_eq!(summary.total_checks, 0);
    assert!(!summary.all_done);
    assert_eq!(session.media_refs().len(), 1);
}

fn hints(name: &str) -> Vec<(String, String, Option<MediaType>)> {
    let session = idv_model::parse_session(&load(name)).unwrap();
    session
        .media_refs()
        .iter()
        .map(|r| {
            (
                r.location.path_hint(),
                r.media_id.to_owned(),
                r.media_type.cloned(),
            )
        })
        .collect()
}

fn media_id(n: u32) -> String {
    format!("aedd0000-0000-4000-8000-{n:012x}")
}

#[test]
fn media_refs_cover_every_resource_kind() {
    let refs = hints("generated/all-resource-kinds.json");
    let find = |hint: &str| {
        refs.iter()
            .find(|(h, _, _)| h == hint)
            .unwrap_or_else(|| panic!("no {hint} in {refs:#?}"))
            .clone()
    };
    // Two PASSPORT/GBR documents are told apart by their position.
    assert_eq!(
        find("id_documents/PASSPORT-GBR-1/page-1/media").1,
        media_id(100)
    );
    assert_eq!(
        find("id_documents/PASSPORT-GBR-1/page-1/frame-1").1,
        media_id(101)
    );
    assert_eq!(
        find("id_documents/PASSPORT-GBR-2/page-1/media").1,
        media_id(120)
    );
    assert_eq!(
        find("id_documents/PASSPORT-GBR-1/page-1/hologram_frame-2").1,
        media_id(115)
    );
    assert_eq!(
        find("id_documents/PASSPORT-GBR-1/document_fields").2,
        Some(MediaType::Json)
    );
    assert_eq!(
        find("id_documents/PASSPORT-GBR-1/document_id_photo").1,
        media_id(112)
    );
    assert_eq!(
        find("id_documents/PASSPORT-GBR-1/expanded_document_fields").1,
        media_id(113)
    );
    assert_eq!(
        find("id_documents/PASSPORT-GBR-1/tasks/ID_DOCUMENT_TEXT_DATA_EXTRACTION-7a5c0000/generated_media-1").1,
        media_id(110)
    );
    assert_eq!(
        find("supplementary_documents/UTILITY_BILL-GBR/page-1/frame-1").1,
        media_id(201)
    );
    assert_eq!(
        find("supplementary_documents/UTILITY_BILL-GBR/document_fields").1,
        media_id(202)
    );
    assert_eq!(
        find("supplementary_documents/UTILITY_BILL-GBR/file").2,
        Some(MediaType::Pdf)
    );
    assert_eq!(
        find("liveness_capture/ZOOM-11fe0000/facemap").2,
        Some(MediaType::Binary)
    );
    assert_eq!(
        find("liveness_capture/ZOOM-11fe0000/frame-3").1,
        media_id(303)
    );
    assert_eq!(
        find("liveness_capture/STATIC-11fe0000/image").1,
        media_id(310)
    );
    assert_eq!(find("face_capture/face0000/image").1, media_id(400));
    assert_eq!(find("applicant_profiles/a9910000/media").1, media_id(500));
    assert_eq!(find("share_codes/54a20000/lookup_profile").1, media_id(600));
    assert_eq!(
        find("share_codes/54a20000/returned_profile").1,
        media_id(601)
    );
    assert_eq!(find("share_codes/54a20000/id_photo").1, media_id(602));
    assert_eq!(find("share_codes/54a20000/file").1, media_id(603));
    assert_eq!(
        find("share_codes/54a20000/tasks/VERIFY_SHARE_CODE_TASK-7a5c0000/generated_media-1").1,
        media_id(604)
    );
    // Pages 2×(1 + 1 frame) + 2 hologram frames + 3 document media + 1 task media; supplementary
    // 2 + 2; liveness 1 + 3 + 1 (the unknown type's media sits in `extra`); face 1; profile 1;
    // share code 4 + 1. Every hint is unique.
    assert_eq!(refs.len(), 4 + 2 + 3 + 1 + 4 + 5 + 1 + 1 + 5, "{refs:#?}");
    let mut unique: Vec<_> = refs.iter().map(|r| &r.0).collect();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), refs.len());
}

#[test]
fn media_refs_cover_checks_profiles_previews_and_import_token() {
    let checks = hints("generated/all-check-types.json");
    let check_hints: Vec<_> = checks
        .iter()
        .filter(|(h, _, _)| h.starts_with("checks/"))
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(
        check_hints,
        [
            "checks/ID_DOCUMENT_AUTHENTICITY-c0ec0000/generated_media-1",
            "checks/THIRD_PARTY_IDENTITY-c0ec0000/generated_profile",
            "checks/THIRD_PARTY_IDENTITY_FRAUD_1-c0ec0000/generated_profile",
            "checks/WATCHLIST_SCREENING-c0ec0000/generated_profile",
            "checks/WATCHLIST_SCREENING-c0ec0000/watchlist_raw_results",
            "checks/WATCHLIST_ADVANCED_CA-c0ec0000-11/generated_profile",
            "checks/WATCHLIST_ADVANCED_CA-c0ec0000-11/watchlist_raw_results",
            "checks/SYNECTICS_IDENTITY_FRAUD-c0ec0000/generated_profile",
            "checks/WATCHLIST_ADVANCED_CA-c0ec0000-16/generated_profile",
            "checks/WATCHLIST_ADVANCED_CA-c0ec0000-16/watchlist_raw_results",
        ]
    );
    let profiles = hints("generated/identity-profiles.json");
    let got: Vec<_> = profiles
        .iter()
        .map(|r| (r.0.as_str(), r.1.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("identity_profile/report", media_id(700)),
            ("advanced_identity_profile/report", media_id(701)),
            ("identity_profile_preview", media_id(702)),
            ("advanced_identity_profile_preview", media_id(703)),
            ("import_token", media_id(704)),
        ]
    );
}

#[test]
fn generated_fixture_helpers() {
    let session = idv_model::parse_session(&load("generated/all-check-types.json")).unwrap();
    let types: std::collections::HashSet<_> = session
        .checks
        .iter()
        .filter_map(|c| c.check_type.clone())
        .collect();
    for known in CheckType::KNOWN {
        assert!(types.contains(known), "{known} missing");
    }
    let s = session.recommendation_summary();
    assert_eq!(
        (s.total_checks, s.reject, s.not_available, s.consider),
        (17, 1, 1, 2)
    );
    assert_eq!(s.approve, 13);
    assert!(!s.all_done, "one check is PENDING");
    assert_eq!(s.by_state.get("PENDING"), Some(&1));
    assert_eq!(
        s.to_string(),
        "17 checks: 13 APPROVE, 1 REJECT, 1 NOT_AVAILABLE, 2 CONSIDER; not all DONE"
    );

    let expired = idv_model::parse_session(&load("generated/expired-minimal.json")).unwrap();
    assert_eq!(expired.state(), Some(&SessionState::Expired));
    assert!(expired.is_finished());
    assert!(expired.media_refs().is_empty());
}

//! Check reports: the recommendation and the breakdown of sub-checks each check type reports,
//! shaped by the recommendation the user side asked for (`APPROVE` by default).
//!
//! * `APPROVE`: every sub-check `PASS`.
//! * `REJECT`: the first sub-check `FAIL` (authenticity: reason `NOT_GENUINE`).
//! * `NOT_AVAILABLE`: every sub-check `NOT_AVAILABLE`, reason `PICTURE_TOO_DARK`, recovery
//!   suggestion `BETTER_LIGHTING`.
//! * `CONSIDER`: the first sub-check `FAIL`, reason `POTENTIAL_MATCH` (one watchlist hit).
//!
//! A response config replaces the recommendation and, when it sets one, the breakdown
//! ([`configured_report`]).
//!
//! The sub-check names are those seen in Yoti's fixtures; the in-branch checks
//! (`IBV_VISUAL_REVIEW_CHECK`, `DOCUMENT_SCHEME_VALIDITY_CHECK`, `PROFILE_DOCUMENT_MATCH`) and
//! checks without known sub-checks report an empty breakdown, as on the product page.

use idv_model::response_config::CheckReport;
use idv_model::{CheckType, RecommendationValue};
use serde_json::{Value, json};

use crate::live::plan::PlannedCheck;

/// The sub-checks of a check, with the details of each (`name`, `value` pairs).
pub(crate) fn sub_checks(
    check: &PlannedCheck,
    check_type: &CheckType,
    document_type: Option<&str>,
) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    let plain = |names: &[&'static str]| names.iter().map(|n| (*n, Vec::new())).collect();
    let hits = |names: &[&'static str]| {
        names
            .iter()
            .map(|n| (*n, vec![("number_of_hits", "0".to_owned())]))
            .collect()
    };
    match check_type {
        CheckType::IdDocumentAuthenticity => {
            let mut names = vec![
                "document_in_date",
                "fraud_list_check",
                "hologram",
                "hologram_movement",
                "no_sign_of_forgery",
                "no_sign_of_tampering",
                "other_security_features",
                "physical_document_captured",
            ];
            if document_type == Some("PASSPORT") {
                names.extend(["mrz_validation", "ocr_mrz_comparison"]);
            }
            if check.issuing_authority {
                names.push("issuing_authority_verification");
            }
            names.sort_unstable();
            plain(&names)
        }
        CheckType::IdDocumentTextDataCheck => {
            let mut names = vec![
                "data_in_correct_position",
                "document_in_date",
                "expected_data_present",
                "text_data_readable",
            ];
            if document_type == Some("PASSPORT") {
                names.extend(["check_digits_validation", "doc_number_validation"]);
            }
            names.sort_unstable();
            plain(&names)
        }
        CheckType::SupplementaryDocumentTextDataCheck => {
            plain(&["document_in_date", "text_data_readable"])
        }
        CheckType::IdDocumentFaceMatch | CheckType::FaceComparison => {
            let mut out = vec![(
                "ai_face_match",
                vec![("confidence_score", "0.99".to_owned())],
            )];
            if check.manual_check.as_deref() == Some("ALWAYS") {
                out.push(("manual_face_match", Vec::new()));
            }
            out
        }
        CheckType::Liveness => plain(&["liveness_auth"]),
        CheckType::WatchlistScreening => {
            let categories = check
                .search_config
                .as_ref()
                .map(|c| c.categories.clone())
                .unwrap_or_default();
            let mut names: Vec<&'static str> = categories
                .iter()
                .filter_map(|c| match c.as_str() {
                    "ADVERSE-MEDIA" => Some("adverse_media"),
                    "SANCTIONS" => Some("sanction"),
                    _ => None,
                })
                .collect();
            names.dedup();
            hits(&names)
        }
        CheckType::WatchlistAdvancedCa => {
            let custom = check
                .search_config
                .as_ref()
                .and_then(|c| c.search_type.as_ref())
                .is_some_and(|t| t.as_str() == "WITH_CUSTOM_ACCOUNT");
            if custom {
                hits(&["custom_search"])
            } else {
                hits(&[
                    "adverse_media",
                    "fitness_probity",
                    "pep",
                    "sanction",
                    "warning",
                ])
            }
        }
        _ => Vec::new(),
    }
}

/// A report: the recommendation and the breakdown for `value`.
pub(crate) fn report(
    check_type: &CheckType,
    value: &RecommendationValue,
    sub_checks: Vec<(&'static str, Vec<(&'static str, String)>)>,
) -> Value {
    let mut recommendation = json!({"value": value.as_str()});
    let first_result = match value {
        RecommendationValue::Approve => "PASS",
        RecommendationValue::NotAvailable => "NOT_AVAILABLE",
        _ => "FAIL",
    };
    let rest_result = if *value == RecommendationValue::NotAvailable {
        "NOT_AVAILABLE"
    } else {
        "PASS"
    };
    match value {
        RecommendationValue::Reject if *check_type == CheckType::IdDocumentAuthenticity => {
            recommendation["reason"] = json!("NOT_GENUINE");
        }
        RecommendationValue::NotAvailable => {
            recommendation["reason"] = json!("PICTURE_TOO_DARK");
            recommendation["recovery_suggestion"] = json!("BETTER_LIGHTING");
        }
        RecommendationValue::Consider => recommendation["reason"] = json!("POTENTIAL_MATCH"),
        _ => {}
    }
    let consider = *value == RecommendationValue::Consider;
    let breakdown: Vec<Value> = sub_checks
        .into_iter()
        .enumerate()
        .map(|(i, (name, details))| {
            let details: Vec<Value> = details
                .into_iter()
                .map(|(detail, text)| {
                    let text = if consider && i == 0 && detail == "number_of_hits" {
                        "1".to_owned()
                    } else {
                        text
                    };
                    json!({"name": detail, "value": text})
                })
                .collect();
            json!({
                "sub_check": name,
                "result": if i == 0 { first_result } else { rest_result },
                "details": details,
            })
        })
        .collect();
    json!({"recommendation": recommendation, "breakdown": breakdown})
}

/// A report for a configured result (`check_reports` of a response config): its
/// recommendation as configured (value, reason, recovery suggestion, and any other key), and
/// its breakdown as configured, or, when it sets none, the default breakdown for its value.
pub(crate) fn configured_report(
    check_type: &CheckType,
    value: &RecommendationValue,
    sub_checks: Vec<(&'static str, Vec<(&'static str, String)>)>,
    configured: Option<&CheckReport>,
) -> Value {
    let mut out = report(check_type, value, sub_checks);
    let Some(configured) = configured else {
        return out;
    };
    if let Some(recommendation) = &configured.recommendation {
        out["recommendation"] = serde_json::to_value(recommendation).unwrap_or_default();
    }
    if let Some(breakdown) = &configured.breakdown {
        out["breakdown"] = breakdown
            .iter()
            .map(|entry| {
                let mut entry = serde_json::to_value(entry).unwrap_or_default();
                // Every breakdown carries its details, as the API's do.
                if let Value::Object(map) = &mut entry {
                    map.entry("details").or_insert_with(|| json!([]));
                }
                entry
            })
            .collect();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approve_passes_everything() {
        let check = PlannedCheck::of(CheckType::IdDocumentAuthenticity);
        let subs = sub_checks(&check, &CheckType::IdDocumentAuthenticity, Some("PASSPORT"));
        assert!(subs.iter().any(|(n, _)| *n == "mrz_validation"));
        let report = report(
            &CheckType::IdDocumentAuthenticity,
            &RecommendationValue::Approve,
            subs,
        );
        assert_eq!(report["recommendation"], json!({"value": "APPROVE"}));
        let results: Vec<&str> = report["breakdown"]
            .as_array()
            .expect("breakdown")
            .iter()
            .map(|b| b["result"].as_str().expect("result"))
            .collect();
        assert_eq!(results.len(), 10);
        assert!(results.iter().all(|r| *r == "PASS"));
    }

    #[test]
    fn configured_reports_replace_the_recommendation_and_breakdown() {
        let subs = || {
            sub_checks(
                &PlannedCheck::of(CheckType::Liveness),
                &CheckType::Liveness,
                None,
            )
        };
        let configured: CheckReport = idv_model::from_slice(
            br#"{"recommendation": {"value": "REJECT", "reason": "X", "extra_key": 1},
                 "breakdown": [{"sub_check": "custom", "result": "FAIL"}]}"#,
        )
        .expect("report");
        let report = configured_report(
            &CheckType::Liveness,
            &RecommendationValue::Reject,
            subs(),
            Some(&configured),
        );
        assert_eq!(
            report["recommendation"],
            json!({"value": "REJECT", "reason": "X", "extra_key": 1})
        );
        assert_eq!(
            report["breakdown"],
            json!([{"sub_check": "custom", "result": "FAIL", "details": []}])
        );
        // Without a configured breakdown: the default one for the value.
        let only_value: CheckReport =
            idv_model::from_slice(br#"{"recommendation": {"value": "NOT_AVAILABLE"}}"#)
                .expect("report");
        let report = configured_report(
            &CheckType::Liveness,
            &RecommendationValue::NotAvailable,
            subs(),
            Some(&only_value),
        );
        assert_eq!(report["recommendation"], json!({"value": "NOT_AVAILABLE"}));
        assert_eq!(report["breakdown"][0]["result"], "NOT_AVAILABLE");
    }

    #[test]
    fn other_outcomes_shape_the_breakdown() {
        let check = PlannedCheck::of(CheckType::IdDocumentAuthenticity);
        let subs = || sub_checks(&check, &CheckType::IdDocumentAuthenticity, None);
        let reject = report(
            &CheckType::IdDocumentAuthenticity,
            &RecommendationValue::Reject,
            subs(),
        );
        assert_eq!(reject["recommendation"]["reason"], "NOT_GENUINE");
        assert_eq!(reject["breakdown"][0]["result"], "FAIL");
        assert_eq!(reject["breakdown"][1]["result"], "PASS");
        let unavailable = report(
            &CheckType::Liveness,
            &RecommendationValue::NotAvailable,
            sub_checks(
                &PlannedCheck::of(CheckType::Liveness),
                &CheckType::Liveness,
                None,
            ),
        );
        assert_eq!(
            unavailable["recommendation"]["recovery_suggestion"],
            "BETTER_LIGHTING"
        );
        assert_eq!(unavailable["breakdown"][0]["result"], "NOT_AVAILABLE");

        let mut watchlist = PlannedCheck::of(CheckType::WatchlistAdvancedCa);
        watchlist.search_config = Some(idv_model::WatchlistSearchConfig::default());
        let consider = report(
            &CheckType::WatchlistAdvancedCa,
            &RecommendationValue::Consider,
            sub_checks(&watchlist, &CheckType::WatchlistAdvancedCa, None),
        );
        assert_eq!(consider["recommendation"]["reason"], "POTENTIAL_MATCH");
        assert_eq!(consider["breakdown"][0]["details"][0]["value"], "1");
        assert_eq!(consider["breakdown"][1]["details"][0]["value"], "0");
        let empty = report(
            &CheckType::IbvVisualReviewCheck,
            &RecommendationValue::Approve,
            Vec::new(),
        );
        assert_eq!(empty["breakdown"], json!([]));
    }
}

//! Finishing a created session: every requested task runs on the resources it applies to and
//! every requested check reports, each `DONE`, with `resources_used` naming the resources the
//! user added; text extraction writes `document_fields` (JSON media) and spawns its text-data
//! check. The session becomes `COMPLETED` and its client session token is dropped.
//!
//! Which resources a check uses:
//!
//! | check | one check per | `resources_used` |
//! |---|---|---|
//! | `ID_DOCUMENT_AUTHENTICITY` | ID document | the document |
//! | `ID_DOCUMENT_FACE_MATCH` | ID document | the document and the first liveness capture |
//! | `ID_DOCUMENT_COMPARISON` | session | every ID document |
//! | `LIVENESS` | liveness capture of its type | the capture |
//! | `FACE_COMPARISON` | session | the face captures and liveness captures (`NOT_AVAILABLE` without a face capture) |
//! | `THIRD_PARTY_IDENTITY`, `…_FRAUD_1`, `SYNECTICS_IDENTITY_FRAUD`, watchlists | session | every ID document; a `generated_profile` (JSON media); watchlists a `watchlist_summary` |
//! | `IBV_VISUAL_REVIEW_CHECK`, `DOCUMENT_SCHEME_VALIDITY_CHECK` | document (ID or supplementary) | the document |
//! | `PROFILE_DOCUMENT_MATCH` | document | the document and the applicant profile |
//! | any other type | session | every document |

use http::StatusCode;
use idv_model::{CheckType, RecommendationValue, TaskType};
use serde_json::{Value, json};

use crate::api_error::ApiError;
use crate::live::fields::{self, DocumentFacts};
use crate::live::plan::PlannedCheck;
use crate::live::reports::{report, sub_checks};
use crate::live::{LiveSession, ResourceBody};
use crate::timefmt::rfc3339;
use crate::user::wire::FinishOptions;

/// Checks the finish options: recommendation values must be known ones.
pub(crate) fn check_options(options: &FinishOptions) -> Result<(), ApiError> {
    let mut errors = Vec::new();
    if options
        .recommendation
        .as_ref()
        .is_some_and(RecommendationValue::is_other)
    {
        errors.push((
            "recommendation".to_owned(),
            "must be APPROVE, REJECT, NOT_AVAILABLE or CONSIDER".to_owned(),
        ));
    }
    for (check_type, value) in &options.recommendations {
        if value.is_other() {
            errors.push((
                format!("recommendations.{check_type}"),
                "must be APPROVE, REJECT, NOT_AVAILABLE or CONSIDER".to_owned(),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

/// A document the checks look at.
#[derive(Debug, Clone)]
struct DocumentRef {
    id: String,
    document_type: String,
    id_document: bool,
}

/// A check to write, before rendering.
struct CheckOut {
    check_type: String,
    resources_used: Vec<String>,
    report: Value,
    generated_profile: Option<String>,
    scheme: Option<String>,
}

impl LiveSession {
    /// Runs the session's tasks and checks and completes it.
    ///
    /// # Errors
    /// 409 `REQUIREMENTS_NOT_MET` listing the requirements (other than face captures) no
    /// resource meets yet.
    pub(crate) fn finish(&mut self, options: &FinishOptions, now_ms: u64) -> Result<(), ApiError> {
        let unmet: Vec<(String, String)> = self
            .requirements
            .iter()
            .filter(|r| r.needed_to_finish() && r.resource_id.is_none())
            .map(|r| {
                (
                    r.kind.type_name().to_owned(),
                    format!("requirement {} is not met yet", r.id),
                )
            })
            .collect();
        if !unmet.is_empty() {
            return Err(ApiError {
                status: StatusCode::CONFLICT,
                code: "REQUIREMENTS_NOT_MET",
                message: "the session's required resources have not all been added".to_owned(),
                errors: unmet,
            });
        }
        let outcome = |check_type: &str| -> RecommendationValue {
            options
                .recommendations
                .get(check_type)
                .or(options.recommendation.as_ref())
                .cloned()
                .unwrap_or(RecommendationValue::Approve)
        };
        let mut generated = self.run_tasks(&outcome, now_ms);
        let mut checks = Vec::new();
        for planned in self.plan.checks.clone() {
            checks.extend(self.run_check(&planned, &outcome, now_ms));
        }
        checks.append(&mut generated);
        let stamp = rfc3339(now_ms);
        self.checks = checks
            .into_iter()
            .map(|(id, check)| {
                let mut out = json!({
                    "type": check.check_type,
                    "id": id,
                    "state": "DONE",
                    "resources_used": check.resources_used,
                    "generated_media": [],
                    "report": check.report,
                    "created": stamp,
                    "last_updated": stamp,
                });
                if let Some(media_id) = check.generated_profile {
                    out["generated_profile"] = json!({"media": self.media_json(&media_id)});
                }
                if let Some(scheme) = check.scheme {
                    out["scheme"] = json!(scheme);
                }
                out
            })
            .collect();
        self.completed_ms = Some(now_ms);
        Ok(())
    }

    fn documents(&self) -> Vec<DocumentRef> {
        self.resources
            .iter()
            .filter_map(|r| match &r.body {
                ResourceBody::IdDocument { document_type, .. } => Some(DocumentRef {
                    id: r.id.clone(),
                    document_type: document_type.clone(),
                    id_document: true,
                }),
                ResourceBody::Supplementary { document_type, .. } => Some(DocumentRef {
                    id: r.id.clone(),
                    document_type: document_type.clone(),
                    id_document: false,
                }),
                _ => None,
            })
            .collect()
    }

    /// The extracted fields of a document resource.
    fn fields_of(&self, index: usize) -> Option<Value> {
        let resource = self.resources.get(index)?;
        match &resource.body {
            ResourceBody::IdDocument {
                document_type,
                issuing_country,
                overrides,
                ..
            } => Some(fields::id_document_fields(
                &DocumentFacts {
                    resource_id: &resource.id,
                    document_type,
                    issuing_country,
                    captured_ms: resource.created_ms,
                },
                overrides.as_ref(),
            )),
            ResourceBody::Supplementary {
                document_type,
                issuing_country,
                overrides,
                ..
            } => Some(fields::supplementary_document_fields(
                &DocumentFacts {
                    resource_id: &resource.id,
                    document_type,
                    issuing_country,
                    captured_ms: resource.created_ms,
                },
                overrides.as_ref(),
            )),
            _ => None,
        }
    }

    /// Runs the requested tasks; returns the checks they generate, with their ids.
    fn run_tasks(
        &mut self,
        outcome: &dyn Fn(&str) -> RecommendationValue,
        now_ms: u64,
    ) -> Vec<(String, CheckOut)> {
        let mut generated = Vec::new();
        let mut seen: Vec<TaskType> = Vec::new();
        let stamp = rfc3339(now_ms);
        for task in self.plan.tasks.clone() {
            if seen.contains(&task.task_type) {
                continue;
            }
            seen.push(task.task_type.clone());
            for index in 0..self.resources.len() {
                let (id_document, supplementary) = match &self.resources[index].body {
                    ResourceBody::IdDocument { .. } => (true, false),
                    ResourceBody::Supplementary { .. } => (false, true),
                    _ => (false, false),
                };
                let (applies, check_type) = match &task.task_type {
                    TaskType::IdDocumentTextDataExtraction => {
                        (id_document, Some(CheckType::IdDocumentTextDataCheck))
                    }
                    TaskType::SupplementaryDocumentTextDataExtraction => (
                        supplementary,
                        Some(CheckType::SupplementaryDocumentTextDataCheck),
                    ),
                    // A task this version does not know runs on ID documents, producing nothing.
                    _ => (id_document, None),
                };
                if !applies {
                    continue;
                }
                let mut task_json = json!({
                    "type": task.task_type.as_str(),
                    "id": uuid::Uuid::new_v4().to_string(),
                    "state": "DONE",
                    "created": stamp,
                    "last_updated": stamp,
                    "generated_checks": [],
                    "generated_media": [],
                });
                if let Some(check_type) = check_type {
                    let fields = self.fields_of(index).unwrap_or(Value::Null);
                    let fields_id = self.add_json(&fields, now_ms);
                    let check_id = uuid::Uuid::new_v4().to_string();
                    task_json["generated_checks"] =
                        json!([{"id": check_id, "type": check_type.as_str()}]);
                    task_json["generated_media"] = json!([{"id": fields_id, "type": "JSON"}]);
                    task_json["recommendation"] = json!({"value": "PROGRESS"});
                    let photo = id_document.then(|| self.add_synthesised("IMAGE", now_ms));
                    let expanded = (id_document && task.expanded_fields)
                        .then(|| self.add_json(&fields, now_ms));
                    let resource = &mut self.resources[index];
                    resource.updated_ms = now_ms;
                    let document_type = match &mut resource.body {
                        ResourceBody::IdDocument {
                            document_type,
                            document_fields,
                            document_id_photo,
                            expanded_document_fields,
                            ..
                        } => {
                            *document_fields = Some(fields_id);
                            *document_id_photo = photo;
                            *expanded_document_fields = expanded;
                            document_type.clone()
                        }
                        ResourceBody::Supplementary {
                            document_type,
                            document_fields,
                            ..
                        } => {
                            *document_fields = Some(fields_id);
                            document_type.clone()
                        }
                        _ => String::new(),
                    };
                    let value = outcome(check_type.as_str());
                    let planned = PlannedCheck::of(check_type.clone());
                    generated.push((
                        check_id,
                        CheckOut {
                            check_type: check_type.as_str().to_owned(),
                            resources_used: vec![resource.id.clone()],
                            report: report(
                                &check_type,
                                &value,
                                sub_checks(&planned, &check_type, Some(&document_type)),
                            ),
                            generated_profile: None,
                            scheme: None,
                        },
                    ));
                }
                self.resources[index].tasks.push(task_json);
            }
        }
        generated
    }

    /// The checks one requested check produces, with their ids.
    fn run_check(
        &mut self,
        planned: &PlannedCheck,
        outcome: &dyn Fn(&str) -> RecommendationValue,
        now_ms: u64,
    ) -> Vec<(String, CheckOut)> {
        let Some(check_type) = planned.check_type.clone() else {
            return Vec::new();
        };
        let name = check_type.as_str().to_owned();
        let value = outcome(&name);
        let documents = self.documents();
        let id_documents: Vec<&DocumentRef> = documents.iter().filter(|d| d.id_document).collect();
        let liveness: Vec<(String, bool)> = self
            .resources
            .iter()
            .filter_map(|r| match &r.body {
                ResourceBody::Liveness { liveness_type, .. } => Some((
                    r.id.clone(),
                    planned
                        .liveness_type
                        .as_ref()
                        .is_none_or(|t| t == liveness_type),
                )),
                _ => None,
            })
            .collect();
        let profile = self.resources.iter().find_map(|r| match r.body {
            ResourceBody::ApplicantProfile { .. } => Some(r.id.clone()),
            _ => None,
        });
        let one = |resources_used: Vec<String>,
                   document_type: Option<&str>,
                   value: &RecommendationValue| CheckOut {
            check_type: name.clone(),
            resources_used,
            report: report(
                &check_type,
                value,
                sub_checks(planned, &check_type, document_type),
            ),
            generated_profile: None,
            scheme: planned.scheme.clone(),
        };
        let new_id = || uuid::Uuid::new_v4().to_string();
        match &check_type {
            CheckType::IdDocumentAuthenticity => id_documents
                .iter()
                .map(|d| {
                    (
                        new_id(),
                        one(vec![d.id.clone()], Some(&d.document_type), &value),
                    )
                })
                .collect(),
            CheckType::IdDocumentFaceMatch => id_documents
                .iter()
                .map(|d| {
                    let mut used = vec![d.id.clone()];
                    used.extend(liveness.first().map(|(id, _)| id.clone()));
                    (new_id(), one(used, Some(&d.document_type), &value))
                })
                .collect(),
            CheckType::Liveness => liveness
                .iter()
                .filter(|(_, matches)| *matches)
                .map(|(id, _)| (new_id(), one(vec![id.clone()], None, &value)))
                .collect(),
            CheckType::FaceComparison => {
                // Face captures are uploaded by the relying business; none can be added yet.
                let used: Vec<String> = liveness.iter().map(|(id, _)| id.clone()).collect();
                let mut check = one(used, None, &RecommendationValue::NotAvailable);
                if let Some(recommendation) = check.report.get_mut("recommendation") {
                    *recommendation =
                        json!({"value": "NOT_AVAILABLE", "reason": "NO_FACE_CAPTURE"});
                }
                vec![(new_id(), check)]
            }
            CheckType::IbvVisualReviewCheck | CheckType::DocumentSchemeValidityCheck => documents
                .iter()
                .map(|d| {
                    (
                        new_id(),
                        one(vec![d.id.clone()], Some(&d.document_type), &value),
                    )
                })
                .collect(),
            CheckType::ProfileDocumentMatch => documents
                .iter()
                .map(|d| {
                    let mut used = vec![d.id.clone()];
                    used.extend(profile.clone());
                    (new_id(), one(used, Some(&d.document_type), &value))
                })
                .collect(),
            CheckType::IdDocumentComparison => {
                let used = id_documents.iter().map(|d| d.id.clone()).collect();
                vec![(new_id(), one(used, None, &value))]
            }
            CheckType::ThirdPartyIdentity
            | CheckType::ThirdPartyIdentityFraud1
            | CheckType::SynecticsIdentityFraud
            | CheckType::WatchlistScreening
            | CheckType::WatchlistAdvancedCa => {
                let used: Vec<String> = id_documents.iter().map(|d| d.id.clone()).collect();
                let first_fields = self
                    .resources
                    .iter()
                    .position(|r| matches!(r.body, ResourceBody::IdDocument { .. }))
                    .and_then(|i| self.fields_of(i));
                let profile_id =
                    self.add_json(&fields::generated_profile(first_fields.as_ref()), now_ms);
                let mut check = one(used, None, &value);
                check.generated_profile = Some(profile_id);
                if matches!(
                    check_type,
                    CheckType::WatchlistScreening | CheckType::WatchlistAdvancedCa
                ) {
                    let hits = i64::from(value == RecommendationValue::Consider);
                    let raw = self.add_json(&json!({"total_hits": hits, "hits": []}), now_ms);
                    let search_config = planned
                        .search_config
                        .as_ref()
                        .and_then(|c| serde_json::to_value(c).ok())
                        .unwrap_or_else(|| json!({}));
                    check.report["watchlist_summary"] = json!({
                        "total_hits": hits,
                        "raw_results": {"media": self.media_json(&raw)},
                        "associated_country_codes": [],
                        "search_config": search_config,
                    });
                }
                vec![(new_id(), check)]
            }
            _ => {
                let used = documents.iter().map(|d| d.id.clone()).collect();
                vec![(new_id(), one(used, None, &value))]
            }
        }
    }
}

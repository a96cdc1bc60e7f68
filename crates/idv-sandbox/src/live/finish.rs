//! Finishing a created session: every requested task runs on the resources it applies to and
//! every requested check reports, each `DONE`, with `resources_used` naming the resources the
//! user added; text extraction writes `document_fields` (JSON media) and spawns its text-data
//! check. The client session token is dropped and the session is `COMPLETED`, or, when a
//! response config delays results, stays `ONGOING` with those tasks and checks `PENDING` until
//! they are done.
//!
//! Each check and task is built from the session's response config, else its app's, else the
//! defaults (the user side's finish options, else `APPROVE`); see [`super::scripted`] for which
//! configured entry applies. A configured entry sets the recommendation and, if it has one, the
//! breakdown; `response_delay` delays that check or task, `async_report_delay` every check
//! (both counted from the moment the user finishes, and added up for a check). A configured
//! text extraction sets the `document_fields` media to exactly its `document_fields` (merged
//! with those of the configured text-data check), with `detected_country` and
//! `detected_document_type` as `issuing_country` and `document_type`; its
//! `document_id_photo` becomes the document's ID photo; its `recommendation` the task's.
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
use idv_model::response_config::{CheckResponse, TaskResponse};
use idv_model::{CheckType, RecommendationValue, TaskType};
use serde_json::{Map, Value, json};

use crate::api_error::ApiError;
use crate::live::fields::{self, DocumentFacts};
use crate::live::plan::PlannedCheck;
use crate::live::reports::{configured_report, sub_checks};
use crate::live::scripted::{CheckSubject, DocumentKey, ScriptedConfig, duration_ms};
use crate::live::{LiveSession, MediaSource, ResourceBody, Timed};
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
    issuing_country: String,
    id_document: bool,
}

impl DocumentRef {
    fn key(&self) -> DocumentKey<'_> {
        DocumentKey {
            document_type: &self.document_type,
            issuing_country: &self.issuing_country,
        }
    }
}

/// A check to write, before rendering.
struct CheckOut {
    check_type: String,
    resources_used: Vec<String>,
    value: RecommendationValue,
    report: Value,
    generated_profile: Option<String>,
    scheme: Option<String>,
    /// When it is done (epoch milliseconds).
    ready_ms: u64,
}

/// What decides each result: the response config in force, the user side's finish options,
/// and when the user finished.
struct Script<'a> {
    config: Option<&'a ScriptedConfig>,
    options: &'a FinishOptions,
    finished_ms: u64,
}

impl<'a> Script<'a> {
    /// The configured result for a check, if one applies.
    fn check(
        &self,
        check_type: &CheckType,
        subject: &CheckSubject<'_>,
    ) -> Option<&'a CheckResponse> {
        self.config?.check(check_type, subject)
    }

    /// The recommendation: the configured one, else the finish options', else `APPROVE`.
    fn value(&self, check_type: &CheckType, entry: Option<&CheckResponse>) -> RecommendationValue {
        entry
            .and_then(CheckResponse::recommendation_value)
            .or_else(|| self.options.recommendations.get(check_type.as_str()))
            .or(self.options.recommendation.as_ref())
            .cloned()
            .unwrap_or(RecommendationValue::Approve)
    }

    /// When a check is done: after `async_report_delay` and its own `response_delay`.
    fn check_ready_ms(&self, entry: Option<&CheckResponse>) -> u64 {
        let own = entry
            .and_then(CheckResponse::response_delay_duration)
            .map_or(0, duration_ms);
        let all = self.config.map_or(0, ScriptedConfig::async_report_delay_ms);
        self.finished_ms.saturating_add(all).saturating_add(own)
    }

    /// When a task is done: after its `response_delay`.
    fn task_ready_ms(&self, entry: Option<&TaskResponse>) -> u64 {
        let own = entry
            .and_then(TaskResponse::response_delay_duration)
            .map_or(0, duration_ms);
        self.finished_ms.saturating_add(own)
    }

    /// A check's output: the configured result for `subject` if one applies, else the default.
    fn build(
        &self,
        planned: &PlannedCheck,
        check_type: &CheckType,
        resources_used: Vec<String>,
        document_type: Option<&str>,
        subject: &CheckSubject<'_>,
    ) -> CheckOut {
        let entry = self.check(check_type, subject);
        let value = self.value(check_type, entry);
        let configured = entry
            .and_then(|e| e.result.as_ref())
            .and_then(|r| r.report.as_ref());
        CheckOut {
            check_type: check_type.as_str().to_owned(),
            resources_used,
            report: configured_report(
                check_type,
                &value,
                sub_checks(planned, check_type, document_type),
                configured,
            ),
            value,
            generated_profile: None,
            scheme: planned.scheme.clone(),
            ready_ms: self.check_ready_ms(entry),
        }
    }
}

/// `document_fields` of a configured text extraction merged with those of the configured
/// text-data check (whose keys win); `None` when neither sets any.
fn configured_fields(
    task: Option<&TaskResponse>,
    check: Option<&CheckResponse>,
) -> Option<Map<String, Value>> {
    let from_task = task
        .and_then(|t| t.result.as_ref())
        .and_then(|r| r.document_fields.as_ref());
    let from_check = check
        .and_then(|c| c.result.as_ref())
        .and_then(|r| r.document_fields.as_ref());
    match (from_task, from_check) {
        (None, None) => None,
        (task, check) => {
            let mut fields = task.cloned().unwrap_or_default();
            fields.extend(
                check
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            Some(fields)
        }
    }
}

impl LiveSession {
    /// Runs the session's tasks and checks as `config` scripts them (the defaults where it
    /// says nothing): the user finished at `now_ms`. (`LiveStore::finish` chooses the config.)
    ///
    /// # Errors
    /// 409 `REQUIREMENTS_NOT_MET` listing the requirements (other than face captures) no
    /// resource meets yet.
    pub(crate) fn finish_with(
        &mut self,
        options: &FinishOptions,
        config: Option<&ScriptedConfig>,
        now_ms: u64,
    ) -> Result<(), ApiError> {
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
        let script = Script {
            config,
            options,
            finished_ms: now_ms,
        };
        let mut generated = self.run_tasks(&script);
        let mut checks = Vec::new();
        for planned in self.plan.checks.clone() {
            checks.extend(self.run_check(&planned, &script, now_ms));
        }
        checks.append(&mut generated);
        let created = rfc3339(now_ms);
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
                    "created": created,
                    "last_updated": rfc3339(check.ready_ms),
                });
                if let Some(media_id) = check.generated_profile {
                    out["generated_profile"] = json!({"media": self.media_json(&media_id)});
                }
                if let Some(scheme) = check.scheme {
                    out["scheme"] = json!(scheme);
                }
                Timed {
                    json: out,
                    ready_ms: check.ready_ms,
                }
            })
            .collect();
        let last_task = self
            .resources
            .iter()
            .flat_map(|r| &r.tasks)
            .map(|t| t.ready_ms);
        let last_check = self.checks.iter().map(|c| c.ready_ms);
        let completed = last_task.chain(last_check).fold(now_ms, u64::max);
        self.user_finished_ms = Some(now_ms);
        self.completed_ms = Some(completed);
        Ok(())
    }

    fn documents(&self) -> Vec<DocumentRef> {
        self.resources
            .iter()
            .filter_map(|r| match &r.body {
                ResourceBody::IdDocument {
                    document_type,
                    issuing_country,
                    ..
                } => Some(DocumentRef {
                    id: r.id.clone(),
                    document_type: document_type.clone(),
                    issuing_country: issuing_country.clone(),
                    id_document: true,
                }),
                ResourceBody::Supplementary {
                    document_type,
                    issuing_country,
                    ..
                } => Some(DocumentRef {
                    id: r.id.clone(),
                    document_type: document_type.clone(),
                    issuing_country: issuing_country.clone(),
                    id_document: false,
                }),
                _ => None,
            })
            .collect()
    }

    /// The fields of a document resource: what its text extraction reported, if it ran, else
    /// the specimen fields with the user's overrides.
    fn fields_of(&self, index: usize) -> Option<Value> {
        let resource = self.resources.get(index)?;
        let (ResourceBody::IdDocument {
            document_type,
            issuing_country,
            overrides,
            document_fields: extracted,
            ..
        }
        | ResourceBody::Supplementary {
            document_type,
            issuing_country,
            overrides,
            document_fields: extracted,
            ..
        }) = &resource.body
        else {
            return None;
        };
        let stored = extracted
            .as_ref()
            .and_then(|id| self.media.get(id))
            .and_then(|record| match &record.source {
                MediaSource::Stored(content) => serde_json::from_slice(&content.bytes).ok(),
                _ => None,
            });
        if stored.is_some() {
            return stored;
        }
        let facts = DocumentFacts {
            resource_id: &resource.id,
            document_type,
            issuing_country,
            captured_ms: resource.created_ms,
        };
        Some(match resource.body {
            ResourceBody::IdDocument { .. } => {
                fields::id_document_fields(&facts, overrides.as_ref())
            }
            _ => fields::supplementary_document_fields(&facts, overrides.as_ref()),
        })
    }

    /// The fields a text extraction reports for a document resource: the configured ones if
    /// any (with the detected country and type), else the specimen ones; the user's overrides
    /// on top.
    fn extracted_fields(
        &self,
        index: usize,
        task: Option<&TaskResponse>,
        check: Option<&CheckResponse>,
    ) -> Value {
        let Some(resource) = self.resources.get(index) else {
            return Value::Null;
        };
        let overrides = match &resource.body {
            ResourceBody::IdDocument { overrides, .. }
            | ResourceBody::Supplementary { overrides, .. } => overrides.as_ref(),
            _ => None,
        };
        let Some(configured) = configured_fields(task, check) else {
            return self.fields_of(index).unwrap_or(Value::Null);
        };
        let mut fields = Value::Object(configured);
        if let Some(result) = task.and_then(|t| t.result.as_ref()) {
            if let Some(country) = &result.detected_country {
                fields["issuing_country"] = json!(country);
            }
            if let Some(document_type) = &result.detected_document_type {
                fields["document_type"] = json!(document_type);
            }
        }
        fields::overlay(&mut fields, overrides);
        fields
    }

    /// Runs the requested tasks; returns the checks they generate, with their ids.
    fn run_tasks(&mut self, script: &Script<'_>) -> Vec<(String, CheckOut)> {
        let mut generated = Vec::new();
        let mut seen: Vec<TaskType> = Vec::new();
        let now_ms = script.finished_ms;
        let created = rfc3339(now_ms);
        for task in self.plan.tasks.clone() {
            if seen.contains(&task.task_type) {
                continue;
            }
            seen.push(task.task_type.clone());
            for index in 0..self.resources.len() {
                let (id_document, document) = match &self.resources[index].body {
                    ResourceBody::IdDocument {
                        document_type,
                        issuing_country,
                        ..
                    } => (true, Some((document_type.clone(), issuing_country.clone()))),
                    ResourceBody::Supplementary {
                        document_type,
                        issuing_country,
                        ..
                    } => (
                        false,
                        Some((document_type.clone(), issuing_country.clone())),
                    ),
                    _ => (false, None),
                };
                let Some((document_type, issuing_country)) = document else {
                    continue;
                };
                let (applies, check_type) = match &task.task_type {
                    TaskType::IdDocumentTextDataExtraction => {
                        (id_document, Some(CheckType::IdDocumentTextDataCheck))
                    }
                    TaskType::SupplementaryDocumentTextDataExtraction => (
                        !id_document,
                        Some(CheckType::SupplementaryDocumentTextDataCheck),
                    ),
                    // A task this version does not know runs on ID documents, producing nothing.
                    _ => (id_document, None),
                };
                if !applies {
                    continue;
                }
                let key = DocumentKey {
                    document_type: &document_type,
                    issuing_country: &issuing_country,
                };
                let (task_entry, photo) = script
                    .config
                    .and_then(|c| c.task(&task.task_type, key))
                    .map_or((None, None), |(entry, photo)| (Some(entry), photo));
                let ready_ms = script.task_ready_ms(task_entry);
                let mut task_json = json!({
                    "type": task.task_type.as_str(),
                    "id": uuid::Uuid::new_v4().to_string(),
                    "state": "DONE",
                    "created": created,
                    "last_updated": rfc3339(ready_ms),
                    "generated_checks": [],
                    "generated_media": [],
                });
                if let Some(check_type) = check_type {
                    let subject = CheckSubject {
                        documents: Some(vec![key]),
                        ..CheckSubject::default()
                    };
                    let check_entry = script.check(&check_type, &subject);
                    let fields = self.extracted_fields(index, task_entry, check_entry);
                    let fields_id = self.add_json(&fields, now_ms);
                    let check_id = uuid::Uuid::new_v4().to_string();
                    task_json["generated_checks"] =
                        json!([{"id": check_id, "type": check_type.as_str()}]);
                    task_json["generated_media"] = json!([{"id": fields_id, "type": "JSON"}]);
                    task_json["recommendation"] = task_entry
                        .and_then(|t| t.result.as_ref())
                        .and_then(|r| r.recommendation.as_ref())
                        .and_then(|r| serde_json::to_value(r).ok())
                        .unwrap_or_else(|| json!({"value": "PROGRESS"}));
                    let photo = id_document.then(|| match photo {
                        Some(photo) => {
                            self.add_media("IMAGE", MediaSource::Stored(photo.clone()), 0, now_ms)
                        }
                        None => self.add_synthesised("IMAGE", now_ms),
                    });
                    let expanded = (id_document && task.expanded_fields)
                        .then(|| self.add_json(&fields, now_ms));
                    let planned = PlannedCheck::of(check_type.clone());
                    let mut check = script.build(
                        &planned,
                        &check_type,
                        Vec::new(),
                        Some(&document_type),
                        &subject,
                    );
                    // The check reads what the task extracted.
                    check.ready_ms = check.ready_ms.max(ready_ms);
                    let resource = &mut self.resources[index];
                    resource.updated_ms = now_ms;
                    resource.fields_ready_ms = ready_ms;
                    check.resources_used = vec![resource.id.clone()];
                    match &mut resource.body {
                        ResourceBody::IdDocument {
                            document_fields,
                            document_id_photo,
                            expanded_document_fields,
                            ..
                        } => {
                            *document_fields = Some(fields_id);
                            *document_id_photo = photo;
                            *expanded_document_fields = expanded;
                        }
                        ResourceBody::Supplementary {
                            document_fields, ..
                        } => *document_fields = Some(fields_id),
                        _ => {}
                    }
                    generated.push((check_id, check));
                }
                self.resources[index].tasks.push(Timed {
                    json: task_json,
                    ready_ms,
                });
            }
        }
        generated
    }

    /// The checks one requested check produces, with their ids.
    fn run_check(
        &mut self,
        planned: &PlannedCheck,
        script: &Script<'_>,
        now_ms: u64,
    ) -> Vec<(String, CheckOut)> {
        let Some(check_type) = planned.check_type.clone() else {
            return Vec::new();
        };
        let documents = self.documents();
        let id_documents: Vec<&DocumentRef> = documents.iter().filter(|d| d.id_document).collect();
        let liveness: Vec<(String, bool, idv_model::LivenessType)> = self
            .resources
            .iter()
            .filter_map(|r| match &r.body {
                ResourceBody::Liveness { liveness_type, .. } => Some((
                    r.id.clone(),
                    planned
                        .liveness_type
                        .as_ref()
                        .is_none_or(|t| t == liveness_type),
                    liveness_type.clone(),
                )),
                _ => None,
            })
            .collect();
        let faces: Vec<String> = self
            .resources
            .iter()
            .filter_map(|r| match &r.body {
                ResourceBody::FaceCapture { image: Some(_), .. } => Some(r.id.clone()),
                _ => None,
            })
            .collect();
        let profile = self.resources.iter().find_map(|r| match r.body {
            ResourceBody::ApplicantProfile { .. } => Some(r.id.clone()),
            _ => None,
        });
        let per_document = |docs: &[&DocumentRef], with: &dyn Fn(&DocumentRef) -> Vec<String>| {
            docs.iter()
                .map(|d| {
                    let out = script.build(
                        planned,
                        &check_type,
                        with(d),
                        Some(&d.document_type),
                        &about(&[d]),
                    );
                    (new_id(), out)
                })
                .collect::<Vec<_>>()
        };
        let all_documents: Vec<&DocumentRef> = documents.iter().collect();
        match &check_type {
            CheckType::IdDocumentAuthenticity => {
                per_document(&id_documents, &|d| vec![d.id.clone()])
            }
            CheckType::IdDocumentFaceMatch => per_document(&id_documents, &|d| {
                let mut used = vec![d.id.clone()];
                used.extend(liveness.first().map(|(id, _, _)| id.clone()));
                used
            }),
            CheckType::Liveness => liveness
                .iter()
                .filter(|(_, matches, _)| *matches)
                .map(|(id, _, liveness_type)| {
                    let subject = CheckSubject {
                        liveness_type: Some(liveness_type),
                        ..CheckSubject::default()
                    };
                    let out = script.build(planned, &check_type, vec![id.clone()], None, &subject);
                    (new_id(), out)
                })
                .collect(),
            CheckType::FaceComparison => {
                let mut used = faces.clone();
                used.extend(liveness.iter().map(|(id, _, _)| id.clone()));
                let subject = CheckSubject::default();
                let mut check = script.build(planned, &check_type, used, None, &subject);
                if faces.is_empty() && script.check(&check_type, &subject).is_none() {
                    // Nothing to compare: no face capture has an image.
                    check.value = RecommendationValue::NotAvailable;
                    check.report = configured_report(
                        &check_type,
                        &check.value,
                        sub_checks(planned, &check_type, None),
                        None,
                    );
                    check.report["recommendation"] =
                        json!({"value": "NOT_AVAILABLE", "reason": "NO_FACE_CAPTURE"});
                }
                vec![(new_id(), check)]
            }
            CheckType::IbvVisualReviewCheck | CheckType::DocumentSchemeValidityCheck => {
                per_document(&all_documents, &|d| vec![d.id.clone()])
            }
            CheckType::ProfileDocumentMatch => per_document(&all_documents, &|d| {
                let mut used = vec![d.id.clone()];
                used.extend(profile.clone());
                used
            }),
            CheckType::IdDocumentComparison => {
                let used = id_documents.iter().map(|d| d.id.clone()).collect();
                let subject = CheckSubject {
                    comparison: true,
                    ..about(&id_documents)
                };
                vec![(
                    new_id(),
                    script.build(planned, &check_type, used, None, &subject),
                )]
            }
            CheckType::ThirdPartyIdentity
            | CheckType::ThirdPartyIdentityFraud1
            | CheckType::SynecticsIdentityFraud
            | CheckType::WatchlistScreening
            | CheckType::WatchlistAdvancedCa => {
                let used: Vec<String> = id_documents.iter().map(|d| d.id.clone()).collect();
                let subject = CheckSubject {
                    sources: planned
                        .search_config
                        .as_ref()
                        .and_then(|c| c.sources.as_ref()),
                    ..about(&id_documents)
                };
                let mut check = script.build(planned, &check_type, used, None, &subject);
                let first_fields = self
                    .resources
                    .iter()
                    .position(|r| matches!(r.body, ResourceBody::IdDocument { .. }))
                    .and_then(|i| self.fields_of(i));
                let profile_id =
                    self.add_json(&fields::generated_profile(first_fields.as_ref()), now_ms);
                check.generated_profile = Some(profile_id);
                if matches!(
                    check_type,
                    CheckType::WatchlistScreening | CheckType::WatchlistAdvancedCa
                ) {
                    let hits = i64::from(check.value == RecommendationValue::Consider);
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
                vec![(
                    new_id(),
                    script.build(planned, &check_type, used, None, &about(&all_documents)),
                )]
            }
        }
    }
}

/// The subject of a check that reads these documents.
fn about<'d>(docs: &[&'d DocumentRef]) -> CheckSubject<'d> {
    CheckSubject {
        documents: Some(docs.iter().map(|d| d.key()).collect()),
        ..CheckSubject::default()
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

//! A created session's requirements (`capture.required_resources` of its configuration): which
//! resources the user must provide, derived from the specification, and which added resource
//! meets each.
//!
//! * One `ID_DOCUMENT` requirement per `required_documents` entry of that type. When the
//!   checks or tasks need an ID document and none is listed, one is added (two for
//!   `ID_DOCUMENT_COMPARISON`, which compares two documents), accepting every supported
//!   document that is strictly Latin.
//! * One `SUPPLEMENTARY_DOCUMENT` requirement per entry of that type, with its objective.
//! * One `LIVENESS` requirement per liveness type the `LIVENESS` checks ask for.
//! * One `FACE_CAPTURE` requirement when `FACE_COMPARISON` is requested (the relying business
//!   uploads that image, so finishing does not wait for it).

use idv_model::{CheckType, LivenessType, TaskType};
use serde_json::{Value, json};

use crate::live::plan::{Plan, PlannedDocument};
use crate::supported_documents::{DocFilter, catalogue};

/// The checks that read an ID document.
const NEEDS_ID_DOCUMENT: [CheckType; 11] = [
    CheckType::IdDocumentAuthenticity,
    CheckType::IdDocumentFaceMatch,
    CheckType::IdDocumentComparison,
    CheckType::IbvVisualReviewCheck,
    CheckType::DocumentSchemeValidityCheck,
    CheckType::ProfileDocumentMatch,
    CheckType::ThirdPartyIdentity,
    CheckType::ThirdPartyIdentityFraud1,
    CheckType::WatchlistScreening,
    CheckType::WatchlistAdvancedCa,
    CheckType::SynecticsIdentityFraud,
];

/// What a requirement asks for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RequirementKind {
    IdDocument {
        filter: DocFilter,
    },
    Supplementary {
        objective: Option<String>,
        document_types: Vec<String>,
        country_codes: Vec<String>,
    },
    Liveness {
        liveness_type: LivenessType,
    },
    FaceCapture,
}

impl RequirementKind {
    /// The wire `type`.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Self::IdDocument { .. } => "ID_DOCUMENT",
            Self::Supplementary { .. } => "SUPPLEMENTARY_DOCUMENT",
            Self::Liveness { .. } => "LIVENESS",
            Self::FaceCapture => "FACE_CAPTURE",
        }
    }
}

/// One requirement and the resource that meets it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Requirement {
    pub(crate) id: String,
    pub(crate) kind: RequirementKind,
    pub(crate) resource_id: Option<String>,
}

impl Requirement {
    fn new(kind: RequirementKind) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            resource_id: None,
        }
    }

    /// Whether `finish` waits for this requirement.
    pub(crate) fn needed_to_finish(&self) -> bool {
        !matches!(self.kind, RequirementKind::FaceCapture)
    }

    /// Whether a supplementary document of this type and country meets it (an empty list
    /// allows any).
    pub(crate) fn accepts_supplementary(&self, doc_type: &str, country: &str) -> bool {
        match &self.kind {
            RequirementKind::Supplementary {
                document_types,
                country_codes,
                ..
            } => {
                (document_types.is_empty() || document_types.iter().any(|t| t == doc_type))
                    && (country_codes.is_empty() || country_codes.iter().any(|c| c == country))
            }
            _ => false,
        }
    }

    /// Whether an ID document of this type and country meets it.
    pub(crate) fn accepts_id_document(&self, doc_type: &str, country: &str) -> bool {
        match &self.kind {
            RequirementKind::IdDocument { filter } => {
                catalogue().accepts(filter, country, doc_type)
            }
            _ => false,
        }
    }
}

/// The requirements a plan implies, each with a fresh id.
pub(crate) fn requirements_for(plan: &Plan) -> Vec<Requirement> {
    let mut out = Vec::new();
    let mut id_documents = 0usize;
    for document in &plan.documents {
        if let PlannedDocument::Id { filter } = document {
            out.push(Requirement::new(RequirementKind::IdDocument {
                filter: filter.clone(),
            }));
            id_documents += 1;
        }
    }
    let needs_id = NEEDS_ID_DOCUMENT.iter().any(|c| plan.has_check(c))
        || plan.has_task(&TaskType::IdDocumentTextDataExtraction);
    let wanted = if plan.has_check(&CheckType::IdDocumentComparison) {
        2
    } else {
        usize::from(needs_id)
    };
    for _ in id_documents..wanted {
        out.push(Requirement::new(RequirementKind::IdDocument {
            filter: DocFilter::default(),
        }));
    }
    for document in &plan.documents {
        if let PlannedDocument::Supplementary {
            objective,
            document_types,
            country_codes,
        } = document
        {
            out.push(Requirement::new(RequirementKind::Supplementary {
                objective: objective.clone(),
                document_types: document_types.clone(),
                country_codes: country_codes.clone(),
            }));
        }
    }
    let mut liveness_types: Vec<LivenessType> = Vec::new();
    for check in &plan.checks {
        if check.check_type == Some(CheckType::Liveness) {
            let liveness_type = check.liveness_type.clone().unwrap_or(LivenessType::Zoom);
            if !liveness_types.contains(&liveness_type) {
                liveness_types.push(liveness_type);
            }
        }
    }
    for liveness_type in liveness_types {
        out.push(Requirement::new(RequirementKind::Liveness {
            liveness_type,
        }));
    }
    if plan.has_check(&CheckType::FaceComparison) {
        out.push(Requirement::new(RequirementKind::FaceCapture));
    }
    out
}

/// The `capture.required_resources` entry of a requirement (§5.3 of the reference).
pub(crate) fn requirement_json(requirement: &Requirement, plan: &Plan) -> Value {
    let source = match requirement.kind {
        // The relying business uploads face captures.
        RequirementKind::FaceCapture => "RELYING_BUSINESS",
        _ if plan.ibv_mandatory => "IBV",
        _ => "END_USER",
    };
    let mut entry = json!({
        "type": requirement.kind.type_name(),
        "id": requirement.id,
        "state": "REQUIRED",
        "allowed_sources": [{"type": source}],
    });
    let tasks_of = |task_type: TaskType| -> Vec<Value> {
        plan.tasks
            .iter()
            .filter(|t| t.task_type == task_type)
            .map(|t| json!({"type": t.task_type.as_str(), "state": "REQUIRED"}))
            .collect()
    };
    let fields = match &requirement.kind {
        RequirementKind::IdDocument { filter } => {
            let attempts = if plan.text_extraction_attempts.is_empty() {
                json!({"GENERIC": 3})
            } else {
                json!(plan.text_extraction_attempts)
            };
            json!({
                "requested_tasks": tasks_of(TaskType::IdDocumentTextDataExtraction),
                "supported_countries": catalogue().allowed(filter),
                "allowed_capture_methods": plan
                    .allowed_capture_methods
                    .as_deref()
                    .unwrap_or("CAMERA_AND_UPLOAD"),
                "attempts_remaining": attempts,
            })
        }
        RequirementKind::Supplementary {
            objective,
            document_types,
            country_codes,
        } => {
            let mut fields = json!({
                "requested_tasks": tasks_of(TaskType::SupplementaryDocumentTextDataExtraction),
                "document_types": document_types,
                "country_codes": country_codes,
            });
            if let Some(objective) = objective {
                fields["objective"] = json!({"type": objective});
            }
            fields
        }
        RequirementKind::Liveness { liveness_type } => {
            json!({"liveness_type": liveness_type.as_str()})
        }
        RequirementKind::FaceCapture => json!({}),
    };
    if let (Value::Object(entry), Value::Object(fields)) = (&mut entry, fields) {
        entry.extend(fields);
    }
    entry
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::plan::{PlannedCheck, PlannedTask};

    fn kinds(plan: &Plan) -> Vec<&'static str> {
        requirements_for(plan)
            .iter()
            .map(|r| r.kind.type_name())
            .collect()
    }

    #[test]
    fn implied_requirements() {
        assert!(kinds(&Plan::default()).is_empty());
        let mut plan = Plan::default();
        plan.tasks.push(PlannedTask {
            task_type: TaskType::IdDocumentTextDataExtraction,
            expanded_fields: false,
        });
        assert_eq!(kinds(&plan), ["ID_DOCUMENT"]);
        plan.checks
            .push(PlannedCheck::of(CheckType::IdDocumentComparison));
        plan.checks.push(PlannedCheck {
            liveness_type: Some(LivenessType::Static),
            ..PlannedCheck::of(CheckType::Liveness)
        });
        plan.checks.push(PlannedCheck::of(CheckType::Liveness));
        plan.checks
            .push(PlannedCheck::of(CheckType::FaceComparison));
        assert_eq!(
            kinds(&plan),
            [
                "ID_DOCUMENT",
                "ID_DOCUMENT",
                "LIVENESS",
                "LIVENESS",
                "FACE_CAPTURE"
            ]
        );
        let ids: std::collections::HashSet<String> =
            requirements_for(&plan).into_iter().map(|r| r.id).collect();
        assert_eq!(ids.len(), 5, "fresh ids");
    }

    #[test]
    fn listed_documents_come_first_and_count() {
        let plan = Plan {
            documents: vec![
                PlannedDocument::Supplementary {
                    objective: Some("PROOF_OF_ADDRESS".to_owned()),
                    document_types: vec!["UTILITY_BILL".to_owned()],
                    country_codes: vec![],
                },
                PlannedDocument::Id {
                    filter: DocFilter::default(),
                },
            ],
            checks: vec![PlannedCheck::of(CheckType::IdDocumentAuthenticity)],
            ..Plan::default()
        };
        let requirements = requirements_for(&plan);
        assert_eq!(
            requirements
                .iter()
                .map(|r| r.kind.type_name())
                .collect::<Vec<_>>(),
            ["ID_DOCUMENT", "SUPPLEMENTARY_DOCUMENT"]
        );
        let supplementary = &requirements[1];
        assert!(supplementary.accepts_supplementary("UTILITY_BILL", "FRA"));
        assert!(!supplementary.accepts_supplementary("BANK_STATEMENT", "GBR"));
        let json = requirement_json(supplementary, &plan);
        assert_eq!(json["objective"], json!({"type": "PROOF_OF_ADDRESS"}));
        assert_eq!(json["allowed_sources"], json!([{"type": "END_USER"}]));
        let id = requirement_json(&requirements[0], &plan);
        assert_eq!(id["allowed_capture_methods"], "CAMERA_AND_UPLOAD");
        assert!(
            id["supported_countries"]
                .as_array()
                .is_some_and(|c| c.len() > 50)
        );
    }
}

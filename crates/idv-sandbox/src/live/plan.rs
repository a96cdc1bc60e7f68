//! What a created session will do, read once from its specification: the checks and tasks to
//! run, the documents to collect, the lifetimes, and the few `sdk_config` keys the
//! configuration reflects. The rest of the sandbox works on this, not on the specification.

use std::collections::BTreeMap;

use idv_model::{CheckType, LivenessType, TaskType, WatchlistSearchConfig};
use serde_json::{Map, Value};

use crate::supported_documents::DocFilter;

/// One requested check and the parts of its config that shape its result.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct PlannedCheck {
    pub(crate) check_type: Option<CheckType>,
    /// `manual_check` (`ALWAYS`, `FALLBACK`, `NEVER`).
    pub(crate) manual_check: Option<String>,
    /// `LIVENESS`: the liveness type.
    pub(crate) liveness_type: Option<LivenessType>,
    /// `DOCUMENT_SCHEME_VALIDITY_CHECK`: the scheme.
    pub(crate) scheme: Option<String>,
    /// The watchlist checks: the search configuration the report echoes.
    pub(crate) search_config: Option<WatchlistSearchConfig>,
    /// `ID_DOCUMENT_AUTHENTICITY`: whether the issuing-authority sub-check was requested.
    pub(crate) issuing_authority: bool,
}

impl PlannedCheck {
    /// A check of this type with no config.
    pub(crate) fn of(check_type: CheckType) -> Self {
        Self {
            check_type: Some(check_type),
            ..Self::default()
        }
    }

    /// The wire type.
    pub(crate) fn type_name(&self) -> &str {
        self.check_type.as_ref().map_or("", CheckType::as_str)
    }
}

/// One requested task.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlannedTask {
    pub(crate) task_type: TaskType,
    /// `create_expanded_document_fields`.
    pub(crate) expanded_fields: bool,
}

/// One entry of `required_documents`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PlannedDocument {
    /// `ID_DOCUMENT` with its filter.
    Id { filter: DocFilter },
    /// `SUPPLEMENTARY_DOCUMENT`.
    Supplementary {
        objective: Option<String>,
        document_types: Vec<String>,
        country_codes: Vec<String>,
    },
}

/// Everything a created session needs from its specification.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Plan {
    /// `client_session_token_ttl`, seconds.
    pub(crate) token_ttl_secs: Option<i64>,
    /// `session_deadline`: the text sent and the instant it names (epoch milliseconds).
    pub(crate) deadline: Option<(String, u64)>,
    pub(crate) user_tracking_id: Option<String>,
    pub(crate) checks: Vec<PlannedCheck>,
    pub(crate) tasks: Vec<PlannedTask>,
    pub(crate) documents: Vec<PlannedDocument>,
    /// `ibv_options.support` is `MANDATORY`: resources come from a branch (`IBV`).
    pub(crate) ibv_mandatory: bool,
    /// `block_biometric_consent`.
    pub(crate) block_biometric_consent: bool,
    /// `resources.applicant_profile`, as given.
    pub(crate) applicant_profile: Option<Map<String, Value>>,
    /// `sdk_config.allowed_capture_methods`.
    pub(crate) allowed_capture_methods: Option<String>,
    /// `sdk_config.attempts_configuration.ID_DOCUMENT_TEXT_DATA_EXTRACTION`.
    pub(crate) text_extraction_attempts: BTreeMap<String, i64>,
    /// `sdk_config.suppressed_screens`.
    pub(crate) suppressed_screens: Vec<String>,
}

impl Plan {
    /// Whether a check of this type was requested.
    pub(crate) fn has_check(&self, check_type: &CheckType) -> bool {
        self.checks
            .iter()
            .any(|c| c.check_type.as_ref() == Some(check_type))
    }

    /// Whether a task of this type was requested.
    pub(crate) fn has_task(&self, task_type: &TaskType) -> bool {
        self.tasks.iter().any(|t| &t.task_type == task_type)
    }
}

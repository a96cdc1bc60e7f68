//! Reading a create-session specification (`idv_model::spec`) into a [`Plan`], and the
//! `400 PAYLOAD_VALIDATION` errors of a body that is not a valid specification.

use http::StatusCode;
use idv_model::spec::{
    FilterType, IbvSupport, Inclusion, RequestedCheck, RequestedTask, RequiredDocumentType,
    SessionSpec, WatchlistAdvancedCaConfig,
};
use idv_model::{MatchingStrategy, Tags, TaskType, WatchlistSearchConfig, WatchlistSources};

use crate::api_error::ApiError;
use crate::live::plan::{Plan, PlannedCheck, PlannedDocument, PlannedTask};
use crate::supported_documents::{DocFilter, DocumentEntry, FilterRule, Restriction};

/// Reads a `POST /sessions` body: it must parse as a specification and pass its validation.
///
/// # Errors
/// `400 PAYLOAD_VALIDATION` whose `errors` name each property at fault.
pub(crate) fn parse_spec(body: &[u8]) -> Result<SessionSpec, ApiError> {
    let spec = SessionSpec::from_slice(body).map_err(|e| parse_error(&e))?;
    spec.validate().map_err(|e| {
        ApiError::validation(
            e.violations()
                .iter()
                .map(|v| (v.path().to_owned(), v.kind().to_string()))
                .collect(),
        )
    })?;
    Ok(spec)
}

/// A parse error as a validation error. The entries of `requested_checks` and
/// `requested_tasks` read their `config` after their `type`, and report a failure inside it
/// as `config.<path>: <message>` at the entry: that path is joined to the property.
fn parse_error(error: &idv_model::ParseError) -> ApiError {
    let mut api = crate::api_error::from_parse_error(error);
    if let Some((property, message)) = api.errors.first_mut()
        && let Some((inner, rest)) = message.split_once(": ")
        && (inner == "config" || inner.starts_with("config.") || inner.starts_with("config["))
        && !inner.contains(' ')
    {
        *property = format!("{property}.{inner}");
        *message = rest.to_owned();
    }
    api
}

fn manual(check: Option<&idv_model::spec::ManualCheck>) -> Option<String> {
    check.map(|m| m.as_str().to_owned())
}

/// What the report of an advanced CA check echoes of its config (never the `api_key`).
fn advanced_ca_search_config(config: &WatchlistAdvancedCaConfig) -> WatchlistSearchConfig {
    let mut out = WatchlistSearchConfig::default();
    out.search_type.clone_from(&config.search_type);
    out.remove_deceased = config.remove_deceased;
    out.share_url = config.share_url;
    out.sources = config.sources.as_ref().map(|s| {
        let mut sources = WatchlistSources::default();
        sources.sources_type.clone_from(&s.sources_type);
        sources.search_profile.clone_from(&s.search_profile);
        sources.types = s.types.clone().unwrap_or_default();
        sources
    });
    out.matching_strategy = config.matching_strategy.as_ref().map(|m| {
        let mut strategy = MatchingStrategy::default();
        strategy.strategy_type.clone_from(&m.strategy_type);
        strategy.exact_match = m.exact_match;
        strategy.fuzziness.clone_from(&m.fuzziness);
        strategy
    });
    out.monitoring = config.monitoring;
    out.tags = config.tags.clone().map(Tags::Map);
    out.client_ref.clone_from(&config.client_ref);
    out
}

fn planned_check(check: &RequestedCheck) -> PlannedCheck {
    let mut planned = PlannedCheck::of(check.kind());
    match check {
        RequestedCheck::IdDocumentAuthenticity(entry) => {
            if let Some(config) = &entry.config {
                planned.manual_check = manual(config.manual_check.as_ref());
                planned.issuing_authority = config
                    .issuing_authority_sub_check
                    .as_ref()
                    .is_some_and(|s| s.requested == Some(true));
            }
        }
        RequestedCheck::IdDocumentFaceMatch(entry) => {
            planned.manual_check = entry
                .config
                .as_ref()
                .and_then(|c| manual(c.manual_check.as_ref()));
        }
        RequestedCheck::FaceComparison(entry) => {
            planned.manual_check = entry
                .config
                .as_ref()
                .and_then(|c| manual(c.manual_check.as_ref()));
        }
        RequestedCheck::Liveness(entry) => {
            if let Some(config) = &entry.config {
                planned.liveness_type.clone_from(&config.liveness_type);
                planned.manual_check = manual(config.manual_check.as_ref());
            }
        }
        RequestedCheck::WatchlistScreening(entry) => {
            let mut search = WatchlistSearchConfig::default();
            search.categories = entry
                .config
                .as_ref()
                .and_then(|c| c.categories.as_ref())
                .map(|c| c.iter().map(|c| c.as_str().to_owned()).collect())
                .unwrap_or_default();
            planned.search_config = Some(search);
        }
        RequestedCheck::WatchlistAdvancedCa(entry) => {
            planned.search_config = Some(
                entry
                    .config
                    .as_ref()
                    .map(advanced_ca_search_config)
                    .unwrap_or_default(),
            );
        }
        RequestedCheck::DocumentSchemeValidityCheck(entry) => {
            planned.scheme = entry.config.as_ref().and_then(|c| c.scheme.clone());
        }
        _ => {}
    }
    planned
}

fn restriction(inclusion: Option<&Inclusion>, values: Option<&Vec<String>>) -> Restriction {
    Restriction {
        // An inclusion this version does not know is read as a whitelist: the narrower choice.
        include: !matches!(inclusion, Some(Inclusion::Blacklist)),
        values: values.cloned().unwrap_or_default(),
    }
}

fn doc_filter(filter: Option<&idv_model::spec::DocumentFilter>) -> DocFilter {
    let Some(filter) = filter else {
        return DocFilter::default();
    };
    let rule = match &filter.filter_type {
        Some(FilterType::OrthogonalRestrictions) => FilterRule::Orthogonal {
            countries: filter
                .country_restriction
                .as_ref()
                .map(|c| restriction(c.inclusion.as_ref(), c.country_codes.as_ref())),
            types: filter
                .type_restriction
                .as_ref()
                .map(|t| restriction(t.inclusion.as_ref(), t.document_types.as_ref())),
        },
        Some(FilterType::DocumentRestrictions) => FilterRule::Documents {
            include: !matches!(filter.inclusion, Some(Inclusion::Blacklist)),
            entries: filter
                .documents
                .iter()
                .flatten()
                .map(|d| DocumentEntry {
                    countries: d.country_codes.clone().unwrap_or_default(),
                    types: d.document_types.clone().unwrap_or_default(),
                })
                .collect(),
        },
        _ => FilterRule::Any,
    };
    DocFilter {
        rule,
        allow_non_latin: filter.allow_non_latin_documents == Some(true),
    }
}

/// The plan of a valid specification received at `now_ms`.
///
/// # Errors
/// `400 PAYLOAD_VALIDATION` on `session_deadline` when it is not in the future.
pub(crate) fn plan_from_spec(spec: &SessionSpec, now_ms: u64) -> Result<Plan, ApiError> {
    let deadline = match &spec.session_deadline {
        Some(text) => {
            let millis = text
                .unix_millis()
                .and_then(|m| u64::try_from(m).ok())
                .filter(|m| *m > now_ms)
                .ok_or_else(|| ApiError::invalid("session_deadline", "must be in the future"))?;
            Some((text.as_str().to_owned(), millis))
        }
        None => None,
    };
    let tasks = spec
        .requested_tasks
        .iter()
        .flatten()
        .map(|task| PlannedTask {
            task_type: task.kind(),
            expanded_fields: matches!(
                task,
                RequestedTask::IdDocumentTextDataExtraction(entry)
                    if entry.config.as_ref().and_then(|c| c.create_expanded_document_fields)
                        == Some(true)
            ),
        })
        .filter(|task| !matches!(&task.task_type, TaskType::Other(t) if t.is_empty()))
        .collect();
    let documents = spec
        .required_documents
        .iter()
        .flatten()
        .filter_map(|document| match &document.document_type {
            Some(RequiredDocumentType::IdDocument) => Some(PlannedDocument::Id {
                filter: doc_filter(document.filter.as_ref()),
            }),
            Some(RequiredDocumentType::SupplementaryDocument) => {
                Some(PlannedDocument::Supplementary {
                    objective: document
                        .objective
                        .as_ref()
                        .and_then(|o| o.objective_type.as_ref())
                        .map(|t| t.as_str().to_owned()),
                    document_types: document.document_types.clone().unwrap_or_default(),
                    country_codes: document.country_codes.clone().unwrap_or_default(),
                })
            }
            // A type this version does not know asks for nothing it can collect.
            _ => None,
        })
        .collect();
    let sdk = spec.sdk_config.as_ref();
    Ok(Plan {
        token_ttl_secs: spec.client_session_token_ttl,
        deadline,
        user_tracking_id: spec.user_tracking_id.clone(),
        checks: spec
            .requested_checks
            .iter()
            .flatten()
            .map(planned_check)
            .collect(),
        tasks,
        documents,
        ibv_mandatory: spec
            .ibv_options
            .as_ref()
            .is_some_and(|o| o.support == Some(IbvSupport::Mandatory)),
        block_biometric_consent: spec.block_biometric_consent == Some(true),
        applicant_profile: spec
            .resources
            .as_ref()
            .and_then(|r| r.applicant_profile.clone()),
        allowed_capture_methods: sdk
            .and_then(|s| s.allowed_capture_methods.as_ref())
            .map(|m| m.as_str().to_owned()),
        text_extraction_attempts: sdk
            .and_then(|s| s.attempts_configuration.as_ref())
            .and_then(|a| a.id_document_text_data_extraction.clone())
            .unwrap_or_default(),
        suppressed_screens: sdk
            .and_then(|s| s.suppressed_screens.as_ref())
            .map(|screens| screens.iter().map(|s| s.as_str().to_owned()).collect())
            .unwrap_or_default(),
    })
}

/// `413` for a specification above the size limit.
pub(crate) fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        format!(
            "a session specification is at most {} bytes",
            crate::limits::MAX_SPECIFICATION_BODY
        ),
    )
}

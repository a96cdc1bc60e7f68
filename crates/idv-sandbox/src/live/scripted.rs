//! Scripted outcomes: a sandbox response config (`idv_model::response_config`, §5.11 of the
//! reference) read once, and the configured result it holds for each check and task a session
//! runs.
//!
//! Which entry applies: the entries of a check or task type are tried in order and the first
//! that matches the check's subject wins.
//!
//! * `document_filter` must accept the document (per-document checks and tasks), one of the
//!   documents used (session-wide checks), or the first of the two compared documents
//!   (`ID_DOCUMENT_COMPARISON`, whose `secondary_document_filter` must accept the second).
//!   Checks that read no document (`LIVENESS`, `FACE_COMPARISON`) ignore it.
//! * `liveness_type` must be the capture's (`LIVENESS`).
//! * `sources_filter` must describe the requested check's sources: the same type and search
//!   profile, or the same list of types in any order (`WATCHLIST_ADVANCED_CA`).
//!
//! No matching entry, or no entry for that type: the sandbox's default result.

use std::sync::Arc;

use idv_model::response_config::{
    CheckResponse, DocumentFilter, ResponseConfig, SourcesFilter, TaskResponse,
};
use idv_model::{CheckType, LivenessType, TaskType, WatchlistSources, WatchlistSourcesType};

use crate::api_error::{ApiError, from_parse_error};
use crate::media::MediaContent;

/// A validated response config, with its ID photos decoded once (sessions share the bytes).
#[derive(Debug)]
pub(crate) struct ScriptedConfig {
    config: ResponseConfig,
    /// The decoded `result.document_id_photo` of each `ID_DOCUMENT_TEXT_DATA_EXTRACTION`
    /// entry, in order.
    id_photos: Vec<Option<MediaContent>>,
    /// The size of the body it was read from, in bytes.
    pub(crate) body_len: usize,
}

/// A document a check or task looks at: its type and issuing country.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DocumentKey<'a> {
    pub(crate) document_type: &'a str,
    pub(crate) issuing_country: &'a str,
}

/// What a check is about, for choosing its configured entry.
#[derive(Debug, Default)]
pub(crate) struct CheckSubject<'a> {
    /// The documents it uses; `None` for checks that read no document.
    pub(crate) documents: Option<Vec<DocumentKey<'a>>>,
    /// `ID_DOCUMENT_COMPARISON`: the filters apply to the first and second documents.
    pub(crate) comparison: bool,
    /// `LIVENESS`: the capture's type.
    pub(crate) liveness_type: Option<&'a LivenessType>,
    /// `WATCHLIST_ADVANCED_CA`: the sources the check was requested with.
    pub(crate) sources: Option<&'a WatchlistSources>,
}

impl ScriptedConfig {
    /// Reads a `PUT …/response-config` body: it must parse as a response config and pass its
    /// validation.
    ///
    /// # Errors
    /// `400 PAYLOAD_VALIDATION` whose `errors` name each property at fault (`body` when the
    /// document is not JSON).
    pub(crate) fn parse(body: &[u8]) -> Result<Self, ApiError> {
        let config = ResponseConfig::from_slice(body).map_err(|e| from_parse_error(&e))?;
        config.validate().map_err(|e| {
            ApiError::validation(
                e.violations()
                    .iter()
                    .map(|v| (v.path().to_owned(), v.kind().to_string()))
                    .collect(),
            )
        })?;
        let id_photos = config
            .task_results
            .as_ref()
            .map(|t| t.for_task(&TaskType::IdDocumentTextDataExtraction))
            .unwrap_or_default()
            .iter()
            .map(|task| {
                let photo = task.result.as_ref()?.document_id_photo.as_ref()?;
                // Validation checked the base64 and that the type is a media type.
                let bytes = photo.decode_data()?;
                Some(MediaContent {
                    content_type: canonical_content_type(photo.content_type.as_deref()?),
                    bytes: bytes.into(),
                })
            })
            .collect();
        Ok(Self {
            config,
            id_photos,
            body_len: body.len(),
        })
    }

    /// `check_reports.async_report_delay`, in milliseconds (0 when not set).
    pub(crate) fn async_report_delay_ms(&self) -> u64 {
        self.config
            .check_reports
            .as_ref()
            .and_then(|r| r.async_report_delay_duration())
            .map_or(0, duration_ms)
    }

    /// The configured result for a check of this type about `subject`, if any applies.
    pub(crate) fn check(
        &self,
        check_type: &CheckType,
        subject: &CheckSubject<'_>,
    ) -> Option<&CheckResponse> {
        self.config
            .check_reports
            .as_ref()?
            .for_check(check_type)
            .iter()
            .find(|entry| check_matches(entry, subject))
    }

    /// The configured result for a task of this type on this document, with the ID photo it
    /// sets, if any applies.
    pub(crate) fn task(
        &self,
        task_type: &TaskType,
        document: DocumentKey<'_>,
    ) -> Option<(&TaskResponse, Option<&MediaContent>)> {
        let entries = self.config.task_results.as_ref()?.for_task(task_type);
        let index = entries
            .iter()
            .position(|entry| filter_accepts(entry.document_filter.as_ref(), Some(document)))?;
        let photo = match task_type {
            TaskType::IdDocumentTextDataExtraction => {
                self.id_photos.get(index).and_then(Option::as_ref)
            }
            _ => None,
        };
        Some((&entries[index], photo))
    }
}

/// Shares a config between the sessions that use it.
pub(crate) type SharedConfig = Arc<ScriptedConfig>;

/// A duration in whole milliseconds, saturating.
pub(crate) fn duration_ms(duration: std::time::Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// The `Content-Type` the ID photo is served with: the canonical form of a type
/// `idv_model::content_type` knows (`image/jpg` → `image/jpeg`), else
/// `application/octet-stream`.
fn canonical_content_type(content_type: &str) -> &'static str {
    idv_model::content_type::extension_for(content_type)
        .and_then(idv_model::content_type::content_type_for)
        .unwrap_or("application/octet-stream")
}

fn filter_accepts(filter: Option<&DocumentFilter>, document: Option<DocumentKey<'_>>) -> bool {
    filter.is_none_or(|f| {
        f.matches(
            document.map(|d| d.document_type),
            document.map(|d| d.issuing_country),
        )
    })
}

fn sources_match(filter: &SourcesFilter, sources: Option<&WatchlistSources>) -> bool {
    let Some(sources) = sources else {
        return false;
    };
    if filter.sources_type != sources.sources_type {
        return false;
    }
    match filter.sources_type {
        Some(WatchlistSourcesType::Profile) => filter.search_profile == sources.search_profile,
        Some(WatchlistSourcesType::TypeList) => {
            let mut wanted: Vec<&str> = filter.types.iter().flatten().map(String::as_str).collect();
            let mut given: Vec<&str> = sources.types.iter().map(String::as_str).collect();
            wanted.sort_unstable();
            wanted.dedup();
            given.sort_unstable();
            given.dedup();
            wanted == given
        }
        _ => true,
    }
}

fn check_matches(entry: &CheckResponse, subject: &CheckSubject<'_>) -> bool {
    let documents_ok = match &subject.documents {
        // Checks that read no document ignore the document filters.
        None => true,
        Some(documents) if subject.comparison => {
            filter_accepts(entry.document_filter.as_ref(), documents.first().copied())
                && filter_accepts(
                    entry.secondary_document_filter.as_ref(),
                    documents.get(1).copied(),
                )
        }
        Some(documents) if documents.is_empty() => {
            filter_accepts(entry.document_filter.as_ref(), None)
        }
        Some(documents) => documents
            .iter()
            .any(|d| filter_accepts(entry.document_filter.as_ref(), Some(*d))),
    };
    let liveness_ok = match (&entry.liveness_type, subject.liveness_type) {
        (Some(wanted), Some(given)) => wanted == given,
        _ => true,
    };
    let sources_ok = entry
        .sources_filter
        .as_ref()
        .is_none_or(|f| sources_match(f, subject.sources));
    documents_ok && liveness_ok && sources_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(json: serde_json::Value) -> ScriptedConfig {
        ScriptedConfig::parse(&serde_json::to_vec(&json).expect("json")).expect("valid")
    }

    fn approve(value: &str) -> serde_json::Value {
        serde_json::json!({"result": {"report": {"recommendation": {"value": value}}}})
    }

    #[test]
    fn entries_are_tried_in_order_against_the_subject() {
        let mut gbr_passport = approve("REJECT");
        gbr_passport["document_filter"] =
            serde_json::json!({"document_types": ["PASSPORT"], "country_codes": ["GBR"]});
        let config = config(serde_json::json!({"check_reports": {
            "ID_DOCUMENT_AUTHENTICITY": [gbr_passport, approve("APPROVE")],
            "LIVENESS": [{"result": {"report": {"recommendation": {"value": "REJECT"}}},
                          "liveness_type": "STATIC"}],
            "async_report_delay": 7
        }}));
        let pick = |document_type, issuing_country| {
            let subject = CheckSubject {
                documents: Some(vec![DocumentKey {
                    document_type,
                    issuing_country,
                }]),
                ..CheckSubject::default()
            };
            config
                .check(&CheckType::IdDocumentAuthenticity, &subject)
                .and_then(CheckResponse::recommendation_value)
                .map(|v| v.as_str().to_owned())
        };
        assert_eq!(pick("PASSPORT", "GBR").as_deref(), Some("REJECT"));
        assert_eq!(pick("PASSPORT", "FRA").as_deref(), Some("APPROVE"));
        let zoom = CheckSubject {
            liveness_type: Some(&LivenessType::Zoom),
            ..CheckSubject::default()
        };
        assert!(config.check(&CheckType::Liveness, &zoom).is_none());
        let still = CheckSubject {
            liveness_type: Some(&LivenessType::Static),
            ..CheckSubject::default()
        };
        assert!(config.check(&CheckType::Liveness, &still).is_some());
        assert!(
            config
                .check(&CheckType::FaceComparison, &CheckSubject::default())
                .is_none()
        );
        assert_eq!(config.async_report_delay_ms(), 7_000);
    }

    #[test]
    fn comparison_and_sources_filters() {
        let mut comparison = approve("REJECT");
        comparison["document_filter"] = serde_json::json!({"document_types": ["PASSPORT"]});
        comparison["secondary_document_filter"] =
            serde_json::json!({"document_types": ["DRIVING_LICENCE"]});
        let mut profile = approve("CONSIDER");
        profile["sources_filter"] =
            serde_json::json!({"type": "TYPE_LIST", "types": ["sanction", "pep"]});
        let config = config(serde_json::json!({"check_reports": {
            "ID_DOCUMENT_COMPARISON": [comparison],
            "WATCHLIST_ADVANCED_CA": [profile]
        }}));
        let doc = |document_type| DocumentKey {
            document_type,
            issuing_country: "GBR",
        };
        let compare = |first, second| CheckSubject {
            documents: Some(vec![doc(first), doc(second)]),
            comparison: true,
            ..CheckSubject::default()
        };
        let check = CheckType::IdDocumentComparison;
        assert!(
            config
                .check(&check, &compare("PASSPORT", "DRIVING_LICENCE"))
                .is_some()
        );
        assert!(
            config
                .check(&check, &compare("DRIVING_LICENCE", "PASSPORT"))
                .is_none()
        );

        let mut sources = WatchlistSources::default();
        sources.sources_type = Some(WatchlistSourcesType::TypeList);
        sources.types = vec!["pep".to_owned(), "sanction".to_owned()];
        let subject = CheckSubject {
            sources: Some(&sources),
            ..CheckSubject::default()
        };
        assert!(
            config
                .check(&CheckType::WatchlistAdvancedCa, &subject)
                .is_some()
        );
        sources.types.pop();
        let subject = CheckSubject {
            sources: Some(&sources),
            ..CheckSubject::default()
        };
        assert!(
            config
                .check(&CheckType::WatchlistAdvancedCa, &subject)
                .is_none()
        );
    }

    #[test]
    fn id_photos_are_decoded_once_with_a_canonical_type() {
        let config = config(serde_json::json!({"task_results": {
            "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [
                {"result": {"document_fields": {"full_name": "A"}},
                 "document_filter": {"country_codes": ["FRA"]}},
                {"result": {"document_id_photo": {"content_type": "image/jpg", "data": "/9j/4A=="}}}
            ]
        }}));
        let gbr = DocumentKey {
            document_type: "PASSPORT",
            issuing_country: "GBR",
        };
        let (_, photo) = config
            .task(&TaskType::IdDocumentTextDataExtraction, gbr)
            .expect("second entry");
        let photo = photo.expect("photo");
        assert_eq!(photo.content_type, "image/jpeg");
        assert_eq!(&photo.bytes[..], b"\xff\xd8\xff\xe0");
        assert!(
            config
                .task(&TaskType::SupplementaryDocumentTextDataExtraction, gbr)
                .is_none()
        );
    }

    #[test]
    fn huge_delays_saturate() {
        let config = config(serde_json::json!({"check_reports": {"async_report_delay": i64::MAX}}));
        assert_eq!(config.async_report_delay_ms(), u64::MAX);
        assert_eq!(
            u64::MAX.saturating_add(config.async_report_delay_ms()),
            u64::MAX
        );
    }

    #[test]
    fn invalid_configs_name_their_paths() {
        let err = ScriptedConfig::parse(br#"{"check_reports": {"async_report_delay": "soon"}}"#)
            .expect_err("wrong type");
        assert_eq!(err.errors[0].0, "check_reports.async_report_delay");
        let err = ScriptedConfig::parse(br#"{"check_reports": {"LIVENESS": [{"result": {}}]}}"#)
            .expect_err("no report");
        assert_eq!(err.errors[0].0, "check_reports.LIVENESS[0].result.report");
        assert_eq!(err.code, "PAYLOAD_VALIDATION");
    }
}

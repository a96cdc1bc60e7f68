//! `check_reports`: [`CheckReports`], the configured result of each check type, and
//! `async_report_delay`.

use std::time::Duration;

use super::Walker;
use super::{CheckResponse, ConfigViolationKind};
use crate::CheckType;
use crate::request_model::walk::Rules;

config_model! {
    /// `check_reports`: what each check type returns in the sandbox.
    ///
    /// Array-valued keys hold one result per matching resource, used in order (the first
    /// liveness capture gets the first `LIVENESS` entry, …); each builder call such as
    /// [`liveness`](CheckReportsBuilder::liveness) adds one entry, and the `…_list` setters
    /// set the whole array (`[]` included). The single-object keys (`THIRD_PARTY_IDENTITY`,
    /// `FACE_COMPARISON`, `THIRD_PARTY_IDENTITY_FRAUD_1`, `WATCHLIST_SCREENING`) hold one
    /// result. `async_report_delay` keeps the checks pending that many seconds after the user
    /// finishes. A check type this version does not know goes in with
    /// [`extra`](CheckReportsBuilder::extra).
    ///
    /// ```
    /// use idv_model::response_config::{CheckReports, CheckResponse};
    /// use idv_model::CheckType;
    ///
    /// let reports = CheckReports::builder()
    ///     .id_document_authenticity(CheckResponse::approve())
    ///     .third_party_identity(CheckResponse::approve())
    ///     .liveness_list(Vec::<CheckResponse>::new())
    ///     .async_report_delay(10)
    ///     .build();
    /// let approve = serde_json::json!({"result": {"report": {"recommendation": {"value": "APPROVE"}}}});
    /// assert_eq!(serde_json::to_value(&reports).unwrap(), serde_json::json!({
    ///     "ID_DOCUMENT_AUTHENTICITY": [approve],
    ///     "LIVENESS": [],
    ///     "THIRD_PARTY_IDENTITY": approve,
    ///     "async_report_delay": 10
    /// }));
    /// assert_eq!(reports.for_check(&CheckType::ThirdPartyIdentity).len(), 1);
    /// assert_eq!(reports.async_report_delay_duration(), Some(std::time::Duration::from_secs(10)));
    /// ```
    pub struct CheckReports / CheckReportsBuilder ("a check reports object") {
        /// `ID_DOCUMENT_AUTHENTICITY`.
        push id_document_authenticity / id_document_authenticity_list: CheckResponse =
            "ID_DOCUMENT_AUTHENTICITY",
        /// `ID_DOCUMENT_TEXT_DATA_CHECK` (may carry `result.document_fields`).
        push id_document_text_data_check / id_document_text_data_check_list: CheckResponse =
            "ID_DOCUMENT_TEXT_DATA_CHECK",
        /// `LIVENESS` (may carry `liveness_type`).
        push liveness / liveness_list: CheckResponse = "LIVENESS",
        /// `ID_DOCUMENT_FACE_MATCH`.
        push id_document_face_match / id_document_face_match_list: CheckResponse =
            "ID_DOCUMENT_FACE_MATCH",
        /// `ID_DOCUMENT_COMPARISON` (may carry `secondary_document_filter`).
        push id_document_comparison / id_document_comparison_list: CheckResponse =
            "ID_DOCUMENT_COMPARISON",
        /// `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK` (may carry `result.document_fields`).
        push supplementary_document_text_data_check / supplementary_document_text_data_check_list:
            CheckResponse = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
        /// `THIRD_PARTY_IDENTITY` (one object).
        one third_party_identity: CheckResponse = "THIRD_PARTY_IDENTITY",
        /// `FACE_COMPARISON` (one object).
        one face_comparison: CheckResponse = "FACE_COMPARISON",
        /// `THIRD_PARTY_IDENTITY_FRAUD_1` (one object).
        one third_party_identity_fraud_1: CheckResponse = "THIRD_PARTY_IDENTITY_FRAUD_1",
        /// `WATCHLIST_SCREENING` (one object).
        one watchlist_screening: CheckResponse = "WATCHLIST_SCREENING",
        /// `SYNECTICS_IDENTITY_FRAUD`.
        push synectics_identity_fraud / synectics_identity_fraud_list: CheckResponse =
            "SYNECTICS_IDENTITY_FRAUD",
        /// `WATCHLIST_ADVANCED_CA` (may carry `sources_filter`).
        push watchlist_advanced_ca / watchlist_advanced_ca_list: CheckResponse =
            "WATCHLIST_ADVANCED_CA",
        /// `async_report_delay`: seconds the checks stay pending after the user finishes.
        one async_report_delay: i64 = "async_report_delay",
    }
}

/// The typed `check_reports` keys, in the order they are written: check type, wire key, and
/// whether the value is an array (`true`) or one object.
const KEYS: [(CheckType, &str, bool); 12] = [
    (
        CheckType::IdDocumentAuthenticity,
        "ID_DOCUMENT_AUTHENTICITY",
        true,
    ),
    (
        CheckType::IdDocumentTextDataCheck,
        "ID_DOCUMENT_TEXT_DATA_CHECK",
        true,
    ),
    (CheckType::Liveness, "LIVENESS", true),
    (
        CheckType::IdDocumentFaceMatch,
        "ID_DOCUMENT_FACE_MATCH",
        true,
    ),
    (
        CheckType::IdDocumentComparison,
        "ID_DOCUMENT_COMPARISON",
        true,
    ),
    (
        CheckType::SupplementaryDocumentTextDataCheck,
        "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
        true,
    ),
    (CheckType::ThirdPartyIdentity, "THIRD_PARTY_IDENTITY", false),
    (CheckType::FaceComparison, "FACE_COMPARISON", false),
    (
        CheckType::ThirdPartyIdentityFraud1,
        "THIRD_PARTY_IDENTITY_FRAUD_1",
        false,
    ),
    (CheckType::WatchlistScreening, "WATCHLIST_SCREENING", false),
    (
        CheckType::SynecticsIdentityFraud,
        "SYNECTICS_IDENTITY_FRAUD",
        true,
    ),
    (
        CheckType::WatchlistAdvancedCa,
        "WATCHLIST_ADVANCED_CA",
        true,
    ),
];

impl CheckReports {
    /// The check types `check_reports` has a typed key for, in the order they are written,
    /// each with whether its value is an array (`true`) or one object (`false`).
    pub fn keys() -> impl Iterator<Item = (CheckType, bool)> {
        KEYS.into_iter()
            .map(|(check_type, _, is_array)| (check_type, is_array))
    }

    /// The configured results for one check type, in order (empty when the key is not set, or
    /// for a type `check_reports` has no typed key for: such keys are kept in `extra`).
    pub fn for_check(&self, check_type: &CheckType) -> &[CheckResponse] {
        match check_type {
            CheckType::IdDocumentAuthenticity => as_slice(&self.id_document_authenticity),
            CheckType::IdDocumentTextDataCheck => as_slice(&self.id_document_text_data_check),
            CheckType::Liveness => as_slice(&self.liveness),
            CheckType::IdDocumentFaceMatch => as_slice(&self.id_document_face_match),
            CheckType::IdDocumentComparison => as_slice(&self.id_document_comparison),
            CheckType::SupplementaryDocumentTextDataCheck => {
                as_slice(&self.supplementary_document_text_data_check)
            }
            CheckType::ThirdPartyIdentity => self.third_party_identity.as_slice(),
            CheckType::FaceComparison => self.face_comparison.as_slice(),
            CheckType::ThirdPartyIdentityFraud1 => self.third_party_identity_fraud_1.as_slice(),
            CheckType::WatchlistScreening => self.watchlist_screening.as_slice(),
            CheckType::SynecticsIdentityFraud => as_slice(&self.synectics_identity_fraud),
            CheckType::WatchlistAdvancedCa => as_slice(&self.watchlist_advanced_ca),
            _ => &[],
        }
    }

    /// Every configured result with its check type and, for array-valued keys, its index; in
    /// key order.
    pub fn iter(&self) -> impl Iterator<Item = (CheckType, Option<usize>, &CheckResponse)> {
        self.entries()
            .map(|(_, check_type, index, check)| (check_type, index, check))
    }

    /// [`iter`](Self::iter) with the wire key of each entry.
    fn entries(
        &self,
    ) -> impl Iterator<Item = (&'static str, CheckType, Option<usize>, &CheckResponse)> {
        KEYS.into_iter()
            .flat_map(move |(check_type, key, is_array)| {
                self.for_check(&check_type)
                    .iter()
                    .enumerate()
                    .map(move |(index, check)| {
                        (key, check_type.clone(), is_array.then_some(index), check)
                    })
            })
    }

    /// `async_report_delay` as a duration: `None` when not set or negative.
    pub fn async_report_delay_duration(&self) -> Option<Duration> {
        super::check::seconds(self.async_report_delay)
    }
}

fn as_slice(list: &Option<Vec<CheckResponse>>) -> &[CheckResponse] {
    list.as_deref().unwrap_or(&[])
}

config_build!(CheckReportsBuilder => CheckReports);

/// The check types that read `result.document_fields`.
const TEXT_DATA_CHECKS: &str =
    "ID_DOCUMENT_TEXT_DATA_CHECK and SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK";

impl Rules<ConfigViolationKind> for CheckReports {
    fn rules(&self, cx: &mut Walker) {
        cx.not_negative("async_report_delay", self.async_report_delay);
        // Keys the sandbox reads only on some check types: set elsewhere they would be
        // ignored, which is a mistake in the config (e.g. document fields on an authenticity
        // check, expected in the text extraction).
        for (key, check_type, index, check) in self.entries() {
            cx.within_entry(key, index, |cx| only_where_read(&check_type, check, cx));
        }
    }
}

/// Reports the keys of `check` that a check of this type does not read.
fn only_where_read(check_type: &CheckType, check: &CheckResponse, cx: &mut Walker) {
    if check.liveness_type.is_some() && *check_type != CheckType::Liveness {
        cx.violation("liveness_type", ConfigViolationKind::OnlyFor("LIVENESS"));
    }
    if check.secondary_document_filter.is_some() && *check_type != CheckType::IdDocumentComparison {
        cx.violation(
            "secondary_document_filter",
            ConfigViolationKind::OnlyFor("ID_DOCUMENT_COMPARISON"),
        );
    }
    if check.sources_filter.is_some() && *check_type != CheckType::WatchlistAdvancedCa {
        cx.violation(
            "sources_filter",
            ConfigViolationKind::OnlyFor("WATCHLIST_ADVANCED_CA"),
        );
    }
    let text_data = matches!(
        check_type,
        CheckType::IdDocumentTextDataCheck | CheckType::SupplementaryDocumentTextDataCheck
    );
    let has_fields = check
        .result
        .as_ref()
        .is_some_and(|result| result.document_fields.is_some());
    if has_fields && !text_data {
        cx.within("result", |cx| {
            cx.violation(
                "document_fields",
                ConfigViolationKind::OnlyFor(TEXT_DATA_CHECKS),
            );
        });
    }
}

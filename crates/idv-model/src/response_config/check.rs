//! One configured check result: [`CheckResponse`] (an entry of `check_reports`) and its
//! [`CheckResult`].

use std::time::Duration;

use serde_json::{Map, Value};

use super::Walker;
use super::{
    CheckBreakdown, CheckRecommendation, CheckReport, ConfigViolationKind, DocumentFilter,
    SourcesFilter,
};
use crate::request_model::walk::Rules;
use crate::{LivenessType, RecommendationValue};

config_model! {
    /// What one check returns in the sandbox: an entry of `check_reports`.
    ///
    /// `result` holds the report; the other keys say which resource the result applies to and
    /// when it arrives. Not every key applies to every check (validation reports a key used
    /// on a check that does not read it):
    ///
    /// | key | checks |
    /// |---|---|
    /// | `result.document_fields` | `ID_DOCUMENT_TEXT_DATA_CHECK`, `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK` |
    /// | `liveness_type` | `LIVENESS` |
    /// | `secondary_document_filter` | `ID_DOCUMENT_COMPARISON` |
    /// | `sources_filter` | `WATCHLIST_ADVANCED_CA` |
    /// | `document_filter`, `response_delay` | any |
    ///
    /// The constructors ([`approve`](Self::approve), [`reject`](Self::reject), …) set the
    /// recommendation; the builder reaches into the report for the common keys
    /// ([`reason`](CheckResponseBuilder::reason), [`breakdown`](CheckResponseBuilder::breakdown),
    /// [`document_field`](CheckResponseBuilder::document_field), …).
    ///
    /// ```
    /// use idv_model::response_config::{CheckBreakdown, CheckResponse};
    /// use idv_model::LivenessType;
    ///
    /// let liveness = CheckResponse::reject()
    ///     .reason("LIVENESS_FAILED")
    ///     .breakdown(CheckBreakdown::fail("liveness_auth"))
    ///     .liveness_type(LivenessType::Zoom)
    ///     .build();
    /// assert_eq!(serde_json::to_value(&liveness).unwrap(), serde_json::json!({
    ///     "result": {"report": {
    ///         "recommendation": {"value": "REJECT", "reason": "LIVENESS_FAILED"},
    ///         "breakdown": [{"sub_check": "liveness_auth", "result": "FAIL"}]
    ///     }},
    ///     "liveness_type": "ZOOM"
    /// }));
    /// ```
    pub struct CheckResponse / CheckResponseBuilder ("a check response object") {
        /// `result` (required).
        one result: CheckResult = "result",
        /// `document_filter`: the documents this result applies to (any when not set).
        one document_filter: DocumentFilter = "document_filter",
        /// `liveness_type` (`LIVENESS`): the liveness captures this result applies to.
        one liveness_type: LivenessType = "liveness_type",
        /// `response_delay`: seconds before this result is ready.
        one response_delay: i64 = "response_delay",
        /// `secondary_document_filter` (`ID_DOCUMENT_COMPARISON`): the second document of the
        /// comparison.
        one secondary_document_filter: DocumentFilter = "secondary_document_filter",
        /// `sources_filter` (`WATCHLIST_ADVANCED_CA`): the watchlist sources this result
        /// applies to.
        one sources_filter: SourcesFilter = "sources_filter",
    }
}

impl CheckResponse {
    /// A builder whose report recommends this value.
    pub fn with_value(value: impl Into<RecommendationValue>) -> CheckResponseBuilder {
        Self::builder().recommendation(CheckRecommendation::with_value(value))
    }

    /// A builder whose report recommends `APPROVE`.
    pub fn approve() -> CheckResponseBuilder {
        Self::with_value(RecommendationValue::Approve)
    }

    /// A builder whose report recommends `REJECT` (add a
    /// [`reason`](CheckResponseBuilder::reason)).
    pub fn reject() -> CheckResponseBuilder {
        Self::with_value(RecommendationValue::Reject)
    }

    /// A builder whose report recommends `NOT_AVAILABLE`.
    pub fn not_available() -> CheckResponseBuilder {
        Self::with_value(RecommendationValue::NotAvailable)
    }

    /// A builder whose report recommends `CONSIDER` (advanced CA watchlist).
    pub fn consider() -> CheckResponseBuilder {
        Self::with_value(RecommendationValue::Consider)
    }

    /// `response_delay` as a duration: `None` when not set or negative.
    pub fn response_delay_duration(&self) -> Option<Duration> {
        seconds(self.response_delay)
    }

    /// `result.report.recommendation.value`, if set.
    pub fn recommendation_value(&self) -> Option<&RecommendationValue> {
        self.result
            .as_ref()?
            .report
            .as_ref()?
            .recommendation
            .as_ref()?
            .value
            .as_ref()
    }
}

/// A number of seconds as a duration (`None` when absent or negative).
pub(crate) fn seconds(value: Option<i64>) -> Option<Duration> {
    value
        .and_then(|v| u64::try_from(v).ok())
        .map(Duration::from_secs)
}

impl CheckResponseBuilder {
    fn report_mut(&mut self) -> &mut CheckReport {
        self.result_mut()
            .report
            .get_or_insert_with(CheckReport::default)
    }

    fn result_mut(&mut self) -> &mut CheckResult {
        self.inner.result.get_or_insert_with(CheckResult::default)
    }

    fn recommendation_mut(&mut self) -> &mut CheckRecommendation {
        self.report_mut()
            .recommendation
            .get_or_insert_with(CheckRecommendation::default)
    }

    /// Sets `result.report.recommendation`, replacing the one set before.
    #[must_use]
    pub fn recommendation(mut self, recommendation: impl Into<CheckRecommendation>) -> Self {
        self.report_mut().recommendation = Some(recommendation.into());
        self
    }

    /// Sets `result.report.recommendation.reason`.
    #[must_use]
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.recommendation_mut().reason = Some(reason.into());
        self
    }

    /// Sets `result.report.recommendation.recovery_suggestion`.
    #[must_use]
    pub fn recovery_suggestion(mut self, suggestion: impl Into<String>) -> Self {
        self.recommendation_mut().recovery_suggestion = Some(suggestion.into());
        self
    }

    /// Adds one entry at the end of `result.report.breakdown`.
    #[must_use]
    pub fn breakdown(mut self, breakdown: impl Into<CheckBreakdown>) -> Self {
        self.report_mut()
            .breakdown
            .get_or_insert_with(Vec::new)
            .push(breakdown.into());
        self
    }

    /// Sets `result.report_template`.
    #[must_use]
    pub fn report_template(mut self, template: impl Into<String>) -> Self {
        self.result_mut().report_template = Some(template.into());
        self
    }
}

result_document_fields!(CheckResponseBuilder);

config_model! {
    /// `result` of a configured check: the `report`, and what else the check produces.
    pub struct CheckResult / CheckResultBuilder ("a check result object") {
        /// `report` (required unless `report_template` is set).
        one report: CheckReport = "report",
        /// `report_template`: the name of a report template the sandbox fills in.
        one report_template: String = "report_template",
        /// `document_fields` (text-data checks): the fields the check reports as read, a
        /// free-form object (`{"full_name": "Jane Doe", …}`).
        map document_fields / document_field: Map<String, Value> = "document_fields",
    }
}

config_build!(
    CheckResponseBuilder => CheckResponse,
    CheckResultBuilder => CheckResult,
);

impl Rules<ConfigViolationKind> for CheckResponse {
    fn rules(&self, cx: &mut Walker) {
        cx.required("result", &self.result);
        cx.not_negative("response_delay", self.response_delay);
    }
}

impl Rules<ConfigViolationKind> for CheckResult {
    fn rules(&self, cx: &mut Walker) {
        if self.report.is_none() && self.report_template.is_none() {
            cx.violation("report", ConfigViolationKind::Missing);
        }
        cx.not_empty("report_template", &self.report_template);
    }
}

//! The `report` a configured check returns: [`CheckReport`] with its [`CheckRecommendation`]
//! and [`CheckBreakdown`] (sub-checks, results and [`CheckBreakdownDetail`]s).

use super::ConfigViolationKind;
use super::Walker;
use crate::request_model::walk::Rules;
use crate::{BreakdownResult, RecommendationValue};

config_model! {
    /// `result.report` of a configured check: what the check's `report` will say.
    ///
    /// ```
    /// use idv_model::response_config::{CheckBreakdown, CheckRecommendation, CheckReport};
    /// use idv_model::RecommendationValue;
    ///
    /// let report = CheckReport::builder()
    ///     .recommendation(CheckRecommendation::with_value(RecommendationValue::Reject).reason("NOT_GENUINE"))
    ///     .breakdown(CheckBreakdown::fail("security_features"))
    ///     .build();
    /// assert_eq!(serde_json::to_value(&report).unwrap(), serde_json::json!({
    ///     "recommendation": {"value": "REJECT", "reason": "NOT_GENUINE"},
    ///     "breakdown": [{"sub_check": "security_features", "result": "FAIL"}]
    /// }));
    /// ```
    pub struct CheckReport / CheckReportBuilder ("a check report object") {
        /// `recommendation` (required).
        one recommendation: CheckRecommendation = "recommendation",
        /// `breakdown`: one entry per sub-check.
        push breakdown / breakdown_list: CheckBreakdown = "breakdown",
    }
}

impl CheckReport {
    /// A report with only a recommendation of this value.
    pub fn with_value(value: impl Into<RecommendationValue>) -> CheckReportBuilder {
        Self::builder().recommendation(CheckRecommendation::with_value(value))
    }
}

config_model! {
    /// `report.recommendation`: the outcome (`value`), and for a rejection why (`reason`) and
    /// what the user can do about it (`recovery_suggestion`).
    pub struct CheckRecommendation / CheckRecommendationBuilder ("a recommendation object") {
        /// `value` (required): `APPROVE`, `REJECT`, `NOT_AVAILABLE`, `CONSIDER`, …
        one value: RecommendationValue = "value",
        /// `reason`, e.g. `NOT_GENUINE`, `PICTURE_TOO_DARK`, `POTENTIAL_MATCH`.
        one reason: String = "reason",
        /// `recovery_suggestion`, e.g. `BETTER_LIGHTING`.
        one recovery_suggestion: String = "recovery_suggestion",
    }
}

impl CheckRecommendation {
    /// A builder with this `value` set.
    pub fn with_value(value: impl Into<RecommendationValue>) -> CheckRecommendationBuilder {
        Self::builder().value(value)
    }
}

config_model! {
    /// One entry of `report.breakdown`: a sub-check, its result and details.
    pub struct CheckBreakdown / CheckBreakdownBuilder ("a breakdown object") {
        /// `sub_check` (required), e.g. `security_features`, `ai_face_match`, `liveness_auth`.
        one sub_check: String = "sub_check",
        /// `result` (required): `PASS`, `FAIL`, `NOT_AVAILABLE`, `DONE`, …
        one result: BreakdownResult = "result",
        /// `details`: named values (the values are strings, even numbers: `"0.53"`).
        list details: CheckBreakdownDetail = "details",
    }
}

impl CheckBreakdown {
    /// A builder with this `sub_check` and `result`.
    pub fn with_result(
        sub_check: impl Into<String>,
        result: impl Into<BreakdownResult>,
    ) -> CheckBreakdownBuilder {
        Self::builder().sub_check(sub_check).result(result)
    }

    /// `{sub_check, result: PASS}`.
    pub fn pass(sub_check: impl Into<String>) -> CheckBreakdownBuilder {
        Self::with_result(sub_check, BreakdownResult::Pass)
    }

    /// `{sub_check, result: FAIL}`.
    pub fn fail(sub_check: impl Into<String>) -> CheckBreakdownBuilder {
        Self::with_result(sub_check, BreakdownResult::Fail)
    }
}

impl CheckBreakdownBuilder {
    /// Adds one `{name, value}` at the end of `details`.
    #[must_use]
    pub fn detail(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.inner
            .details
            .get_or_insert_with(Vec::new)
            .push(CheckBreakdownDetail::new(name, value));
        self
    }
}

config_model! {
    /// One entry of a breakdown's `details`: `{name, value}`.
    pub struct CheckBreakdownDetail / CheckBreakdownDetailBuilder ("a breakdown detail object") {
        /// `name` (required), e.g. `confidence_score`, `number_of_hits`.
        one name: String = "name",
        /// `value` (required): a string, even for numbers (`"0.53"`); may be empty.
        one value: String = "value",
    }
}

impl CheckBreakdownDetail {
    /// `{name, value}`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self::builder().name(name).value(value).build()
    }
}

config_build!(
    CheckReportBuilder => CheckReport,
    CheckRecommendationBuilder => CheckRecommendation,
    CheckBreakdownBuilder => CheckBreakdown,
    CheckBreakdownDetailBuilder => CheckBreakdownDetail,
);

impl Rules<ConfigViolationKind> for CheckReport {
    fn rules(&self, cx: &mut Walker) {
        cx.required("recommendation", &self.recommendation);
    }
}

impl Rules<ConfigViolationKind> for CheckRecommendation {
    fn rules(&self, cx: &mut Walker) {
        cx.required("value", &self.value);
        cx.not_empty("reason", &self.reason);
        cx.not_empty("recovery_suggestion", &self.recovery_suggestion);
    }
}

impl Rules<ConfigViolationKind> for CheckBreakdown {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("sub_check", &self.sub_check);
        cx.required("result", &self.result);
    }
}

impl Rules<ConfigViolationKind> for CheckBreakdownDetail {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("name", &self.name);
        cx.required("value", &self.value);
    }
}

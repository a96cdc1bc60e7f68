//! One configured task result: [`TaskResponse`] (an entry of `task_results`), its
//! [`TaskResult`], the [`DocumentIdPhoto`] and the [`ExtractionRecommendation`].

use std::time::Duration;

use serde_json::{Map, Value};

use super::Walker;
use super::media_type::is_media_type;
use super::{
    ConfigViolationKind, DocumentFilter, ExtractionReasonValue, ExtractionRecommendationValue,
    base64,
};
use crate::request_model::walk::Rules;

config_model! {
    /// What one text-extraction task returns in the sandbox: an entry of `task_results`.
    ///
    /// ```
    /// use idv_model::response_config::{DocumentFilter, TaskResponse};
    ///
    /// let task = TaskResponse::builder()
    ///     .document_field("full_name", "Jane Doe")
    ///     .document_field("date_of_birth", "1980-12-20")
    ///     .detected_country("GBR")
    ///     .document_filter(DocumentFilter::builder().document_type("PASSPORT"))
    ///     .build();
    /// assert_eq!(serde_json::to_value(&task).unwrap(), serde_json::json!({
    ///     "result": {
    ///         "document_fields": {"full_name": "Jane Doe", "date_of_birth": "1980-12-20"},
    ///         "detected_country": "GBR"
    ///     },
    ///     "document_filter": {"document_types": ["PASSPORT"]}
    /// }));
    /// ```
    pub struct TaskResponse / TaskResponseBuilder ("a task response object") {
        /// `result` (required unless `result_template` is set).
        one result: TaskResult = "result",
        /// `document_filter`: the documents this result applies to (any when not set).
        one document_filter: DocumentFilter = "document_filter",
        /// `response_delay`: seconds before this result is ready.
        one response_delay: i64 = "response_delay",
        /// `result_template`: the name of a result template the sandbox fills in.
        one result_template: String = "result_template",
    }
}

impl TaskResponse {
    /// `response_delay` as a duration: `None` when not set or negative.
    pub fn response_delay_duration(&self) -> Option<Duration> {
        super::check::seconds(self.response_delay)
    }
}

impl TaskResponseBuilder {
    fn result_mut(&mut self) -> &mut TaskResult {
        self.inner.result.get_or_insert_with(TaskResult::default)
    }

    /// Sets `result.document_id_photo`.
    #[must_use]
    pub fn document_id_photo(mut self, photo: impl Into<DocumentIdPhoto>) -> Self {
        self.result_mut().document_id_photo = Some(photo.into());
        self
    }

    /// Sets `result.detected_country` (ISO 3166-1 alpha-3, e.g. `GBR`).
    #[must_use]
    pub fn detected_country(mut self, country: impl Into<String>) -> Self {
        self.result_mut().detected_country = Some(country.into());
        self
    }

    /// Sets `result.detected_document_type` (e.g. `PASSPORT`).
    #[must_use]
    pub fn detected_document_type(mut self, document_type: impl Into<String>) -> Self {
        self.result_mut().detected_document_type = Some(document_type.into());
        self
    }

    /// Sets `result.recommendation`.
    #[must_use]
    pub fn recommendation(mut self, recommendation: impl Into<ExtractionRecommendation>) -> Self {
        self.result_mut().recommendation = Some(recommendation.into());
        self
    }
}

result_document_fields!(TaskResponseBuilder);

config_model! {
    /// `result` of a configured text-extraction task.
    pub struct TaskResult / TaskResultBuilder ("a task result object") {
        /// `document_fields`: the fields read from the document, a free-form object
        /// (`{"full_name": "Jane Doe", …}`) that becomes the resource's `document_fields` media.
        map document_fields / document_field: Map<String, Value> = "document_fields",
        /// `document_id_photo`: the photo of the holder read from the document.
        one document_id_photo: DocumentIdPhoto = "document_id_photo",
        /// `detected_country`: the issuing country read (ISO 3166-1 alpha-3).
        one detected_country: String = "detected_country",
        /// `detected_document_type`: the document type read (e.g. `PASSPORT`).
        one detected_document_type: String = "detected_document_type",
        /// `recommendation`: whether the user may go on or should capture again.
        one recommendation: ExtractionRecommendation = "recommendation",
    }
}

config_model! {
    /// `document_id_photo`: an image as `{content_type, data}`, the data in standard padded
    /// base64.
    ///
    /// ```
    /// use idv_model::response_config::DocumentIdPhoto;
    ///
    /// let photo = DocumentIdPhoto::from_bytes("image/jpeg", &[0xff, 0xd8, 0xff]);
    /// assert_eq!(serde_json::to_value(&photo).unwrap(), serde_json::json!(
    ///     {"content_type": "image/jpeg", "data": "/9j/"}
    /// ));
    /// assert_eq!(photo.decode_data(), Some(vec![0xff, 0xd8, 0xff]));
    /// assert!(DocumentIdPhoto::new("image/jpeg", "not base64!").validate().is_err());
    /// ```
    pub struct DocumentIdPhoto / DocumentIdPhotoBuilder ("a document id photo object") {
        /// `content_type` (required): a media type such as `image/jpeg`.
        one content_type: String = "content_type",
        /// `data` (required): the image in standard padded base64.
        one data: String = "data",
    }
}

impl DocumentIdPhoto {
    /// `{content_type, data}` with `data` already in base64 (checked by validation).
    pub fn new(content_type: impl Into<String>, base64_data: impl Into<String>) -> Self {
        Self::builder()
            .content_type(content_type)
            .data(base64_data)
            .build()
    }

    /// `{content_type, data}` with `bytes` encoded as standard padded base64.
    pub fn from_bytes(content_type: impl Into<String>, bytes: &[u8]) -> Self {
        Self::new(content_type, base64::encode(bytes))
    }

    /// The image bytes: `data` decoded, or `None` when `data` is not set or is not standard
    /// padded base64.
    pub fn decode_data(&self) -> Option<Vec<u8>> {
        base64::decode(self.data.as_deref()?)
    }
}

config_model! {
    /// `result.recommendation` of a text-extraction task: `{value, reason?}`.
    ///
    /// ```
    /// use idv_model::response_config::{ExtractionReason, ExtractionRecommendation};
    ///
    /// let retry = ExtractionRecommendation::must_try_again(ExtractionReason::quality());
    /// assert_eq!(serde_json::to_value(&retry).unwrap(), serde_json::json!(
    ///     {"value": "MUST_TRY_AGAIN", "reason": {"value": "QUALITY"}}
    /// ));
    /// ```
    pub struct ExtractionRecommendation / ExtractionRecommendationBuilder
        ("a task recommendation object") {
        /// `value` (required): `PROGRESS`, `SHOULD_TRY_AGAIN`, `MUST_TRY_AGAIN`, …
        one value: ExtractionRecommendationValue = "value",
        /// `reason`: why the user should try again.
        one reason: ExtractionReason = "reason",
    }
}

impl ExtractionRecommendation {
    /// `{value: PROGRESS}`.
    pub fn progress() -> Self {
        Self::builder()
            .value(ExtractionRecommendationValue::Progress)
            .build()
    }

    /// `{value: SHOULD_TRY_AGAIN, reason}`.
    pub fn should_try_again(reason: impl Into<ExtractionReason>) -> Self {
        Self::builder()
            .value(ExtractionRecommendationValue::ShouldTryAgain)
            .reason(reason)
            .build()
    }

    /// `{value: MUST_TRY_AGAIN, reason}`.
    pub fn must_try_again(reason: impl Into<ExtractionReason>) -> Self {
        Self::builder()
            .value(ExtractionRecommendationValue::MustTryAgain)
            .reason(reason)
            .build()
    }
}

config_model! {
    /// `recommendation.reason` of a text-extraction task: `{value, detail?}`.
    pub struct ExtractionReason / ExtractionReasonBuilder ("a task recommendation reason object") {
        /// `value` (required): `QUALITY`, `USER_ERROR`, …
        one value: ExtractionReasonValue = "value",
        /// `detail`: more about the reason.
        one detail: String = "detail",
    }
}

impl ExtractionReason {
    /// A builder with this `value` set.
    pub fn with_value(value: impl Into<ExtractionReasonValue>) -> ExtractionReasonBuilder {
        Self::builder().value(value)
    }

    /// `{value: QUALITY}`.
    pub fn quality() -> ExtractionReasonBuilder {
        Self::with_value(ExtractionReasonValue::Quality)
    }

    /// `{value: USER_ERROR}`.
    pub fn user_error() -> ExtractionReasonBuilder {
        Self::with_value(ExtractionReasonValue::UserError)
    }
}

config_build!(
    TaskResponseBuilder => TaskResponse,
    TaskResultBuilder => TaskResult,
    DocumentIdPhotoBuilder => DocumentIdPhoto,
    ExtractionRecommendationBuilder => ExtractionRecommendation,
    ExtractionReasonBuilder => ExtractionReason,
);

impl Rules<ConfigViolationKind> for TaskResponse {
    fn rules(&self, cx: &mut Walker) {
        if self.result.is_none() && self.result_template.is_none() {
            cx.violation("result", ConfigViolationKind::Missing);
        }
        cx.not_negative("response_delay", self.response_delay);
        cx.not_empty("result_template", &self.result_template);
    }
}

impl Rules<ConfigViolationKind> for TaskResult {
    fn rules(&self, cx: &mut Walker) {
        cx.country_code("detected_country", &self.detected_country);
        cx.not_empty("detected_document_type", &self.detected_document_type);
    }
}

impl Rules<ConfigViolationKind> for DocumentIdPhoto {
    fn rules(&self, cx: &mut Walker) {
        match self.content_type.as_deref() {
            None => cx.violation("content_type", ConfigViolationKind::Missing),
            Some("") => cx.violation("content_type", ConfigViolationKind::Empty),
            Some(text) if !is_media_type(text) => {
                cx.violation("content_type", ConfigViolationKind::InvalidContentType);
            }
            Some(_) => {}
        }
        match self.data.as_deref() {
            None => cx.violation("data", ConfigViolationKind::Missing),
            Some("") => cx.violation("data", ConfigViolationKind::Empty),
            Some(text) if base64::decode(text).is_none() => {
                cx.violation("data", ConfigViolationKind::InvalidBase64);
            }
            Some(_) => {}
        }
    }
}

impl Rules<ConfigViolationKind> for ExtractionRecommendation {
    fn rules(&self, cx: &mut Walker) {
        cx.required("value", &self.value);
    }
}

impl Rules<ConfigViolationKind> for ExtractionReason {
    fn rules(&self, cx: &mut Walker) {
        cx.required("value", &self.value);
        cx.not_empty("detail", &self.detail);
    }
}

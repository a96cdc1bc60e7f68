//! `requested_tasks`: [`RequestedTask`] and the config of each task type.

use crate::TaskType;
use crate::request_model::walk::Rules;
use crate::spec::ViolationKind;
use crate::spec::rules::Walker;
use crate::spec::{ChipData, ManualCheck};

requested_enum! {
    /// One entry of `requested_tasks`: `{"type": …, "config": {…}}`, with the config typed by
    /// the task type, or [`Other`](Self::Other) for a type this version does not know.
    ///
    /// ```
    /// use idv_model::spec::{ChipData, ManualCheck, RequestedTask, TextExtractionConfig};
    ///
    /// let task = RequestedTask::from(
    ///     TextExtractionConfig::builder()
    ///         .manual_check(ManualCheck::Fallback)
    ///         .chip_data(ChipData::Desired)
    ///         .create_expanded_document_fields(false),
    /// );
    /// assert_eq!(serde_json::to_value(&task).unwrap(), serde_json::json!({
    ///     "type": "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
    ///     "config": {"manual_check": "FALLBACK", "chip_data": "DESIRED",
    ///                "create_expanded_document_fields": false}
    /// }));
    /// ```
    pub enum RequestedTask (TaskType, "a requested task object") {
        /// `ID_DOCUMENT_TEXT_DATA_EXTRACTION`.
        IdDocumentTextDataExtraction(TextExtractionConfig / TextExtractionConfigBuilder)
            = "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
        /// `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION`.
        SupplementaryDocumentTextDataExtraction(
            SupplementaryTextExtractionConfig / SupplementaryTextExtractionConfigBuilder
        ) = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
    }
}

impl RequestedTask {
    /// `ID_DOCUMENT_TEXT_DATA_EXTRACTION` with its (required) `manual_check`.
    pub fn text_extraction(manual_check: impl Into<ManualCheck>) -> Self {
        TextExtractionConfig::builder()
            .manual_check(manual_check)
            .into()
    }

    /// `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION` with its (required) `manual_check`.
    pub fn supplementary_text_extraction(manual_check: impl Into<ManualCheck>) -> Self {
        SupplementaryTextExtractionConfig::builder()
            .manual_check(manual_check)
            .into()
    }

    /// A task of a type this version does not model, with its config as JSON.
    pub fn other(task_type: impl Into<String>, config: Option<serde_json::Value>) -> Self {
        crate::spec::UnknownRequested::new(task_type, config).into()
    }
}

spec_model! {
    /// The config of `ID_DOCUMENT_TEXT_DATA_EXTRACTION`.
    pub struct TextExtractionConfig / TextExtractionConfigBuilder ("a text extraction config object") {
        /// `manual_check` (required).
        one manual_check: ManualCheck = "manual_check",
        /// `chip_data`.
        one chip_data: ChipData = "chip_data",
        /// `create_expanded_document_fields`.
        one create_expanded_document_fields: bool = "create_expanded_document_fields",
    }
}

spec_model! {
    /// The config of `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION`.
    pub struct SupplementaryTextExtractionConfig / SupplementaryTextExtractionConfigBuilder
        ("a supplementary text extraction config object") {
        /// `manual_check` (required).
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_build!(
    TextExtractionConfigBuilder => TextExtractionConfig,
    SupplementaryTextExtractionConfigBuilder => SupplementaryTextExtractionConfig,
);

impl Rules<ViolationKind> for TextExtractionConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required("manual_check", &self.manual_check);
    }
}

impl Rules<ViolationKind> for SupplementaryTextExtractionConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required("manual_check", &self.manual_check);
    }
}

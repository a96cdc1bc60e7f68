//! `task_results`: [`TaskResults`], the configured result of each text-extraction task type.

use super::ConfigViolationKind;
use super::TaskResponse;
use crate::TaskType;
use crate::request_model::walk::Rules;

config_model! {
    /// `task_results`: what each text-extraction task returns in the sandbox, one result per
    /// matching document, used in order. Each builder call such as
    /// [`id_document_text_data_extraction`](TaskResultsBuilder::id_document_text_data_extraction)
    /// adds one entry; the `…_list` setters set the whole array (`[]` included).
    ///
    /// ```
    /// use idv_model::response_config::{TaskResponse, TaskResults};
    /// use idv_model::TaskType;
    ///
    /// let tasks = TaskResults::builder()
    ///     .id_document_text_data_extraction(TaskResponse::builder().document_field("full_name", "Jane Doe"))
    ///     .build();
    /// assert_eq!(serde_json::to_value(&tasks).unwrap(), serde_json::json!({
    ///     "ID_DOCUMENT_TEXT_DATA_EXTRACTION": [{"result": {"document_fields": {"full_name": "Jane Doe"}}}]
    /// }));
    /// assert_eq!(tasks.for_task(&TaskType::IdDocumentTextDataExtraction).len(), 1);
    /// ```
    pub struct TaskResults / TaskResultsBuilder ("a task results object") {
        /// `ID_DOCUMENT_TEXT_DATA_EXTRACTION`.
        push id_document_text_data_extraction / id_document_text_data_extraction_list:
            TaskResponse = "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
        /// `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION`.
        push supplementary_document_text_data_extraction
            / supplementary_document_text_data_extraction_list:
            TaskResponse = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
    }
}

impl TaskResults {
    /// The configured results for one task type, in order (empty when the key is not set, or
    /// for a type `task_results` has no typed key for: such keys are kept in `extra`).
    pub fn for_task(&self, task_type: &TaskType) -> &[TaskResponse] {
        let list = match task_type {
            TaskType::IdDocumentTextDataExtraction => &self.id_document_text_data_extraction,
            TaskType::SupplementaryDocumentTextDataExtraction => {
                &self.supplementary_document_text_data_extraction
            }
            _ => return &[],
        };
        list.as_deref().unwrap_or(&[])
    }
}

config_build!(TaskResultsBuilder => TaskResults);

impl Rules<ConfigViolationKind> for TaskResults {}

//! The `GET /sessions/{sessionId}` response: [`Session`] and everything under it.

use serde_json::Number;

use crate::{
    BreakdownResult, CaptureMethod, CheckState, CheckType, ClientSessionToken, LivenessType,
    MatchingStrategyType, MediaType, RecommendationValue, Secret, SessionState, Source, SourceType,
    Tags, TaskState, TaskType, Timestamp, WatchlistSearchType, WatchlistSourcesType,
};

model! {
    /// The session result of `GET /sessions/{sessionId}`.
    ///
    /// Every field is optional (or a list that may be empty); unknown fields are kept in `extra`.
    /// `Debug` never shows the `client_session_token`.
    pub struct Session ("a session object") {
        /// `client_session_token_ttl`: seconds the client session token remains valid.
        opt client_session_token_ttl: i64 = "client_session_token_ttl",
        /// `session_id`.
        opt session_id: String = "session_id",
        /// `user_tracking_id`: echo of the value given at creation.
        opt user_tracking_id: String = "user_tracking_id",
        /// `state`.
        opt state: SessionState = "state",
        /// `client_session_token` (absent once the session is completed).
        opt client_session_token: ClientSessionToken = "client_session_token",
        /// `biometric_consent`: when the user gave biometric consent.
        opt biometric_consent: Timestamp = "biometric_consent",
        /// `resources`: the evidence collected.
        opt resources: Resources = "resources",
        /// `checks`.
        vec checks: Check = "checks",
        /// `identity_profile`.
        opt identity_profile: IdentityProfile = "identity_profile",
        /// `advanced_identity_profile`.
        opt advanced_identity_profile: AdvancedIdentityProfile = "advanced_identity_profile",
        /// `identity_profile_preview`.
        opt identity_profile_preview: MediaHolder = "identity_profile_preview",
        /// `advanced_identity_profile_preview`.
        opt advanced_identity_profile_preview: MediaHolder = "advanced_identity_profile_preview",
        /// `import_token`.
        opt import_token: ImportToken = "import_token",
    }
}

model! {
    /// `resources`: every kind of resource of a session.
    pub struct Resources ("a resources object") {
        /// `id_documents`.
        vec id_documents: IdDocument = "id_documents",
        /// `supplementary_documents`.
        vec supplementary_documents: SupplementaryDocument = "supplementary_documents",
        /// `liveness_capture`.
        vec liveness_capture: LivenessCapture = "liveness_capture",
        /// `face_capture`.
        vec face_capture: FaceCapture = "face_capture",
        /// `applicant_profiles` (in-branch sessions).
        vec applicant_profiles: ApplicantProfile = "applicant_profiles",
        /// `share_codes`.
        vec share_codes: ShareCode = "share_codes",
    }
}

model! {
    /// A media descriptor `{id, type, created, last_updated}`; the content is fetched separately.
    pub struct Media ("a media object") {
        /// `id`: the media id to fetch.
        opt id: String = "id",
        /// `type`.
        opt media_type: MediaType = "type",
        /// `created`.
        opt created: Timestamp = "created",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
    }
}

model! {
    /// `{media: Media}`; may be `{}` or `{"media": null}`.
    pub struct MediaHolder ("a media holder object") {
        /// `media`.
        opt media: Media = "media",
    }
}

model! {
    /// `resources.id_documents[]`: an identity document.
    pub struct IdDocument ("an ID document object") {
        /// `id`.
        opt id: String = "id",
        /// `tasks`.
        vec tasks: Task = "tasks",
        /// `source`.
        opt source: Source = "source",
        /// `created_at`.
        opt created_at: Timestamp = "created_at",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `document_type`, e.g. `PASSPORT`, `DRIVING_LICENCE`.
        opt document_type: String = "document_type",
        /// `issuing_country` (ISO 3166-1 alpha-3).
        opt issuing_country: String = "issuing_country",
        /// `pages`.
        vec pages: Page = "pages",
        /// `document_fields` (JSON media of the extracted fields).
        opt document_fields: MediaHolder = "document_fields",
        /// `document_id_photo` (image media).
        opt document_id_photo: MediaHolder = "document_id_photo",
        /// `expanded_document_fields` (JSON media).
        opt expanded_document_fields: MediaHolder = "expanded_document_fields",
        /// `provider` (documents based on a Digital ID).
        opt provider: String = "provider",
    }
}

model! {
    /// `resources.supplementary_documents[]`: e.g. a utility bill.
    pub struct SupplementaryDocument ("a supplementary document object") {
        /// `id`.
        opt id: String = "id",
        /// `tasks`.
        vec tasks: Task = "tasks",
        /// `source`.
        opt source: Source = "source",
        /// `created_at`.
        opt created_at: Timestamp = "created_at",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `document_type`, e.g. `UTILITY_BILL`.
        opt document_type: String = "document_type",
        /// `issuing_country`.
        opt issuing_country: String = "issuing_country",
        /// `pages`.
        vec pages: Page = "pages",
        /// `document_fields` (JSON media).
        opt document_fields: MediaHolder = "document_fields",
        /// `file` (e.g. a PDF).
        opt file: MediaHolder = "file",
    }
}

model! {
    /// A document page.
    pub struct Page ("a page object") {
        /// `capture_method`.
        opt capture_method: CaptureMethod = "capture_method",
        /// `media`: the page image.
        opt media: Media = "media",
        /// `frames`: capture frames (may be absent, `{}` or `{"media": null}`).
        vec frames: MediaHolder = "frames",
        /// `extraction_image_ids`: media ids used for automated extraction.
        vec extraction_image_ids: String = "extraction_image_ids",
        /// `hologram_frames` (seen in fixtures).
        vec hologram_frames: MediaHolder = "hologram_frames",
    }
}

model! {
    /// `resources.liveness_capture[]`: ZOOM (facemap, frames), STATIC (image, capture type) or
    /// another type (fields kept in `extra`).
    pub struct LivenessCapture ("a liveness capture object") {
        /// `id`.
        opt id: String = "id",
        /// `tasks`.
        vec tasks: Task = "tasks",
        /// `source`.
        opt source: Source = "source",
        /// `created_at`.
        opt created_at: Timestamp = "created_at",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `liveness_type`.
        opt liveness_type: LivenessType = "liveness_type",
        /// `facemap` (ZOOM, binary media).
        opt facemap: MediaHolder = "facemap",
        /// `frames` (ZOOM).
        vec frames: MediaHolder = "frames",
        /// `image` (STATIC).
        opt image: MediaHolder = "image",
        /// `capture_type` (STATIC), e.g. `PHOTOGRAPH`.
        opt capture_type: String = "capture_type",
    }
}

model! {
    /// `resources.face_capture[]`.
    pub struct FaceCapture ("a face capture object") {
        /// `id`.
        opt id: String = "id",
        /// `tasks`.
        vec tasks: Task = "tasks",
        /// `source`.
        opt source: Source = "source",
        /// `created_at`.
        opt created_at: Timestamp = "created_at",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `image`.
        opt image: MediaHolder = "image",
    }
}

model! {
    /// `resources.applicant_profiles[]`: data supplied by the business (in-branch sessions).
    pub struct ApplicantProfile ("an applicant profile object") {
        /// `id`.
        opt id: String = "id",
        /// `tasks`.
        vec tasks: Task = "tasks",
        /// `source`.
        opt source: Source = "source",
        /// `created_at`.
        opt created_at: Timestamp = "created_at",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `media` (JSON).
        opt media: Media = "media",
    }
}

model! {
    /// `resources.share_codes[]`.
    pub struct ShareCode ("a share code object") {
        /// `id`.
        opt id: String = "id",
        /// `tasks`.
        vec tasks: Task = "tasks",
        /// `source` (a string or an object).
        opt source: Source = "source",
        /// `created_at`.
        opt created_at: Timestamp = "created_at",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `lookup_profile`.
        opt lookup_profile: MediaHolder = "lookup_profile",
        /// `returned_profile`.
        opt returned_profile: MediaHolder = "returned_profile",
        /// `id_photo`.
        opt id_photo: MediaHolder = "id_photo",
        /// `file`.
        opt file: MediaHolder = "file",
    }
}

model! {
    /// The object shape of a resource's `source`.
    pub struct SourceObject ("a source object") {
        /// `type`.
        opt source_type: SourceType = "type",
        /// `allowed_providers` (in-branch), e.g. `UK_POST_OFFICE`.
        vec allowed_providers: String = "allowed_providers",
    }
}

model! {
    /// A task attached to a resource.
    pub struct Task ("a task object") {
        /// `id`.
        opt id: String = "id",
        /// `type`.
        opt task_type: TaskType = "type",
        /// `state`.
        opt state: TaskState = "state",
        /// `created`.
        opt created: Timestamp = "created",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `generated_checks`.
        vec generated_checks: GeneratedCheck = "generated_checks",
        /// `generated_media`.
        vec generated_media: GeneratedMedia = "generated_media",
        /// `recommendation` (text-extraction tasks).
        opt recommendation: TaskRecommendation = "recommendation",
    }
}

model! {
    /// `{id, type}` of a check generated by a task.
    pub struct GeneratedCheck ("a generated check object") {
        /// `id`.
        opt id: String = "id",
        /// `type`.
        opt check_type: CheckType = "type",
    }
}

model! {
    /// `{id, type}` of a media item generated by a task or check.
    pub struct GeneratedMedia ("a generated media object") {
        /// `id`.
        opt id: String = "id",
        /// `type`.
        opt media_type: MediaType = "type",
    }
}

model! {
    /// A task's `recommendation`.
    pub struct TaskRecommendation ("a task recommendation object") {
        /// `value`, e.g. `PROGRESS`, `SHOULD_TRY_AGAIN`, `MUST_TRY_AGAIN`.
        opt value: String = "value",
        /// `reason`.
        opt reason: TaskRecommendationReason = "reason",
    }
}

model! {
    /// A task recommendation's `reason`.
    pub struct TaskRecommendationReason ("a task recommendation reason object") {
        /// `value`, e.g. `QUALITY`, `USER_ERROR`.
        opt value: String = "value",
        /// `detail`.
        opt detail: String = "detail",
    }
}

model! {
    /// A check (`checks[]`). One struct for every check type: the type-specific fields
    /// (`generated_profile`, `scheme`, `report.watchlist_summary`) are optional.
    pub struct Check ("a check object") {
        /// `id`.
        opt id: String = "id",
        /// `type`.
        opt check_type: CheckType = "type",
        /// `state`.
        opt state: CheckState = "state",
        /// `resources_used`: ids of the resources this check used.
        vec resources_used: String = "resources_used",
        /// `generated_media`.
        vec generated_media: GeneratedMedia = "generated_media",
        /// `report`.
        opt report: Report = "report",
        /// `created`.
        opt created: Timestamp = "created",
        /// `last_updated`.
        opt last_updated: Timestamp = "last_updated",
        /// `generated_profile` (third-party identity, fraud and watchlist checks).
        opt generated_profile: MediaHolder = "generated_profile",
        /// `scheme` (`DOCUMENT_SCHEME_VALIDITY_CHECK`), e.g. `UK_DBS`.
        opt scheme: String = "scheme",
    }
}

model! {
    /// A check's `report`.
    pub struct Report ("a report object") {
        /// `recommendation`.
        opt recommendation: Recommendation = "recommendation",
        /// `breakdown`.
        vec breakdown: Breakdown = "breakdown",
        /// `watchlist_summary` (watchlist checks; boxed to keep [`Report`] small).
        opt watchlist_summary: Box<WatchlistSummary> = "watchlist_summary",
    }
}

model! {
    /// A report's `recommendation`.
    pub struct Recommendation ("a recommendation object") {
        /// `value`.
        opt value: RecommendationValue = "value",
        /// `reason`, e.g. `PICTURE_TOO_DARK`.
        opt reason: String = "reason",
        /// `recovery_suggestion`, e.g. `BETTER_LIGHTING`.
        opt recovery_suggestion: String = "recovery_suggestion",
    }
}

model! {
    /// One entry of a report's `breakdown`.
    pub struct Breakdown ("a breakdown object") {
        /// `sub_check`.
        opt sub_check: String = "sub_check",
        /// `result`.
        opt result: BreakdownResult = "result",
        /// `process` (manual or automated).
        opt process: String = "process",
        /// `details`.
        vec details: BreakdownDetail = "details",
    }
}

model! {
    /// `{name, value}` of a breakdown; values are strings even when numeric.
    pub struct BreakdownDetail ("a breakdown detail object") {
        /// `name`.
        opt name: String = "name",
        /// `value`.
        opt value: String = "value",
    }
}

model! {
    /// `report.watchlist_summary`.
    pub struct WatchlistSummary ("a watchlist summary object") {
        /// `total_hits`.
        opt total_hits: i64 = "total_hits",
        /// `raw_results` (JSON media).
        opt raw_results: MediaHolder = "raw_results",
        /// `associated_country_codes`.
        vec associated_country_codes: String = "associated_country_codes",
        /// `search_config`.
        opt search_config: WatchlistSearchConfig = "search_config",
    }
}

model! {
    /// A watchlist summary's `search_config` (screening and advanced CA).
    pub struct WatchlistSearchConfig ("a watchlist search config object") {
        /// `categories` (`WATCHLIST_SCREENING`).
        vec categories: String = "categories",
        /// `type` (`WATCHLIST_ADVANCED_CA`).
        opt search_type: WatchlistSearchType = "type",
        /// `remove_deceased`.
        opt remove_deceased: bool = "remove_deceased",
        /// `share_url`.
        opt share_url: bool = "share_url",
        /// `sources`.
        opt sources: WatchlistSources = "sources",
        /// `matching_strategy`.
        opt matching_strategy: MatchingStrategy = "matching_strategy",
        /// `api_key` (custom account; redacted in `Debug`).
        opt api_key: Secret = "api_key",
        /// `monitoring` (custom account).
        opt monitoring: bool = "monitoring",
        /// `tags` (custom account; a map or a JSON string).
        opt tags: Tags = "tags",
        /// `client_ref` (custom account).
        opt client_ref: String = "client_ref",
    }
}

model! {
    /// `search_config.sources`: `{type: PROFILE, search_profile}` or `{type: TYPE_LIST, types}`.
    pub struct WatchlistSources ("a watchlist sources object") {
        /// `type`.
        opt sources_type: WatchlistSourcesType = "type",
        /// `search_profile` (`PROFILE`).
        opt search_profile: String = "search_profile",
        /// `types` (`TYPE_LIST`).
        vec types: String = "types",
    }
}

model! {
    /// `search_config.matching_strategy`: `{type: EXACT, exact_match}` or
    /// `{type: FUZZY, fuzziness}`.
    pub struct MatchingStrategy ("a matching strategy object") {
        /// `type`.
        opt strategy_type: MatchingStrategyType = "type",
        /// `exact_match` (`EXACT`; a JSON boolean).
        opt exact_match: bool = "exact_match",
        /// `fuzziness` (`FUZZY`; kept as the JSON number sent).
        opt fuzziness: Number = "fuzziness",
    }
}

model! {
    /// `identity_profile`.
    pub struct IdentityProfile ("an identity profile object") {
        /// `subject_id`.
        opt subject_id: String = "subject_id",
        /// `result`, e.g. `DONE`, `FAIL`.
        opt result: String = "result",
        /// `failure_reason`.
        opt failure_reason: FailureReason = "failure_reason",
        /// `identity_profile_report`.
        opt identity_profile_report: IdentityProfileReport = "identity_profile_report",
    }
}

model! {
    /// An identity profile's `failure_reason`.
    pub struct FailureReason ("a failure reason object") {
        /// `reason_code`, e.g. `MANDATORY_DOCUMENT_COULD_NOT_BE_PROVIDED`.
        opt reason_code: String = "reason_code",
        /// `requirements_not_met_details` (every entry kept).
        vec requirements_not_met_details: RequirementNotMetDetail = "requirements_not_met_details",
    }
}

model! {
    /// One entry of `requirements_not_met_details`.
    pub struct RequirementNotMetDetail ("a requirement-not-met detail object") {
        /// `failure_type`.
        opt failure_type: String = "failure_type",
        /// `document_type`.
        opt document_type: String = "document_type",
        /// `document_country_iso_code`.
        opt document_country_iso_code: String = "document_country_iso_code",
        /// `audit_id`.
        opt audit_id: String = "audit_id",
        /// `details`.
        opt details: String = "details",
    }
}

model! {
    /// `identity_profile.identity_profile_report`.
    pub struct IdentityProfileReport ("an identity profile report object") {
        /// `trust_framework`, e.g. `UK_TFIDA`.
        opt trust_framework: String = "trust_framework",
        /// `schemes_compliance`.
        vec schemes_compliance: SchemeCompliance = "schemes_compliance",
        /// `media` (the JSON report).
        opt media: Media = "media",
    }
}

model! {
    /// One entry of `schemes_compliance`.
    pub struct SchemeCompliance ("a scheme compliance object") {
        /// `scheme`.
        opt scheme: Scheme = "scheme",
        /// `requirements_met`.
        opt requirements_met: bool = "requirements_met",
        /// `requirements_not_met_info`.
        opt requirements_not_met_info: String = "requirements_not_met_info",
    }
}

model! {
    /// A scheme `{type, objective, label}`.
    pub struct Scheme ("a scheme object") {
        /// `type`, e.g. `DBS`, `RTW`.
        opt scheme_type: String = "type",
        /// `objective`, e.g. `STANDARD`.
        opt objective: String = "objective",
        /// `label` (advanced identity profile).
        opt label: String = "label",
    }
}

model! {
    /// `advanced_identity_profile` (its report differs from the simple one).
    pub struct AdvancedIdentityProfile ("an advanced identity profile object") {
        /// `subject_id`.
        opt subject_id: String = "subject_id",
        /// `result`.
        opt result: String = "result",
        /// `failure_reason`.
        opt failure_reason: FailureReason = "failure_reason",
        /// `identity_profile_report`.
        opt identity_profile_report: AdvancedIdentityProfileReport = "identity_profile_report",
    }
}

model! {
    /// `advanced_identity_profile.identity_profile_report`.
    pub struct AdvancedIdentityProfileReport ("an advanced identity profile report object") {
        /// `compliance`.
        vec compliance: TrustFrameworkCompliance = "compliance",
        /// `media` (the JSON report).
        opt media: Media = "media",
    }
}

model! {
    /// One entry of an advanced report's `compliance`.
    pub struct TrustFrameworkCompliance ("a trust framework compliance object") {
        /// `trust_framework`.
        opt trust_framework: String = "trust_framework",
        /// `schemes_compliance`.
        vec schemes_compliance: SchemeCompliance = "schemes_compliance",
    }
}

model! {
    /// `import_token`.
    pub struct ImportToken ("an import token object") {
        /// `media`.
        opt media: Media = "media",
        /// `failure_reason`.
        opt failure_reason: String = "failure_reason",
    }
}

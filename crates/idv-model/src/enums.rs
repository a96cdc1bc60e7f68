//! Open enumerations of the API (every one has an `Other(String)` variant).

open_enum! {
    /// The `state` of a session.
    pub enum SessionState {
        /// `ONGOING`: evidence is still being collected.
        Ongoing = "ONGOING",
        /// `COMPLETED`: all requirements met and checks finished.
        Completed = "COMPLETED",
        /// `EXPIRED`: the session ran out of time (named in the portal documentation).
        Expired = "EXPIRED",
    }
}

impl SessionState {
    /// Whether a session in this state is finished, the one definition every crate uses (the
    /// client's `wait_for_completion` stops on it): `COMPLETED` and `EXPIRED` are final,
    /// `ONGOING` is not. A state this version does not know (`Other`) counts as *not* finished:
    /// nothing says it is final, so a waiter keeps polling until its own deadline rather than
    /// stopping early on a session that may still change.
    ///
    /// ```
    /// use idv_model::SessionState;
    /// assert!(SessionState::Completed.is_finished());
    /// assert!(SessionState::Expired.is_finished());
    /// assert!(!SessionState::Ongoing.is_finished());
    /// assert!(!SessionState::from("PAUSED").is_finished());
    /// ```
    pub fn is_finished(&self) -> bool {
        matches!(self, SessionState::Completed | SessionState::Expired)
    }
}

open_enum! {
    /// The `type` of a check (the 15 known types).
    pub enum CheckType {
        /// `ID_DOCUMENT_AUTHENTICITY`.
        IdDocumentAuthenticity = "ID_DOCUMENT_AUTHENTICITY",
        /// `ID_DOCUMENT_TEXT_DATA_CHECK`.
        IdDocumentTextDataCheck = "ID_DOCUMENT_TEXT_DATA_CHECK",
        /// `ID_DOCUMENT_FACE_MATCH`.
        IdDocumentFaceMatch = "ID_DOCUMENT_FACE_MATCH",
        /// `ID_DOCUMENT_COMPARISON`.
        IdDocumentComparison = "ID_DOCUMENT_COMPARISON",
        /// `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK`.
        SupplementaryDocumentTextDataCheck = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_CHECK",
        /// `LIVENESS`.
        Liveness = "LIVENESS",
        /// `FACE_COMPARISON`.
        FaceComparison = "FACE_COMPARISON",
        /// `THIRD_PARTY_IDENTITY` (has `generated_profile`).
        ThirdPartyIdentity = "THIRD_PARTY_IDENTITY",
        /// `THIRD_PARTY_IDENTITY_FRAUD_1` (has `generated_profile`).
        ThirdPartyIdentityFraud1 = "THIRD_PARTY_IDENTITY_FRAUD_1",
        /// `WATCHLIST_SCREENING` (has `generated_profile` and `report.watchlist_summary`).
        WatchlistScreening = "WATCHLIST_SCREENING",
        /// `WATCHLIST_ADVANCED_CA` (has `generated_profile` and `report.watchlist_summary`).
        WatchlistAdvancedCa = "WATCHLIST_ADVANCED_CA",
        /// `IBV_VISUAL_REVIEW_CHECK` (in-branch).
        IbvVisualReviewCheck = "IBV_VISUAL_REVIEW_CHECK",
        /// `DOCUMENT_SCHEME_VALIDITY_CHECK` (in-branch; has `scheme`).
        DocumentSchemeValidityCheck = "DOCUMENT_SCHEME_VALIDITY_CHECK",
        /// `PROFILE_DOCUMENT_MATCH` (in-branch).
        ProfileDocumentMatch = "PROFILE_DOCUMENT_MATCH",
        /// `SYNECTICS_IDENTITY_FRAUD` (has `generated_profile`).
        SynecticsIdentityFraud = "SYNECTICS_IDENTITY_FRAUD",
    }
}

open_enum! {
    /// The `state` of a check.
    pub enum CheckState {
        /// `DONE`.
        Done = "DONE",
        /// `PENDING`.
        Pending = "PENDING",
    }
}

open_enum! {
    /// The `state` of a task.
    pub enum TaskState {
        /// `DONE`.
        Done = "DONE",
        /// `PENDING`.
        Pending = "PENDING",
    }
}

open_enum! {
    /// The `type` of a task.
    pub enum TaskType {
        /// `ID_DOCUMENT_TEXT_DATA_EXTRACTION`.
        IdDocumentTextDataExtraction = "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
        /// `SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION`.
        SupplementaryDocumentTextDataExtraction = "SUPPLEMENTARY_DOCUMENT_TEXT_DATA_EXTRACTION",
        /// `VERIFY_SHARE_CODE_TASK`.
        VerifyShareCodeTask = "VERIFY_SHARE_CODE_TASK",
    }
}

open_enum! {
    /// The `liveness_type` of a liveness capture.
    pub enum LivenessType {
        /// `ZOOM` (facemap and frames).
        Zoom = "ZOOM",
        /// `STATIC` (one image).
        Static = "STATIC",
    }
}

open_enum! {
    /// `source.type`: who supplied a resource.
    pub enum SourceType {
        /// `END_USER`.
        EndUser = "END_USER",
        /// `RELYING_BUSINESS`.
        RelyingBusiness = "RELYING_BUSINESS",
        /// `IBV` (captured in a branch).
        Ibv = "IBV",
    }
}

open_enum! {
    /// The `type` of a media item.
    pub enum MediaType {
        /// `IMAGE`.
        Image = "IMAGE",
        /// `JSON`.
        Json = "JSON",
        /// `BINARY` (e.g. a ZOOM facemap).
        Binary = "BINARY",
        /// `PDF`.
        Pdf = "PDF",
    }
}

open_enum! {
    /// A check report's `recommendation.value`.
    pub enum RecommendationValue {
        /// `APPROVE`.
        Approve = "APPROVE",
        /// `REJECT`.
        Reject = "REJECT",
        /// `NOT_AVAILABLE`.
        NotAvailable = "NOT_AVAILABLE",
        /// `CONSIDER` (advanced CA watchlist).
        Consider = "CONSIDER",
    }
}

open_enum! {
    /// A page's `capture_method`.
    pub enum CaptureMethod {
        /// `CAMERA`.
        Camera = "CAMERA",
        /// `UPLOAD`.
        Upload = "UPLOAD",
    }
}

open_enum! {
    /// A report breakdown's `result`.
    pub enum BreakdownResult {
        /// `PASS`.
        Pass = "PASS",
        /// `FAIL`.
        Fail = "FAIL",
        /// `NOT_AVAILABLE`.
        NotAvailable = "NOT_AVAILABLE",
        /// `DONE`.
        Done = "DONE",
    }
}

open_enum! {
    /// Watchlist `search_config.type`.
    pub enum WatchlistSearchType {
        /// `WITH_YOTI_ACCOUNT`.
        WithYotiAccount = "WITH_YOTI_ACCOUNT",
        /// `WITH_CUSTOM_ACCOUNT`.
        WithCustomAccount = "WITH_CUSTOM_ACCOUNT",
    }
}

open_enum! {
    /// Watchlist `search_config.sources.type`.
    pub enum WatchlistSourcesType {
        /// `PROFILE` (with `search_profile`).
        Profile = "PROFILE",
        /// `TYPE_LIST` (with `types`).
        TypeList = "TYPE_LIST",
    }
}

open_enum! {
    /// Watchlist `search_config.matching_strategy.type`.
    pub enum MatchingStrategyType {
        /// `EXACT` (with `exact_match`).
        Exact = "EXACT",
        /// `FUZZY` (with `fuzziness`).
        Fuzzy = "FUZZY",
    }
}

open_enum! {
    /// The `type` of a required resource in the session configuration.
    pub enum RequirementType {
        /// `ID_DOCUMENT`.
        IdDocument = "ID_DOCUMENT",
        /// `SUPPLEMENTARY_DOCUMENT`.
        SupplementaryDocument = "SUPPLEMENTARY_DOCUMENT",
        /// `LIVENESS`.
        Liveness = "LIVENESS",
        /// `FACE_CAPTURE`.
        FaceCapture = "FACE_CAPTURE",
    }
}

open_enum! {
    /// The `event` of a tracked-device entry.
    pub enum TrackedDeviceEventType {
        /// `SESSION_CREATED`.
        SessionCreated = "SESSION_CREATED",
        /// `RESOURCE_CREATED`.
        ResourceCreated = "RESOURCE_CREATED",
    }
}

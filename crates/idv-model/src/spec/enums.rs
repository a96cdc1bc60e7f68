//! Open enumerations of the create-session specification (each keeps unknown values in
//! `Other(String)`).

open_enum! {
    /// `manual_check` of a check or task: when a person reviews it.
    pub enum ManualCheck {
        /// `ALWAYS`.
        Always = "ALWAYS",
        /// `FALLBACK`: only when the automated result is not conclusive.
        Fallback = "FALLBACK",
        /// `NEVER`.
        Never = "NEVER",
    }
}

open_enum! {
    /// `chip_data` of the ID-document text extraction task.
    pub enum ChipData {
        /// `DESIRED`: read the document's chip when there is one.
        Desired = "DESIRED",
        /// `IGNORE`.
        Ignore = "IGNORE",
    }
}

open_enum! {
    /// A `categories` entry of the watchlist screening check.
    pub enum WatchlistCategory {
        /// `ADVERSE-MEDIA` (with a hyphen on the wire).
        AdverseMedia = "ADVERSE-MEDIA",
        /// `SANCTIONS`.
        Sanctions = "SANCTIONS",
    }
}

open_enum! {
    /// `sdk_config.allowed_capture_methods`.
    pub enum AllowedCaptureMethods {
        /// `CAMERA`: the camera only.
        Camera = "CAMERA",
        /// `CAMERA_AND_UPLOAD`: the camera or a file upload.
        CameraAndUpload = "CAMERA_AND_UPLOAD",
    }
}

open_enum! {
    /// `sdk_config.dark_mode`.
    pub enum DarkMode {
        /// `ON`.
        On = "ON",
        /// `OFF`.
        Off = "OFF",
        /// `AUTO`: follow the device.
        Auto = "AUTO",
    }
}

open_enum! {
    /// `sdk_config.biometric_consent_flow`.
    pub enum BiometricConsentFlow {
        /// `EARLY`: ask for consent at the start of the flow.
        Early = "EARLY",
        /// `JUST_IN_TIME`: ask before the first biometric capture.
        JustInTime = "JUST_IN_TIME",
    }
}

open_enum! {
    /// A `sdk_config.suppressed_screens` entry.
    pub enum SuppressedScreen {
        /// `ID_DOCUMENT_EDUCATION`.
        IdDocumentEducation = "ID_DOCUMENT_EDUCATION",
        /// `ID_DOCUMENT_REQUIREMENTS`.
        IdDocumentRequirements = "ID_DOCUMENT_REQUIREMENTS",
        /// `SUPPLEMENTARY_DOCUMENT_EDUCATION`.
        SupplementaryDocumentEducation = "SUPPLEMENTARY_DOCUMENT_EDUCATION",
        /// `ZOOM_LIVENESS_EDUCATION`.
        ZoomLivenessEducation = "ZOOM_LIVENESS_EDUCATION",
        /// `STATIC_LIVENESS_EDUCATION`.
        StaticLivenessEducation = "STATIC_LIVENESS_EDUCATION",
        /// `FACE_CAPTURE_EDUCATION`.
        FaceCaptureEducation = "FACE_CAPTURE_EDUCATION",
        /// `FLOW_COMPLETION`.
        FlowCompletion = "FLOW_COMPLETION",
    }
}

open_enum! {
    /// `notifications.auth_type`: how Yoti presents `auth_token` to the endpoint.
    pub enum AuthType {
        /// `BASIC`: `Authorization: Basic base64(auth_token)` (the token is `user:password`).
        Basic = "BASIC",
        /// `BEARER`: `Authorization: Bearer <auth_token>`.
        Bearer = "BEARER",
    }
}

open_enum! {
    /// A `notifications.topics` entry (upper case in the request; the notification itself
    /// carries it in lower case).
    pub enum Topic {
        /// `RESOURCE_UPDATE`.
        ResourceUpdate = "RESOURCE_UPDATE",
        /// `TASK_COMPLETION`.
        TaskCompletion = "TASK_COMPLETION",
        /// `CHECK_COMPLETION`.
        CheckCompletion = "CHECK_COMPLETION",
        /// `SESSION_COMPLETION` (recommended over polling).
        SessionCompletion = "SESSION_COMPLETION",
        /// `CLIENT_SESSION_TOKEN_DELETED`: the user finished the client flow.
        ClientSessionTokenDeleted = "CLIENT_SESSION_TOKEN_DELETED",
        /// `NEW_PDF_SUPPLIED` (in-branch).
        NewPdfSupplied = "NEW_PDF_SUPPLIED",
        /// `INSTRUCTIONS_EMAIL_REQUESTED` (in-branch).
        InstructionsEmailRequested = "INSTRUCTIONS_EMAIL_REQUESTED",
        /// `THANK_YOU_EMAIL_REQUESTED` (in-branch).
        ThankYouEmailRequested = "THANK_YOU_EMAIL_REQUESTED",
        /// `FIRST_BRANCH_VISIT` (in-branch).
        FirstBranchVisit = "FIRST_BRANCH_VISIT",
    }
}

open_enum! {
    /// `required_documents[].type`.
    pub enum RequiredDocumentType {
        /// `ID_DOCUMENT` (with an optional `filter`).
        IdDocument = "ID_DOCUMENT",
        /// `SUPPLEMENTARY_DOCUMENT` (with an `objective`, `document_types`, `country_codes`).
        SupplementaryDocument = "SUPPLEMENTARY_DOCUMENT",
    }
}

open_enum! {
    /// The `type` of a document filter.
    pub enum FilterType {
        /// `ORTHOGONAL_RESTRICTIONS`: a country restriction and a document-type restriction.
        OrthogonalRestrictions = "ORTHOGONAL_RESTRICTIONS",
        /// `DOCUMENT_RESTRICTIONS`: a list of country and document-type combinations.
        DocumentRestrictions = "DOCUMENT_RESTRICTIONS",
    }
}

open_enum! {
    /// `inclusion` of a restriction.
    pub enum Inclusion {
        /// `WHITELIST`: only what is listed.
        Whitelist = "WHITELIST",
        /// `BLACKLIST`: anything but what is listed.
        Blacklist = "BLACKLIST",
    }
}

open_enum! {
    /// `objective.type` of a supplementary document.
    pub enum ObjectiveType {
        /// `PROOF_OF_ADDRESS`.
        ProofOfAddress = "PROOF_OF_ADDRESS",
    }
}

open_enum! {
    /// `ibv_options.support`: whether the in-branch flavour is offered.
    pub enum IbvSupport {
        /// `MANDATORY`.
        Mandatory = "MANDATORY",
        /// `NOT_ALLOWED`.
        NotAllowed = "NOT_ALLOWED",
    }
}

walk_open_enum!(
    ManualCheck,
    ChipData,
    WatchlistCategory,
    AllowedCaptureMethods,
    DarkMode,
    BiometricConsentFlow,
    SuppressedScreen,
    AuthType,
    Topic,
    RequiredDocumentType,
    FilterType,
    Inclusion,
    ObjectiveType,
    IbvSupport,
);

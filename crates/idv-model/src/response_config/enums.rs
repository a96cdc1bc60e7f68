//! Open enumerations of the response config that the rest of the crate does not have (each
//! keeps unknown values in `Other(String)`), and their `Walk`.

open_enum! {
    /// A text-extraction task's `recommendation.value`: whether the user may go on.
    pub enum ExtractionRecommendationValue {
        /// `PROGRESS`: the extraction succeeded; the user goes on.
        Progress = "PROGRESS",
        /// `SHOULD_TRY_AGAIN`: the user is asked to capture the document again, and may skip.
        ShouldTryAgain = "SHOULD_TRY_AGAIN",
        /// `MUST_TRY_AGAIN`: the user has to capture the document again.
        MustTryAgain = "MUST_TRY_AGAIN",
    }
}

open_enum! {
    /// A text-extraction task's `recommendation.reason.value`: why the user should try again.
    pub enum ExtractionReasonValue {
        /// `QUALITY`: the image quality was too low.
        Quality = "QUALITY",
        /// `USER_ERROR`: the user captured the wrong thing.
        UserError = "USER_ERROR",
    }
}

walk_open_enum!(ExtractionRecommendationValue, ExtractionReasonValue);

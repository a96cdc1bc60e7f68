//! The top level of the specification: [`SessionSpec`] and its builder, and the small
//! top-level objects (`subject`, `import_token`, `ibv_options`, `resources`).

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value};

use crate::request_model::walk::Rules;
use crate::spec::rules::Walker;
use crate::spec::{
    AdvancedIdentityProfileRequirements, IbvSupport, IdentityProfileRequirements,
    NotificationConfig, RequestedCheck, RequestedTask, RequiredDocument, SdkConfig, SpecError,
    ViolationKind,
};
use crate::{ParseError, Timestamp};

spec_model! {
    /// The body of `POST /sessions`: everything a session is created with.
    ///
    /// Build one with [`SessionSpec::builder`] (validated by
    /// [`build`](SessionSpecBuilder::build)), or read one from JSON with
    /// [`SessionSpec::from_slice`] and check it with [`validate`](SessionSpec::validate). See
    /// the [module documentation](crate::spec) for an example.
    pub struct SessionSpec / SessionSpecBuilder ("a session specification object") {
        /// `client_session_token_ttl`: seconds the user-facing flow may use the session
        /// (Yoti's documentation asks for more than 300).
        one client_session_token_ttl: i64 = "client_session_token_ttl",
        /// `session_deadline`: an RFC 3339 date-time after which the session ends.
        one session_deadline: Timestamp = "session_deadline",
        /// `resources_ttl`: seconds the uploaded resources are kept (Yoti's documentation asks
        /// for at least a day more than `client_session_token_ttl`).
        one resources_ttl: i64 = "resources_ttl",
        /// `user_tracking_id`: the integrator's id for the user (not personal data).
        one user_tracking_id: String = "user_tracking_id",
        /// `notifications`.
        one notifications: NotificationConfig = "notifications",
        /// `requested_checks`.
        list requested_checks: RequestedCheck = "requested_checks",
        /// `requested_tasks`.
        list requested_tasks: RequestedTask = "requested_tasks",
        /// `sdk_config`.
        one sdk_config: SdkConfig = "sdk_config",
        /// `required_documents`.
        list required_documents: RequiredDocument = "required_documents",
        /// `block_biometric_consent`.
        one block_biometric_consent: bool = "block_biometric_consent",
        /// `identity_profile_requirements`.
        one identity_profile_requirements: IdentityProfileRequirements = "identity_profile_requirements",
        /// `advanced_identity_profile_requirements`.
        one advanced_identity_profile_requirements: AdvancedIdentityProfileRequirements =
            "advanced_identity_profile_requirements",
        /// `subject`.
        one subject: Subject = "subject",
        /// `create_identity_profile_preview`.
        one create_identity_profile_preview: bool = "create_identity_profile_preview",
        /// `import_token`.
        one import_token: ImportTokenConfig = "import_token",
        /// `ibv_options` (in-branch verification).
        one ibv_options: IbvOptions = "ibv_options",
        /// `resources`: resources created with the session (`applicant_profile`).
        one resources: SpecResources = "resources",
        /// `ephemeral_media`.
        one ephemeral_media: bool = "ephemeral_media",
    }
}

impl SessionSpec {
    /// Parses a specification from JSON. Every key is kept (unknown ones in `extra`, see
    /// [`unknown_keys`](Self::unknown_keys)), so writing it back gives the same JSON value. A
    /// shape that does not fit (a string where a number belongs) is a [`ParseError`] naming
    /// the JSON path; rules are checked by [`validate`](Self::validate).
    pub fn from_slice(bytes: &[u8]) -> Result<Self, ParseError> {
        crate::from_slice(bytes)
    }

    /// Checks the rules the API documents (positive TTLs, RFC 3339 deadline, hex colours,
    /// notification endpoint and token, required config keys, country codes, …) and returns
    /// every violation with its JSON path.
    pub fn validate(&self) -> Result<(), SpecError> {
        Walker::validate(self)
    }

    /// The JSON paths of the keys this version does not model (kept and sent as they are),
    /// e.g. `sdk_config.new_key` or `requested_checks[2].config.new_key`; for a check or task
    /// of an unknown type, the keys of its config. Keys of free-form objects (`tags`,
    /// `applicant_profile`) are not reported.
    pub fn unknown_keys(&self) -> Vec<String> {
        Walker::run(self).unknown_keys
    }

    /// The JSON paths of enum values this version does not know (kept and sent as they are),
    /// e.g. `requested_checks[0].type` or `notifications.topics[1]`.
    pub fn unknown_values(&self) -> Vec<String> {
        Walker::run(self).unknown_values
    }
}

impl SessionSpecBuilder {
    /// Adds one check to `requested_checks` (a [`RequestedCheck`], a check config or its
    /// builder).
    #[must_use]
    pub fn requested_check(mut self, check: impl Into<RequestedCheck>) -> Self {
        self.inner
            .requested_checks
            .get_or_insert_with(Vec::new)
            .push(check.into());
        self
    }

    /// Adds one task to `requested_tasks` (a [`RequestedTask`], a task config or its builder).
    #[must_use]
    pub fn requested_task(mut self, task: impl Into<RequestedTask>) -> Self {
        self.inner
            .requested_tasks
            .get_or_insert_with(Vec::new)
            .push(task.into());
        self
    }

    /// Adds one entry to `required_documents`.
    #[must_use]
    pub fn required_document(mut self, document: impl Into<RequiredDocument>) -> Self {
        self.inner
            .required_documents
            .get_or_insert_with(Vec::new)
            .push(document.into());
        self
    }

    /// Sets `resources.applicant_profile` (a free-form object, sent as given).
    #[must_use]
    pub fn applicant_profile(mut self, profile: Map<String, Value>) -> Self {
        self.inner
            .resources
            .get_or_insert_with(SpecResources::default)
            .applicant_profile = Some(profile);
        self
    }

    /// Sets `session_deadline` to this instant, in the form the official Node SDK sends (UTC
    /// with milliseconds: `2030-01-01T00:00:00.000Z`).
    #[must_use]
    pub fn session_deadline_at(self, deadline: SystemTime) -> Self {
        self.session_deadline(format_utc_millis(deadline))
    }

    /// The specification, if it breaks no documented rule (see [`SessionSpec::validate`]).
    ///
    /// `requested_checks`, `requested_tasks` and `required_documents` are always sent, as
    /// `[]` when empty, as every official SDK does; any other key is sent only when set.
    pub fn build(mut self) -> Result<SessionSpec, SpecError> {
        self.inner.requested_checks.get_or_insert_with(Vec::new);
        self.inner.requested_tasks.get_or_insert_with(Vec::new);
        self.inner.required_documents.get_or_insert_with(Vec::new);
        self.inner.validate()?;
        Ok(self.inner)
    }
}

spec_model! {
    /// `subject`: who the session is about (passed through as given by the official SDKs).
    pub struct Subject / SubjectBuilder ("a subject object") {
        /// `subject_id`: the integrator's id for the subject.
        one subject_id: String = "subject_id",
    }
}

spec_model! {
    /// `import_token`: ask for a token that imports the verified identity into a Digital ID.
    pub struct ImportTokenConfig / ImportTokenConfigBuilder ("an import token object") {
        /// `ttl`: seconds the token is valid.
        one ttl: i64 = "ttl",
    }
}

spec_model! {
    /// `ibv_options`: the in-branch flavour of the session.
    pub struct IbvOptions / IbvOptionsBuilder ("an ibv options object") {
        /// `support` (required).
        one support: IbvSupport = "support",
        /// `guidance_url`.
        one guidance_url: String = "guidance_url",
        /// `user_price`: what the user pays at the branch.
        one user_price: UserPrice = "user_price",
    }
}

spec_model! {
    /// `ibv_options.user_price`.
    pub struct UserPrice / UserPriceBuilder ("a user price object") {
        /// `amount`, as a decimal string such as `"5.00"`.
        one amount: String = "amount",
        /// `currency`, e.g. `GBP`.
        one currency: String = "currency",
    }
}

impl UserPrice {
    /// `{amount, currency: "GBP"}`.
    pub fn gbp(amount: impl Into<String>) -> Self {
        Self::builder().amount(amount).currency("GBP").build()
    }
}

spec_model! {
    /// `resources`: resources created together with the session.
    pub struct SpecResources / SpecResourcesBuilder ("a resources object") {
        /// `applicant_profile`: a free-form object (name, date of birth, address …), sent as
        /// given.
        one applicant_profile: Map<String, Value> = "applicant_profile",
    }
}

spec_build!(
    SubjectBuilder => Subject,
    ImportTokenConfigBuilder => ImportTokenConfig,
    IbvOptionsBuilder => IbvOptions,
    UserPriceBuilder => UserPrice,
    SpecResourcesBuilder => SpecResources,
);

impl Rules<ViolationKind> for SessionSpec {
    fn rules(&self, cx: &mut Walker) {
        cx.positive("client_session_token_ttl", self.client_session_token_ttl);
        if self
            .session_deadline
            .as_ref()
            .is_some_and(|t| !t.is_valid())
        {
            cx.violation("session_deadline", ViolationKind::InvalidTimestamp);
        }
        cx.positive("resources_ttl", self.resources_ttl);
    }
}

impl Rules<ViolationKind> for Subject {}
impl Rules<ViolationKind> for SpecResources {}

impl Rules<ViolationKind> for ImportTokenConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.positive("ttl", self.ttl);
    }
}

impl Rules<ViolationKind> for IbvOptions {
    fn rules(&self, cx: &mut Walker) {
        cx.required("support", &self.support);
        cx.not_empty("guidance_url", &self.guidance_url);
    }
}

impl Rules<ViolationKind> for UserPrice {
    fn rules(&self, cx: &mut Walker) {
        cx.not_empty("amount", &self.amount);
        cx.not_empty("currency", &self.currency);
    }
}

/// `YYYY-MM-DDTHH:MM:SS.mmmZ` (instants outside years 0–9999 give text that is not RFC 3339,
/// which validation reports; nothing overflows).
fn format_utc_millis(time: SystemTime) -> String {
    let nanos: i128 = match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i128::try_from(after.as_nanos()).unwrap_or(i128::MAX),
        Err(before) => i128::try_from(before.duration().as_nanos()).map_or(i128::MIN, |n| -n),
    };
    let seconds = nanos.div_euclid(1_000_000_000);
    let millis = nanos.rem_euclid(1_000_000_000) / 1_000_000;
    let days = seconds.div_euclid(86_400);
    let second_of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        second_of_day / 3_600,
        second_of_day % 3_600 / 60,
        second_of_day % 60,
    )
}

/// The proleptic Gregorian date of a day count from 1970-01-01 (Howard Hinnant's algorithm).
/// `i128` leaves room for every `SystemTime`.
fn civil_from_days(days: i128) -> (i128, i128, i128) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era
        .saturating_add(era.saturating_mul(400))
        .saturating_add(i128::from(month <= 2));
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn formats_instants_like_the_node_sdk() {
        let at = |secs: u64, millis: u64| {
            format_utc_millis(
                UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_millis(millis),
            )
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(1_893_456_000, 0), "2030-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.005Z");
        assert_eq!(at(1_697_448_251, 999), "2023-10-16T09:24:11.999Z");
        let before = UNIX_EPOCH - Duration::from_millis(1);
        assert_eq!(format_utc_millis(before), "1969-12-31T23:59:59.999Z");
        for secs in [
            0u64,
            86_399,
            86_400,
            951_868_799,
            4_102_444_800,
            253_402_300_799,
        ] {
            let text = at(secs, 0);
            let parsed = Timestamp::new(text.clone()).unix_seconds();
            assert_eq!(parsed, Some(i64::try_from(secs).unwrap()), "{text}");
        }
    }
}

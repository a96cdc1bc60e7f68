//! `identity_profile_requirements` and `advanced_identity_profile_requirements`.
//!
//! The values (trust frameworks such as `UK_TFIDA` or `YOTI_GLOBAL`, schemes such as `DBS`
//! or `RTW`, objectives such as `STANDARD`) are Yoti's to extend and are kept as strings. The
//! official SDKs pass these objects through as given; unknown keys inside are kept and sent.

use crate::request_model::walk::Rules;
use crate::spec::DocumentFilter;
use crate::spec::ViolationKind;
use crate::spec::rules::Walker;

spec_model! {
    /// `identity_profile_requirements`: `{trust_framework, scheme: {type, objective}}`.
    ///
    /// ```
    /// use idv_model::spec::{IdentityProfileRequirements, IdentityProfileScheme, SessionSpec};
    ///
    /// let spec = SessionSpec::builder()
    ///     .identity_profile_requirements(
    ///         IdentityProfileRequirements::builder()
    ///             .trust_framework("UK_TFIDA")
    ///             .scheme(IdentityProfileScheme::new("DBS", "STANDARD")),
    ///     )
    ///     .build()?;
    /// assert_eq!(
    ///     serde_json::to_value(&spec)?["identity_profile_requirements"],
    ///     serde_json::json!({"trust_framework": "UK_TFIDA",
    ///                        "scheme": {"type": "DBS", "objective": "STANDARD"}})
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct IdentityProfileRequirements / IdentityProfileRequirementsBuilder
        ("an identity profile requirements object") {
        /// `trust_framework` (required), e.g. `UK_TFIDA`.
        one trust_framework: String = "trust_framework",
        /// `scheme` (required).
        one scheme: IdentityProfileScheme = "scheme",
    }
}

spec_model! {
    /// `scheme` of the identity profile requirements.
    pub struct IdentityProfileScheme / IdentityProfileSchemeBuilder ("an identity profile scheme object") {
        /// `type` (required), e.g. `DBS`, `RTW`.
        one scheme_type: String = "type",
        /// `objective`, e.g. `STANDARD`.
        one objective: String = "objective",
    }
}

impl IdentityProfileScheme {
    /// `{type, objective}`.
    pub fn new(scheme_type: impl Into<String>, objective: impl Into<String>) -> Self {
        Self::builder()
            .scheme_type(scheme_type)
            .objective(objective)
            .build()
    }
}

spec_model! {
    /// `advanced_identity_profile_requirements`: `{profiles: [{trust_framework, schemes:
    /// [{type, objective, label, config: {filter}}]}]}`.
    pub struct AdvancedIdentityProfileRequirements / AdvancedIdentityProfileRequirementsBuilder
        ("an advanced identity profile requirements object") {
        /// `profiles`.
        list profiles: AdvancedProfile = "profiles",
    }
}

impl AdvancedIdentityProfileRequirementsBuilder {
    /// Adds one entry to `profiles`.
    #[must_use]
    pub fn profile(mut self, profile: impl Into<AdvancedProfile>) -> Self {
        self.inner
            .profiles
            .get_or_insert_with(Vec::new)
            .push(profile.into());
        self
    }
}

spec_model! {
    /// A `profiles` entry of the advanced identity profile requirements.
    pub struct AdvancedProfile / AdvancedProfileBuilder ("an advanced identity profile object") {
        /// `trust_framework` (required).
        one trust_framework: String = "trust_framework",
        /// `schemes`.
        list schemes: AdvancedScheme = "schemes",
    }
}

impl AdvancedProfileBuilder {
    /// Adds one entry to `schemes`.
    #[must_use]
    pub fn scheme(mut self, scheme: impl Into<AdvancedScheme>) -> Self {
        self.inner
            .schemes
            .get_or_insert_with(Vec::new)
            .push(scheme.into());
        self
    }
}

spec_model! {
    /// A `schemes` entry of an advanced identity profile.
    pub struct AdvancedScheme / AdvancedSchemeBuilder ("an advanced identity profile scheme object") {
        /// `type` (required).
        one scheme_type: String = "type",
        /// `objective`.
        one objective: String = "objective",
        /// `label` (required): the integrator's name for the scheme, echoed in the result.
        one label: String = "label",
        /// `config`.
        one config: AdvancedSchemeConfig = "config",
    }
}

spec_model! {
    /// `config` of an advanced identity profile scheme.
    pub struct AdvancedSchemeConfig / AdvancedSchemeConfigBuilder ("an advanced scheme config object") {
        /// `filter`: the documents the scheme accepts.
        one filter: DocumentFilter = "filter",
    }
}

spec_build!(
    IdentityProfileRequirementsBuilder => IdentityProfileRequirements,
    IdentityProfileSchemeBuilder => IdentityProfileScheme,
    AdvancedIdentityProfileRequirementsBuilder => AdvancedIdentityProfileRequirements,
    AdvancedProfileBuilder => AdvancedProfile,
    AdvancedSchemeBuilder => AdvancedScheme,
    AdvancedSchemeConfigBuilder => AdvancedSchemeConfig,
);

impl Rules<ViolationKind> for IdentityProfileRequirements {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("trust_framework", &self.trust_framework);
        cx.required("scheme", &self.scheme);
    }
}

impl Rules<ViolationKind> for IdentityProfileScheme {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("type", &self.scheme_type);
    }
}

impl Rules<ViolationKind> for AdvancedIdentityProfileRequirements {}

impl Rules<ViolationKind> for AdvancedProfile {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("trust_framework", &self.trust_framework);
    }
}

impl Rules<ViolationKind> for AdvancedScheme {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("type", &self.scheme_type);
        cx.required_text("label", &self.label);
    }
}

impl Rules<ViolationKind> for AdvancedSchemeConfig {}

//! `sdk_config`: [`SdkConfig`] and its [`AttemptsConfiguration`].

use std::collections::BTreeMap;

use crate::request_model::walk::Rules;
use crate::spec::rules::Walker;
use crate::spec::{
    AllowedCaptureMethods, BiometricConsentFlow, DarkMode, SuppressedScreen, ViolationKind,
};

spec_model! {
    /// `sdk_config`: how the user-facing web flow looks and behaves.
    ///
    /// ```
    /// use idv_model::spec::{AllowedCaptureMethods, SdkConfig};
    ///
    /// let config = SdkConfig::builder()
    ///     .allowed_capture_methods(AllowedCaptureMethods::CameraAndUpload)
    ///     .primary_colour("#2d9fff")
    ///     .preset_issuing_country("GBR")
    ///     .allow_handoff(false) // `false` is sent; a key never set is not
    ///     .id_document_text_extraction_generic_retries(3)
    ///     .build();
    /// assert_eq!(serde_json::to_value(&config).unwrap(), serde_json::json!({
    ///     "allowed_capture_methods": "CAMERA_AND_UPLOAD", "primary_colour": "#2d9fff",
    ///     "preset_issuing_country": "GBR", "allow_handoff": false,
    ///     "attempts_configuration": {"ID_DOCUMENT_TEXT_DATA_EXTRACTION": {"GENERIC": 3}}
    /// }));
    /// ```
    pub struct SdkConfig / SdkConfigBuilder ("an sdk config object") {
        /// `allowed_capture_methods`.
        one allowed_capture_methods: AllowedCaptureMethods = "allowed_capture_methods",
        /// `primary_colour`: a hex colour code such as `#2d9fff`.
        one primary_colour: String = "primary_colour",
        /// `primary_colour_dark_mode`: a hex colour code.
        one primary_colour_dark_mode: String = "primary_colour_dark_mode",
        /// `secondary_colour`: a hex colour code.
        one secondary_colour: String = "secondary_colour",
        /// `font_colour`: a hex colour code.
        one font_colour: String = "font_colour",
        /// `dark_mode`.
        one dark_mode: DarkMode = "dark_mode",
        /// `locale`, e.g. `en-GB`.
        one locale: String = "locale",
        /// `preset_issuing_country`: an ISO 3166-1 alpha-3 code such as `GBR`.
        one preset_issuing_country: String = "preset_issuing_country",
        /// `success_url`: where the flow sends the user when it completes.
        one success_url: String = "success_url",
        /// `error_url`: where the flow sends the user when it fails.
        one error_url: String = "error_url",
        /// `privacy_policy_url`.
        one privacy_policy_url: String = "privacy_policy_url",
        /// `allow_handoff`: offer to continue on a phone.
        one allow_handoff: bool = "allow_handoff",
        /// `attempts_configuration`.
        one attempts_configuration: AttemptsConfiguration = "attempts_configuration",
        /// `biometric_consent_flow`.
        one biometric_consent_flow: BiometricConsentFlow = "biometric_consent_flow",
        /// `brand_id`.
        one brand_id: String = "brand_id",
        /// `suppressed_screens`.
        list suppressed_screens: SuppressedScreen = "suppressed_screens",
    }
}

impl SdkConfigBuilder {
    /// Adds one screen to `suppressed_screens`.
    #[must_use]
    pub fn suppressed_screen(mut self, screen: impl Into<SuppressedScreen>) -> Self {
        self.inner
            .suppressed_screens
            .get_or_insert_with(Vec::new)
            .push(screen.into());
        self
    }

    /// Sets the number of text-extraction attempts for one category
    /// (`attempts_configuration.ID_DOCUMENT_TEXT_DATA_EXTRACTION.<category>`).
    #[must_use]
    pub fn id_document_text_extraction_retries(
        mut self,
        category: impl Into<String>,
        attempts: i64,
    ) -> Self {
        self.inner
            .attempts_configuration
            .get_or_insert_with(AttemptsConfiguration::default)
            .id_document_text_data_extraction
            .get_or_insert_with(BTreeMap::new)
            .insert(category.into(), attempts);
        self
    }

    /// Sets the `GENERIC` text-extraction attempts.
    #[must_use]
    pub fn id_document_text_extraction_generic_retries(self, attempts: i64) -> Self {
        self.id_document_text_extraction_retries(AttemptsConfiguration::GENERIC, attempts)
    }

    /// Sets the `RECLASSIFICATION` text-extraction attempts.
    #[must_use]
    pub fn id_document_text_extraction_reclassification_retries(self, attempts: i64) -> Self {
        self.id_document_text_extraction_retries(AttemptsConfiguration::RECLASSIFICATION, attempts)
    }
}

spec_model! {
    /// `sdk_config.attempts_configuration`: attempts per task and category.
    pub struct AttemptsConfiguration / AttemptsConfigurationBuilder ("an attempts configuration object") {
        /// `ID_DOCUMENT_TEXT_DATA_EXTRACTION`: attempts per category (`GENERIC`,
        /// `RECLASSIFICATION`, …), each at least 1.
        one id_document_text_data_extraction: BTreeMap<String, i64> = "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
    }
}

impl AttemptsConfiguration {
    /// The `GENERIC` category.
    pub const GENERIC: &'static str = "GENERIC";
    /// The `RECLASSIFICATION` category.
    pub const RECLASSIFICATION: &'static str = "RECLASSIFICATION";
}

spec_build!(
    SdkConfigBuilder => SdkConfig,
    AttemptsConfigurationBuilder => AttemptsConfiguration,
);

impl Rules<ViolationKind> for SdkConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.colour("primary_colour", &self.primary_colour);
        cx.colour("primary_colour_dark_mode", &self.primary_colour_dark_mode);
        cx.colour("secondary_colour", &self.secondary_colour);
        cx.colour("font_colour", &self.font_colour);
        cx.not_empty("locale", &self.locale);
        cx.country_code("preset_issuing_country", &self.preset_issuing_country);
        // Success and error URLs may be app deep links, so only emptiness is checked.
        cx.not_empty("success_url", &self.success_url);
        cx.not_empty("error_url", &self.error_url);
        cx.not_empty("privacy_policy_url", &self.privacy_policy_url);
        cx.not_empty("brand_id", &self.brand_id);
    }
}

impl Rules<ViolationKind> for AttemptsConfiguration {
    fn rules(&self, cx: &mut Walker) {
        for (category, attempts) in self.id_document_text_data_extraction.iter().flatten() {
            if *attempts < 1 {
                cx.map_entry_violation(
                    "ID_DOCUMENT_TEXT_DATA_EXTRACTION",
                    category,
                    ViolationKind::NotPositive,
                );
            }
        }
    }
}

//! `requested_checks`: [`RequestedCheck`] and the config of each check type.

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::request_model::walk::{Rules, Walk};
use crate::spec::ViolationKind;
use crate::spec::rules::Walker;
use crate::spec::{
    DocumentFilter, ManualCheck, WatchlistAdvancedCaConfig, WatchlistAdvancedCaConfigBuilder,
    WatchlistCategory,
};
use crate::{CheckType, Extra, LivenessType};

requested_enum! {
    /// One entry of `requested_checks`: `{"type": …, "config": {…}}`, with the config typed by
    /// the check type (every type the official SDKs can request), or [`Other`](Self::Other)
    /// for a type this version does not know.
    ///
    /// ```
    /// use idv_model::spec::{ManualCheck, RequestedCheck};
    /// use idv_model::LivenessType;
    ///
    /// let check = RequestedCheck::liveness(LivenessType::Static);
    /// assert_eq!(
    ///     serde_json::to_value(&check).unwrap(),
    ///     serde_json::json!({"type": "LIVENESS", "config": {"liveness_type": "STATIC"}})
    /// );
    ///
    /// let check: RequestedCheck = serde_json::from_value(serde_json::json!(
    ///     {"config": {"manual_check": "NEVER"}, "type": "ID_DOCUMENT_FACE_MATCH"}
    /// )).unwrap();
    /// let RequestedCheck::IdDocumentFaceMatch(face_match) = &check else { panic!() };
    /// assert_eq!(face_match.config.as_ref().unwrap().manual_check, Some(ManualCheck::Never));
    /// ```
    pub enum RequestedCheck (CheckType, "a requested check object") {
        /// `ID_DOCUMENT_AUTHENTICITY`.
        IdDocumentAuthenticity(DocumentAuthenticityConfig / DocumentAuthenticityConfigBuilder)
            = "ID_DOCUMENT_AUTHENTICITY",
        /// `ID_DOCUMENT_FACE_MATCH`.
        IdDocumentFaceMatch(FaceMatchConfig / FaceMatchConfigBuilder) = "ID_DOCUMENT_FACE_MATCH",
        /// `ID_DOCUMENT_COMPARISON`.
        IdDocumentComparison(DocumentComparisonConfig / DocumentComparisonConfigBuilder)
            = "ID_DOCUMENT_COMPARISON",
        /// `LIVENESS`.
        Liveness(LivenessConfig / LivenessConfigBuilder) = "LIVENESS",
        /// `FACE_COMPARISON`.
        FaceComparison(FaceComparisonConfig / FaceComparisonConfigBuilder) = "FACE_COMPARISON",
        /// `THIRD_PARTY_IDENTITY`.
        ThirdPartyIdentity(ThirdPartyIdentityConfig / ThirdPartyIdentityConfigBuilder)
            = "THIRD_PARTY_IDENTITY",
        /// `WATCHLIST_SCREENING`.
        WatchlistScreening(WatchlistScreeningConfig / WatchlistScreeningConfigBuilder)
            = "WATCHLIST_SCREENING",
        /// `WATCHLIST_ADVANCED_CA`.
        WatchlistAdvancedCa(WatchlistAdvancedCaConfig / WatchlistAdvancedCaConfigBuilder)
            = "WATCHLIST_ADVANCED_CA",
        /// `IBV_VISUAL_REVIEW_CHECK` (in-branch).
        IbvVisualReviewCheck(IbvVisualReviewConfig / IbvVisualReviewConfigBuilder)
            = "IBV_VISUAL_REVIEW_CHECK",
        /// `DOCUMENT_SCHEME_VALIDITY_CHECK` (in-branch).
        DocumentSchemeValidityCheck(DocumentSchemeValidityConfig / DocumentSchemeValidityConfigBuilder)
            = "DOCUMENT_SCHEME_VALIDITY_CHECK",
        /// `PROFILE_DOCUMENT_MATCH` (in-branch).
        ProfileDocumentMatch(ProfileDocumentMatchConfig / ProfileDocumentMatchConfigBuilder)
            = "PROFILE_DOCUMENT_MATCH",
    }
}

/// Constructors for the common cases; for the other config keys pass the config or its
/// builder (`RequestedCheck::from(LivenessConfig::builder().…)`, or straight to
/// [`SessionSpecBuilder::requested_check`](crate::spec::SessionSpecBuilder::requested_check)).
impl RequestedCheck {
    /// `ID_DOCUMENT_AUTHENTICITY` with an empty config (`{}`).
    pub fn document_authenticity() -> Self {
        DocumentAuthenticityConfig::default().into()
    }

    /// `ID_DOCUMENT_FACE_MATCH` with its (required) `manual_check`.
    pub fn face_match(manual_check: impl Into<ManualCheck>) -> Self {
        FaceMatchConfig::builder().manual_check(manual_check).into()
    }

    /// `ID_DOCUMENT_COMPARISON` (its config is `{}`).
    pub fn document_comparison() -> Self {
        DocumentComparisonConfig::default().into()
    }

    /// `LIVENESS` of this type (`max_retries` not sent: set it through [`LivenessConfig`]).
    pub fn liveness(liveness_type: impl Into<LivenessType>) -> Self {
        LivenessConfig::builder()
            .liveness_type(liveness_type)
            .into()
    }

    /// `FACE_COMPARISON` with its (required) `manual_check`.
    pub fn face_comparison(manual_check: impl Into<ManualCheck>) -> Self {
        FaceComparisonConfig::builder()
            .manual_check(manual_check)
            .into()
    }

    /// `THIRD_PARTY_IDENTITY` with an empty config.
    pub fn third_party_identity() -> Self {
        ThirdPartyIdentityConfig::default().into()
    }

    /// `WATCHLIST_SCREENING` for these categories (duplicates dropped, first-seen order, as
    /// the official Node SDK does).
    pub fn watchlist_screening<I>(categories: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<WatchlistCategory>,
    {
        let mut config =
            WatchlistScreeningConfig::builder().categories(Vec::<WatchlistCategory>::new());
        for category in categories {
            config = config.category(category);
        }
        config.into()
    }

    /// `WATCHLIST_ADVANCED_CA` with this config (see
    /// [`WatchlistAdvancedCaConfig::yoti_account`] and
    /// [`WatchlistAdvancedCaConfig::custom_account`]).
    pub fn watchlist_advanced_ca(config: impl Into<WatchlistAdvancedCaConfig>) -> Self {
        config.into().into()
    }

    /// `IBV_VISUAL_REVIEW_CHECK` with an empty config.
    pub fn ibv_visual_review() -> Self {
        IbvVisualReviewConfig::default().into()
    }

    /// `DOCUMENT_SCHEME_VALIDITY_CHECK` for this scheme.
    pub fn document_scheme_validity(scheme: impl Into<String>) -> Self {
        DocumentSchemeValidityConfig::builder()
            .scheme(scheme)
            .into()
    }

    /// `PROFILE_DOCUMENT_MATCH` with an empty config.
    pub fn profile_document_match() -> Self {
        ProfileDocumentMatchConfig::default().into()
    }

    /// A check of a type this version does not model, with its config as JSON.
    pub fn other(check_type: impl Into<String>, config: Option<Value>) -> Self {
        crate::spec::UnknownRequested::new(check_type, config).into()
    }
}

spec_model! {
    /// The config of `ID_DOCUMENT_AUTHENTICITY`.
    pub struct DocumentAuthenticityConfig / DocumentAuthenticityConfigBuilder
        ("a document authenticity config object") {
        /// `manual_check`.
        one manual_check: ManualCheck = "manual_check",
        /// `issuing_authority_sub_check`.
        one issuing_authority_sub_check: IssuingAuthoritySubCheck = "issuing_authority_sub_check",
    }
}

spec_model! {
    /// `issuing_authority_sub_check` of the document authenticity check.
    pub struct IssuingAuthoritySubCheck / IssuingAuthoritySubCheckBuilder
        ("an issuing authority sub-check object") {
        /// `requested`.
        one requested: bool = "requested",
        /// `filter`: the documents the sub-check applies to.
        one filter: DocumentFilter = "filter",
    }
}

spec_model! {
    /// The config of `ID_DOCUMENT_FACE_MATCH`.
    pub struct FaceMatchConfig / FaceMatchConfigBuilder ("a face match config object") {
        /// `manual_check` (required).
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_model! {
    /// The config of `LIVENESS`.
    pub struct LivenessConfig / LivenessConfigBuilder ("a liveness config object") {
        /// `liveness_type` (required).
        one liveness_type: LivenessType = "liveness_type",
        /// `max_retries` (the official Node SDK sends `1` when not set; this crate sends
        /// nothing).
        one max_retries: i64 = "max_retries",
        /// `manual_check` (sent by the official Python SDK).
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_model! {
    /// The config of `FACE_COMPARISON`.
    pub struct FaceComparisonConfig / FaceComparisonConfigBuilder ("a face comparison config object") {
        /// `manual_check` (required).
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_model! {
    /// The config of `THIRD_PARTY_IDENTITY` (`{}` in the official SDKs; Yoti's documentation
    /// shows a `manual_check`).
    pub struct ThirdPartyIdentityConfig / ThirdPartyIdentityConfigBuilder
        ("a third party identity config object") {
        /// `manual_check`.
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_model! {
    /// The config of `WATCHLIST_SCREENING`.
    pub struct WatchlistScreeningConfig / WatchlistScreeningConfigBuilder
        ("a watchlist screening config object") {
        /// `categories`.
        list categories: WatchlistCategory = "categories",
        /// `manual_check` (sent by the official Python SDK).
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_model! {
    /// The config of `IBV_VISUAL_REVIEW_CHECK`.
    pub struct IbvVisualReviewConfig / IbvVisualReviewConfigBuilder
        ("an IBV visual review config object") {
        /// `manual_check`.
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_model! {
    /// The config of `DOCUMENT_SCHEME_VALIDITY_CHECK`.
    pub struct DocumentSchemeValidityConfig / DocumentSchemeValidityConfigBuilder
        ("a document scheme validity config object") {
        /// `scheme` (required), e.g. `UK_DBS`.
        one scheme: String = "scheme",
        /// `manual_check`.
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_model! {
    /// The config of `PROFILE_DOCUMENT_MATCH`.
    pub struct ProfileDocumentMatchConfig / ProfileDocumentMatchConfigBuilder
        ("a profile document match config object") {
        /// `manual_check`.
        one manual_check: ManualCheck = "manual_check",
    }
}

spec_build!(
    DocumentAuthenticityConfigBuilder => DocumentAuthenticityConfig,
    IssuingAuthoritySubCheckBuilder => IssuingAuthoritySubCheck,
    FaceMatchConfigBuilder => FaceMatchConfig,
    LivenessConfigBuilder => LivenessConfig,
    FaceComparisonConfigBuilder => FaceComparisonConfig,
    ThirdPartyIdentityConfigBuilder => ThirdPartyIdentityConfig,
    WatchlistScreeningConfigBuilder => WatchlistScreeningConfig,
    IbvVisualReviewConfigBuilder => IbvVisualReviewConfig,
    DocumentSchemeValidityConfigBuilder => DocumentSchemeValidityConfig,
    ProfileDocumentMatchConfigBuilder => ProfileDocumentMatchConfig,
);

impl WatchlistScreeningConfigBuilder {
    /// Adds one category unless it is already there (first-seen order).
    #[must_use]
    pub fn category(mut self, category: impl Into<WatchlistCategory>) -> Self {
        let category = category.into();
        let categories = self.inner.categories.get_or_insert_with(Vec::new);
        if !categories.contains(&category) {
            categories.push(category);
        }
        self
    }
}

impl Rules<ViolationKind> for DocumentAuthenticityConfig {}
impl Rules<ViolationKind> for IssuingAuthoritySubCheck {}
impl Rules<ViolationKind> for ThirdPartyIdentityConfig {}
impl Rules<ViolationKind> for WatchlistScreeningConfig {}
impl Rules<ViolationKind> for IbvVisualReviewConfig {}
impl Rules<ViolationKind> for ProfileDocumentMatchConfig {}

impl Rules<ViolationKind> for FaceMatchConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required("manual_check", &self.manual_check);
    }
}

impl Rules<ViolationKind> for FaceComparisonConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required("manual_check", &self.manual_check);
    }
}

impl Rules<ViolationKind> for LivenessConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required("liveness_type", &self.liveness_type);
        cx.not_negative("max_retries", self.max_retries);
    }
}

impl Rules<ViolationKind> for DocumentSchemeValidityConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("scheme", &self.scheme);
    }
}

/// The config of `ID_DOCUMENT_COMPARISON`: no keys are modelled (the official SDKs send `{}`);
/// any key is kept in `extra` and sent.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct DocumentComparisonConfig {
    /// The config's keys (none is modelled).
    pub extra: Extra,
}

impl DocumentComparisonConfig {
    /// A builder with nothing set.
    pub fn builder() -> DocumentComparisonConfigBuilder {
        DocumentComparisonConfigBuilder::default()
    }

    /// A builder holding this value, to change it.
    pub fn into_builder(self) -> DocumentComparisonConfigBuilder {
        DocumentComparisonConfigBuilder { inner: self }
    }
}

/// A builder for [`DocumentComparisonConfig`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocumentComparisonConfigBuilder {
    inner: DocumentComparisonConfig,
}

impl DocumentComparisonConfigBuilder {
    /// Adds a key this version does not model, sent as given.
    #[must_use]
    pub fn extra(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.inner.extra.insert(key, value.into());
        self
    }

    /// The config.
    pub fn build(self) -> DocumentComparisonConfig {
        self.inner
    }
}

impl From<DocumentComparisonConfigBuilder> for DocumentComparisonConfig {
    fn from(builder: DocumentComparisonConfigBuilder) -> Self {
        builder.inner
    }
}

impl serde::Serialize for DocumentComparisonConfig {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.extra.iter())
    }
}

impl<'de> serde::Deserialize<'de> for DocumentComparisonConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ConfigVisitor;
        impl<'de> Visitor<'de> for ConfigVisitor {
            type Value = DocumentComparisonConfig;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a document comparison config object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut fields = Map::new();
                while let Some((key, value)) = map.next_entry::<String, Value>()? {
                    fields.insert(key, value);
                }
                let mut extra = Extra::new();
                if !fields.is_empty() {
                    *extra.as_map_mut() = fields;
                }
                Ok(DocumentComparisonConfig { extra })
            }
        }
        d.deserialize_map(ConfigVisitor)
    }
}

impl Walk<ViolationKind> for DocumentComparisonConfig {
    fn walk(&self, cx: &mut Walker) {
        cx.extras(&self.extra, |_| false);
    }
}

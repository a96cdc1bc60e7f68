//! The config of `WATCHLIST_ADVANCED_CA`: [`WatchlistAdvancedCaConfig`], its [`CaSources`] and
//! its [`CaMatchingStrategy`].

use serde_json::{Map, Number, Value};

use crate::request_model::walk::Rules;
use crate::spec::ViolationKind;
use crate::spec::rules::Walker;
use crate::{MatchingStrategyType, Secret, WatchlistSearchType, WatchlistSourcesType};

spec_model! {
    /// The config of `WATCHLIST_ADVANCED_CA` (advanced compliance screening), with Yoti's
    /// account (`type: WITH_YOTI_ACCOUNT`) or the integrator's own (`WITH_CUSTOM_ACCOUNT`, which
    /// adds `api_key`, `monitoring`, `tags` and `client_ref`).
    ///
    /// The official Node SDK sends `remove_deceased: false`, `share_url: false`, TYPE_LIST
    /// sources and EXACT matching when they are not set; this crate sends only what is set.
    ///
    /// ```
    /// use idv_model::spec::{CaMatchingStrategy, CaSources, RequestedCheck, WatchlistAdvancedCaConfig};
    ///
    /// let check = RequestedCheck::watchlist_advanced_ca(
    ///     WatchlistAdvancedCaConfig::custom_account("api-key", "client-ref")
    ///         .monitoring(true)
    ///         .sources(CaSources::search_profile("profile-1"))
    ///         .matching_strategy(CaMatchingStrategy::fuzzy(0.6)),
    /// );
    /// assert_eq!(serde_json::to_value(&check).unwrap(), serde_json::json!({
    ///     "type": "WATCHLIST_ADVANCED_CA",
    ///     "config": {
    ///         "type": "WITH_CUSTOM_ACCOUNT", "api_key": "api-key", "client_ref": "client-ref",
    ///         "monitoring": true,
    ///         "sources": {"type": "PROFILE", "search_profile": "profile-1"},
    ///         "matching_strategy": {"type": "FUZZY", "fuzziness": 0.6}
    ///     }
    /// }));
    /// assert!(!format!("{check:?}").contains("api-key"));
    /// ```
    pub struct WatchlistAdvancedCaConfig / WatchlistAdvancedCaConfigBuilder
        ("a watchlist advanced CA config object") {
        /// `type`: whose account runs the search (required).
        one search_type: WatchlistSearchType = "type",
        /// `remove_deceased`.
        one remove_deceased: bool = "remove_deceased",
        /// `share_url`.
        one share_url: bool = "share_url",
        /// `sources`.
        one sources: CaSources = "sources",
        /// `matching_strategy`.
        one matching_strategy: CaMatchingStrategy = "matching_strategy",
        /// `api_key` (custom account; a secret, redacted in `Debug`).
        one api_key: Secret = "api_key",
        /// `monitoring` (custom account).
        one monitoring: bool = "monitoring",
        /// `tags` (custom account): a free-form object, sent as given.
        map tags / tag: Map<String, Value> = "tags",
        /// `client_ref` (custom account).
        one client_ref: String = "client_ref",
    }
}

impl WatchlistAdvancedCaConfig {
    /// A builder for a search with Yoti's account (`type: WITH_YOTI_ACCOUNT`).
    pub fn yoti_account() -> WatchlistAdvancedCaConfigBuilder {
        Self::builder().search_type(WatchlistSearchType::WithYotiAccount)
    }

    /// A builder for a search with the integrator's account (`type: WITH_CUSTOM_ACCOUNT`)
    /// and its two required keys.
    pub fn custom_account(
        api_key: impl Into<Secret>,
        client_ref: impl Into<String>,
    ) -> WatchlistAdvancedCaConfigBuilder {
        Self::builder()
            .search_type(WatchlistSearchType::WithCustomAccount)
            .api_key(api_key)
            .client_ref(client_ref)
    }
}

spec_model! {
    /// `sources` of the advanced CA check: `{type: PROFILE, search_profile}` or
    /// `{type: TYPE_LIST, types}`.
    pub struct CaSources / CaSourcesBuilder ("a watchlist sources object") {
        /// `type` (required).
        one sources_type: WatchlistSourcesType = "type",
        /// `search_profile` (`PROFILE`; required there).
        one search_profile: String = "search_profile",
        /// `types` (`TYPE_LIST`), e.g. `sanction`, `pep`.
        list types: String = "types",
    }
}

watchlist_sources_constructors!(CaSources);

spec_model! {
    /// `matching_strategy` of the advanced CA check: `{type: EXACT, exact_match}` or
    /// `{type: FUZZY, fuzziness}`.
    pub struct CaMatchingStrategy / CaMatchingStrategyBuilder ("a matching strategy object") {
        /// `type` (required).
        one strategy_type: MatchingStrategyType = "type",
        /// `exact_match` (`EXACT`).
        one exact_match: bool = "exact_match",
        /// `fuzziness` (`FUZZY`): from 0 to 1, kept as the JSON number it was (`1` stays `1`).
        manual fuzziness: Number = "fuzziness",
    }
}

impl CaMatchingStrategy {
    /// `{type: EXACT}`.
    pub fn exact() -> Self {
        Self::builder()
            .strategy_type(MatchingStrategyType::Exact)
            .build()
    }

    /// `{type: FUZZY, fuzziness}` (from 0 to 1; the official Node SDK's default is 0.5).
    pub fn fuzzy(fuzziness: f64) -> Self {
        Self::builder()
            .strategy_type(MatchingStrategyType::Fuzzy)
            .fuzziness(fuzziness)
            .build()
    }

    /// `fuzziness` as a float.
    pub fn fuzziness_f64(&self) -> Option<f64> {
        self.fuzziness.as_ref().and_then(Number::as_f64)
    }
}

impl CaMatchingStrategyBuilder {
    /// Sets `fuzziness`. JSON has no NaN or infinity: such a value is sent as `null`, which
    /// validation rejects.
    #[must_use]
    pub fn fuzziness(mut self, fuzziness: f64) -> Self {
        let value = Number::from_f64(fuzziness);
        let bit = fuzziness_bit();
        if value.is_some() {
            self.inner.extra.nulls &= !bit;
        } else {
            self.inner.extra.nulls |= bit;
        }
        self.inner.fuzziness = value;
        self
    }
}

/// The `extra.nulls` bit of `fuzziness` (the model records `null` per field index).
fn fuzziness_bit() -> u32 {
    <CaMatchingStrategy as crate::de::Model>::field_index("fuzziness").map_or(0, |i| 1u32 << i)
}

spec_build!(
    WatchlistAdvancedCaConfigBuilder => WatchlistAdvancedCaConfig,
    CaSourcesBuilder => CaSources,
    CaMatchingStrategyBuilder => CaMatchingStrategy,
);

impl Rules<ViolationKind> for WatchlistAdvancedCaConfig {
    fn rules(&self, cx: &mut Walker) {
        cx.required("type", &self.search_type);
        if self.search_type == Some(WatchlistSearchType::WithCustomAccount) {
            const WHY: &str = "type is WITH_CUSTOM_ACCOUNT";
            if self
                .api_key
                .as_ref()
                .is_none_or(|k| k.expose_secret().is_empty())
            {
                cx.violation("api_key", ViolationKind::RequiredWhen(WHY));
            }
            if self.client_ref.as_deref().is_none_or(str::is_empty) {
                cx.violation("client_ref", ViolationKind::RequiredWhen(WHY));
            }
        } else {
            cx.not_empty("client_ref", &self.client_ref);
        }
    }
}

impl Rules<ViolationKind> for CaSources {
    fn rules(&self, cx: &mut Walker) {
        cx.required("type", &self.sources_type);
        if self.sources_type == Some(WatchlistSourcesType::Profile)
            && self.search_profile.as_deref().is_none_or(str::is_empty)
        {
            cx.violation(
                "search_profile",
                ViolationKind::RequiredWhen("type is PROFILE"),
            );
        }
        cx.no_empty_items("types", &self.types);
    }
}

impl Rules<ViolationKind> for CaMatchingStrategy {
    fn rules(&self, cx: &mut Walker) {
        cx.required("type", &self.strategy_type);
        let null = self.extra.nulls & fuzziness_bit() != 0;
        let out_of_range = self
            .fuzziness_f64()
            .is_some_and(|f| !(0.0..=1.0).contains(&f));
        if null || out_of_range {
            cx.violation(
                "fuzziness",
                ViolationKind::OutOfRange { min: 0.0, max: 1.0 },
            );
        }
    }
}

//! Which resource a configured result applies to ([`DocumentFilter`]), and the sources of the
//! advanced CA check ([`SourcesFilter`]).

use super::ConfigViolationKind;
use super::Walker;
use crate::WatchlistSourcesType;
use crate::request_model::walk::Rules;

config_model! {
    /// `document_filter` (and `secondary_document_filter`): the documents a configured check
    /// or task result applies to, by document type and issuing country. A list that is not
    /// set, or empty, matches any document.
    ///
    /// ```
    /// use idv_model::response_config::DocumentFilter;
    ///
    /// let filter = DocumentFilter::builder().document_type("PASSPORT").country_code("GBR").build();
    /// assert_eq!(serde_json::to_value(&filter).unwrap(), serde_json::json!(
    ///     {"document_types": ["PASSPORT"], "country_codes": ["GBR"]}
    /// ));
    /// assert!(filter.matches(Some("PASSPORT"), Some("gbr")));
    /// assert!(!filter.matches(Some("DRIVING_LICENCE"), Some("GBR")));
    /// assert!(DocumentFilter::default().matches(None, None));
    /// ```
    pub struct DocumentFilter / DocumentFilterBuilder ("a document filter object") {
        /// `document_types`, e.g. `PASSPORT`, `DRIVING_LICENCE`, `UTILITY_BILL`.
        list document_types / document_type: String = "document_types",
        /// `country_codes`: ISO 3166-1 alpha-3 codes, e.g. `GBR`.
        list country_codes / country_code: String = "country_codes",
    }
}

impl DocumentFilter {
    /// Whether a document of this type and issuing country passes the filter: each list that
    /// is set and not empty must hold the value (document types exactly, country codes in any
    /// letter case); a value that is unknown (`None`) passes only a list that does not
    /// restrict.
    pub fn matches(&self, document_type: Option<&str>, issuing_country: Option<&str>) -> bool {
        fn allows(
            list: &Option<Vec<String>>,
            value: Option<&str>,
            same: fn(&str, &str) -> bool,
        ) -> bool {
            match list.as_deref() {
                None | Some([]) => true,
                Some(items) => value.is_some_and(|v| items.iter().any(|item| same(item, v))),
            }
        }
        allows(&self.document_types, document_type, |a, b| a == b)
            && allows(&self.country_codes, issuing_country, |a, b| {
                a.eq_ignore_ascii_case(b)
            })
    }
}

config_model! {
    /// `sources_filter` of a configured `WATCHLIST_ADVANCED_CA` result:
    /// `{type: PROFILE, search_profile}` or `{type: TYPE_LIST, types}`.
    ///
    /// ```
    /// use idv_model::response_config::SourcesFilter;
    ///
    /// assert_eq!(serde_json::to_value(SourcesFilter::type_list(["pep", "sanction"])).unwrap(),
    ///     serde_json::json!({"type": "TYPE_LIST", "types": ["pep", "sanction"]}));
    /// assert_eq!(serde_json::to_value(SourcesFilter::search_profile("profile-1")).unwrap(),
    ///     serde_json::json!({"type": "PROFILE", "search_profile": "profile-1"}));
    /// ```
    pub struct SourcesFilter / SourcesFilterBuilder ("a sources filter object") {
        /// `type` (required).
        one sources_type: WatchlistSourcesType = "type",
        /// `search_profile` (`PROFILE`; required there).
        one search_profile: String = "search_profile",
        /// `types` (`TYPE_LIST`; required there), e.g. `pep`, `sanction`.
        list types: String = "types",
    }
}

watchlist_sources_constructors!(SourcesFilter);

config_build!(
    DocumentFilterBuilder => DocumentFilter,
    SourcesFilterBuilder => SourcesFilter,
);

impl Rules<ConfigViolationKind> for DocumentFilter {
    fn rules(&self, cx: &mut Walker) {
        cx.no_empty_items("document_types", &self.document_types);
        cx.country_codes("country_codes", &self.country_codes);
    }
}

impl Rules<ConfigViolationKind> for SourcesFilter {
    fn rules(&self, cx: &mut Walker) {
        cx.required("type", &self.sources_type);
        match &self.sources_type {
            Some(WatchlistSourcesType::Profile) if self.search_profile.is_none() => {
                cx.violation(
                    "search_profile",
                    ConfigViolationKind::RequiredWhen("type is PROFILE"),
                );
            }
            Some(WatchlistSourcesType::TypeList) if self.types.is_none() => {
                cx.violation(
                    "types",
                    ConfigViolationKind::RequiredWhen("type is TYPE_LIST"),
                );
            }
            _ => {}
        }
        cx.not_empty("search_profile", &self.search_profile);
        cx.no_empty_items("types", &self.types);
    }
}

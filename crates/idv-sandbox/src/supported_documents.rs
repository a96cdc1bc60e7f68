//! The documents the sandbox supports, by country (`GET /supported-documents`), and which of
//! them a document filter of a session specification allows (the configuration's
//! `supported_countries`).
//!
//! The list is `fixtures/supported-documents.json`, embedded in the crate: 78 countries, each
//! document with `is_strictly_latin` (`false` for documents whose printed data is not only in
//! Latin script).

use std::sync::OnceLock;

use bytes::Bytes;
use idv_model::{SupportedCountry, SupportedDocument, SupportedDocumentsResponse};

const FIXTURE: &[u8] = include_bytes!("../fixtures/supported-documents.json");

/// One supported document of a country.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    pub(crate) doc_type: String,
    pub(crate) strictly_latin: bool,
}

/// One country and its supported documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Country {
    pub(crate) code: String,
    pub(crate) documents: Vec<Doc>,
}

/// The whole list, in the fixture's order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Catalogue {
    pub(crate) countries: Vec<Country>,
}

/// The embedded list, parsed once (through idv-model, as a client would read it).
pub(crate) fn catalogue() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(|| {
        // The fixture is tested to parse; were it not to, the list would be empty, not a panic.
        idv_model::from_slice::<SupportedDocumentsResponse>(FIXTURE)
            .map(|r| Catalogue::from_response(&r))
            .unwrap_or_default()
    })
}

/// `include` (a whitelist) or not (a blacklist) of a list of values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Restriction {
    pub(crate) include: bool,
    pub(crate) values: Vec<String>,
}

impl Restriction {
    fn allows(&self, value: &str) -> bool {
        self.values.iter().any(|v| v == value) == self.include
    }
}

/// One entry of a `DOCUMENT_RESTRICTIONS` filter; an empty list matches everything.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct DocumentEntry {
    pub(crate) countries: Vec<String>,
    pub(crate) types: Vec<String>,
}

impl DocumentEntry {
    fn matches(&self, country: &str, doc_type: &str) -> bool {
        (self.countries.is_empty() || self.countries.iter().any(|c| c == country))
            && (self.types.is_empty() || self.types.iter().any(|t| t == doc_type))
    }
}

/// What a filter restricts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) enum FilterRule {
    /// No restriction (no filter, or a filter type this version does not know).
    #[default]
    Any,
    /// `ORTHOGONAL_RESTRICTIONS`: countries and types restricted independently.
    Orthogonal {
        countries: Option<Restriction>,
        types: Option<Restriction>,
    },
    /// `DOCUMENT_RESTRICTIONS`: (country, type) pairs included or excluded.
    Documents {
        include: bool,
        entries: Vec<DocumentEntry>,
    },
}

/// A document filter: its rule, and whether documents that are not strictly Latin are allowed
/// (`allow_non_latin_documents`, off unless set).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct DocFilter {
    pub(crate) rule: FilterRule,
    pub(crate) allow_non_latin: bool,
}

impl DocFilter {
    /// Whether a document of this country and type, Latin or not, passes the filter.
    pub(crate) fn allows(&self, country: &str, doc: &Doc) -> bool {
        if !doc.strictly_latin && !self.allow_non_latin {
            return false;
        }
        match &self.rule {
            FilterRule::Any => true,
            FilterRule::Orthogonal { countries, types } => {
                countries.as_ref().is_none_or(|r| r.allows(country))
                    && types.as_ref().is_none_or(|r| r.allows(&doc.doc_type))
            }
            FilterRule::Documents { include, entries } => {
                entries.iter().any(|e| e.matches(country, &doc.doc_type)) == *include
            }
        }
    }
}

impl Catalogue {
    fn from_response(response: &SupportedDocumentsResponse) -> Self {
        let countries = response
            .supported_countries
            .iter()
            .filter_map(|c| {
                Some(Country {
                    code: c.code.clone()?,
                    documents: c
                        .supported_documents
                        .iter()
                        .filter_map(|d| {
                            Some(Doc {
                                doc_type: d.document_type.clone()?,
                                strictly_latin: d.is_strictly_latin.unwrap_or(false),
                            })
                        })
                        .collect(),
                })
            })
            .collect();
        Self { countries }
    }

    /// The countries and documents `filter` allows, countries left without a document
    /// omitted, in the list's order.
    pub(crate) fn allowed(&self, filter: &DocFilter) -> Vec<SupportedCountry> {
        self.countries
            .iter()
            .filter_map(|country| {
                let documents: Vec<SupportedDocument> = country
                    .documents
                    .iter()
                    .filter(|doc| filter.allows(&country.code, doc))
                    .map(|doc| {
                        let mut out = SupportedDocument::default();
                        out.document_type = Some(doc.doc_type.clone());
                        out.is_strictly_latin = Some(doc.strictly_latin);
                        out
                    })
                    .collect();
                (!documents.is_empty()).then(|| {
                    let mut out = SupportedCountry::default();
                    out.code = Some(country.code.clone());
                    out.supported_documents = documents;
                    out
                })
            })
            .collect()
    }

    /// Whether `filter` allows a document of this type from this country (one the list
    /// supports).
    pub(crate) fn accepts(&self, filter: &DocFilter, country: &str, doc_type: &str) -> bool {
        self.countries
            .iter()
            .filter(|c| c.code == country)
            .flat_map(|c| &c.documents)
            .any(|doc| doc.doc_type == doc_type && filter.allows(country, doc))
    }

    /// The `GET /supported-documents` body: documents that are not strictly Latin are left
    /// out unless `include_non_latin`.
    pub(crate) fn response_body(&self, include_non_latin: bool) -> Bytes {
        let filter = DocFilter {
            rule: FilterRule::Any,
            allow_non_latin: include_non_latin,
        };
        let mut response = SupportedDocumentsResponse::default();
        response.supported_countries = self.allowed(&filter);
        Bytes::from(serde_json::to_vec(&response).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin(doc_type: &str) -> Doc {
        Doc {
            doc_type: doc_type.to_owned(),
            strictly_latin: true,
        }
    }

    fn small() -> Catalogue {
        Catalogue {
            countries: vec![
                Country {
                    code: "GBR".to_owned(),
                    documents: vec![latin("PASSPORT"), latin("DRIVING_LICENCE")],
                },
                Country {
                    code: "CHN".to_owned(),
                    documents: vec![
                        latin("PASSPORT"),
                        Doc {
                            doc_type: "NATIONAL_ID".to_owned(),
                            strictly_latin: false,
                        },
                    ],
                },
                Country {
                    code: "IRN".to_owned(),
                    documents: vec![Doc {
                        doc_type: "NATIONAL_ID".to_owned(),
                        strictly_latin: false,
                    }],
                },
            ],
        }
    }

    fn listed(countries: &[SupportedCountry]) -> Vec<String> {
        countries
            .iter()
            .flat_map(|c| {
                c.supported_documents.iter().map(move |d| {
                    format!(
                        "{}:{}",
                        c.code.as_deref().unwrap_or(""),
                        d.document_type.as_deref().unwrap_or("")
                    )
                })
            })
            .collect()
    }

    #[test]
    fn the_embedded_list_parses_and_is_large() {
        let list = catalogue();
        assert!(list.countries.len() >= 50, "{}", list.countries.len());
        assert!(
            list.countries
                .iter()
                .flat_map(|c| &c.documents)
                .any(|d| !d.strictly_latin)
        );
        let gbr = list
            .countries
            .iter()
            .find(|c| c.code == "GBR")
            .expect("GBR");
        assert!(gbr.documents.contains(&latin("PASSPORT")));
    }

    #[test]
    fn non_latin_documents_need_permission() {
        let list = small();
        let default = DocFilter::default();
        assert_eq!(
            listed(&list.allowed(&default)),
            ["GBR:PASSPORT", "GBR:DRIVING_LICENCE", "CHN:PASSPORT"]
        );
        let all = DocFilter {
            allow_non_latin: true,
            ..DocFilter::default()
        };
        assert_eq!(list.allowed(&all).len(), 3);
        assert!(!list.accepts(&default, "CHN", "NATIONAL_ID"));
        assert!(list.accepts(&all, "CHN", "NATIONAL_ID"));
        assert!(!list.accepts(&all, "FRA", "PASSPORT"), "not in the list");
    }

    #[test]
    fn orthogonal_restrictions_combine() {
        let filter = DocFilter {
            rule: FilterRule::Orthogonal {
                countries: Some(Restriction {
                    include: false,
                    values: vec!["CHN".to_owned()],
                }),
                types: Some(Restriction {
                    include: true,
                    values: vec!["PASSPORT".to_owned()],
                }),
            },
            allow_non_latin: true,
        };
        assert_eq!(listed(&small().allowed(&filter)), ["GBR:PASSPORT"]);
    }

    #[test]
    fn document_restrictions_match_pairs() {
        let entries = vec![DocumentEntry {
            countries: vec!["GBR".to_owned()],
            types: vec!["DRIVING_LICENCE".to_owned()],
        }];
        let include = DocFilter {
            rule: FilterRule::Documents {
                include: true,
                entries: entries.clone(),
            },
            allow_non_latin: false,
        };
        assert_eq!(listed(&small().allowed(&include)), ["GBR:DRIVING_LICENCE"]);
        let exclude = DocFilter {
            rule: FilterRule::Documents {
                include: false,
                entries,
            },
            allow_non_latin: false,
        };
        assert_eq!(
            listed(&small().allowed(&exclude)),
            ["GBR:PASSPORT", "CHN:PASSPORT"]
        );
        // An entry with no countries matches every country.
        let any_country = DocFilter {
            rule: FilterRule::Documents {
                include: true,
                entries: vec![DocumentEntry {
                    countries: vec![],
                    types: vec!["PASSPORT".to_owned()],
                }],
            },
            allow_non_latin: false,
        };
        assert_eq!(
            listed(&small().allowed(&any_country)),
            ["GBR:PASSPORT", "CHN:PASSPORT"]
        );
    }

    #[test]
    fn the_response_body_omits_non_latin_unless_asked() {
        let list = small();
        let without: serde_json::Value =
            serde_json::from_slice(&list.response_body(false)).expect("json");
        assert_eq!(
            without["supported_countries"].as_array().map(Vec::len),
            Some(2)
        );
        let with: serde_json::Value =
            serde_json::from_slice(&list.response_body(true)).expect("json");
        assert_eq!(with["supported_countries"][2]["code"], "IRN");
        assert_eq!(
            with["supported_countries"][2]["supported_documents"][0],
            serde_json::json!({"type": "NATIONAL_ID", "is_strictly_latin": false})
        );
    }
}

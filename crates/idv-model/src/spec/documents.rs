//! `required_documents`: [`RequiredDocument`], the document filters ([`DocumentFilter`] and its
//! restrictions) and the supplementary document's [`Objective`].
//!
//! These objects carry their `type` beside their other keys (not in a nested `config`), so
//! each is one struct with the union of the keys of its types, like the session model; the
//! constructors set the `type` and the keys that type needs.

use crate::request_model::walk::Rules;
use crate::spec::rules::Walker;
use crate::spec::{FilterType, Inclusion, ObjectiveType, RequiredDocumentType, ViolationKind};

spec_model! {
    /// One entry of `required_documents`: `{type: ID_DOCUMENT, filter}` or
    /// `{type: SUPPLEMENTARY_DOCUMENT, objective, document_types, country_codes}`.
    ///
    /// ```
    /// use idv_model::spec::{DocumentFilter, Objective, RequiredDocument};
    ///
    /// let passport_from_gbr = RequiredDocument::id_document().filter(
    ///     DocumentFilter::orthogonal()
    ///         .whitelisted_countries(["GBR"])
    ///         .whitelisted_document_types(["PASSPORT"])
    ///         .allow_expired_documents(false),
    /// );
    /// let bill = RequiredDocument::supplementary_document(Objective::proof_of_address())
    ///     .document_types(["UTILITY_BILL"]);
    /// assert_eq!(serde_json::to_value([passport_from_gbr.build(), bill.build()]).unwrap(),
    ///     serde_json::json!([
    ///         {"type": "ID_DOCUMENT", "filter": {
    ///             "type": "ORTHOGONAL_RESTRICTIONS",
    ///             "country_restriction": {"inclusion": "WHITELIST", "country_codes": ["GBR"]},
    ///             "type_restriction": {"inclusion": "WHITELIST", "document_types": ["PASSPORT"]},
    ///             "allow_expired_documents": false}},
    ///         {"type": "SUPPLEMENTARY_DOCUMENT", "objective": {"type": "PROOF_OF_ADDRESS"},
    ///          "document_types": ["UTILITY_BILL"]}
    ///     ]));
    /// ```
    pub struct RequiredDocument / RequiredDocumentBuilder ("a required document object") {
        /// `type` (required).
        one document_type: RequiredDocumentType = "type",
        /// `filter` (ID documents).
        one filter: DocumentFilter = "filter",
        /// `objective` (supplementary documents; required there).
        one objective: Objective = "objective",
        /// `document_types` (supplementary documents), e.g. `UTILITY_BILL`.
        list document_types: String = "document_types",
        /// `country_codes` (supplementary documents), ISO 3166-1 alpha-3.
        list country_codes: String = "country_codes",
    }
}

impl RequiredDocument {
    /// A builder for `{type: ID_DOCUMENT}` (add a [`filter`](RequiredDocumentBuilder::filter)).
    pub fn id_document() -> RequiredDocumentBuilder {
        Self::builder().document_type(RequiredDocumentType::IdDocument)
    }

    /// A builder for `{type: SUPPLEMENTARY_DOCUMENT, objective}`.
    pub fn supplementary_document(objective: impl Into<Objective>) -> RequiredDocumentBuilder {
        Self::builder()
            .document_type(RequiredDocumentType::SupplementaryDocument)
            .objective(objective)
    }
}

spec_model! {
    /// A document filter: `{type: ORTHOGONAL_RESTRICTIONS, country_restriction,
    /// type_restriction}` or `{type: DOCUMENT_RESTRICTIONS, inclusion, documents}`, each with
    /// the optional `allow_non_latin_documents`, `allow_expired_documents`,
    /// `allow_digital_ids` and `allowed_providers`.
    pub struct DocumentFilter / DocumentFilterBuilder ("a document filter object") {
        /// `type` (required).
        one filter_type: FilterType = "type",
        /// `country_restriction` (`ORTHOGONAL_RESTRICTIONS`).
        one country_restriction: CountryRestriction = "country_restriction",
        /// `type_restriction` (`ORTHOGONAL_RESTRICTIONS`).
        one type_restriction: TypeRestriction = "type_restriction",
        /// `inclusion` (`DOCUMENT_RESTRICTIONS`; required there).
        one inclusion: Inclusion = "inclusion",
        /// `documents` (`DOCUMENT_RESTRICTIONS`).
        list documents: DocumentRestriction = "documents",
        /// `allow_non_latin_documents`.
        one allow_non_latin_documents: bool = "allow_non_latin_documents",
        /// `allow_expired_documents`.
        one allow_expired_documents: bool = "allow_expired_documents",
        /// `allow_digital_ids` (newer API versions).
        one allow_digital_ids: bool = "allow_digital_ids",
        /// `allowed_providers` (newer API versions), e.g. `[{"name": "DIGILOCKER"}]`.
        list allowed_providers: AllowedProvider = "allowed_providers",
    }
}

impl DocumentFilter {
    /// A builder for `{type: ORTHOGONAL_RESTRICTIONS}`.
    pub fn orthogonal() -> DocumentFilterBuilder {
        Self::builder().filter_type(FilterType::OrthogonalRestrictions)
    }

    /// A builder for `{type: DOCUMENT_RESTRICTIONS, inclusion, documents: []}` (add entries
    /// with [`document`](DocumentFilterBuilder::document)).
    pub fn document_restrictions(inclusion: impl Into<Inclusion>) -> DocumentFilterBuilder {
        Self::builder()
            .filter_type(FilterType::DocumentRestrictions)
            .inclusion(inclusion)
            .documents(Vec::<DocumentRestriction>::new())
    }
}

impl DocumentFilterBuilder {
    /// Sets `country_restriction` to a whitelist of these countries.
    #[must_use]
    pub fn whitelisted_countries<I>(self, country_codes: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.country_restriction(CountryRestriction::new(Inclusion::Whitelist, country_codes))
    }

    /// Sets `country_restriction` to a blacklist of these countries.
    #[must_use]
    pub fn blacklisted_countries<I>(self, country_codes: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.country_restriction(CountryRestriction::new(Inclusion::Blacklist, country_codes))
    }

    /// Sets `type_restriction` to a whitelist of these document types.
    #[must_use]
    pub fn whitelisted_document_types<I>(self, document_types: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.type_restriction(TypeRestriction::new(Inclusion::Whitelist, document_types))
    }

    /// Sets `type_restriction` to a blacklist of these document types.
    #[must_use]
    pub fn blacklisted_document_types<I>(self, document_types: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.type_restriction(TypeRestriction::new(Inclusion::Blacklist, document_types))
    }

    /// Adds one entry to `documents`.
    #[must_use]
    pub fn document(mut self, document: impl Into<DocumentRestriction>) -> Self {
        self.inner
            .documents
            .get_or_insert_with(Vec::new)
            .push(document.into());
        self
    }

    /// Adds one entry to `allowed_providers`.
    #[must_use]
    pub fn allowed_provider(mut self, name: impl Into<String>) -> Self {
        self.inner
            .allowed_providers
            .get_or_insert_with(Vec::new)
            .push(AllowedProvider::named(name));
        self
    }
}

spec_model! {
    /// `country_restriction` of an orthogonal filter.
    pub struct CountryRestriction / CountryRestrictionBuilder ("a country restriction object") {
        /// `inclusion` (required).
        one inclusion: Inclusion = "inclusion",
        /// `country_codes`, ISO 3166-1 alpha-3.
        list country_codes: String = "country_codes",
    }
}

impl CountryRestriction {
    /// `{inclusion, country_codes}`.
    pub fn new<I>(inclusion: impl Into<Inclusion>, country_codes: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self::builder()
            .inclusion(inclusion)
            .country_codes(country_codes)
            .build()
    }
}

spec_model! {
    /// `type_restriction` of an orthogonal filter.
    pub struct TypeRestriction / TypeRestrictionBuilder ("a type restriction object") {
        /// `inclusion` (required).
        one inclusion: Inclusion = "inclusion",
        /// `document_types`, e.g. `PASSPORT`, `DRIVING_LICENCE`.
        list document_types: String = "document_types",
    }
}

impl TypeRestriction {
    /// `{inclusion, document_types}`.
    pub fn new<I>(inclusion: impl Into<Inclusion>, document_types: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        Self::builder()
            .inclusion(inclusion)
            .document_types(document_types)
            .build()
    }
}

spec_model! {
    /// A `documents` entry of a document-restrictions filter: these document types from these
    /// countries (an absent list places no restriction).
    pub struct DocumentRestriction / DocumentRestrictionBuilder ("a document restriction object") {
        /// `country_codes`, ISO 3166-1 alpha-3.
        list country_codes: String = "country_codes",
        /// `document_types`.
        list document_types: String = "document_types",
    }
}

spec_model! {
    /// An `allowed_providers` entry of a filter (Digital ID providers).
    pub struct AllowedProvider / AllowedProviderBuilder ("an allowed provider object") {
        /// `name` (required), e.g. `DIGILOCKER`.
        one name: String = "name",
    }
}

impl AllowedProvider {
    /// `{name}`.
    pub fn named(name: impl Into<String>) -> Self {
        Self::builder().name(name).build()
    }
}

spec_model! {
    /// `objective` of a supplementary document.
    pub struct Objective / ObjectiveBuilder ("an objective object") {
        /// `type` (required).
        one objective_type: ObjectiveType = "type",
    }
}

impl Objective {
    /// `{type: PROOF_OF_ADDRESS}`.
    pub fn proof_of_address() -> Self {
        Self::builder()
            .objective_type(ObjectiveType::ProofOfAddress)
            .build()
    }
}

spec_build!(
    RequiredDocumentBuilder => RequiredDocument,
    DocumentFilterBuilder => DocumentFilter,
    CountryRestrictionBuilder => CountryRestriction,
    TypeRestrictionBuilder => TypeRestriction,
    DocumentRestrictionBuilder => DocumentRestriction,
    AllowedProviderBuilder => AllowedProvider,
    ObjectiveBuilder => Objective,
);

impl Rules<ViolationKind> for RequiredDocument {
    fn rules(&self, cx: &mut Walker) {
        cx.required("type", &self.document_type);
        if self.document_type == Some(RequiredDocumentType::SupplementaryDocument)
            && self.objective.is_none()
        {
            cx.violation(
                "objective",
                ViolationKind::RequiredWhen("type is SUPPLEMENTARY_DOCUMENT"),
            );
        }
        cx.no_empty_items("document_types", &self.document_types);
        cx.country_codes("country_codes", &self.country_codes);
    }
}

impl Rules<ViolationKind> for DocumentFilter {
    fn rules(&self, cx: &mut Walker) {
        cx.required("type", &self.filter_type);
        if self.filter_type == Some(FilterType::DocumentRestrictions) && self.inclusion.is_none() {
            cx.violation(
                "inclusion",
                ViolationKind::RequiredWhen("type is DOCUMENT_RESTRICTIONS"),
            );
        }
    }
}

impl Rules<ViolationKind> for CountryRestriction {
    fn rules(&self, cx: &mut Walker) {
        cx.required("inclusion", &self.inclusion);
        cx.country_codes("country_codes", &self.country_codes);
    }
}

impl Rules<ViolationKind> for TypeRestriction {
    fn rules(&self, cx: &mut Walker) {
        cx.required("inclusion", &self.inclusion);
        cx.no_empty_items("document_types", &self.document_types);
    }
}

impl Rules<ViolationKind> for DocumentRestriction {
    fn rules(&self, cx: &mut Walker) {
        cx.country_codes("country_codes", &self.country_codes);
        cx.no_empty_items("document_types", &self.document_types);
    }
}

impl Rules<ViolationKind> for AllowedProvider {
    fn rules(&self, cx: &mut Walker) {
        cx.required_text("name", &self.name);
    }
}

impl Rules<ViolationKind> for Objective {
    fn rules(&self, cx: &mut Walker) {
        cx.required("type", &self.objective_type);
    }
}

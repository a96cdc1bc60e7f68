//! Macros that generate the response-config types.
//!
//! `config_model!` is the shared `request_model!` for the response config's kinds of violation
//! ([`ConfigViolationKind`](super::ConfigViolationKind)), plus `validate`, `unknown_keys` and
//! `unknown_values` on every type; `config_build!` is the shared `request_build!`;
//! `result_document_fields!` gives a check or task response builder its `document_field(s)`.

/// Generates a response-config struct, its builder, its walk and its checks (see
/// `request_model!` for the field syntax).
macro_rules! config_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $builder:ident $($rest:tt)*
    ) => {
        request_model! {
            $crate::response_config::ConfigViolationKind;
            $(#[$meta])*
            pub struct $name / $builder $($rest)*
        }

        impl $name {
            /// Checks the documented rules and returns every violation, with JSON paths
            /// relative to this object.
            pub fn validate(&self) -> Result<(), $crate::response_config::ResponseConfigError> {
                $crate::response_config::Walker::validate(self)
            }

            /// The JSON paths (relative to this object) of the keys this version does not model;
            /// they are kept and written back as they are. Keys of free-form objects
            /// (`document_fields`) are not reported.
            pub fn unknown_keys(&self) -> Vec<String> {
                $crate::response_config::Walker::run(self).unknown_keys
            }

            /// The JSON paths (relative to this object) of enum values this version does not
            /// know (kept and written back as they are), e.g. `LIVENESS[0].liveness_type`.
            pub fn unknown_values(&self) -> Vec<String> {
                $crate::response_config::Walker::run(self).unknown_values
            }
        }
    };
}

/// An infallible `build()` for nested builders (the whole config is validated at once by
/// `ResponseConfigBuilder::build`, so that every error names its full JSON path).
macro_rules! config_build {
    ($($body:tt)*) => {
        request_build! {
            "the whole config is validated by [`ResponseConfigBuilder::build`]\
             (crate::response_config::ResponseConfigBuilder::build), whose errors name full \
             JSON paths; this type's `validate()` checks it alone.";
            $($body)*
        }
    };
}

/// `document_field` and `document_fields` on the builder of a configured check or task result,
/// which reach into its `result` (through the builder's `result_mut`).
macro_rules! result_document_fields {
    ($builder:ident) => {
        impl $builder {
            /// Adds one entry to `result.document_fields` (replacing one of the same name).
            #[must_use]
            pub fn document_field(
                mut self,
                name: impl Into<String>,
                value: impl Into<serde_json::Value>,
            ) -> Self {
                self.result_mut()
                    .document_fields
                    .get_or_insert_with(serde_json::Map::new)
                    .insert(name.into(), value.into());
                self
            }

            /// Sets `result.document_fields`, replacing any set before.
            #[must_use]
            pub fn document_fields(
                mut self,
                fields: serde_json::Map<String, serde_json::Value>,
            ) -> Self {
                self.result_mut().document_fields = Some(fields);
                self
            }
        }
    };
}

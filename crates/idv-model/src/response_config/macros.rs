//! Macros that generate the response-config types.
//!
//! `config_model!` wraps the crate's `model!` (lossless serde: unknown keys kept in `extra`,
//! `null`s written back) and adds a builder (setters per key, plus `extra`), the
//! [`Walk`](super::walk::Walk) impl that reports unknown keys and runs the type's
//! [`Rules`](super::walk::Rules), and `validate` / `unknown_keys` / `unknown_values`.
//!
//! A field is declared as `kind name [/ other_name]: Type = "wire_key"`:
//!
//! * `one name: T`: the setter `name(value)` sets the key;
//! * `list names / name: T`: `names(items)` sets the list (`[]` included), `name(item)`
//!   (optional) adds one item;
//! * `push name / name_list: T`: `name(item)` adds one item, `name_list(items)` sets the list
//!   (for keys named in the singular, such as `breakdown` or `LIVENESS`).

/// The Rust type of a field (inside the `Option` that `model!` adds).
macro_rules! config_field_ty {
    (one $ty:ty) => { $ty };
    (list $ty:ty) => { Vec<$ty> };
    (push $ty:ty) => { Vec<$ty> };
}

/// The builder setters of one field.
macro_rules! config_setter {
    (one $field:ident : $ty:ty = $key:literal) => {
        #[doc = concat!("Sets `", $key, "`.")]
        #[must_use]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.inner.$field = Some(value.into());
            self
        }
    };
    (list $field:ident : $ty:ty = $key:literal) => {
        config_setter!(@set $field : $field : $ty = $key);
    };
    (list $field:ident / $one:ident : $ty:ty = $key:literal) => {
        config_setter!(@set $field : $field : $ty = $key);
        config_setter!(@push $one : $field : $ty = $key);
    };
    (push $field:ident / $all:ident : $ty:ty = $key:literal) => {
        config_setter!(@push $field : $field : $ty = $key);
        config_setter!(@set $all : $field : $ty = $key);
    };
    (@set $setter:ident : $field:ident : $ty:ty = $key:literal) => {
        #[doc = concat!(
            "Sets `", $key, "` to these items, in order, replacing any set before (an empty ",
            "list is sent as `[]`)."
        )]
        #[must_use]
        pub fn $setter<I>(mut self, items: I) -> Self
        where
            I: IntoIterator,
            I::Item: Into<$ty>,
        {
            self.inner.$field = Some(items.into_iter().map(Into::into).collect());
            self
        }
    };
    (@push $setter:ident : $field:ident : $ty:ty = $key:literal) => {
        #[doc = concat!("Adds one item at the end of `", $key, "`.")]
        #[must_use]
        pub fn $setter(mut self, item: impl Into<$ty>) -> Self {
            self.inner.$field.get_or_insert_with(Vec::new).push(item.into());
            self
        }
    };
}

/// Generates a response-config struct, its builder and its walk. See the module
/// documentation.
macro_rules! config_model {
    (
        $(#[$meta:meta])*
        pub struct $name:ident / $builder:ident ($expecting:literal) {
            $(
                $(#[$fmeta:meta])*
                $kind:ident $field:ident $(/ $alt:ident)? : $ty:ty = $key:literal
            ),* $(,)?
        }
    ) => {
        model! {
            $(#[$meta])*
            pub struct $name ($expecting) {
                $(
                    $(#[$fmeta])*
                    opt $field: config_field_ty!($kind $ty) = $key,
                )*
            }
        }

        #[doc = concat!(
            "A builder for [`", stringify!($name), "`]: each setter sets one key (keys never set ",
            "are not sent; `0` and `[]` are); [`", stringify!($builder), "::extra`] adds a key ",
            "this version does not model. Builders convert into their value with `into()`, so a ",
            "setter that takes a value also takes its builder."
        )]
        #[derive(Clone, Debug, Default, PartialEq)]
        pub struct $builder {
            inner: $name,
        }

        impl $name {
            /// A builder with nothing set.
            pub fn builder() -> $builder {
                $builder::default()
            }

            /// A builder holding this value, to change it.
            pub fn into_builder(self) -> $builder {
                $builder { inner: self }
            }

            /// Checks the documented rules and returns every violation, with JSON paths
            /// relative to this object.
            pub fn validate(&self) -> Result<(), $crate::response_config::ResponseConfigError> {
                let cx = $crate::response_config::walk::Walker::run(self);
                $crate::response_config::ResponseConfigError::from_violations(cx.violations)
                    .map_or(Ok(()), Err)
            }

            /// The JSON paths (relative to this object) of the keys this version does not model;
            /// they are kept and written back as they are. Keys of free-form objects
            /// (`document_fields`) are not reported.
            pub fn unknown_keys(&self) -> Vec<String> {
                $crate::response_config::walk::Walker::run(self).unknown_keys
            }

            /// The JSON paths (relative to this object) of enum values this version does not
            /// know (kept and written back as they are), e.g. `LIVENESS[0].liveness_type`.
            pub fn unknown_values(&self) -> Vec<String> {
                $crate::response_config::walk::Walker::run(self).unknown_values
            }
        }

        impl $builder {
            $( config_setter!($kind $field $(/ $alt)? : $ty = $key); )*

            /// Adds a key this version does not model, sent as given. A key that names a
            /// modelled field is never sent (the field wins) and validation reports it.
            #[must_use]
            pub fn extra(
                mut self,
                key: impl Into<String>,
                value: impl Into<serde_json::Value>,
            ) -> Self {
                self.inner.extra.insert(key, value.into());
                self
            }
        }

        impl From<$builder> for $name {
            fn from(builder: $builder) -> Self {
                builder.inner
            }
        }

        impl $crate::response_config::walk::Walk for $name {
            fn walk(&self, cx: &mut $crate::response_config::walk::Walker) {
                <$name as $crate::response_config::walk::Rules>::rules(self, cx);
                $( cx.field($key, &self.$field); )*
                cx.extras(&self.extra, |key| {
                    <$name as $crate::de::Model>::field_index(key).is_some()
                });
            }
        }
    };
}

/// An infallible `build()` for nested builders (the whole config is validated at once by
/// `ResponseConfigBuilder::build`, so that every error names its full JSON path).
macro_rules! config_build {
    ($($builder:ident => $name:ident),* $(,)?) => {
        $(
            impl $builder {
                #[doc = concat!(
                    "The [`", stringify!($name), "`]. Nothing is checked here: the whole ",
                    "config is validated by [`ResponseConfigBuilder::build`]",
                    "(crate::response_config::ResponseConfigBuilder::build), whose errors name ",
                    "full JSON paths, or call [`", stringify!($name), "::validate`]."
                )]
                pub fn build(self) -> $name {
                    self.inner
                }
            }
        )*
    };
}

/// Implements `Walk` for open enums: an unknown value is reported, an empty one is invalid.
macro_rules! walk_open_enum {
    ($($ty:ty),* $(,)?) => {
        $(
            impl $crate::response_config::walk::Walk for $ty {
                fn walk(&self, cx: &mut $crate::response_config::walk::Walker) {
                    if let Self::Other(text) = self {
                        if text.is_empty() {
                            cx.violation_here($crate::response_config::ConfigViolationKind::Empty);
                        } else {
                            cx.unknown_value();
                        }
                    }
                }
            }
        )*
    };
}

//! Macros that generate the request-body types (`spec_model!` and `config_model!` are thin
//! wrappers that name their body's kinds of violation).
//!
//! `request_model!` wraps the crate's `model!` (lossless serde: unknown keys kept in `extra`,
//! `null`s written back) and adds a builder (setters per key, plus `extra`) and the
//! [`Walk`](super::walk::Walk) impl that reports unknown keys and runs the type's
//! [`Rules`](super::walk::Rules). It starts with the kinds type, then the struct:
//! `request_model! { Kinds; pub struct Name / NameBuilder ("expecting") { … } }`.
//!
//! A field is declared as `kind name [/ other_name]: Type = "wire_key"`:
//!
//! * `one name: T`: the setter `name(value)` sets the key;
//! * `list names [/ name]: T`: `names(items)` sets the list (`[]` included), `name(item)`
//!   (optional) adds one item;
//! * `push name / name_list: T`: `name(item)` adds one item, `name_list(items)` sets the list
//!   (for keys named in the singular, such as `breakdown` or `LIVENESS`);
//! * `map names / name: Map<String, Value>`: `names(map)` sets the free-form object,
//!   `name(key, value)` adds one entry;
//! * `manual name: T`: the setter is written by hand.

/// The Rust type of a field (inside the `Option` that `model!` adds).
macro_rules! request_field_ty {
    (one $ty:ty) => { $ty };
    (list $ty:ty) => { Vec<$ty> };
    (push $ty:ty) => { Vec<$ty> };
    (map $ty:ty) => { $ty };
    (manual $ty:ty) => { $ty };
}

/// The builder setters of one field.
macro_rules! request_setter {
    (one $field:ident : $ty:ty = $key:literal) => {
        #[doc = concat!("Sets `", $key, "`.")]
        #[must_use]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.inner.$field = Some(value.into());
            self
        }
    };
    (list $field:ident : $ty:ty = $key:literal) => {
        request_setter!(@set $field : $field : $ty = $key);
    };
    (list $field:ident / $one:ident : $ty:ty = $key:literal) => {
        request_setter!(@set $field : $field : $ty = $key);
        request_setter!(@push $one : $field : $ty = $key);
    };
    (push $field:ident / $all:ident : $ty:ty = $key:literal) => {
        request_setter!(@push $field : $field : $ty = $key);
        request_setter!(@set $all : $field : $ty = $key);
    };
    (map $field:ident / $entry:ident : $ty:ty = $key:literal) => {
        request_setter!(one $field : $ty = $key);
        request_setter!(@entry $entry : $field = $key);
    };
    (manual $field:ident : $ty:ty = $key:literal) => {};
    (@entry $setter:ident : $field:ident = $key:literal) => {
        #[doc = concat!("Adds one entry to `", $key, "` (replacing one of the same name).")]
        #[must_use]
        pub fn $setter(
            mut self,
            name: impl Into<String>,
            value: impl Into<serde_json::Value>,
        ) -> Self {
            self.inner
                .$field
                .get_or_insert_with(serde_json::Map::new)
                .insert(name.into(), value.into());
            self
        }
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

/// Generates a request-body struct, its builder and its walk. See the module documentation.
macro_rules! request_model {
    (
        $kinds:ty;
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
                    opt $field: request_field_ty!($kind $ty) = $key,
                )*
            }
        }

        #[doc = concat!(
            "A builder for [`", stringify!($name), "`]: each setter sets one key (keys never set ",
            "are not sent; set ones are, `false`, `0` and `[]` included); [`",
            stringify!($builder), "::extra`] adds a key this version does not model. Builders ",
            "convert into their value with `into()`, so a setter that takes a value also takes ",
            "its builder."
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
        }

        impl $builder {
            $( request_setter!($kind $field $(/ $alt)? : $ty = $key); )*

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

        impl $crate::request_model::walk::Walk<$kinds> for $name {
            fn walk(&self, cx: &mut $crate::request_model::walk::Walker<$kinds>) {
                <$name as $crate::request_model::walk::Rules<$kinds>>::rules(self, cx);
                $( cx.field($key, &self.$field); )*
                cx.extras(&self.extra, |key| {
                    <$name as $crate::de::Model>::field_index(key).is_some()
                });
            }
        }
    };
}

/// An infallible `build()` for nested builders (a whole body is validated at once, so that
/// every error names its full JSON path). `$validated_by` ends the doc sentence "Nothing is
/// checked here: …".
macro_rules! request_build {
    ($validated_by:literal; $($builder:ident => $name:ident),* $(,)?) => {
        $(
            impl $builder {
                #[doc = concat!(
                    "The [`", stringify!($name), "`]. Nothing is checked here: ", $validated_by
                )]
                pub fn build(self) -> $name {
                    self.inner
                }
            }
        )*
    };
}

/// Implements `Walk` for open enums, for every body: an unknown value is reported, an empty
/// one is invalid.
macro_rules! walk_open_enum {
    ($($ty:ty),* $(,)?) => {
        $(
            impl<K: $crate::request_model::walk::RuleKinds>
                $crate::request_model::walk::Walk<K> for $ty
            {
                fn walk(&self, cx: &mut $crate::request_model::walk::Walker<K>) {
                    if let Self::Other(text) = self {
                        cx.other_value(text);
                    }
                }
            }
        )*
    };
}

/// The constructors of a watchlist sources object, `{type: PROFILE, search_profile}` or
/// `{type: TYPE_LIST, types}`: the specification's `CaSources` and the response config's
/// `SourcesFilter` (the same wire object, with different rules).
macro_rules! watchlist_sources_constructors {
    ($name:ident) => {
        impl $name {
            /// `{type: PROFILE, search_profile}`.
            pub fn search_profile(search_profile: impl Into<String>) -> Self {
                Self::builder()
                    .sources_type($crate::WatchlistSourcesType::Profile)
                    .search_profile(search_profile)
                    .build()
            }

            /// `{type: TYPE_LIST, types}` (an empty list is sent as `[]`).
            pub fn type_list<I>(types: I) -> Self
            where
                I: IntoIterator,
                I::Item: Into<String>,
            {
                Self::builder()
                    .sources_type($crate::WatchlistSourcesType::TypeList)
                    .types(types)
                    .build()
            }
        }
    };
}

//! Fields that the API sends in more than one shape: [`Source`] and [`Tags`].

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::budget;
use crate::metered::{Field, read_json_map};
use crate::{SourceObject, SourceType};

/// Who supplied a resource: sent either as a bare string (`"END_USER"`) or as an object
/// (`{"type": "END_USER", …}`); both shapes parse and are written back as they came.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The bare-string shape.
    Type(SourceType),
    /// The object shape.
    Object(SourceObject),
}

impl Source {
    /// The source type, whichever the shape.
    pub fn source_type(&self) -> Option<&SourceType> {
        match self {
            Source::Type(t) => Some(t),
            Source::Object(o) => o.source_type.as_ref(),
        }
    }
}

impl Serialize for Source {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Source::Type(t) => t.serialize(s),
            Source::Object(o) => o.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Source {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct SourceVisitor;
        impl<'de> Visitor<'de> for SourceVisitor {
            type Value = Source;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a source type string or a source object")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Source, E> {
                let source_type = SourceType::from_wire(v);
                source_type.charge_other()?;
                Ok(Source::Type(source_type))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Source, E> {
                let source_type = SourceType::from(v);
                source_type.charge_other()?;
                Ok(Source::Type(source_type))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Source, A::Error> {
                // The object sits inline in `Source`: read it as a field, not standalone.
                SourceObject::read(MapAccessDeserializer::new(map)).map(Source::Object)
            }
        }
        d.deserialize_any(SourceVisitor)
    }
}

/// Watchlist custom-account `tags`: a JSON object, or (older API versions) a string holding
/// JSON-encoded text of one. Both parse and are written back as they came.
#[derive(Clone, Debug, PartialEq)]
pub enum Tags {
    /// The object shape.
    Map(Map<String, Value>),
    /// The JSON-encoded-string shape (the text as sent).
    Encoded(String),
}

impl Tags {
    /// The tags as a map, decoding the string shape; `None` if the string does not hold a JSON
    /// object.
    pub fn to_map(&self) -> Option<Map<String, Value>> {
        match self {
            Tags::Map(m) => Some(m.clone()),
            Tags::Encoded(text) => serde_json::from_str(text).ok(),
        }
    }

    /// The string value of one tag (decoding the string shape if needed).
    pub fn get_str(&self, key: &str) -> Option<String> {
        self.to_map()?.get(key)?.as_str().map(str::to_owned)
    }
}

impl Serialize for Tags {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Tags::Map(m) => m.serialize(s),
            Tags::Encoded(text) => s.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for Tags {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TagsVisitor;
        impl<'de> Visitor<'de> for TagsVisitor {
            type Value = Tags;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map of tags or a JSON string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Tags, E> {
                budget::charge::<E>(v.len())?;
                Ok(Tags::Encoded(v.to_owned()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Tags, E> {
                budget::charge::<E>(v.capacity())?;
                Ok(Tags::Encoded(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Tags, A::Error> {
                read_json_map(map).map(Tags::Map)
            }
        }
        d.deserialize_any(TagsVisitor)
    }
}

impl Field for Source {
    fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Source::deserialize(d)
    }
}

impl Field for Tags {
    fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Tags::deserialize(d)
    }
}

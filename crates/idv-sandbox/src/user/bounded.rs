//! A JSON object read with a cap on the number of values in it, so that user-supplied
//! `document_fields` cannot make the sandbox build a huge tree (a body of small values costs
//! many times its size as `serde_json::Value`s).

use std::cell::Cell;
use std::fmt;

use serde::Deserializer;
use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// The most values (objects, arrays and scalars, at any depth) in `document_fields`.
pub(crate) const MAX_FIELD_VALUES: usize = 1_000;

/// One value, charged against the remaining count.
struct Counted<'a>(&'a Cell<usize>);

impl Counted<'_> {
    fn charge<E: serde::de::Error>(&self) -> Result<(), E> {
        match self.0.get().checked_sub(1) {
            Some(left) => {
                self.0.set(left);
                Ok(())
            }
            None => Err(E::custom(format_args!("at most {MAX_FIELD_VALUES} values"))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Counted<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Counted<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.charge()?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.charge()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.charge()?;
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.charge()?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.charge()?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.charge()?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.charge()?;
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.charge()?;
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Counted(self.0))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        self.charge()?;
        read_map(self.0, map).map(Value::Object)
    }
}

fn read_map<'de, A: MapAccess<'de>>(
    left: &Cell<usize>,
    mut map: A,
) -> Result<Map<String, Value>, A::Error> {
    let mut out = Map::new();
    while let Some(key) = map.next_key::<String>()? {
        let value = map.next_value_seed(Counted(left))?;
        out.insert(key, value);
    }
    Ok(out)
}

struct Fields;

impl<'de> Visitor<'de> for Fields {
    type Value = Option<Map<String, Value>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let left = Cell::new(MAX_FIELD_VALUES);
        read_map(&left, map).map(Some)
    }
}

/// `deserialize_with` for an optional object of at most [`MAX_FIELD_VALUES`] values.
pub(crate) fn bounded_fields<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Map<String, Value>>, D::Error> {
    d.deserialize_option(Fields)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    struct Holder {
        #[serde(default, deserialize_with = "bounded_fields")]
        fields: Option<Map<String, Value>>,
    }

    #[test]
    fn small_objects_are_read_whole() {
        let holder: Holder =
            serde_json::from_str(r#"{"fields": {"a": [1, 2.5, "x", null, true], "b": {"c": {}}}}"#)
                .expect("parse");
        let fields = holder.fields.expect("fields");
        assert_eq!(fields["a"], serde_json::json!([1, 2.5, "x", null, true]));
        assert_eq!(fields["b"], serde_json::json!({"c": {}}));
        let none: Holder = serde_json::from_str(r#"{"fields": null}"#).expect("null");
        assert!(none.fields.is_none());
        let absent: Holder = serde_json::from_str("{}").expect("absent");
        assert!(absent.fields.is_none());
        assert!(serde_json::from_str::<Holder>(r#"{"fields": [1]}"#).is_err());
    }

    #[test]
    fn too_many_values_are_refused() {
        let at_cap = format!(
            r#"{{"fields": {{"a": [{}]}}}}"#,
            vec!["0"; MAX_FIELD_VALUES - 1].join(",")
        );
        assert!(serde_json::from_str::<Holder>(&at_cap).is_ok());
        let over = format!(
            r#"{{"fields": {{"a": [{}]}}}}"#,
            vec!["0"; MAX_FIELD_VALUES].join(",")
        );
        let err = serde_json::from_str::<Holder>(&over)
            .err()
            .expect("refused");
        assert!(err.to_string().contains("at most 1000 values"), "{err}");
    }
}

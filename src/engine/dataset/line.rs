//! One line read straight into what a record needs, without a `serde_json::Value` tree of the
//! whole row (that tree was most of the load time, and most of it was text nothing reads).
//!
//! Every key is kept (borrowed from the line where it has no escapes), so the kind of a file,
//! duplicate keys and lookups without case behave exactly as on the whole object. A value is
//! built only where a reader looks at it: `<model>-checklist`, `-label` and `-generated_text`
//! fields, a judged line's `samples` and `metajudge`, its `metadata` (read the same way, one
//! level down) and short scalars (what breakdowns group by). Everything else is still checked
//! as JSON, number ranges included, and dropped as it is read: a line is accepted exactly when
//! `serde_json` accepts it as a `Value`, which `tests/properties.rs` holds it to.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as _;
use serde_json::{Map, Value};

use super::skip::{drain_map, ItemSeed, Key, SampleText, Skip};
use crate::engine::json::value_text;

/// The suffix of a model's checklist key (`<model>-checklist`), found without case.
pub(super) const CHECKLIST_SUFFIX: &str = "-checklist";
/// The suffix of a model's verdict key (`<model>-label`).
pub(super) const LABEL_SUFFIX: &str = "-label";
/// The suffix of a model's own answer (`<model>-generated_text`).
pub const TEXT_SUFFIX: &str = "-generated_text";
/// Scalar fields longer than this are not kept for breakdowns (they are texts, not groups).
pub(super) const MAX_GROUP_VALUE_LEN: usize = 200;

/// `key.to_lowercase().ends_with(suffix)` for an ASCII lowercase `suffix`, without allocating
/// for ASCII keys.
pub(super) fn ends_without_case(key: &str, suffix: &str) -> bool {
    if key.is_ascii() {
        key.len() >= suffix.len()
            && key.as_bytes()[key.len() - suffix.len()..].eq_ignore_ascii_case(suffix.as_bytes())
    } else {
        key.to_lowercase().ends_with(suffix)
    }
}

/// What was kept of one field's value.
#[derive(Debug)]
pub(super) enum Slot<'a> {
    /// The whole value (a field some reader looks at) or a short scalar.
    Kept(Value),
    /// A checklist that is a list: its items as text (strings as they are, other values as
    /// JSON), without a `Value` per item.
    Items(Vec<String>),
    /// A `samples` list: the `generated_text` of its first sample (`""` when that sample has
    /// none, as the reference reads it), `None` when the list is empty.
    FirstSample(Option<Cow<'a, str>>),
    /// `metadata` holding an object: the data-set row of a judged line, read like a line.
    Row(Entries<'a>),
    /// Checked and dropped: nothing reads it.
    Dropped,
}

/// An object's fields in the object's order, each key once (a repeated key keeps its first
/// place and its last value, as `serde_json::Map` does).
#[derive(Debug, Default)]
pub(super) struct Entries<'a> {
    pub fields: Vec<(Cow<'a, str>, Slot<'a>)>,
}

/// Parses one line; `Err` when it is not a JSON object (the caller words the reason).
pub(super) fn read_line(text: &str) -> Result<Entries<'_>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let entries = de.deserialize_map(EntriesVisitor)?;
    de.end()?;
    Ok(entries)
}

impl<'a> Entries<'a> {
    /// The same entries from an object already parsed whole (the simple reader the fast one is
    /// held to, and the way back when a line is parsed again).
    pub fn from_map(map: Map<String, Value>) -> Entries<'static> {
        let fields = map
            .into_iter()
            .map(|(key, value)| {
                let slot = match (Want::of(&key), value) {
                    (Want::RowOrScalar, Value::Object(row)) => Slot::Row(Entries::from_map(row)),
                    (Want::Checklist, Value::Array(items)) => {
                        Slot::Items(items.iter().map(value_text).collect())
                    }
                    (Want::Samples, Value::Array(samples)) => {
                        Slot::FirstSample(samples.first().map(|sample| {
                            let text = sample.get("generated_text").and_then(Value::as_str);
                            Cow::Owned(text.unwrap_or_default().to_string())
                        }))
                    }
                    (Want::Whole | Want::Checklist, value) => Slot::Kept(value),
                    (_, value) if is_short_scalar(&value) => Slot::Kept(value),
                    _ => Slot::Dropped,
                };
                (Cow::Owned(key), slot)
            })
            .collect();
        Entries { fields }
    }

    /// The value of `key`, spelt exactly.
    pub fn get(&self, key: &str) -> Option<&Slot<'a>> {
        self.fields.iter().find(|(k, _)| k == key).map(|(_, s)| s)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The kept value of `key`, spelt exactly.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.get(key)?.value()
    }

    /// Takes the data-set row of a judged line out of its `metadata`; a `metadata` that is
    /// missing or not an object is an empty row.
    pub fn take_row(&mut self, key: &str) -> Entries<'a> {
        let slot = self.fields.iter_mut().find(|(k, _)| k == key);
        match slot.map(|(_, slot)| std::mem::replace(slot, Slot::Dropped)) {
            Some(Slot::Row(row)) => row,
            _ => Entries::default(),
        }
    }
}

impl Slot<'_> {
    /// The value, when it was kept whole.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Slot::Kept(value) => Some(value),
            _ => None,
        }
    }
}

/// Short scalars are what breakdowns group by: strings of at most `MAX_GROUP_VALUE_LEN` bytes,
/// numbers and booleans.
pub(super) fn is_short_scalar(value: &Value) -> bool {
    match value {
        Value::String(s) => s.len() <= MAX_GROUP_VALUE_LEN,
        Value::Number(_) | Value::Bool(_) => true,
        _ => false,
    }
}

/// How much of a field's value the readers need, by its key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    /// A field some reader looks at as a whole.
    Whole,
    /// A `<model>-checklist`: its items when it is a list, else the whole value.
    Checklist,
    /// `samples`: the first sample's text when it is a list, else like any other field.
    Samples,
    /// `metadata`: a row when it is an object, else like any other field.
    RowOrScalar,
    /// Only a short scalar is kept.
    Scalar,
}

impl Want {
    fn of(key: &str) -> Want {
        match key {
            "samples" => Want::Samples,
            "metajudge" => Want::Whole,
            "metadata" => Want::RowOrScalar,
            _ if ends_without_case(key, CHECKLIST_SUFFIX) => Want::Checklist,
            _ if [LABEL_SUFFIX, TEXT_SUFFIX]
                .iter()
                .any(|suffix| ends_without_case(key, suffix)) =>
            {
                Want::Whole
            }
            _ => Want::Scalar,
        }
    }
}

struct EntriesVisitor;

impl<'de> Visitor<'de> for EntriesVisitor {
    type Value = Entries<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
        let mut fields: Vec<(Cow<'de, str>, Slot<'de>)> = Vec::new();
        // Where each key is, once a row has enough keys for a linear search to cost.
        let mut places: HashMap<Cow<'de, str>, usize> = HashMap::new();
        while let Some(Key(key)) = map.next_key()? {
            let slot = map.next_value_seed(SlotSeed(Want::of(&key)))?;
            let earlier = if fields.len() < LINEAR_KEYS {
                fields.iter().position(|(k, _)| *k == key)
            } else {
                if places.is_empty() {
                    places.extend(fields.iter().enumerate().map(|(i, (k, _))| (k.clone(), i)));
                }
                places.get(&key).copied()
            };
            match earlier {
                Some(at) => fields[at].1 = slot,
                None => {
                    if !places.is_empty() {
                        places.insert(key.clone(), fields.len());
                    }
                    fields.push((key, slot));
                }
            }
        }
        Ok(Entries { fields })
    }
}

/// Rows with fewer keys are searched linearly (for a repeated key here, for lookups in
/// `row`); rows with more get maps, built once.
pub(super) const LINEAR_KEYS: usize = 32;

/// Reads one field's value as much as `Want` asks.
struct SlotSeed(Want);

impl<'de> DeserializeSeed<'de> for SlotSeed {
    type Value = Slot<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Slot<'de>, D::Error> {
        match self.0 {
            Want::Whole => Ok(Slot::Kept(Value::deserialize(deserializer)?)),
            want => deserializer.deserialize_any(ScalarVisitor { want }),
        }
    }
}

/// Keeps a short scalar (or what `want` asks of a list or an object) and drops the rest.
struct ScalarVisitor {
    want: Want,
}

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Slot<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Slot<'de>, E> {
        Ok(Slot::Kept(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Slot<'de>, E> {
        Ok(Slot::Kept(Value::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Slot<'de>, E> {
        Ok(Slot::Kept(Value::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Slot<'de>, E> {
        // serde_json hands only finite numbers here, as `Value` parsing keeps them.
        Ok(serde_json::Number::from_f64(v).map_or(Slot::Dropped, |n| Slot::Kept(Value::Number(n))))
    }
    fn visit_str<E>(self, v: &str) -> Result<Slot<'de>, E> {
        Ok(
            if v.len() <= MAX_GROUP_VALUE_LEN || self.want == Want::Checklist {
                Slot::Kept(Value::String(v.to_string()))
            } else {
                Slot::Dropped
            },
        )
    }
    fn visit_unit<E>(self) -> Result<Slot<'de>, E> {
        // A checklist of null is kept: the record names its kind.
        Ok(if self.want == Want::Checklist {
            Slot::Kept(Value::Null)
        } else {
            Slot::Dropped
        })
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Slot<'de>, A::Error> {
        let slot = match self.want {
            Want::Checklist => {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element_seed(ItemSeed)? {
                    items.push(item);
                }
                return Ok(Slot::Items(items));
            }
            Want::Samples => Slot::FirstSample(seq.next_element_seed(SampleText::Sample)?),
            _ => Slot::Dropped,
        };
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(slot)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Slot<'de>, A::Error> {
        match self.want {
            Want::RowOrScalar => EntriesVisitor.visit_map(map).map(Slot::Row),
            // A checklist that is not a list is kept whole: its kind is named in the record.
            Want::Checklist => Ok(Slot::Kept(Value::Object(serde::Deserialize::deserialize(
                serde::de::value::MapAccessDeserializer::new(map),
            )?))),
            _ => {
                drain_map(map)?;
                Ok(Slot::Dropped)
            }
        }
    }
}

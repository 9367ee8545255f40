//! The parts of a line nothing keeps whole, read with `serde` visitors that check every value
//! as parsing it into a `serde_json::Value` would, and keep only what `line` asks of them: a
//! key (borrowed where it has no escapes), a checklist item as text, the first sample's
//! `generated_text`, or nothing.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize as _;
use serde_json::Value;

/// A key, borrowed from the line when it has no escapes.
pub(super) struct Key<'de>(pub Cow<'de, str>);

impl<'de> serde::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// `visit_bool`, `visit_i64`, `visit_u64` and `visit_f64` of a visitor that answers every
/// number and boolean with `$value` (they are checked by the parser, then dropped).
macro_rules! scalars_give {
    ($value:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($value)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($value)
        }
    };
}

/// One checklist item as text: a string as it is, any other value as its JSON.
pub(super) struct ItemSeed;

impl<'de> DeserializeSeed<'de> for ItemSeed {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        Ok(match Value::deserialize(deserializer)? {
            Value::String(text) => text,
            other => other.to_string(),
        })
    }
}

/// The text of the first sample of `samples`: read on a sample (`Sample`), its
/// `generated_text` when that is a string, else `""`; read on the field (`Text`), the string
/// (borrowed when it has no escapes), else `""`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum SampleText {
    Sample,
    Text,
}

impl<'de> DeserializeSeed<'de> for SampleText {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Cow<'de, str>, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SampleText {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Cow<'de, str>, A::Error> {
        // The last `generated_text` wins, as in a parsed object.
        let mut text = Cow::Borrowed("");
        while let Some(Key(key)) = map.next_key()? {
            if self == SampleText::Sample && key == "generated_text" {
                text = map.next_value_seed(SampleText::Text)?;
            } else {
                map.next_value_seed(Skip)?;
            }
        }
        Ok(text)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Cow<'de, str>, A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(Cow::Borrowed(""))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(match self {
            SampleText::Text => Cow::Borrowed(v),
            SampleText::Sample => Cow::Borrowed(""),
        })
    }
    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(match self {
            SampleText::Text => Cow::Owned(v.to_string()),
            SampleText::Sample => Cow::Borrowed(""),
        })
    }
    fn visit_unit<E>(self) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(""))
    }
    scalars_give!(Cow::Borrowed(""));
}

/// A value checked as `Value` parsing checks it (numbers in range included, which
/// `IgnoredAny` does not check) and dropped.
pub(super) struct Skip;

impl<'de> DeserializeSeed<'de> for Skip {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(Skip)
    }
}

impl<'de> Visitor<'de> for Skip {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalars_give!(());
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq.next_element_seed(Skip)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        drain_map(map)
    }
}

pub(super) fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    // Keys too are read as strings (escapes and surrogates checked), not skipped.
    while map.next_key_seed(Skip)?.is_some() {
        map.next_value_seed(Skip)?;
    }
    Ok(())
}

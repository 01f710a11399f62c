//! JSON text → Python objects in one pass, for verified payloads (faster than `json.loads`,
//! which was most of an HS256 verification's time). Objects keep the text's key order, as
//! `json.loads` does. serde_json reads integers beyond 64 bits as floats, so a payload with any
//! float falls back to `json.loads`, which keeps big integers exact.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use std::sync::Mutex;

/// Member names seen in verified payloads, as Python strings: a service verifies the same few
/// claim names over and over, and a reused string skips an allocation, a UTF-8 decode and the
/// dict's hashing (Python caches a string's hash). Bounded: names past [`MAX_NAMES`] are made
/// afresh each time, so odd payloads cannot grow it.
static NAMES: Mutex<Option<HashMap<Box<str>, Py<PyString>>>> = Mutex::new(None);
const MAX_NAMES: usize = 256;

fn name<'py>(py: Python<'py>, key: &str) -> Bound<'py, PyString> {
    // Never waits: if another thread holds the table (it could only have been switched out
    // mid-insert), make the string afresh. So this lock can never take part in a deadlock with
    // the GIL.
    let Ok(mut guard) = NAMES.try_lock() else {
        return PyString::new(py, key);
    };
    let names = guard.get_or_insert_with(HashMap::new);
    if let Some(s) = names.get(key) {
        return s.bind(py).clone();
    }
    let s = PyString::new(py, key);
    if names.len() < MAX_NAMES {
        names.insert(key.into(), s.clone().unbind());
    }
    s
}

/// `text` as Python objects, or `None` when `json.loads` must read it (a float somewhere, or
/// anything serde_json refuses).
pub(crate) fn to_python<'py>(py: Python<'py>, text: &str) -> Option<Bound<'py, PyAny>> {
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed(py).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(value)
}

#[derive(Clone, Copy)]
struct Seed<'py>(Python<'py>);

/// Any failure (including a Python error, or a float) aborts the fast path.
fn fail<E: de::Error>() -> E {
    E::custom("use json.loads")
}

impl<'de, 'py> DeserializeSeed<'de> for Seed<'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for Seed<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        v.into_pyobject(self.0)
            .map(|b| b.to_owned().into_any())
            .map_err(|_| fail())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        v.into_pyobject(self.0)
            .map(Bound::into_any)
            .map_err(|_| fail())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        v.into_pyobject(self.0)
            .map(Bound::into_any)
            .map_err(|_| fail())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Err(fail())
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        v.into_pyobject(self.0)
            .map(Bound::into_any)
            .map_err(|_| fail())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(self)? {
            list.append(item).map_err(|_| fail::<A::Error>())?;
        }
        Ok(list.into_any())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let value = map.next_value_seed(self)?;
            dict.set_item(name(self.0, &key), value)
                .map_err(|_| fail::<A::Error>())?;
        }
        Ok(dict.into_any())
    }
}

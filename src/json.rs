//! Small JSON tools shared by the header, claims and JWKS readers: a nesting-depth gate that runs
//! before any parsing, a string that borrows when it can, a claim value that keeps only what the
//! checks need, and duplicate-member detection.

use alloc::borrow::Cow;
use alloc::vec::Vec;
use core::fmt;
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// `true` when `json` never nests arrays/objects deeper than `max` (strings are skipped).
/// A linear scan, so hostile nesting is refused before a recursive parser sees it.
pub(crate) fn depth_within(json: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in json {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// A JSON string, borrowed from the input when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Str<'a>(pub Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v.into())))
            }
            fn visit_string<E>(self, v: alloc::string::String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// A member value reduced to what claim and header checks look at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val<'a> {
    /// Any JSON number.
    Num(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    Arr {
        /// Its string members, in order.
        strings: Vec<Cow<'a, str>>,
        /// Whether every member was a string (so `strings` is the whole array).
        only_strings: bool,
    },
    /// `true` / `false`.
    Bool(bool),
    /// `null` or an object.
    Other,
}

impl<'a> Val<'a> {
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// An object member that counts only as a string: absent, a string, or another JSON type
/// (a JWK's `kid`, `alg`, `use`…, a header's `kid`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Member<S> {
    /// Not in the object.
    Absent,
    /// A string.
    Str(S),
    /// Present, but not a string.
    NotString,
}

impl<S: AsRef<str>> Member<S> {
    /// The string, when it is one.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Member::Str(s) => Some(s.as_ref()),
            Member::Absent | Member::NotString => None,
        }
    }

    /// The same member, borrowing the string.
    pub(crate) fn as_deref(&self) -> Member<&str> {
        match self {
            Member::Absent => Member::Absent,
            Member::Str(s) => Member::Str(s.as_ref()),
            Member::NotString => Member::NotString,
        }
    }
}

impl<'de> Deserialize<'de> for Val<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Val<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Val::Bool(v))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Val::Num(v as f64))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Val::Num(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Val::Num(v))
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Val::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Val::Str(Cow::Owned(v.into())))
            }
            fn visit_string<E>(self, v: alloc::string::String) -> Result<Self::Value, E> {
                Ok(Val::Str(Cow::Owned(v)))
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Val::Other)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Val::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut strings = Vec::new();
                let mut only_strings = true;
                while let Some(item) = seq.next_element::<Val<'de>>()? {
                    match item {
                        Val::Str(s) => strings.push(s),
                        _ => only_strings = false,
                    }
                }
                Ok(Val::Arr {
                    strings,
                    only_strings,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Val::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// Member names of one object, sorted, for duplicate detection and presence checks.
#[derive(Debug)]
pub(crate) struct Names<'a> {
    sorted: Vec<Cow<'a, str>>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(mut names: Vec<Cow<'a, str>>) -> Self {
        names.sort_unstable();
        Names { sorted: names }
    }

    /// Whether some name occurs more than once.
    pub(crate) fn has_duplicates(&self) -> bool {
        self.sorted.windows(2).any(|w| w[0] == w[1])
    }

    /// Whether `name` is present.
    pub(crate) fn contains(&self, name: &str) -> bool {
        self.sorted
            .binary_search_by(|n| n.as_ref().cmp(name))
            .is_ok()
    }
}

/// Reads one JSON object: members whose name `wants` are decoded into a [`Val`] and handed to
/// `on_value`; the others are skipped without being materialised. Returns the member names, or
/// `None` on malformed JSON, a non-object, or trailing data.
pub(crate) fn read_object<'de>(
    json: &'de [u8],
    wants: impl Fn(&str) -> bool,
    mut on_value: impl FnMut(&str, Val<'de>),
) -> Option<Names<'de>> {
    struct ObjVisitor<W, F>(W, F);
    impl<'de, W: Fn(&str) -> bool, F: FnMut(&str, Val<'de>)> Visitor<'de> for ObjVisitor<W, F> {
        type Value = Names<'de>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut names = Vec::with_capacity(16);
            while let Some(Str(name)) = map.next_key::<Str<'de>>()? {
                if (self.0)(&name) {
                    let v = map.next_value::<Val<'de>>()?;
                    (self.1)(&name, v);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
                names.push(name);
            }
            Ok(Names::new(names))
        }
    }
    let mut de = serde_json::Deserializer::from_slice(json);
    let names = de.deserialize_map(ObjVisitor(wants, &mut on_value)).ok()?;
    de.end().ok()?;
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_gate_counts_only_structure_outside_strings() {
        assert!(depth_within(br#"{"a":[1,{"b":2}]}"#, 3));
        assert!(!depth_within(br#"{"a":[1,{"b":2}]}"#, 2));
        assert!(depth_within(br#"{"a":"[[[[[[\"[[[["}"#, 1));
        let deep = "[".repeat(100_000);
        assert!(!depth_within(deep.as_bytes(), 32));
    }

    #[test]
    fn read_object_reports_names_and_values() {
        let mut exp = None;
        let names = read_object(
            br#"{"exp":1.5,"x\u0041":{"y":[1]},"s":"t"}"#,
            |k| k == "exp",
            |_, v| exp = Some(v),
        )
        .unwrap();
        assert!(!names.has_duplicates());
        assert!(names.contains("xA") && names.contains("s") && !names.contains("y"));
        assert_eq!(exp, Some(Val::Num(1.5)));
    }

    #[test]
    fn read_object_rejects_non_objects_and_trailing_data() {
        for bad in [&b"[]"[..], b"1", b"\"s\"", b"{} x", b"{", b"{\"a\":}", b""] {
            assert!(read_object(bad, |_| true, |_, _| {}).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn duplicates_are_detected() {
        let names = read_object(br#"{"a":1,"b":2,"a":3}"#, |_| false, |_, _| {}).unwrap();
        assert!(names.has_duplicates());
    }
}

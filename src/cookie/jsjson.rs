//! JSON text re-serialised exactly as JavaScript's `JSON.stringify(JSON.parse(text))` would
//! print it: member order kept, JS string escaping, JS number formatting. Better Auth's compact
//! cookie MAC covers that output, so it has to match to the byte.

use alloc::string::String;
use core::fmt::{self, Write as _};
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};

/// `JSON.stringify(JSON.parse(json))`, or `None` if `json` is not valid JSON.
pub(crate) fn stringify(json: &str) -> Option<String> {
    let mut out = String::with_capacity(json.len());
    let mut de = serde_json::Deserializer::from_slice(json.as_bytes());
    de.deserialize_any(Writer(&mut out)).ok()?;
    de.end().ok()?;
    Some(out)
}

struct Writer<'o>(&'o mut String);

impl<'de> Visitor<'de> for Writer<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        self.0.push_str("null");
        Ok(())
    }
    fn visit_u64<E>(self, v: u64) -> Result<(), E> {
        push_number(self.0, v as f64);
        Ok(())
    }
    fn visit_i64<E>(self, v: i64) -> Result<(), E> {
        push_number(self.0, v as f64);
        Ok(())
    }
    fn visit_f64<E>(self, v: f64) -> Result<(), E> {
        push_number(self.0, v);
        Ok(())
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        push_string(self.0, v);
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.push('[');
        let mut first = true;
        while seq.next_element_seed(Seed(self.0, &mut first))?.is_some() {}
        self.0.push(']');
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.0.push('{');
        let mut first = true;
        while let Some(key) = map.next_key::<crate::json::Str<'de>>()? {
            if !first {
                self.0.push(',');
            }
            first = false;
            push_string(self.0, &key.0);
            self.0.push(':');
            map.next_value_seed(Seed(self.0, &mut true))?;
        }
        self.0.push('}');
        Ok(())
    }
}

/// Writes one value, preceded by a comma unless it is the first.
struct Seed<'o, 'f>(&'o mut String, &'f mut bool);

impl<'de> serde::de::DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if !*self.1 {
            self.0.push(',');
        }
        *self.1 = false;
        d.deserialize_any(Writer(self.0))
    }
}

/// JSON.stringify's string quoting (ECMA-262 QuoteJSONString).
pub(crate) fn push_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// ECMAScript Number::toString(x) for a finite `x` (ECMA-262 §6.1.6.1.20).
pub(crate) fn push_number(out: &mut String, x: f64) {
    if x == 0.0 {
        out.push('0');
        return;
    }
    if !x.is_finite() {
        out.push_str("null");
        return;
    }
    if x < 0.0 {
        out.push('-');
    }
    // Shortest round-trip digits from zmij ("123.45", "1e21", "1.5e-7", …), reduced to the
    // digit string and the decimal exponent n of ECMA-262 (value = 0.digits × 10^n).
    let mut buf = zmij::Buffer::new();
    let text = buf.format_finite(x.abs());
    let (mantissa, exp) = text.split_once('e').unwrap_or((text, "0"));
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let mut point = int.len() as i32 + exp.parse::<i32>().unwrap_or(0);
    let all: String = int.chars().chain(frac.chars()).collect();
    let lead = all.len() - all.trim_start_matches('0').len();
    point -= lead as i32;
    let digits = all.trim_start_matches('0').trim_end_matches('0');
    let k = digits.len() as i32;
    let n = point;
    if k <= n && n <= 21 {
        out.push_str(digits);
        for _ in 0..n - k {
            out.push('0');
        }
    } else if 0 < n && n <= 21 {
        out.push_str(&digits[..n as usize]);
        out.push('.');
        out.push_str(&digits[n as usize..]);
    } else if -6 < n && n <= 0 {
        out.push_str("0.");
        for _ in 0..-n {
            out.push('0');
        }
        out.push_str(digits);
    } else {
        out.push_str(&digits[..1]);
        if k > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if n > 0 { '+' } else { '-' });
        let _ = write!(out, "{}", (n - 1).abs());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(x: f64) -> String {
        let mut s = String::new();
        push_number(&mut s, x);
        s
    }

    #[test]
    fn numbers_print_like_javascript() {
        // Expected values are what Node prints for String(x).
        let cases: [(f64, &str); 17] = [
            // A tie between two shortest candidates: V8 prints …562.2 (Rust's `{:e}` …623).
            (1658206780088562.2, "1658206780088562.2"),
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (1767225600000.0, "1767225600000"),
            (9007199254740993.0, "9007199254740992"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (0.000001, "0.000001"),
            (0.0000001, "1e-7"),
            (1.5e-7, "1.5e-7"),
            (0.1, "0.1"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
            (5e-324, "5e-324"),
            (123.456, "123.456"),
        ];
        for (x, want) in cases {
            assert_eq!(num(x), want, "{x:e}");
        }
    }

    #[test]
    fn numbers_round_trip_with_the_shortest_digits() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let x = f64::from_bits(state);
            if !x.is_finite() || x == 0.0 {
                continue;
            }
            let text = num(x);
            assert_eq!(text.parse::<f64>().unwrap(), x, "{text}");
            // As many significant digits as Rust's own shortest formatting (the digits
            // themselves may differ on exact ties, where V8 and zmij agree: see above).
            let sci = alloc::format!("{:e}", x.abs());
            let want = sci.split('e').next().unwrap().replace('.', "");
            let mantissa = text.trim_start_matches('-').split('e').next().unwrap();
            let got = mantissa.replace('.', "");
            let got = got.trim_start_matches('0').trim_end_matches('0');
            assert_eq!(
                got.len(),
                want.trim_end_matches('0').len(),
                "{x:e} → {text}"
            );
        }
    }

    #[test]
    fn strings_escape_like_javascript() {
        let mut s = String::new();
        push_string(&mut s, "q\" b\\ n\n t\t \u{1} \u{1f} é 😀 / \u{2028}");
        assert_eq!(
            s,
            "\"q\\\" b\\\\ n\\n t\\t \\u0001 \\u001f é 😀 / \u{2028}\""
        );
    }

    #[test]
    fn restringify_keeps_order_and_normalises_like_json_parse_then_stringify() {
        let src = r#" { "z" : 1.0 , "a" : [ 1e2 , "\u00e9\/" , null , true ] , "n" : { } , "big": 12345678901234567890 } "#;
        assert_eq!(
            stringify(src).unwrap(),
            r#"{"z":1,"a":[100,"é/",null,true],"n":{},"big":12345678901234567000}"#
        );
        assert!(stringify("{").is_none());
        assert!(stringify("{} x").is_none());
    }
}

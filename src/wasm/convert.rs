//! Values out to JS: JSON text built by hand (smaller than serde's serializer in the module),
//! and times in from JS.

use alloc::string::String;

/// Appends `n` in decimal (without `core::fmt`'s integer formatting and `format!`).
pub(super) fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

pub(super) fn push_json_str(out: &mut String, s: &str) {
    // serde_json's string escaping cannot fail for a &str.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
}

pub(super) fn result_json(header: &str, payload: &str) -> String {
    let mut out = String::with_capacity(header.len() + payload.len() + 32);
    out.push_str("{\"payload\":");
    out.push_str(payload);
    out.push_str(",\"protectedHeader\":");
    out.push_str(header);
    out.push('}');
    out
}

/// A time from JS (`Date.now()`, ms) as the cache's `u64`: negative or NaN count as 0.
pub(super) fn ms(t: f64) -> u64 {
    if t > 0.0 {
        t as u64 // saturating
    } else {
        0
    }
}

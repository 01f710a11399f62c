//! Finding the session cookie in a `Cookie` header the way Better Auth does: its
//! `parseCookies` (`;`-separated, trimmed, unquoted, percent-decoded when that succeeds, first
//! occurrence wins), the `__Secure-` variant, and chunked `NAME.0`, `NAME.1`, … cookies joined
//! in index order.

use alloc::string::String;
use alloc::vec::Vec;

/// Which cookie names to look for: `{prefix}.{name}`, with or without `__Secure-`.
#[derive(Clone, Copy, Debug)]
pub struct CookieName<'a> {
    /// `advanced.cookiePrefix` (Better Auth's default `"better-auth"`).
    pub prefix: &'a str,
    /// The name after the prefix (`"session_data"` for the cookie cache).
    pub name: &'a str,
    /// `Some(true)`: only `__Secure-{prefix}.{name}`; `Some(false)`: only the plain name;
    /// `None`: the `__Secure-` name first, then the plain one.
    pub is_secure: Option<bool>,
}

/// The session cookie's value in `cookie_header` (chunks joined), or `None` when there is no
/// such cookie or its value is empty.
pub fn find_cookie(cookie_header: &str, name: CookieName<'_>) -> Option<String> {
    let base = alloc::format!("{}.{}", name.prefix, name.name);
    let secure = alloc::format!("__Secure-{base}");
    let names: &[&str] = match name.is_secure {
        None => &[&secure, &base],
        Some(true) => &[&secure],
        Some(false) => &[&base],
    };
    let cookies = parse_cookies(cookie_header, names);
    names
        .iter()
        .filter_map(|n| cookie_value(&cookies, n))
        .find(|v| !v.is_empty())
}

/// Better Auth's `parseCookies`, in the header's order, reduced to the cookies that can matter:
/// those named one of `names` or `{name}.{anything}` (its chunks). Repeated names are kept here
/// and resolved by [`cookie_value`], so the work stays linear in the header's length (a header
/// of thousands of cookies is no quadratic cost).
fn parse_cookies<'h>(header: &'h str, names: &[&str]) -> Vec<(&'h str, String)> {
    let relevant = |key: &str| {
        names.iter().any(|n| {
            key.strip_prefix(n)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
        })
    };
    let mut out: Vec<(&str, String)> = Vec::new();
    for part in header.split(';') {
        let Some(eq) = part.find('=') else { continue };
        let key = js_trim(&part[..eq]);
        if !relevant(key) {
            continue;
        }
        let mut val = js_trim(&part[eq + 1..]);
        if val.len() >= 2 && val.starts_with('"') && val.ends_with('"') {
            val = &val[1..val.len() - 1];
        }
        let val = if val.contains('%') {
            decode_uri_component(val).unwrap_or_else(|| val.into())
        } else {
            val.into()
        };
        out.push((key, val));
    }
    out
}

/// The value of cookie `name`, or of its chunks `name.0`, `name.1`, … joined in index order.
/// As in `parseCookies`, a name's first occurrence is the one that counts. Chunk indices are
/// plain decimal numbers of up to six digits without leading zeros: `.01` is not chunk 1.
fn cookie_value(cookies: &[(&str, String)], name: &str) -> Option<String> {
    if let Some((_, v)) = cookies.iter().find(|(k, _)| *k == name) {
        if !v.is_empty() {
            return Some(v.clone());
        }
    }
    // (chunk index, position in the header, value).
    let mut chunks: Vec<(u32, usize, &str)> = cookies
        .iter()
        .enumerate()
        .filter_map(|(pos, (k, v))| {
            let index = k.strip_prefix(name)?.strip_prefix('.')?;
            chunk_index(index).map(|i| (i, pos, v.as_str()))
        })
        .collect();
    if chunks.is_empty() {
        return None;
    }
    // An index has one spelling, so a repeated index is a repeated name: keep its first
    // occurrence (the lowest position).
    chunks.sort_unstable_by_key(|c| (c.0, c.1));
    chunks.dedup_by_key(|c| c.0);
    Some(chunks.iter().map(|c| c.2).collect())
}

fn chunk_index(s: &str) -> Option<u32> {
    let b = s.as_bytes();
    let plain = (1..=6).contains(&b.len())
        && b.iter().all(u8::is_ascii_digit)
        && (b[0] != b'0' || b.len() == 1);
    if plain {
        s.parse().ok()
    } else {
        None
    }
}

/// `String.prototype.trim`: JavaScript's whitespace is Unicode's `White_Space` without U+0085,
/// plus U+FEFF.
fn js_trim(s: &str) -> &str {
    s.trim_matches(|c: char| c == '\u{feff}' || (c.is_whitespace() && c != '\u{85}'))
}

/// `decodeURIComponent`: every `%XX` decoded; `None` (JavaScript's `URIError`) when a `%` is not
/// followed by two hex digits or the bytes are not UTF-8.
fn decode_uri_component(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| (c as char).to_digit(16);
            let hi = hex(*b.get(i + 1)?)?;
            let lo = hex(*b.get(i + 2)?)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAME: CookieName<'static> = CookieName {
        prefix: "better-auth",
        name: "session_data",
        is_secure: None,
    };

    #[test]
    fn finds_plain_secure_quoted_and_percent_encoded_cookies() {
        let find = |h: &str| find_cookie(h, NAME);
        assert_eq!(
            find("a=1; better-auth.session_data=v").as_deref(),
            Some("v")
        );
        assert_eq!(
            find("__Secure-better-auth.session_data=s; better-auth.session_data=v").as_deref(),
            Some("s")
        );
        assert_eq!(
            find(" better-auth.session_data = \"v%3D\" ").as_deref(),
            Some("v=")
        );
        assert_eq!(
            find("better-auth.session_data=%E0%A4%A").as_deref(),
            Some("%E0%A4%A")
        );
        assert_eq!(find("better-auth.session_data=%FF").as_deref(), Some("%FF"));
        assert_eq!(
            find("better-auth.session_data=a; better-auth.session_data=b").as_deref(),
            Some("a")
        );
        assert_eq!(find("better-auth.session_data="), None);
        assert_eq!(
            find("better-auth.session_data=; better-auth.session_data=b"),
            None
        );
        // Names that only start like the cookie's are other cookies.
        assert_eq!(
            find("better-auth.session_dataX=v; x.better-auth.session_data=w"),
            None
        );
        assert_eq!(find("other=1"), None);
        let plain_only = CookieName {
            is_secure: Some(false),
            ..NAME
        };
        assert_eq!(
            find_cookie("__Secure-better-auth.session_data=s", plain_only),
            None
        );
    }

    #[test]
    fn joins_chunks_in_index_order_with_strict_indices() {
        let find = |h: &str| find_cookie(h, NAME);
        let n = "better-auth.session_data";
        assert_eq!(
            find(&alloc::format!("{n}.1=b; {n}.0=a; {n}.10=c")).as_deref(),
            Some("abc")
        );
        // A repeated chunk counts once, with its first value (parseCookies keeps the first).
        assert_eq!(
            find(&alloc::format!("{n}.1=b; {n}.0=a; {n}.1=x; {n}.0=y")).as_deref(),
            Some("ab")
        );
        for odd in ["01", "+1", "1.0", " 1", "1e0", "0x1", "1234567", ""] {
            assert_eq!(
                find(&alloc::format!("{n}.0=a; {n}.{odd}=b")).as_deref(),
                Some("a"),
                "{odd}"
            );
        }
    }

    #[test]
    fn a_header_of_many_cookies_costs_linear_work() {
        // Was quadratic in the number of cookies (every name compared with every earlier one):
        // 200,000 cookies then took minutes; a 32 KB header ~100 ms.
        let n = "better-auth.session_data";
        let mut header: String = (0..200_000).map(|i| alloc::format!("c{i}=v; ")).collect();
        for i in (0..50_000).rev() {
            header.push_str(&alloc::format!("{n}.{i}=x; "));
        }
        header.push_str(&alloc::format!("{n}=real"));
        assert_eq!(find_cookie(&header, NAME).as_deref(), Some("real"));
        header.truncate(header.len() - alloc::format!("{n}=real").len());
        assert_eq!(find_cookie(&header, NAME).map(|v| v.len()), Some(50_000));
    }
}

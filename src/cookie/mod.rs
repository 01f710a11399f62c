//! Better Auth's session cookie cache (`better-auth.session_data`), read and checked the way
//! Better Auth's own `getCookieCache` does, but failing with a coded error instead of `null`.
//!
//! - [`read_compact`]: the default `compact` strategy, `base64url(JSON({session, expiresAt,
//!   signature}))` with an HMAC-SHA-256 over JavaScript's `JSON.stringify` of the session.
//! - [`read_jwe`]: the `jwe` strategy, `dir` + `A256CBC-HS512` with a key derived from the secret
//!   by HKDF-SHA-256.
//! - [`jwt::read_jwt`]: the `jwt` strategy, a JWT signed with HS256 and the secret, or by the
//!   jwt plugin's JWKS (the policy: [`jwt::JwtKeys::verifier`]).
//! - [`read_session_cookie`] / [`SessionCookieReader`]: the one entry point hosts call: finds
//!   the cookie in a `Cookie` header (`__Secure-`, prefix, chunks; [`find_cookie`]) and reads
//!   it with any strategy.
//!
//! All return the session data's JSON text, `{"session":…,"user":…,"updatedAt":…,"version":…}`
//! (Better Auth 1.3's compact cookies: `{"session":…,"user":…}` only).

mod header;
mod jsjson;
mod jwe;
pub mod jwt;
mod reader;

pub use header::{find_cookie, CookieName};
pub use jwe::read_jwe;
pub use reader::{read_session_cookie, ReadOptions, SessionCookieReader, Strategy};

use crate::json::{self, Val};
use crate::{base64url, Error};
use alloc::borrow::ToOwned;
use alloc::string::String;
use hmac::{Hmac, KeyInit, Mac};
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::Sha256;

/// Largest cookie value accepted (after joining chunks), in bytes.
pub const MAX_COOKIE_LENGTH: usize = 64 * 1024;
const MAX_DEPTH: usize = 32;

fn reject_oversized(value: &str) -> Result<(), Error> {
    if value.len() > MAX_COOKIE_LENGTH {
        return Err(Error::JwtInvalid(
            "session cookie exceeds the maximum length (64 KiB)",
        ));
    }
    Ok(())
}

/// An empty secret would make every cookie MAC (and the JWE key) guessable: refused.
pub(crate) fn empty_secret(secret: &[u8]) -> Result<(), Error> {
    if secret.is_empty() {
        return Err(Error::JwkInvalid {
            kid: None,
            reason: "the session cookie secret (BETTER_AUTH_SECRET) is empty",
        });
    }
    Ok(())
}

/// `⌊ms / 1000⌋`: milliseconds since the epoch as whole seconds (no `f64::floor` in `core`).
pub(crate) fn floor_secs(ms: f64) -> i64 {
    let whole = ms as i64; // saturating, toward zero
    let floor = if (whole as f64) > ms {
        whole - 1
    } else {
        whole
    };
    floor.div_euclid(1000)
}

#[derive(Deserialize)]
struct Compact<'a> {
    #[serde(borrow)]
    session: &'a RawValue,
    #[serde(rename = "expiresAt")]
    expires_at: f64,
    signature: String,
}

/// Reads a `compact` session cookie: checks its HMAC with `secret` (Better Auth's
/// `BETTER_AUTH_SECRET`) and its expiry against `now_ms` (milliseconds since the epoch), then the
/// session data (see [`check_session_data`]). Returns the session data's JSON text.
pub fn read_compact(
    value: &str,
    secret: &[u8],
    now_ms: f64,
    version: Option<&str>,
) -> Result<String, Error> {
    reject_oversized(value)?;
    empty_secret(secret)?;
    let malformed = || Error::JwtInvalid("session cookie is not a Better Auth compact cookie");
    let bytes = base64url::decode(value.as_bytes()).ok_or_else(malformed)?;
    let text = core::str::from_utf8(&bytes).map_err(|_| malformed())?;
    if !json::depth_within(text.as_bytes(), MAX_DEPTH) {
        return Err(malformed());
    }
    let c: Compact<'_> = serde_json::from_slice(text.as_bytes()).map_err(|_| malformed())?;
    // The MAC covers JSON.stringify({ ...session, expiresAt }).
    let session = jsjson::stringify(c.session.get()).ok_or_else(malformed)?;
    if !session.starts_with('{') {
        return Err(malformed());
    }
    let names =
        json::read_object(session.as_bytes(), |_| false, |_, _| {}).ok_or_else(malformed)?;
    if names.has_duplicates() || names.contains("expiresAt") {
        return Err(malformed());
    }
    let mut signed = session[..session.len() - 1].to_owned();
    if session.len() > 2 {
        signed.push(',');
    }
    signed.push_str("\"expiresAt\":");
    jsjson::push_number(&mut signed, c.expires_at);
    signed.push('}');
    let signature =
        base64url::decode(c.signature.as_bytes()).ok_or(Error::SignatureVerificationFailed)?;
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret).map_err(|_| Error::SignatureVerificationFailed)?;
    mac.update(signed.as_bytes());
    mac.verify_slice(&signature)
        .map_err(|_| Error::SignatureVerificationFailed)?;
    if c.expires_at < now_ms {
        return Err(Error::Expired {
            claim: "expiresAt",
            message: "session cookie cache \"expiresAt\" has passed",
            payload: None,
        });
    }
    // Without `updatedAt`: Better Auth 1.3's compact cookies (see `check_session_data_as`).
    check_session_data_as(&session, now_ms, version, false, false)?;
    Ok(session)
}

/// The checks Better Auth applies to decoded session data: `session` and `user` objects (with
/// `session.token` and `user.id` strings), a numeric `updatedAt`, the `version` (default `"1"`)
/// when one is expected, and `session.expiresAt` not in the past. With `bound` (the jwt plugin's
/// JWKS-signed cookies), `sub` must equal `user.id`, `sid` must equal `session.token` and `iss`
/// must be a non-empty string.
pub fn check_session_data(
    json_text: &str,
    now_ms: f64,
    version: Option<&str>,
    bound: bool,
) -> Result<(), Error> {
    check_session_data_as(json_text, now_ms, version, bound, true)
}

/// [`check_session_data`], with `updatedAt` required or not: Better Auth 1.3 writes `compact`
/// cookies as `{session, user}` only (`updatedAt` and `version` came with 1.4, as did the `jwt`
/// and `jwe` strategies), and its readers accept them, so [`read_compact`] does not require it.
/// A present `updatedAt` must still be a number.
fn check_session_data_as(
    json_text: &str,
    now_ms: f64,
    version: Option<&str>,
    bound: bool,
    require_updated_at: bool,
) -> Result<(), Error> {
    let invalid = |what: &'static str| Error::JwtInvalid(what);
    if !json::depth_within(json_text.as_bytes(), MAX_DEPTH) {
        return Err(invalid("session data is nested too deeply"));
    }
    #[derive(Deserialize)]
    struct Data<'a> {
        #[serde(borrow)]
        session: &'a RawValue,
        #[serde(borrow)]
        user: &'a RawValue,
        #[serde(rename = "updatedAt")]
        updated_at: Option<serde_json::Number>,
        version: Option<String>,
        sub: Option<String>,
        sid: Option<String>,
        iss: Option<String>,
    }
    let d: Data<'_> = serde_json::from_slice(json_text.as_bytes())
        .map_err(|_| invalid("session data must have \"session\" and \"user\" objects"))?;
    if require_updated_at && d.updated_at.is_none() {
        return Err(invalid("session data has no numeric \"updatedAt\""));
    }
    let mut token = None;
    let mut expires = None;
    json::read_object(
        d.session.get().as_bytes(),
        |k| k == "token" || k == "expiresAt",
        |k, v| match k {
            "token" => token = Some(v),
            _ => expires = Some(v),
        },
    )
    .ok_or(invalid("session data \"session\" is not an object"))?;
    let mut user_id = None;
    json::read_object(
        d.user.get().as_bytes(),
        |k| k == "id",
        |_, v| user_id = Some(v),
    )
    .ok_or(invalid("session data \"user\" is not an object"))?;
    let token = token
        .as_ref()
        .and_then(Val::as_str)
        .ok_or(invalid("session has no \"token\""))?;
    let user_id = user_id
        .as_ref()
        .and_then(Val::as_str)
        .ok_or(invalid("user has no \"id\""))?;

    if let Some(want) = version {
        if d.version.as_deref().unwrap_or("1") != want {
            return Err(Error::ClaimInvalid {
                claim: "version".into(),
                reason: crate::Reason::CheckFailed,
                message: alloc::format!(
                    "session cookie cache version is not \"{}\"",
                    crate::error::Escaped(want)
                ),
                payload: None, // never the session data: it holds the live session token
            });
        }
    }
    if bound {
        let mismatch = |claim: &str| Error::ClaimInvalid {
            claim: claim.into(),
            reason: crate::Reason::CheckFailed,
            message: alloc::format!("session cookie JWT \"{claim}\" does not match its session"),
            payload: None, // never the session data: it holds the live session token
        };
        if d.iss.as_deref().unwrap_or("").is_empty() {
            return Err(mismatch("iss"));
        }
        if d.sub.as_deref() != Some(user_id) {
            return Err(mismatch("sub"));
        }
        if d.sid.as_deref() != Some(token) {
            return Err(mismatch("sid"));
        }
    }
    if let Some(Val::Str(at)) = &expires {
        if parse_iso_ms(at).is_some_and(|ms| ms < now_ms) {
            return Err(Error::Expired {
                claim: "session.expiresAt",
                message: "the session in the cookie cache has expired",
                payload: None, // never the session data: it holds the live session token
            });
        }
    }
    Ok(())
}

/// Milliseconds since the epoch of `YYYY-MM-DDTHH:MM:SS(.sss)Z`, the format `Date#toJSON`
/// produces. Other forms give `None` (and are, as in Better Auth, not treated as expired).
pub(crate) fn parse_iso_ms(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let num = |r: core::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(part.iter().fold(0i64, |a, d| a * 10 + i64::from(d - b'0')))
    };
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let (y, mo, d, h, mi, sec) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    let ms = match b[19] {
        b'Z' if b.len() == 20 => 0,
        b'.' if b.len() == 24 && b[23] == b'Z' => num(20..23)?,
        _ => return None,
    };
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    // Days from civil (Howard Hinnant's algorithm).
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((((days * 24 + h) * 60 + mi) * 60 + sec) as f64 * 1000.0 + ms as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_parse_like_javascript() {
        // Date.parse values from Node.
        assert_eq!(parse_iso_ms("1970-01-01T00:00:00.000Z"), Some(0.0));
        assert_eq!(
            parse_iso_ms("2026-12-02T05:45:09.364Z"),
            Some(1_796_190_309_364.0)
        );
        assert_eq!(
            parse_iso_ms("2000-02-29T23:59:59Z"),
            Some(951_868_799_000.0)
        );
        assert_eq!(parse_iso_ms("2026-12-02"), None);
        assert_eq!(parse_iso_ms("2026-13-02T05:45:09.364Z"), None);
        assert_eq!(parse_iso_ms("2026-12-02T05:45:09.364+01:00"), None);
    }

    const DATA: &str = r#"{"session":{"id":"s1","token":"tok","expiresAt":"2026-12-02T05:45:09.364Z"},"user":{"id":"u1","email":"a@b.c"},"updatedAt":1764049509364,"version":"1"}"#;

    #[test]
    fn session_data_checks() {
        let now = 1_764_049_509_364.0;
        assert!(check_session_data(DATA, now, None, false).is_ok());
        assert!(check_session_data(DATA, now, Some("1"), false).is_ok());
        let e = check_session_data(DATA, now, Some("2"), false).unwrap_err();
        assert_eq!(
            (e.code(), e.claim()),
            ("ERR_JWT_CLAIM_VALIDATION_FAILED", Some("version"))
        );
        let e = check_session_data(DATA, 1_796_190_309_365.0, None, false).unwrap_err();
        assert_eq!(
            (e.code(), e.claim()),
            ("ERR_JWT_EXPIRED", Some("session.expiresAt"))
        );
        for bad in [
            "{}",
            r#"{"session":{},"user":{"id":"u"},"updatedAt":1}"#,
            r#"{"session":{"token":"t"},"user":{"id":"u"}}"#,
            "[]",
        ] {
            assert_eq!(
                check_session_data(bad, now, None, false)
                    .unwrap_err()
                    .code(),
                "ERR_JWT_INVALID",
                "{bad}"
            );
        }
        let bound = DATA.replace(
            "\"version\":\"1\"",
            "\"version\":\"1\",\"iss\":\"app\",\"sub\":\"u1\",\"sid\":\"tok\"",
        );
        assert!(check_session_data(&bound, now, None, true).is_ok());
        let e = check_session_data(
            &bound.replace("\"sid\":\"tok\"", "\"sid\":\"other\""),
            now,
            None,
            true,
        )
        .unwrap_err();
        assert_eq!(e.claim(), Some("sid"));
        assert_eq!(
            check_session_data(DATA, now, None, true)
                .unwrap_err()
                .claim(),
            Some("iss")
        );
    }

    /// A `compact` cookie written by a real Better Auth server (tests/better-auth/server.mjs,
    /// its `SECRET`), and what Better Auth's JSON.stringify gave for its session data.
    const BA_SECRET: &[u8] = b"edgejwt-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
    const BA_COOKIE: &str = "eyJzZXNzaW9uIjp7InNlc3Npb24iOnsiZXhwaXJlc0F0IjoiMjAyNi0xMi0wOFQyMjoxNjo1NS42NjVaIiwidG9rZW\
        4iOiJDUXhhRVVJdjQ5OTdRWHlqN1B1MTgwVWRSZlI5bElsSyIsImNyZWF0ZWRBdCI6IjIwMjYtMTItMDFUMjI6MTY6\
        NTUuNjY2WiIsInVwZGF0ZWRBdCI6IjIwMjYtMTItMDFUMjI6MTY6NTUuNjY2WiIsImlwQWRkcmVzcyI6IiIsInVzZX\
        JBZ2VudCI6Im5vZGUiLCJ1c2VySWQiOiJETk5WaE00ajhTUDhoYTNvWlZ3YjJZb1hERk94bDlLMyIsImlkIjoiY3ph\
        cGw0YklaVVFzcHBJcEVrYlI3YjB5UnVibXVTZFoifSwidXNlciI6eyJuYW1lIjoiWm_DqyBcIlFcIiDwn5iAIiwiZW\
        1haWwiOiJ6b2VAZXhhbXBsZS5jb20iLCJlbWFpbFZlcmlmaWVkIjpmYWxzZSwiY3JlYXRlZEF0IjoiMjAyNi0xMi0w\
        MVQyMjoxNjo1NC40ODFaIiwidXBkYXRlZEF0IjoiMjAyNi0xMi0wMVQyMjoxNjo1NC40ODFaIiwiaWQiOiJETk5WaE\
        00ajhTUDhoYTNvWlZ3YjJZb1hERk94bDlLMyJ9LCJ1cGRhdGVkQXQiOjE3OTYxNjM0MTU2ODUsInZlcnNpb24iOiIx\
        In0sImV4cGlyZXNBdCI6MTc5NjE2MzcxNTY4NSwic2lnbmF0dXJlIjoiZGl3ZnJwemlPMmVTcnFjVGVwRy13NTRpZl\
        Z0Mk1rMTVnSXdoeEdtdTBMVSJ9";
    const BA_EXPIRES_AT: f64 = 1796163715685.0;
    const BA_SESSION: &str = "{\"session\":{\"expiresAt\":\"2026-12-08T22:16:55.665Z\",\"token\":\"CQxaEUIv4997QXyj7Pu180UdRfR9lIlK\",\"createdAt\":\"2026-12-01T22:16:55.666Z\",\"updatedAt\":\"2026-12-01T22:16:55.666Z\",\"ipAddress\":\"\",\"userAgent\":\"node\",\"userId\":\"DNNVhM4j8SP8ha3oZVwb2YoXDFOxl9K3\",\"id\":\"czapl4bIZUQsppIpEkbR7b0yRubmuSdZ\"},\"user\":{\"name\":\"Zoë \\\"Q\\\" 😀\",\"email\":\"zoe@example.com\",\"emailVerified\":false,\"createdAt\":\"2026-12-01T22:16:54.481Z\",\"updatedAt\":\"2026-12-01T22:16:54.481Z\",\"id\":\"DNNVhM4j8SP8ha3oZVwb2YoXDFOxl9K3\"},\"updatedAt\":1796163415685,\"version\":\"1\"}";

    /// The cookie with one edit to its decoded JSON text, re-encoded (signature kept).
    fn edited(from: &str, to: &str) -> String {
        let text = String::from_utf8(base64url::decode(BA_COOKIE.as_bytes()).unwrap()).unwrap();
        assert!(text.contains(from), "{from}");
        base64url::encode(text.replacen(from, to, 1).as_bytes())
    }

    /// A `compact` cookie for `data` (JSON text already in `JSON.stringify`'s form) expiring at
    /// `expires_at` (whole milliseconds), built by hand: the MAC covers `{...data, expiresAt}`.
    fn compact(data: &str, expires_at: f64, secret: &[u8]) -> String {
        let expires_at = expires_at as i64;
        let signed = alloc::format!("{},\"expiresAt\":{expires_at}}}", &data[..data.len() - 1]);
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(signed.as_bytes());
        let signature = base64url::encode(&mac.finalize().into_bytes());
        let cookie = alloc::format!(
            "{{\"session\":{data},\"expiresAt\":{expires_at},\"signature\":\"{signature}\"}}"
        );
        base64url::encode(cookie.as_bytes())
    }

    /// Better Auth 1.3 writes compact cookies as `{session, user}`: no `updatedAt`, no `version`
    /// (tests/better-auth/releases/ reads real ones). They are read; other strategies' session
    /// data (Better Auth 1.4 and later only) still needs `updatedAt`.
    #[test]
    fn compact_cookies_of_better_auth_1_3_have_no_updated_at() {
        let now = 1_764_049_509_364.0;
        let data = r#"{"session":{"id":"s1","token":"tok","expiresAt":"2026-12-02T05:45:09.364Z"},"user":{"id":"u1","email":"a@b.c"}}"#;
        let cookie = compact(data, now + 300_000.0, b"secret");
        assert_eq!(read_compact(&cookie, b"secret", now, None).unwrap(), data);
        assert!(read_compact(&cookie, b"secret", now, Some("1")).is_ok());
        let e = read_compact(&cookie, b"secret", now, Some("2")).unwrap_err();
        assert_eq!(e.claim(), Some("version"));
        let e = read_compact(&cookie, b"secret", now + 300_001.0, None).unwrap_err();
        assert_eq!(
            (e.code(), e.claim()),
            ("ERR_JWT_EXPIRED", Some("expiresAt"))
        );
        // A present updatedAt must be a number.
        let bad = data.replace("}}", "},\"updatedAt\":\"x\"}");
        let e = read_compact(
            &compact(&bad, now + 300_000.0, b"secret"),
            b"secret",
            now,
            None,
        );
        assert_eq!(e.unwrap_err().code(), "ERR_JWT_INVALID");
        assert_eq!(
            check_session_data(data, now, None, false)
                .unwrap_err()
                .code(),
            "ERR_JWT_INVALID"
        );
    }

    #[test]
    fn an_empty_secret_is_refused_for_every_strategy() {
        let now = 1_764_049_509_364.0;
        let signed_with_empty = compact(DATA, now + 300_000.0, b"");
        let e = read_compact(&signed_with_empty, b"", now, None).unwrap_err();
        assert_eq!(e.code(), "ERR_JWK_INVALID");
        assert!(alloc::format!("{e}").contains("empty"), "{e}");
        let e = read_jwe("a.b.c.d.e", b"", 0, None).unwrap_err();
        assert_eq!(e.code(), "ERR_JWK_INVALID");
    }

    #[test]
    fn cookie_errors_never_carry_the_session_data() {
        let now = 1_764_049_509_364.0;
        let cookie = compact(DATA, now + 300_000.0, b"secret");
        let expired = read_compact(&cookie, b"secret", now + 300_001.0, None).unwrap_err();
        let version = read_compact(&cookie, b"secret", now, Some("2")).unwrap_err();
        let session_expired = read_compact(
            &compact(DATA, 1_796_190_309_365.0 + 1000.0, b"secret"),
            b"secret",
            1_796_190_309_365.0,
            None,
        )
        .unwrap_err();
        let bound = check_session_data(DATA, now, None, true).unwrap_err();
        for e in [expired, version, session_expired, bound] {
            assert!(e.claim().is_some(), "{e:?}");
            assert_eq!(e.payload(), None, "{e:?}");
            assert!(!alloc::format!("{e:?} {e}").contains("tok"), "{e:?}");
        }
    }

    #[test]
    fn compact_cookies_verify_expire_and_refuse_tampering() {
        let now = BA_EXPIRES_AT - 1.0;
        assert_eq!(
            read_compact(BA_COOKIE, BA_SECRET, now, None).unwrap(),
            BA_SESSION
        );
        // Each case changes one thing.
        let e = read_compact(BA_COOKIE, b"another-secret", now, None).unwrap_err();
        assert_eq!(e.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
        let e = read_compact(BA_COOKIE, BA_SECRET, BA_EXPIRES_AT + 1.0, None).unwrap_err();
        assert_eq!(
            (e.code(), e.claim()),
            ("ERR_JWT_EXPIRED", Some("expiresAt"))
        );
        assert!(read_compact(BA_COOKIE, BA_SECRET, BA_EXPIRES_AT, None).is_ok());
        let email = edited("zoe@example.com", "eve@example.com");
        let e = read_compact(&email, BA_SECRET, now, None).unwrap_err();
        assert_eq!(e.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
        let expiry = edited(
            &alloc::format!("\"expiresAt\":{}", BA_EXPIRES_AT as u64),
            &alloc::format!("\"expiresAt\":{}", BA_EXPIRES_AT as u64 + 60_000),
        );
        let e = read_compact(&expiry, BA_SECRET, now, None).unwrap_err();
        assert_eq!(e.code(), "ERR_JWS_SIGNATURE_VERIFICATION_FAILED");
        // An empty secret is refused (Better Auth never has one).
        assert_eq!(
            read_compact(BA_COOKIE, b"", now, None).unwrap_err().code(),
            "ERR_JWK_INVALID"
        );
        for bad in ["", "!!!", "e30", &base64url::encode(b"[1]")] {
            assert_eq!(
                read_compact(bad, b"secret", now, None).unwrap_err().code(),
                "ERR_JWT_INVALID"
            );
        }
    }
}

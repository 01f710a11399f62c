//! Better Auth's `jwe` cookie-cache strategy: compact JWE, `alg: "dir"`, `enc: "A256CBC-HS512"`
//! (RFC 7518 §5.2.5), the 64-byte key derived from the secret with HKDF-SHA-256
//! (salt `better-auth-session`, info `BetterAuth.js Generated Encryption Key`), `kid` the RFC 7638
//! thumbprint of that key. The MAC is checked (constant time) before anything is decrypted.

use crate::json::{self, Val};
use crate::{base64url, Error};
use aes::cipher::{BlockDecryptMut, KeyIvInit};
use alloc::string::String;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256, Sha512};

const SALT: &[u8] = b"better-auth-session";
const INFO: &[u8] = b"BetterAuth.js Generated Encryption Key";
/// Better Auth decrypts with 15 seconds of clock tolerance.
const CLOCK_TOLERANCE: f64 = 15.0;

fn invalid(m: &'static str) -> Error {
    Error::JweInvalid(m)
}

/// Better Auth's cookie key: HKDF-SHA-256 of the secret with its salt and info, 64 bytes.
pub(crate) fn derive_key(secret: &[u8]) -> [u8; 64] {
    let mut okm = [0u8; 64];
    hkdf_sha256(SALT, secret, INFO, &mut okm);
    okm
}

/// HKDF-SHA-256 (RFC 5869): extract with `salt`, then expand with `info` into `okm`
/// (at most 255 blocks of 32 bytes; this module asks for two).
fn hkdf_sha256(salt: &[u8], ikm: &[u8], info: &[u8], okm: &mut [u8]) {
    let mut extract = Hmac::<Sha256>::new_from_slice(salt).expect("HMAC takes any key length");
    extract.update(ikm);
    let prk = extract.finalize().into_bytes();
    let mut previous: &[u8] = &[];
    let mut block = [0u8; 32];
    for (i, chunk) in okm.chunks_mut(32).enumerate() {
        let mut expand = Hmac::<Sha256>::new_from_slice(&prk).expect("HMAC takes any key length");
        expand.update(previous);
        expand.update(info);
        expand.update(&[i as u8 + 1]);
        block.copy_from_slice(&expand.finalize().into_bytes());
        chunk.copy_from_slice(&block[..chunk.len()]);
        previous = &block;
    }
}

/// RFC 7638 thumbprint (SHA-256, base64url) of `{"kty":"oct","k":…}`.
pub(crate) fn thumbprint(key: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"{\"k\":\"");
    h.update(base64url::encode(key).as_bytes());
    h.update(b"\",\"kty\":\"oct\"}");
    base64url::encode(&h.finalize())
}

/// Decrypts a `jwe` session cookie with `secret`, checks `exp` (15 s tolerance, as Better Auth)
/// at `now_secs` and the session data (see [`super::check_session_data`]). Returns the decrypted
/// claims' JSON text (session data plus `iat`, `exp`, `jti`).
pub fn read_jwe(
    value: &str,
    secret: &[u8],
    now_secs: i64,
    version: Option<&str>,
) -> Result<String, Error> {
    super::reject_oversized(value)?;
    super::empty_secret(secret)?;
    let mut parts = value.split('.');
    let (Some(h), Some(ek), Some(iv), Some(ct), Some(tag), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(invalid("Invalid Compact JWE"));
    };
    let header =
        base64url::decode(h.as_bytes()).ok_or(invalid("JWE Protected Header is invalid"))?;
    let (mut alg, mut enc, mut kid) = (None, None, None);
    let names = json::read_object(
        &header,
        |k| matches!(k, "alg" | "enc" | "kid"),
        |k, v| match k {
            "alg" => alg = Some(v),
            "enc" => enc = Some(v),
            _ => kid = Some(v),
        },
    )
    .ok_or(invalid("JWE Protected Header is invalid"))?;
    if names.has_duplicates() || names.contains("crit") || names.contains("zip") {
        return Err(Error::NotSupported(
            "JWE header with duplicate members, \"crit\" or \"zip\" is not supported".into(),
        ));
    }
    if alg.as_ref().and_then(Val::as_str) != Some("dir") {
        return Err(Error::NotSupported(
            "session cookie JWE must use \"alg\": \"dir\"".into(),
        ));
    }
    if enc.as_ref().and_then(Val::as_str) != Some("A256CBC-HS512") {
        return Err(Error::NotSupported(
            "session cookie JWE must use \"enc\": \"A256CBC-HS512\" (what Better Auth writes)"
                .into(),
        ));
    }
    if !ek.is_empty() {
        return Err(invalid("JWE Encrypted Key must be empty with \"dir\""));
    }
    let key = derive_key(secret);
    if let Some(kid) = &kid {
        if kid.as_str() != Some(thumbprint(&key).as_str()) {
            return Err(Error::JweDecryptionFailed(
                "the cookie was encrypted with another secret (its kid does not match this secret's key)",
            ));
        }
    }
    let iv =
        base64url::decode(iv.as_bytes()).ok_or(invalid("JWE Initialization Vector is invalid"))?;
    let mut ct = base64url::decode(ct.as_bytes()).ok_or(invalid("JWE Ciphertext is invalid"))?;
    let tag =
        base64url::decode(tag.as_bytes()).ok_or(invalid("JWE Authentication Tag is invalid"))?;
    if iv.len() != 16 || tag.len() != 32 || ct.is_empty() || ct.len() % 16 != 0 {
        return Err(Error::JweDecryptionFailed("decryption operation failed"));
    }
    // RFC 7518 §5.2.2.2: T = HMAC-SHA-512(MAC_KEY, AAD || IV || C || AL)[..32].
    let mut mac = Hmac::<Sha512>::new_from_slice(&key[..32]).expect("HMAC takes any key length");
    mac.update(h.as_bytes());
    mac.update(&iv);
    mac.update(&ct);
    mac.update(&((h.len() as u64) * 8).to_be_bytes());
    mac.verify_truncated_left(&tag)
        .map_err(|_| Error::JweDecryptionFailed("decryption operation failed"))?;
    let plain = cbc::Decryptor::<aes::Aes256>::new_from_slices(&key[32..], &iv)
        .map_err(|_| Error::JweDecryptionFailed("decryption operation failed"))?
        .decrypt_padded_mut::<aes::cipher::block_padding::Pkcs7>(&mut ct)
        .map_err(|_| Error::JweDecryptionFailed("decryption operation failed"))?;
    let text = core::str::from_utf8(plain)
        .map_err(|_| Error::JwtInvalid("JWT Claims Set must be a top-level JSON object"))?;
    let mut exp = None;
    json::read_object(text.as_bytes(), |k| k == "exp", |_, v| exp = Some(v)).ok_or(
        Error::JwtInvalid("JWT Claims Set must be a top-level JSON object"),
    )?;
    match exp {
        Some(Val::Num(exp)) if exp <= now_secs as f64 - CLOCK_TOLERANCE => {
            return Err(Error::Expired {
                claim: "exp",
                message: "\"exp\" claim timestamp check failed",
                payload: None,
            })
        }
        Some(Val::Num(_)) | None => {}
        Some(_) => {
            return Err(Error::ClaimInvalid {
                claim: "exp".into(),
                reason: crate::Reason::Invalid,
                message: "\"exp\" claim must be a number".into(),
                payload: None,
            })
        }
    }
    super::check_session_data(text, now_secs as f64 * 1000.0, version, false)?;
    Ok(text.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
    }

    #[test]
    fn hkdf_matches_rfc5869_test_vectors() {
        // RFC 5869 A.1: basic test case with SHA-256.
        let salt: alloc::vec::Vec<u8> = (0x00..=0x0c).collect();
        let info: alloc::vec::Vec<u8> = (0xf0..=0xf9).collect();
        let mut okm = [0u8; 42];
        hkdf_sha256(&salt, &[0x0b; 22], &info, &mut okm);
        assert_eq!(
            hex(&okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
        // RFC 5869 A.3: zero-length salt and info.
        hkdf_sha256(&[], &[0x0b; 22], &[], &mut okm);
        assert_eq!(
            hex(&okm),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"
        );
    }

    /// Better Auth's key and its RFC 7638 thumbprint for the test server's secret, computed
    /// with Node's `crypto.hkdfSync` and jose's `calculateJwkThumbprint`.
    #[test]
    fn cookie_key_and_thumbprint_are_better_auth_s() {
        let key = derive_key(b"edgejwt-test-secret-0123456789abcdefghijklmnopqrstuvwxyz");
        assert_eq!(
            hex(&key),
            "68dec9b7af038d17cc3f376606018e5d1367e29d2a61899b48a0c86ec344c78b\
             6488c40757a18538332a4fa364057e925708abea2a84b89048948cce6bc7407e"
        );
        assert_eq!(
            thumbprint(&key),
            "bWqs_hSzMhnryg-wTeOGELkrKI6kJifvfg3I7XTWDz4"
        );
    }

    #[test]
    fn malformed_jwes_are_coded() {
        for (bad, code) in [
            ("a.b.c", "ERR_JWE_INVALID"),
            ("e30....", "ERR_JOSE_NOT_SUPPORTED"),
            (
                "eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0....",
                "ERR_JOSE_NOT_SUPPORTED",
            ),
        ] {
            assert_eq!(
                read_jwe(bad, b"s", 0, None).unwrap_err().code(),
                code,
                "{bad}"
            );
        }
    }
}

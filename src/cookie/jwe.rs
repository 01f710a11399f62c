//! Better Auth's `jwe` cookie-cache strategy: compact JWE, `alg: "dir"`, `enc: "A256CBC-HS512"`
//! (RFC 7518 §5.2.5), the 64-byte key derived from the secret with HKDF-SHA-256
//! (salt `better-auth-session`, info `BetterAuth.js Generated Encryption Key`), `kid` the RFC 7638
//! thumbprint of that key. The MAC is checked (constant time) before anything is decrypted.

use crate::json::{self, Val};
use crate::{base64url, Error};
use aes::cipher::{BlockDecryptMut, KeyIvInit};
use alloc::string::String;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256, Sha512};

const SALT: &[u8] = b"better-auth-session";
const INFO: &[u8] = b"BetterAuth.js Generated Encryption Key";
/// Better Auth decrypts with 15 seconds of clock tolerance.
const CLOCK_TOLERANCE: f64 = 15.0;

fn invalid(m: &'static str) -> Error {
    Error::JweInvalid(m)
}

/// HKDF-SHA-256 (RFC 5869) with a 64-byte output: two expand blocks.
pub(crate) fn derive_key(secret: &[u8]) -> [u8; 64] {
    let mut extract = Hmac::<Sha256>::new_from_slice(SALT).expect("HMAC takes any key length");
    extract.update(secret);
    let prk = extract.finalize().into_bytes();
    let mut okm = [0u8; 64];
    let mut previous: &[u8] = &[];
    let mut block = [0u8; 32];
    for (i, chunk) in okm.chunks_mut(32).enumerate() {
        let mut expand = Hmac::<Sha256>::new_from_slice(&prk).expect("HMAC takes any key length");
        expand.update(previous);
        expand.update(INFO);
        expand.update(&[i as u8 + 1]);
        block.copy_from_slice(&expand.finalize().into_bytes());
        chunk.copy_from_slice(&block);
        previous = &block;
    }
    okm
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
    super::too_long(value)?;
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
    let mut names = json::read_object(
        &header,
        |k| matches!(k, "alg" | "enc" | "kid"),
        |k, v| match k {
            "alg" => alg = Some(v),
            "enc" => enc = Some(v),
            _ => kid = Some(v),
        },
    )
    .ok_or(invalid("JWE Protected Header is invalid"))?;
    if !names.finish() || names.contains("crit") || names.contains("zip") {
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

    #[test]
    fn hkdf_matches_rfc5869_shape_and_thumbprint_is_stable() {
        // The derivation is deterministic and depends on the secret.
        assert_eq!(derive_key(b"a"), derive_key(b"a"));
        assert_ne!(derive_key(b"a"), derive_key(b"b"));
        assert_eq!(thumbprint(&derive_key(b"a")).len(), 43);
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

//! A JSON Web Key Set, prepared once, and jose's `createLocalJWKSet` selection rules.

use crate::jwk::{Jwk, KeyInfo};
use crate::{json, Algorithm, Error};
use alloc::string::String;
use alloc::vec::Vec;
use serde_json::Value;

/// Largest JWKS text accepted, in bytes.
pub const MAX_JWKS_LENGTH: usize = 1024 * 1024;
/// Most keys a JWKS may hold.
pub const MAX_KEYS: usize = 256;
/// Deepest JSON nesting accepted in a JWKS.
pub const MAX_JWKS_DEPTH: usize = 16;

/// A set of prepared keys. Building it parses and validates every key once; selecting a key for
/// a token is a scan over the prepared metadata.
///
/// ```
/// let jwks = edgejwt::Jwks::from_json(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k1",
///     "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap();
/// assert_eq!(jwks.key_info()[0].kid.as_deref(), Some("k1"));
/// assert!(jwks.key_info()[0].usable);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Jwks {
    keys: Vec<Jwk>,
}

fn invalid() -> Error {
    Error::JwksInvalid("JSON Web Key Set malformed")
}

impl Jwks {
    /// Parses a JWKS JSON text: an object with a `keys` array of objects.
    pub fn from_json(text: &str) -> Result<Jwks, Error> {
        Jwks::parse(text, false)
    }

    /// Like [`Jwks::from_json`], for a set fetched from a URL (a published, public set): its
    /// `oct` keys are never used (kept as unusable entries whose [`KeyInfo::reason`] says
    /// why), since anyone who can read the set could sign HS256 tokens with them.
    pub fn from_remote_json(text: &str) -> Result<Jwks, Error> {
        Jwks::parse(text, true)
    }

    fn parse(text: &str, remote: bool) -> Result<Jwks, Error> {
        if text.len() > MAX_JWKS_LENGTH {
            return Err(Error::JwksInvalid(
                "JSON Web Key Set exceeds the maximum length (1 MiB)",
            ));
        }
        if !json::depth_within(text.as_bytes(), MAX_JWKS_DEPTH) {
            return Err(Error::JwksInvalid("JSON Web Key Set is nested too deeply"));
        }
        let value: Value = serde_json::from_str(text).map_err(|_| invalid())?;
        Jwks::build(&value, remote)
    }

    /// Builds from an already-parsed JWKS value.
    pub fn from_value(value: &Value) -> Result<Jwks, Error> {
        Jwks::build(value, false)
    }

    fn build(value: &Value, remote: bool) -> Result<Jwks, Error> {
        let keys = value
            .as_object()
            .and_then(|o| o.get("keys"))
            .and_then(Value::as_array)
            .ok_or_else(invalid)?;
        if keys.len() > MAX_KEYS {
            return Err(Error::JwksInvalid(
                "JSON Web Key Set holds more than 256 keys",
            ));
        }
        let keys = keys
            .iter()
            .map(|k| {
                k.as_object()
                    .map(|o| Jwk::from_object(o, remote))
                    .ok_or_else(invalid)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Jwks { keys })
    }

    /// Adds a shared secret for HS256/384/512 (an `oct` key without `kid`/`alg`), the explicit
    /// opt-in to HMAC verification.
    #[cfg(feature = "hmac")]
    pub fn add_secret(&mut self, secret: &[u8]) -> Result<(), Error> {
        let mut obj = serde_json::Map::new();
        obj.insert("kty".into(), "oct".into());
        obj.insert("k".into(), crate::base64url::encode(secret).into());
        let jwk = Jwk::from_object(&obj, false);
        if let crate::jwk::Material::Unusable(reason) = jwk.material {
            return Err(Error::JwkInvalid { kid: None, reason });
        }
        self.keys.push(jwk);
        Ok(())
    }

    /// Number of keys (usable or not).
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether the set holds no key.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// A description of every key, with why it is unusable when it is.
    pub fn key_info(&self) -> Vec<KeyInfo> {
        self.keys.iter().map(Jwk::info).collect()
    }

    /// The one key that may verify a token with `alg` and header `kid`.
    pub(crate) fn select(&self, alg: Algorithm, kid: Option<Option<&str>>) -> Result<&Jwk, Error> {
        let mut found = None;
        for key in &self.keys {
            if key.matches(alg, kid) {
                if found.is_some() {
                    return Err(Error::MultipleMatchingKeys);
                }
                found = Some(key);
            }
        }
        found.ok_or_else(|| Error::NoMatchingKey {
            kid: kid.flatten().map(String::from),
            alg: alg.name(),
            available: self
                .keys
                .iter()
                .filter_map(|k| match &k.kid {
                    crate::jwk::Member::Str(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
        })
    }
}

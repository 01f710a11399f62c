//! A JSON Web Key Set, prepared once, and jose's `createLocalJWKSet` selection rules.

use crate::json::Member;
use crate::jwk::{Jwk, KeyInfo, Object};
use crate::{json, Algorithm, Error};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

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
        let keys = keys_member(text).ok_or_else(invalid)?;
        if keys.len() > MAX_KEYS {
            return Err(Error::JwksInvalid(
                "JSON Web Key Set holds more than 256 keys",
            ));
        }
        let keys = keys
            .iter()
            .map(|k| {
                Object::parse(k.get().as_bytes())
                    .map(|o| Jwk::from_object(&o, remote))
                    .ok_or_else(invalid)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Jwks { keys })
    }

    /// Builds from an already-parsed JWKS value (the same rules as [`Jwks::from_json`]).
    pub fn from_value(value: &serde_json::Value) -> Result<Jwks, Error> {
        Jwks::parse(&value.to_string(), false)
    }

    /// Adds a shared secret for HS256/384/512 (an `oct` key without `kid`/`alg`), the explicit
    /// opt-in to HMAC verification.
    #[cfg(feature = "hmac")]
    pub fn add_secret(&mut self, secret: &[u8]) -> Result<(), Error> {
        // base64url needs no JSON escaping.
        let json = alloc::format!(
            r#"{{"kty":"oct","k":"{}"}}"#,
            crate::base64url::encode(secret)
        );
        let obj = Object::parse(json.as_bytes()).ok_or_else(invalid)?;
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

    /// What is wrong with each key of the set, in order (an empty list: nothing): the checks the
    /// CLIs' `jwks` and `doctor` commands and the debugging page print.
    pub fn key_problems(&self) -> Vec<Vec<KeyProblem>> {
        let info = self.key_info();
        let several = info.len() > 1;
        info.iter()
            .map(|k| {
                let mut out = Vec::new();
                if let Some(reason) = &k.reason {
                    let use_not_sig = reason.as_str() == Refusal::UseNotSig.message();
                    out.push(KeyProblem {
                        id: if use_not_sig {
                            "use-not-sig"
                        } else {
                            "unusable"
                        },
                        message: reason.clone(),
                    });
                }
                match &k.kid {
                    None if several => out.push(KeyProblem {
                        id: "no-kid",
                        message: String::from(
                            "no kid: tokens cannot pick this key when the set holds several",
                        ),
                    }),
                    Some(kid)
                        if info.iter().filter(|o| o.kid.as_ref() == Some(kid)).count() > 1 =>
                    {
                        out.push(KeyProblem {
                            id: "duplicate-kid",
                            message: alloc::format!(
                                "duplicate kid \"{}\": a token naming it matches several keys",
                                crate::error::Escaped(kid)
                            ),
                        })
                    }
                    _ => {}
                }
                out
            })
            .collect()
    }

    /// The one key that may verify a token with `alg` and header `kid`.
    pub(crate) fn select(&self, alg: Algorithm, kid: Member<&str>) -> Result<&Jwk, Error> {
        let mut found = None;
        let mut closest = None;
        for key in &self.keys {
            match key.refusal(alg, kid) {
                None if found.is_some() => return Err(Error::MultipleMatchingKeys),
                None => found = Some(key),
                Some(refusal) => closest = closest.max(Some(refusal)),
            }
        }
        found.ok_or_else(|| Error::NoMatchingKey {
            kid: kid.as_str().map(String::from),
            alg: alg.name(),
            available: self
                .keys
                .iter()
                .filter_map(|k| k.kid.as_str().map(String::from))
                .collect(),
            closest,
        })
    }

    /// For each key, whether it may verify a token with `alg` and header `kid`, and why not:
    /// the selection rules of [`Verifier::verify`](crate::Verifier::verify), reported rather
    /// than applied.
    pub fn selection_report(&self, alg: Algorithm, kid: Option<&str>) -> SelectionReport {
        self.report(alg, kid.map_or(Member::Absent, Member::Str))
    }

    pub(crate) fn report(&self, alg: Algorithm, kid: Member<&str>) -> SelectionReport {
        let keys: Vec<KeyVerdict> = self
            .keys
            .iter()
            .map(|key| match key.refusal(alg, kid) {
                Some(refusal) => KeyVerdict::Refused(refusal),
                None => match key.info().reason {
                    Some(reason) => KeyVerdict::FitsButUnusable(reason),
                    None => KeyVerdict::Fits,
                },
            })
            .collect();
        let mut fitting = keys.iter().enumerate().filter(|(_, v)| v.fits());
        let selected = match (fitting.next(), fitting.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        };
        SelectionReport { keys, selected }
    }
}

/// The `keys` member of a JWKS object, each key still JSON text (the last `keys` wins, as with
/// `JSON.parse`); `None` when the text is not an object with a `keys` array.
fn keys_member(text: &str) -> Option<Vec<&RawValue>> {
    struct Set;
    impl<'de> Visitor<'de> for Set {
        type Value = Option<&'de RawValue>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON Web Key Set")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut keys = None;
            while let Some(name) = map.next_key::<json::Str<'de>>()? {
                if name.0 == "keys" {
                    keys = Some(map.next_value()?);
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(keys)
        }
    }
    let mut de = serde_json::Deserializer::from_slice(text.as_bytes());
    let keys = de.deserialize_map(Set).ok()?;
    de.end().ok()?;
    serde_json::from_slice(keys?.get().as_bytes()).ok()
}

/// Why a key of the set may not verify a token, in the order the rules are checked (so the
/// largest refusal over a set is the key that came closest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Refusal {
    /// The token names another `kid` (or a `kid` that is not a string).
    KidDiffers,
    /// The key's `kty` (or `crv`) is not the one the token's `alg` needs.
    KeyTypeDiffers,
    /// The key's `alg` member names another algorithm.
    AlgDiffers,
    /// The key's `use` is not `sig`.
    UseNotSig,
    /// The key's `key_ops` does not allow `verify` (or its `ext` is not a boolean).
    KeyOpsLackVerify,
}

impl Refusal {
    /// Every refusal, in the order the rules are checked.
    pub const ALL: [Refusal; 5] = [
        Refusal::KidDiffers,
        Refusal::KeyTypeDiffers,
        Refusal::AlgDiffers,
        Refusal::UseNotSig,
        Refusal::KeyOpsLackVerify,
    ];

    /// A stable identifier: `kid_differs`, `kty_differs`, `alg_differs`, `use_not_sig`,
    /// `key_ops_lack_verify`.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::KidDiffers => "kid_differs",
            Refusal::KeyTypeDiffers => "kty_differs",
            Refusal::AlgDiffers => "alg_differs",
            Refusal::UseNotSig => "use_not_sig",
            Refusal::KeyOpsLackVerify => "key_ops_lack_verify",
        }
    }

    /// The rule in words.
    pub fn message(self) -> &'static str {
        match self {
            Refusal::KidDiffers => "its \"kid\" is not the token's",
            Refusal::KeyTypeDiffers => "its \"kty\"/\"crv\" do not fit the token's alg",
            Refusal::AlgDiffers => "its \"alg\" is not the token's",
            Refusal::UseNotSig => "\"use\" is not \"sig\"",
            Refusal::KeyOpsLackVerify => {
                "\"key_ops\" does not allow \"verify\" (or \"ext\" is not a boolean)"
            }
        }
    }
}

/// How one key of the set fares for a token (see [`SelectionReport`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyVerdict {
    /// The key passes every selection rule and can verify.
    Fits,
    /// The key passes every selection rule but is malformed or unusable: a token that selects
    /// it fails with `ERR_JWK_INVALID` (or `ERR_JWKS_INVALID` for a private key).
    FitsButUnusable(String),
    /// The key fails a selection rule.
    Refused(Refusal),
}

impl KeyVerdict {
    /// Whether the key passes the selection rules (usable or not).
    pub fn fits(&self) -> bool {
        matches!(self, KeyVerdict::Fits | KeyVerdict::FitsButUnusable(_))
    }
}

/// One problem of one key ([`Jwks::key_problems`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyProblem {
    /// A stable identifier: `unusable`, `no-kid`, `duplicate-kid` or `use-not-sig`.
    pub id: &'static str,
    /// What is wrong, for people.
    pub message: String,
}

/// Which key a token selects, and why each other key of the set was passed over: the
/// selection rules of [`Verifier::verify`](crate::Verifier::verify), for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionReport {
    /// One verdict per key of the set, in order.
    pub keys: Vec<KeyVerdict>,
    /// The selected key's index: `None` when no key fits, or when several do (then the
    /// token fails with `ERR_JWKS_MULTIPLE_MATCHING_KEYS`).
    pub selected: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = r#"{"kty":"OKP","crv":"Ed25519","kid":"k1","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

    #[test]
    fn the_last_keys_member_counts_as_with_json_parse() {
        let set = Jwks::from_json(&alloc::format!(r#"{{"keys":1,"keys":[{KEY}]}}"#)).unwrap();
        assert_eq!(set.key_info()[0].kid.as_deref(), Some("k1"));
        let set = Jwks::from_json(&alloc::format!(r#"{{"keys":[{KEY}],"keys":[]}}"#)).unwrap();
        assert!(set.is_empty());
    }

    #[test]
    fn a_set_that_is_not_an_object_with_a_keys_array_of_objects_is_refused() {
        for bad in [
            r#"{"keys":1}"#,
            r#"{"keys":[1]}"#,
            r#"{"keys":[{"kty":"OKP"},"k"]}"#,
            "{}",
            "[]",
            r#"{"keys":[]} x"#,
            r#"{"keys":[{"kty":"OKP"}"#,
        ] {
            assert!(
                matches!(Jwks::from_json(bad), Err(Error::JwksInvalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn key_problems_have_stable_ids() {
        let set = Jwks::from_json(&alloc::format!(
            r#"{{"keys":[{KEY},{KEY},{{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","use":"enc"}},{{"kty":"RSA","kid":"small","n":"AQAB","e":"AQAB"}}]}}"#
        ))
        .unwrap();
        let ids: Vec<Vec<&str>> = set
            .key_problems()
            .iter()
            .map(|p| p.iter().map(|p| p.id).collect())
            .collect();
        assert_eq!(
            ids,
            [
                alloc::vec!["duplicate-kid"],
                alloc::vec!["duplicate-kid"],
                alloc::vec!["use-not-sig", "no-kid"],
                alloc::vec!["unusable"],
            ]
        );
        // One key without a kid is fine.
        let one = Jwks::from_json(r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#).unwrap();
        assert_eq!(one.key_problems(), [alloc::vec![]]);
    }
}

//! One JWK → a prepared key plus the metadata jose's selection rules look at.
//!
//! Malformed keys of a supported kind do not fail the whole JWKS: they are kept as *unusable*
//! entries with a reason, take part in key selection exactly as jose's `createLocalJWKSet` would
//! (which imports a key only once it is selected), and a token that selects one fails with
//! `ERR_JWK_INVALID` naming the key and the reason. [`KeyInfo`] lists them for diagnostics.

use crate::json::{Member, Val};
use crate::jwks::Refusal;
use crate::{base64url, Algorithm};
use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The prepared public key (or secret) of one JWK.
#[derive(Clone, Debug)]
#[allow(clippy::large_enum_variant)] // a few hundred bytes per key, kept inline for locality
pub(crate) enum Material {
    #[cfg(feature = "eddsa")]
    Ed25519(crate::alg::eddsa::PublicKey),
    #[cfg(feature = "_ecdsa")]
    Ec(crate::alg::ecdsa::PublicKey),
    #[cfg(feature = "rsa")]
    Rsa(crate::alg::rsa::PublicKey),
    #[cfg(feature = "hmac")]
    Oct(crate::alg::hmac::SecretKey),
    /// A key of a supported kind that cannot be used; the reason says why.
    Unusable(&'static str),
    /// A private key where only public keys belong.
    Private,
}

/// The members of a JWK that selection and key preparation read.
const READ: [&str; 12] = [
    "kty", "kid", "alg", "crv", "use", "key_ops", "ext", "x", "y", "n", "e", "k",
];

/// One JWK object, reduced to the members in [`READ`] (the last of duplicate members wins, as
/// with `JSON.parse`) and whether it has the private member `d`. Other members are skipped
/// without being materialised.
pub(crate) struct Object<'a> {
    values: [Option<Val<'a>>; READ.len()],
    has_d: bool,
}

impl<'a> Object<'a> {
    /// `None` when `json` is not one well-formed JSON object.
    pub(crate) fn parse(json: &'a [u8]) -> Option<Object<'a>> {
        let mut values: [Option<Val<'a>>; READ.len()] = Default::default();
        let names = crate::json::read_object(
            json,
            |name| READ.contains(&name),
            |name, value| {
                if let Some(i) = READ.iter().position(|r| *r == name) {
                    values[i] = Some(value);
                }
            },
        )?;
        Some(Object {
            values,
            has_d: names.contains("d"),
        })
    }

    fn get(&self, name: &str) -> Option<&Val<'a>> {
        let i = READ.iter().position(|r| *r == name)?;
        self.values[i].as_ref()
    }

    fn member(&self, name: &str) -> Member<String> {
        match self.get(name) {
            None => Member::Absent,
            Some(Val::Str(s)) => Member::Str(s.to_string()),
            Some(_) => Member::NotString,
        }
    }
}

/// One key of a JWKS, prepared.
#[derive(Clone, Debug)]
pub(crate) struct Jwk {
    pub kty: Member<String>,
    pub kid: Member<String>,
    pub alg: Member<String>,
    pub crv: Member<String>,
    pub use_: Member<String>,
    /// `key_ops` absent, or an array of unique strings containing `verify`; and `ext` absent or
    /// boolean (jose's `isUsableJWK` conditions on those members).
    pub ops_ok: bool,
    pub material: Material,
}

/// Public description of one JWKS key, for diagnostics (`edgejwt jwks`, the debugging page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyInfo {
    /// `kid`, when it is a string.
    pub kid: Option<String>,
    /// `kty`.
    pub kty: Option<String>,
    /// `alg`, when present.
    pub alg: Option<String>,
    /// `crv`, when present.
    pub crv: Option<String>,
    /// `use`, when present.
    pub use_: Option<String>,
    /// Key size in bits (RSA modulus, EC/OKP curve size, oct secret length).
    pub bits: Option<usize>,
    /// Whether a token could be verified with this key.
    pub usable: bool,
    /// Why not, when it is not.
    pub reason: Option<String>,
}

impl Jwk {
    /// Reads one JWK object. Never fails: problems become [`Material::Unusable`]. With
    /// `remote` (a published set, fetched from a URL), `oct` keys are never prepared.
    pub(crate) fn from_object(obj: &Object<'_>, remote: bool) -> Jwk {
        let kty = obj.member("kty");
        let crv = obj.member("crv");
        let key_ops_ok = match obj.get("key_ops") {
            None => true,
            Some(Val::Arr {
                strings,
                only_strings: true,
            }) => key_ops_allow_verify(strings.clone()),
            Some(_) => false,
        };
        let ext_ok = matches!(obj.get("ext"), None | Some(Val::Bool(_)));
        let material = if remote && kty.as_str() == Some("oct") {
            Material::Unusable(REMOTE_OCT)
        } else {
            prepare(obj, kty.as_str(), crv.as_str())
        };
        Jwk {
            kid: obj.member("kid"),
            alg: obj.member("alg"),
            use_: obj.member("use"),
            ops_ok: key_ops_ok && ext_ok,
            kty,
            crv,
            material,
        }
    }

    /// jose's `isUsableJWK` for a token with `alg` and header `kid`: `None` when this key may
    /// verify it, else the first rule it fails (in [`Refusal`]'s order).
    pub(crate) fn refusal(&self, alg: Algorithm, kid: Member<&str>) -> Option<Refusal> {
        let kid_ok = match kid {
            Member::Absent => true,
            Member::Str(k) => self.kid.as_str() == Some(k),
            Member::NotString => false,
        };
        let family = alg.spec().family;
        let family_ok = self.kty.as_str() == Some(family.kty())
            && family
                .crv()
                .map_or(true, |crv| self.crv.as_str() == Some(crv));
        let alg_ok = match &self.alg {
            Member::Absent => true,
            other => other.as_str() == Some(alg.name()),
        };
        [
            (kid_ok, Refusal::KidDiffers),
            (family_ok, Refusal::KeyTypeDiffers),
            (alg_ok, Refusal::AlgDiffers),
            (self.use_ok(), Refusal::UseNotSig),
            (self.ops_ok, Refusal::KeyOpsLackVerify),
        ]
        .into_iter()
        .find_map(|(ok, refusal)| (!ok).then_some(refusal))
    }

    /// `use` absent or `sig`: the key may verify signatures.
    fn use_ok(&self) -> bool {
        matches!(self.use_.as_deref(), Member::Absent | Member::Str("sig"))
    }

    pub(crate) fn info(&self) -> KeyInfo {
        let s = |m: &Member<String>| m.as_str().map(ToString::to_string);
        let (bits, reason) = match &self.material {
            #[cfg(feature = "eddsa")]
            Material::Ed25519(_) => (Some(256), None),
            #[cfg(feature = "_ecdsa")]
            Material::Ec(k) => (Some(k.curve().bits()), None),
            #[cfg(feature = "rsa")]
            Material::Rsa(k) => (Some(k.bits()), None),
            #[cfg(feature = "hmac")]
            Material::Oct(k) => (Some(k.bits()), None),
            Material::Unusable(r) => (None, Some(*r)),
            Material::Private => (None, Some(PRIVATE)),
        };
        let reason = reason
            .or_else(|| (!self.ops_ok).then(|| Refusal::KeyOpsLackVerify.message()))
            .or_else(|| (!self.use_ok()).then(|| Refusal::UseNotSig.message()));
        KeyInfo {
            kid: s(&self.kid),
            kty: s(&self.kty),
            alg: s(&self.alg),
            crv: s(&self.crv),
            use_: s(&self.use_),
            bits,
            usable: reason.is_none(),
            reason: reason.map(ToString::to_string),
        }
    }
}

pub(crate) const PRIVATE: &str = "JSON Web Key Set members must be public keys";

/// Why an `oct` key of a remote set is never used: a published secret lets anyone sign tokens.
pub(crate) const REMOTE_OCT: &str = "an \"oct\" key (a shared secret) from a remote JSON Web Key \
     Set is never used: a published set is public, so anyone could sign tokens with it";

/// jose's `key_ops` rule: an array of unique strings that contains `verify`. Uniqueness is
/// checked through a sorted copy, so a hostile set with many entries costs O(n log n).
/// (Through [`crate::json::Names`]: one sort instantiation in the module, not two.)
fn key_ops_allow_verify(ops: Vec<Cow<'_, str>>) -> bool {
    let names = crate::json::Names::new(ops);
    !names.has_duplicates() && names.contains("verify")
}

/// Decodes a required base64url member.
fn b64_member(obj: &Object<'_>, name: &str) -> Result<Vec<u8>, &'static str> {
    match obj.get(name) {
        Some(Val::Str(s)) => {
            base64url::decode(s.as_bytes()).ok_or("a key member is not strict base64url")
        }
        _ => Err("a required key member is missing or not a string"),
    }
}

/// Why a key of a kind or curve this build cannot verify is unusable.
pub(crate) const UNSUPPORTED: &str = "key type or curve not supported by this build";

fn prepare(obj: &Object<'_>, kty: Option<&str>, crv: Option<&str>) -> Material {
    let is_private = match kty {
        Some("oct") => false,
        _ => obj.has_d,
    };
    if is_private {
        return Material::Private;
    }
    let result: Result<Material, &'static str> = match (kty, crv) {
        #[cfg(feature = "eddsa")]
        (Some("OKP"), Some("Ed25519")) => b64_member(obj, "x")
            .and_then(|x| crate::alg::eddsa::public_key(&x))
            .map(Material::Ed25519),
        #[cfg(feature = "_ecdsa")]
        (Some("EC"), Some(crv)) => match crate::alg::EcCurve::from_name(crv) {
            Some(curve) if crate::alg::ecdsa::is_built(curve) => {
                b64_member(obj, "x").and_then(|x| {
                    let y = b64_member(obj, "y")?;
                    crate::alg::ecdsa::public_key(curve, &x, &y).map(Material::Ec)
                })
            }
            _ => Err(UNSUPPORTED),
        },
        #[cfg(feature = "rsa")]
        (Some("RSA"), _) => b64_member(obj, "n").and_then(|n| {
            let e = b64_member(obj, "e")?;
            crate::alg::rsa::PublicKey::new(&n, &e).map(Material::Rsa)
        }),
        #[cfg(feature = "hmac")]
        (Some("oct"), _) => b64_member(obj, "k")
            .and_then(|k| crate::alg::hmac::SecretKey::new(&k))
            .map(Material::Oct),
        _ => Err(UNSUPPORTED),
    };
    result.unwrap_or_else(Material::Unusable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(list: &[&str]) -> Vec<Cow<'static, str>> {
        list.iter().map(|s| Cow::Owned((*s).into())).collect()
    }

    fn jwk(json: &str) -> Jwk {
        Jwk::from_object(&Object::parse(json.as_bytes()).unwrap(), false)
    }

    #[test]
    fn key_ops_must_be_unique_strings_containing_verify() {
        assert!(key_ops_allow_verify(ops(&["verify"])));
        assert!(key_ops_allow_verify(ops(&["sign", "verify"])));
        assert!(!key_ops_allow_verify(ops(&[])));
        assert!(!key_ops_allow_verify(ops(&["sign"])));
        assert!(!key_ops_allow_verify(ops(&["verify", "sign", "verify"])));
        assert!(jwk(r#"{"kty":"OKP","key_ops":["verify"]}"#).ops_ok);
        assert!(!jwk(r#"{"kty":"OKP","key_ops":["verify",1]}"#).ops_ok);
        assert!(!jwk(r#"{"kty":"OKP","key_ops":"verify"}"#).ops_ok);
        assert!(!jwk(r#"{"kty":"OKP","ext":"true"}"#).ops_ok);
        assert!(jwk(r#"{"kty":"OKP","ext":false}"#).ops_ok);
    }

    #[test]
    fn many_key_ops_with_a_duplicate_at_the_end_are_refused() {
        // The worst case of the old pairwise check (quadratic: 80,000 entries took ~26 s).
        let mut list: Vec<Cow<'static, str>> = (0..80_000)
            .map(|i| Cow::Owned(alloc::format!("op{i}")))
            .collect();
        list.push(Cow::Borrowed("verify"));
        assert!(key_ops_allow_verify(list.clone()));
        list.push(Cow::Borrowed("op79999"));
        assert!(!key_ops_allow_verify(list));
    }

    #[test]
    fn members_are_read_as_json_parse_would() {
        // The last of duplicate members wins; escapes are decoded; non-strings are kept apart.
        let k = jwk(r#"{"kid":"a","kid":"b","alg":"Ed\u0032","use":1,"crv":null}"#);
        assert_eq!(k.kid.as_str(), Some("b"));
        assert_eq!(k.alg.as_str(), Some("Ed2"));
        assert_eq!(k.use_, Member::NotString);
        assert_eq!(k.crv, Member::NotString);
        assert_eq!(k.kty, Member::Absent);
        // A private member of any type makes the key private.
        assert!(matches!(
            jwk(r#"{"kty":"EC","d":0}"#).material,
            Material::Private
        ));
        assert!(Object::parse(b"[]").is_none());
        assert!(Object::parse(br#"{"kty":"EC""#).is_none());
    }
}

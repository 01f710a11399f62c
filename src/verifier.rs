//! [`Verifier`]: a prepared JWKS plus options; `verify(token, now)` runs the whole pipeline.

use crate::alg::KeyFamily;
#[cfg(feature = "eddsa")]
use crate::alg::OkpCurve;
#[cfg(feature = "rsa")]
use crate::alg::RsaPadding;
use crate::claims;
use crate::json::Member;
use crate::jwk::{Jwk, Material, PRIVATE};
use crate::jwks::{Jwks, SelectionReport};
use crate::options::{self, Options};
use crate::{base64url, compact, header, Algorithm, Error};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

/// Longest signature accepted: an RSA-8192 signature.
const MAX_SIGNATURE_LEN: usize = 1024;

/// Verifies tokens against a JWKS prepared once, with fixed options.
///
/// ```
/// use edgejwt::{Jwks, Options, Verifier};
/// // RFC 8037 A.4: an Ed25519 signature over a non-JSON payload (so: a JWS, not a JWT).
/// let jwks = Jwks::from_json(r#"{"keys":[{"kty":"OKP","crv":"Ed25519",
///     "x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}]}"#)?;
/// let verifier = Verifier::new(jwks, Options::default())?;
/// let token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.\
///     hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
/// let jws = verifier.verify_jws(token)?;
/// assert_eq!(jws.payload, b"Example of Ed25519 signing");
/// // A JWT also gets its claims checked, at the time you pass in (seconds since the epoch):
/// assert_eq!(verifier.verify(token, 1_767_225_600).unwrap_err().code(), "ERR_JWT_INVALID");
/// # Ok::<(), edgejwt::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Verifier {
    jwks: Jwks,
    options: Options,
}

/// A token whose signature verified (no claims checked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedJws {
    /// The protected header, as JSON text (member order as in the token).
    pub header: String,
    /// The decoded payload bytes.
    pub payload: Vec<u8>,
    /// The algorithm that verified it.
    pub alg: Algorithm,
}

/// A JWT whose signature and claims verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedJwt {
    /// The protected header, as JSON text (member order as in the token).
    pub header: String,
    /// The claims set, as JSON text (member order as in the token).
    pub payload: String,
    /// The algorithm that verified it.
    pub alg: Algorithm,
}

impl VerifiedJwt {
    /// Deserializes the claims into your own type.
    pub fn claims<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.payload)
    }
}

impl Verifier {
    /// A verifier for `jwks` with `options`. Fails only on options that are not finite numbers.
    pub fn new(jwks: Jwks, options: Options) -> Result<Verifier, Error> {
        options
            .validate()
            .map_err(|m| Error::NotSupported(m.into()))?;
        Ok(Verifier { jwks, options })
    }

    /// The prepared key set.
    pub fn jwks(&self) -> &Jwks {
        &self.jwks
    }

    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Verifies a compact JWT at time `now` (seconds since the Unix epoch): structure, header,
    /// algorithm allowlist, key selection, signature, then the claims, in jose's order.
    pub fn verify(&self, token: &str, now: i64) -> Result<VerifiedJwt, Error> {
        let (jws, typ) = self.verify_signature(token)?;
        claims::validate(&jws.payload, typ.as_deref(), &self.options, now as f64)?;
        let payload = String::from_utf8(jws.payload)
            .map_err(|_| Error::JwtInvalid("JWT Claims Set must be a top-level JSON object"))?;
        Ok(VerifiedJwt {
            header: jws.header,
            payload,
            alg: jws.alg,
        })
    }

    /// Verifies a compact JWS's signature only; the payload may be anything.
    pub fn verify_jws(&self, token: &str) -> Result<VerifiedJws, Error> {
        self.verify_signature(token).map(|(jws, _)| jws)
    }

    /// Low level: checks `signature` over arbitrary `message` bytes with the JWKS key that `alg`
    /// and `kid` select, through the same key selection and algorithm code as [`Verifier::verify`]
    /// (no header, no claims, no allowlist). For detached signatures and known-answer tests.
    pub fn verify_detached(
        &self,
        alg: Algorithm,
        kid: Option<&str>,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), Error> {
        if !alg.is_enabled() {
            return Err(Error::NotSupported(format!(
                "\"{alg}\" is not enabled in this build of edgejwt"
            )));
        }
        let key = self
            .jwks
            .select(alg, kid.map_or(Member::Absent, Member::Str))?;
        verify_with_key(key, alg, message, signature)
    }

    /// Which key of the set `token` selects, and why each other key was passed over. Reads the
    /// token's header (not verified) and applies the same rules as [`Verifier::verify`]; fails
    /// as `verify` would when the header is malformed or its `alg` unknown or not enabled.
    pub fn selection_report(&self, token: &str) -> Result<SelectionReport, Error> {
        let parts = compact::split(token, self.options.max_token_length)?;
        let header_json = header::decode(parts.header, self.options.max_json_depth)?;
        let header = header::parse(&header_json)?;
        let alg = Algorithm::from_name(&header.alg)
            .ok_or_else(|| crate::error::unsupported_alg(&header.alg))?;
        Ok(self.jwks.report(alg, header.kid.as_deref()))
    }

    fn verify_signature(&self, token: &str) -> Result<(VerifiedJws, Option<String>), Error> {
        let parts = compact::split(token, self.options.max_token_length)?;
        let header_json = header::decode(parts.header, self.options.max_json_depth)?;
        let header = header::parse(&header_json)?;

        let alg = Algorithm::from_name(&header.alg);
        if let Some(allowed) = &self.options.algorithms {
            if !alg.is_some_and(|a| allowed.contains(&a)) {
                return Err(Error::AlgNotAllowed);
            }
        }
        let alg = alg.ok_or_else(|| crate::error::unsupported_alg(&header.alg))?;
        if !alg.is_enabled() {
            return Err(Error::NotSupported(format!(
                "\"{alg}\" is not enabled in this build of edgejwt"
            )));
        }

        let key = self.jwks.select(alg, header.kid.as_deref())?;

        let mut sig = [0u8; MAX_SIGNATURE_LEN];
        let sig_len = base64url::decode_into(parts.signature.as_bytes(), &mut sig).ok_or(
            Error::JwsInvalid("Failed to base64url decode the signature"),
        )?;
        let sig = &sig[..sig_len];

        verify_with_key(key, alg, parts.signing_input, sig)?;

        let payload = base64url::decode(parts.payload.as_bytes())
            .ok_or(Error::JwsInvalid("Failed to base64url decode the payload"))?;
        let typ = header.typ.map(|t| t.into_owned());
        // The header parsed as JSON, so it is UTF-8.
        let header = String::from_utf8(header_json)
            .map_err(|_| Error::JwsInvalid("JWS Protected Header is invalid"))?;
        Ok((
            VerifiedJws {
                header,
                payload,
                alg,
            },
            typ,
        ))
    }
}

/// Verifies with the selected key, mapping unusable keys to their coded errors.
fn verify_with_key(key: &Jwk, alg: Algorithm, message: &[u8], sig: &[u8]) -> Result<(), Error> {
    let kid = || key.kid.as_str().map(String::from);
    match signature_verifies(&key.material, alg, message, sig) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::SignatureVerificationFailed),
        Err(KeyProblem::Unusable(reason)) => Err(Error::JwkInvalid { kid: kid(), reason }),
        Err(KeyProblem::WrongFamily) => Err(Error::JwkInvalid {
            kid: kid(),
            reason: "the key's type does not fit the token's alg",
        }),
        Err(KeyProblem::Private) => Err(Error::JwksInvalid(PRIVATE)),
    }
}

#[derive(Debug, PartialEq)]
enum KeyProblem {
    Unusable(&'static str),
    Private,
    /// The key's family is not the algorithm's. Selection rules this out; should it ever
    /// happen, it is a coded key error, never a failed signature.
    WrongFamily,
}

/// Dispatches to the key's family, which verifies with the algorithm's row (hash, padding).
fn signature_verifies(
    key: &Material,
    alg: Algorithm,
    message: &[u8],
    sig: &[u8],
) -> Result<bool, KeyProblem> {
    let spec = alg.spec();
    #[allow(unused_variables)] // in builds without some families
    let (family, hash) = (spec.family, spec.hash);
    match key {
        #[cfg(feature = "eddsa")]
        Material::Ed25519(k) => match family {
            KeyFamily::Okp(OkpCurve::Ed25519) => Ok(crate::alg::eddsa::verify(k, message, sig)),
            KeyFamily::Ec(_) | KeyFamily::Rsa(_) | KeyFamily::Oct => Err(KeyProblem::WrongFamily),
        },
        #[cfg(feature = "_ecdsa")]
        Material::Ec(k) => match family {
            KeyFamily::Ec(curve) if curve == k.curve() => Ok(k.verify(hash, message, sig)),
            KeyFamily::Ec(_) | KeyFamily::Okp(_) | KeyFamily::Rsa(_) | KeyFamily::Oct => {
                Err(KeyProblem::WrongFamily)
            }
        },
        #[cfg(feature = "rsa")]
        Material::Rsa(k) => match family {
            KeyFamily::Rsa(RsaPadding::Pkcs1v15) => Ok(k.verify_pkcs1v15(hash, message, sig)),
            KeyFamily::Rsa(RsaPadding::Pss) => Ok(k.verify_pss(hash, message, sig)),
            KeyFamily::Okp(_) | KeyFamily::Ec(_) | KeyFamily::Oct => Err(KeyProblem::WrongFamily),
        },
        #[cfg(feature = "hmac")]
        Material::Oct(k) => match family {
            KeyFamily::Oct => Ok(k.verify(hash, message, sig)),
            KeyFamily::Okp(_) | KeyFamily::Ec(_) | KeyFamily::Rsa(_) => {
                Err(KeyProblem::WrongFamily)
            }
        },
        Material::Unusable(reason) => Err(KeyProblem::Unusable(reason)),
        Material::Private => Err(KeyProblem::Private),
    }
}

/// Decodes a JWT's header and payload **without verifying anything**: for debugging and for
/// routing (e.g. reading `iss` to pick a JWKS). Never trust what it returns.
///
/// Returns `(header_json, payload_json)`; the payload must be a JSON object.
pub fn decode_unverified(token: &str) -> Result<(String, String), Error> {
    let parts = compact::split(token, options::DEFAULT_MAX_TOKEN_LENGTH)
        .map_err(|_| Error::JwtInvalid("Invalid JWT"))?;
    let header = decode_protected_header(token)?;
    let payload = base64url::decode(parts.payload.as_bytes())
        .ok_or(Error::JwtInvalid("Failed to base64url decode the payload"))?;
    if !crate::json::depth_within(&payload, options::DEFAULT_MAX_JSON_DEPTH)
        || crate::json::read_object(&payload, |_| false, |_, _| {}).is_none()
    {
        return Err(Error::JwtInvalid("Invalid JWT Claims Set"));
    }
    let payload =
        String::from_utf8(payload).map_err(|_| Error::JwtInvalid("Invalid JWT Claims Set"))?;
    Ok((header, payload))
}

/// Decodes the protected header of a compact JWS/JWT **without verifying anything**.
pub fn decode_protected_header(token: &str) -> Result<String, Error> {
    let segment = token.split('.').next().unwrap_or("");
    if token.len() > options::DEFAULT_MAX_TOKEN_LENGTH {
        return Err(Error::JwsInvalid(
            "Compact JWS exceeds the maximum token length (maxTokenLength)",
        ));
    }
    let bytes = header::decode(segment, options::DEFAULT_MAX_JSON_DEPTH)?;
    if crate::json::read_object(&bytes, |_| false, |_, _| {}).is_none() {
        return Err(Error::JwsInvalid(
            "Invalid Token or Protected Header formatting",
        ));
    }
    String::from_utf8(bytes).map_err(|_| Error::JwsInvalid("JWS Protected Header is invalid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key whose family is not the algorithm's is a coded key problem, not a bad signature.
    #[cfg(all(feature = "hmac", feature = "eddsa"))]
    #[test]
    fn a_key_of_another_family_is_a_key_problem_not_a_bad_signature() {
        let oct = Material::Oct(crate::alg::hmac::SecretKey::new(b"secret").unwrap());
        assert_eq!(
            signature_verifies(&oct, Algorithm::EdDSA, b"m", &[0; 64]),
            Err(KeyProblem::WrongFamily)
        );
    }
}

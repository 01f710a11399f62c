//! [`Verifier`]: a prepared JWKS plus options; `verify(token, now)` runs the whole pipeline.

use crate::claims::{self, Options};
use crate::jwk::{Material, PRIVATE};
use crate::jwks::Jwks;
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
        let key = self.jwks.select(alg, kid.map(Some))?;
        check(key, alg, message, signature)
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

        let kid = header.kid.as_ref().map(|k| k.as_deref());
        let key = self.jwks.select(alg, kid)?;

        let mut sig = [0u8; MAX_SIGNATURE_LEN];
        let sig_len = base64url::decode_into(parts.signature.as_bytes(), &mut sig).ok_or(
            Error::JwsInvalid("Failed to base64url decode the signature"),
        )?;
        let sig = &sig[..sig_len];

        check(key, alg, parts.signing_input, sig)?;

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

/// Runs the family check for the selected key, mapping unusable keys to their coded errors.
fn check(key: &crate::jwk::Jwk, alg: Algorithm, message: &[u8], sig: &[u8]) -> Result<(), Error> {
    match check_signature(&key.material, alg, message, sig) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Error::SignatureInvalid),
        Err(KeyProblem::Unusable(reason)) => Err(Error::JwkInvalid {
            kid: match &key.kid {
                crate::jwk::Member::Str(s) => Some(s.clone()),
                _ => None,
            },
            reason,
        }),
        Err(KeyProblem::Private) => Err(Error::JwksInvalid(PRIVATE)),
    }
}

enum KeyProblem {
    Unusable(&'static str),
    Private,
}

/// Dispatches to the algorithm family. Selection guarantees the key type fits `alg`.
fn check_signature(
    key: &Material,
    alg: Algorithm,
    message: &[u8],
    sig: &[u8],
) -> Result<bool, KeyProblem> {
    #[allow(unused_imports)]
    use Algorithm::*;
    Ok(match (key, alg) {
        #[cfg(feature = "eddsa")]
        (Material::Ed25519(k), EdDSA | Ed25519) => crate::alg::eddsa::verify(k, message, sig),
        #[cfg(any(feature = "es256", feature = "es384", feature = "es512"))]
        (Material::Ec(k), ES256 | ES384 | ES512) => k.verify(message, sig),
        #[cfg(feature = "rsa")]
        (Material::Rsa(k), RS256 | RS384 | RS512) => k.verify_pkcs1v15(alg.hash(), message, sig),
        #[cfg(feature = "rsa")]
        (Material::Rsa(k), PS256 | PS384 | PS512) => k.verify_pss(alg.hash(), message, sig),
        #[cfg(feature = "hmac")]
        (Material::Oct(k), HS256 | HS384 | HS512) => k.verify(alg.hash(), message, sig),
        (Material::Unusable(reason), _) => return Err(KeyProblem::Unusable(reason)),
        (Material::Private, _) => return Err(KeyProblem::Private),
        #[allow(unreachable_patterns)]
        _ => false,
    })
}

/// Decodes a JWT's header and payload **without verifying anything**: for debugging and for
/// routing (e.g. reading `iss` to pick a JWKS). Never trust what it returns.
///
/// Returns `(header_json, payload_json)`; the payload must be a JSON object.
pub fn decode_unverified(token: &str) -> Result<(String, String), Error> {
    let parts = compact::split(token, claims::DEFAULT_MAX_TOKEN_LENGTH)
        .map_err(|_| Error::JwtInvalid("Invalid JWT"))?;
    let header = decode_protected_header(token)?;
    let payload = base64url::decode(parts.payload.as_bytes())
        .ok_or(Error::JwtInvalid("Failed to base64url decode the payload"))?;
    if !crate::json::depth_within(&payload, claims::DEFAULT_MAX_JSON_DEPTH)
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
    if token.len() > claims::DEFAULT_MAX_TOKEN_LENGTH {
        return Err(Error::JwsInvalid(
            "Compact JWS exceeds the maximum token length (maxTokenLength)",
        ));
    }
    let bytes = header::decode(segment, claims::DEFAULT_MAX_JSON_DEPTH)?;
    if crate::json::read_object(&bytes, |_| false, |_, _| {}).is_none() {
        return Err(Error::JwsInvalid(
            "Invalid Token or Protected Header formatting",
        ));
    }
    String::from_utf8(bytes).map_err(|_| Error::JwsInvalid("JWS Protected Header is invalid"))
}

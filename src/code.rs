//! The jose error codes as one table: for each code, the class every host names it with, its
//! documentation, a one-line explanation for people debugging a token, and jose's default
//! message. `pkg/src/errors.js`, the code union in `pkg/index.d.ts`, the debugging page's
//! explanations and the Python exception classes (`python/edgejwt/errors.py`, `.pyi`) are
//! generated from it (`cargo run -p edgejwt-gen`, see `gen/`).

/// A jose error code (jose's `src/util/errors.ts`). [`Error::code`](crate::Error::code) maps
/// every error to one ([`Code::raised_by_core`]: since the remote-JWKS cache policy lives in the
/// core, every code can come from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Code {
    /// `ERR_JOSE_GENERIC`: the base of every other code.
    Generic,
    /// `ERR_JWT_CLAIM_VALIDATION_FAILED`.
    ClaimValidationFailed,
    /// `ERR_JWT_EXPIRED`.
    Expired,
    /// `ERR_JOSE_ALG_NOT_ALLOWED`.
    AlgNotAllowed,
    /// `ERR_JOSE_NOT_SUPPORTED`.
    NotSupported,
    /// `ERR_JWS_INVALID`.
    JwsInvalid,
    /// `ERR_JWT_INVALID`.
    JwtInvalid,
    /// `ERR_JWK_INVALID`.
    JwkInvalid,
    /// `ERR_JWKS_INVALID`.
    JwksInvalid,
    /// `ERR_JWKS_NO_MATCHING_KEY`.
    NoMatchingKey,
    /// `ERR_JWKS_MULTIPLE_MATCHING_KEYS`.
    MultipleMatchingKeys,
    /// `ERR_JWS_SIGNATURE_VERIFICATION_FAILED`.
    SignatureVerificationFailed,
    /// `ERR_JWKS_TIMEOUT`.
    JwksTimeout,
    /// `ERR_JWE_INVALID`.
    JweInvalid,
    /// `ERR_JWE_DECRYPTION_FAILED`.
    JweDecryptionFailed,
}

/// One row of the code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CodeInfo {
    /// The code string, e.g. `ERR_JWT_EXPIRED`.
    pub code: &'static str,
    /// jose's class name, e.g. `JWTExpired`.
    pub class: &'static str,
    /// For developers (doc comments, docstrings): when the error is raised.
    pub doc: &'static str,
    /// For people debugging a token (the debugging page): what went wrong, in one sentence.
    pub explanation: &'static str,
    /// jose's message when none is given, for the classes whose constructor has one.
    pub default_message: Option<&'static str>,
    /// Whether errors of this code carry `claim`, `reason` and `payload`.
    pub claim_error: bool,
}

impl Code {
    /// Every code, in the order the generated files list them.
    pub const ALL: [Code; 15] = [
        Code::Generic,
        Code::ClaimValidationFailed,
        Code::Expired,
        Code::AlgNotAllowed,
        Code::NotSupported,
        Code::JwsInvalid,
        Code::JwtInvalid,
        Code::JwkInvalid,
        Code::JwksInvalid,
        Code::NoMatchingKey,
        Code::MultipleMatchingKeys,
        Code::SignatureVerificationFailed,
        Code::JwksTimeout,
        Code::JweInvalid,
        Code::JweDecryptionFailed,
    ];

    /// This code's row.
    pub const fn info(self) -> CodeInfo {
        const fn row(
            code: &'static str,
            class: &'static str,
            doc: &'static str,
            explanation: &'static str,
            default_message: Option<&'static str>,
        ) -> CodeInfo {
            CodeInfo {
                code,
                class,
                doc,
                explanation,
                default_message,
                claim_error: false,
            }
        }
        const fn claim(info: CodeInfo) -> CodeInfo {
            CodeInfo {
                claim_error: true,
                ..info
            }
        }
        match self {
            Code::Generic => row(
                "ERR_JOSE_GENERIC",
                "JOSEError",
                "Base class of every edgejwt error.",
                "Something went wrong that has no more specific code.",
                None,
            ),
            Code::ClaimValidationFailed => claim(row(
                "ERR_JWT_CLAIM_VALIDATION_FAILED",
                "JWTClaimValidationFailed",
                "`nbf`, `iss`, `aud`, `sub`, `typ`, a required claim, or a non-numeric time claim failed.",
                "A claim does not match what the options require.",
                None,
            )),
            Code::Expired => claim(row(
                "ERR_JWT_EXPIRED",
                "JWTExpired",
                "`exp` has passed (`claim: 'exp'`), or the token is older than `maxTokenAge` (`claim: 'iat'`).",
                "The token is past its expiry (or older than the max token age).",
                None,
            )),
            Code::AlgNotAllowed => row(
                "ERR_JOSE_ALG_NOT_ALLOWED",
                "JOSEAlgNotAllowed",
                "The header `alg` is not in the `algorithms` option.",
                "The token’s alg is not in the allowed algorithms.",
                None,
            ),
            Code::NotSupported => row(
                "ERR_JOSE_NOT_SUPPORTED",
                "JOSENotSupported",
                "An unknown algorithm (including `none`) or `crit` extension.",
                "The token uses an algorithm or extension edgejwt refuses (e.g. alg none).",
                None,
            ),
            Code::JwsInvalid => row(
                "ERR_JWS_INVALID",
                "JWSInvalid",
                "Not a well-formed compact JWS.",
                "This is not a well-formed JWT.",
                None,
            ),
            Code::JwtInvalid => row(
                "ERR_JWT_INVALID",
                "JWTInvalid",
                "Not a JWT: the payload is not a JSON object.",
                "The payload is not a JSON object.",
                None,
            ),
            Code::JwkInvalid => row(
                "ERR_JWK_INVALID",
                "JWKInvalid",
                "The key the token selects is malformed or unusable.",
                "The key the token selects is malformed or too weak.",
                None,
            ),
            Code::JwksInvalid => row(
                "ERR_JWKS_INVALID",
                "JWKSInvalid",
                "The JWKS is malformed or exceeds a limit.",
                "The JWKS is not a {\"keys\": [...]} object.",
                None,
            ),
            Code::NoMatchingKey => row(
                "ERR_JWKS_NO_MATCHING_KEY",
                "JWKSNoMatchingKey",
                "No key fits the token's `alg` and `kid` (the message lists the JWKS's kids).",
                "No key in the JWKS fits the token’s kid and alg.",
                Some("no applicable key found in the JSON Web Key Set"),
            ),
            Code::MultipleMatchingKeys => row(
                "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
                "JWKSMultipleMatchingKeys",
                "Several keys fit and the token has no `kid` to choose.",
                "Several keys fit and the token has no kid to choose.",
                Some("multiple matching keys found in the JSON Web Key Set"),
            ),
            Code::SignatureVerificationFailed => row(
                "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
                "JWSSignatureVerificationFailed",
                "The signature does not verify.",
                "The signature does not match: the token was altered or signed by another key.",
                Some("signature verification failed"),
            ),
            Code::JwksTimeout => row(
                "ERR_JWKS_TIMEOUT",
                "JWKSTimeout",
                "Fetching a remote JWKS took longer than `timeoutDuration`.",
                "Fetching the JWKS took too long.",
                Some("request timed out"),
            ),
            Code::JweInvalid => row(
                "ERR_JWE_INVALID",
                "JWEInvalid",
                "A malformed compact JWE (Better Auth's `jwe` cookie strategy).",
                "The encrypted cookie is malformed.",
                None,
            ),
            Code::JweDecryptionFailed => row(
                "ERR_JWE_DECRYPTION_FAILED",
                "JWEDecryptionFailed",
                "A JWE cookie does not decrypt with the given secret.",
                "The encrypted cookie does not decrypt with this secret.",
                Some("decryption operation failed"),
            ),
        }
    }

    /// The code string, e.g. `ERR_JWT_EXPIRED`.
    pub const fn as_str(self) -> &'static str {
        self.info().code
    }

    /// Whether the core produces this code. All do: [`Generic`](Code::Generic) is the remote
    /// JWKS cache's failed fetch ([`Error::JwksFetchFailed`](crate::Error::JwksFetchFailed)) and
    /// [`JwksTimeout`](Code::JwksTimeout) its timeout (`jwks_cache`).
    pub const fn raised_by_core(self) -> bool {
        match self {
            Code::Generic
            | Code::JwksTimeout
            | Code::ClaimValidationFailed
            | Code::Expired
            | Code::AlgNotAllowed
            | Code::NotSupported
            | Code::JwsInvalid
            | Code::JwtInvalid
            | Code::JwkInvalid
            | Code::JwksInvalid
            | Code::NoMatchingKey
            | Code::MultipleMatchingKeys
            | Code::SignatureVerificationFailed
            | Code::JweInvalid
            | Code::JweDecryptionFailed => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_classes_are_jose_s() {
        // jose 6 src/util/errors.ts, written out here rather than derived from the table.
        let jose = [
            ("ERR_JOSE_GENERIC", "JOSEError"),
            (
                "ERR_JWT_CLAIM_VALIDATION_FAILED",
                "JWTClaimValidationFailed",
            ),
            ("ERR_JWT_EXPIRED", "JWTExpired"),
            ("ERR_JOSE_ALG_NOT_ALLOWED", "JOSEAlgNotAllowed"),
            ("ERR_JOSE_NOT_SUPPORTED", "JOSENotSupported"),
            ("ERR_JWS_INVALID", "JWSInvalid"),
            ("ERR_JWT_INVALID", "JWTInvalid"),
            ("ERR_JWK_INVALID", "JWKInvalid"),
            ("ERR_JWKS_INVALID", "JWKSInvalid"),
            ("ERR_JWKS_NO_MATCHING_KEY", "JWKSNoMatchingKey"),
            (
                "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
                "JWKSMultipleMatchingKeys",
            ),
            (
                "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
                "JWSSignatureVerificationFailed",
            ),
            ("ERR_JWKS_TIMEOUT", "JWKSTimeout"),
            ("ERR_JWE_INVALID", "JWEInvalid"),
            ("ERR_JWE_DECRYPTION_FAILED", "JWEDecryptionFailed"),
        ];
        let table: alloc::vec::Vec<_> = Code::ALL
            .iter()
            .map(|c| (c.info().code, c.info().class))
            .collect();
        assert_eq!(table, jose);
    }
}

//! JWS algorithms: the [`Algorithm`] names and one module per family doing the math.
//!
//! Every family module exposes a prepared public-key type (built once, when a JWKS is loaded)
//! with a `verify(…, signing_input, signature) -> bool` function. Families switched off by cargo
//! features still parse (so the error is "not supported", not "invalid").

#[cfg(any(feature = "es256", feature = "es384", feature = "es512"))]
pub(crate) mod ecdsa;
#[cfg(feature = "eddsa")]
pub(crate) mod eddsa;
#[cfg(feature = "hmac")]
pub(crate) mod hmac;
#[cfg(feature = "rsa")]
pub(crate) mod rsa;
#[cfg(any(
    feature = "rsa",
    feature = "hmac",
    feature = "es256",
    feature = "es384",
    feature = "es512"
))]
pub(crate) mod sha;

use core::fmt;

/// Verifications an EdDSA or ECDSA key makes without fixed-base tables before its table (and
/// the generator's, if not built yet) is made. A table costs a few verifications to build,
/// which a cold start (often a single verification) should not pay; a key in steady use pays
/// it once.
#[cfg(any(
    feature = "eddsa",
    feature = "es256",
    feature = "es384",
    feature = "es512"
))]
pub(crate) const UNTABLED_USES: u32 = 4;

/// A key's fixed-base table, built after the key's first [`UNTABLED_USES`] verifications.
#[cfg(any(
    feature = "eddsa",
    feature = "es256",
    feature = "es384",
    feature = "es512"
))]
pub(crate) struct LazyTable<T> {
    uses: core::sync::atomic::AtomicU32,
    table: once_cell::race::OnceBox<T>,
}

#[cfg(any(
    feature = "eddsa",
    feature = "es256",
    feature = "es384",
    feature = "es512"
))]
impl<T> LazyTable<T> {
    pub(crate) const fn new() -> Self {
        LazyTable {
            uses: core::sync::atomic::AtomicU32::new(0),
            table: once_cell::race::OnceBox::new(),
        }
    }

    /// The table (built by `build` the first time it is due), or `None` while the key is
    /// still in its first uses; each call counts as a use.
    pub(crate) fn get(&self, build: impl FnOnce() -> T) -> Option<&T> {
        use core::sync::atomic::Ordering;
        if self.table.get().is_none() && self.uses.fetch_add(1, Ordering::Relaxed) < UNTABLED_USES {
            return None;
        }
        Some(self.table.get_or_init(|| alloc::boxed::Box::new(build())))
    }
}

/// A JWS signature algorithm this library can verify (RFC 7518 names, plus RFC 9864's
/// fully-specified `Ed25519`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Algorithm {
    EdDSA,
    Ed25519,
    ES256,
    ES384,
    ES512,
    RS256,
    RS384,
    RS512,
    PS256,
    PS384,
    PS512,
    HS256,
    HS384,
    HS512,
}

/// The key type an algorithm needs (the JWK `kty`, and `crv` where one applies).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyFamily {
    Okp(&'static str),
    Ec(&'static str),
    Rsa,
    Oct,
}

/// A hash function of the SHA-2 family, as used by RS*, PS* and HS*.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)]
pub(crate) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

impl Algorithm {
    /// Every algorithm, in the order the documentation lists them.
    pub const ALL: [Algorithm; 14] = [
        Algorithm::EdDSA,
        Algorithm::Ed25519,
        Algorithm::ES256,
        Algorithm::ES384,
        Algorithm::ES512,
        Algorithm::RS256,
        Algorithm::RS384,
        Algorithm::RS512,
        Algorithm::PS256,
        Algorithm::PS384,
        Algorithm::PS512,
        Algorithm::HS256,
        Algorithm::HS384,
        Algorithm::HS512,
    ];

    /// Parses a JWS `alg` name (case-sensitive, as JOSE requires). `none` is not an algorithm.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The JWS `alg` name.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::EdDSA => "EdDSA",
            Algorithm::Ed25519 => "Ed25519",
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::ES512 => "ES512",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            Algorithm::PS512 => "PS512",
            Algorithm::HS256 => "HS256",
            Algorithm::HS384 => "HS384",
            Algorithm::HS512 => "HS512",
        }
    }

    /// Whether this build of the crate can verify this algorithm (cargo features).
    pub fn is_enabled(self) -> bool {
        match self {
            Algorithm::EdDSA | Algorithm::Ed25519 => cfg!(feature = "eddsa"),
            Algorithm::ES256 => cfg!(feature = "es256"),
            Algorithm::ES384 => cfg!(feature = "es384"),
            Algorithm::ES512 => cfg!(feature = "es512"),
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => cfg!(feature = "rsa"),
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => cfg!(feature = "hmac"),
        }
    }

    pub(crate) fn family(self) -> KeyFamily {
        match self {
            Algorithm::EdDSA | Algorithm::Ed25519 => KeyFamily::Okp("Ed25519"),
            Algorithm::ES256 => KeyFamily::Ec("P-256"),
            Algorithm::ES384 => KeyFamily::Ec("P-384"),
            Algorithm::ES512 => KeyFamily::Ec("P-521"),
            Algorithm::RS256
            | Algorithm::RS384
            | Algorithm::RS512
            | Algorithm::PS256
            | Algorithm::PS384
            | Algorithm::PS512 => KeyFamily::Rsa,
            Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => KeyFamily::Oct,
        }
    }

    #[allow(dead_code)]
    pub(crate) fn hash(self) -> Hash {
        match self {
            Algorithm::RS384 | Algorithm::PS384 | Algorithm::HS384 | Algorithm::ES384 => {
                Hash::Sha384
            }
            Algorithm::RS512 | Algorithm::PS512 | Algorithm::HS512 | Algorithm::ES512 => {
                Hash::Sha512
            }
            _ => Hash::Sha256,
        }
    }
}

impl fmt::Display for Algorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Algorithm {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Algorithm::from_name(s).ok_or_else(|| crate::error::unsupported_alg(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_none_is_not_an_algorithm() {
        for a in Algorithm::ALL {
            assert_eq!(Algorithm::from_name(a.name()), Some(a));
        }
        for bad in ["none", "None", "NONE", "nOnE", "", "hs256", "RS1", "ES256K"] {
            assert_eq!(Algorithm::from_name(bad), None, "{bad}");
        }
    }
}

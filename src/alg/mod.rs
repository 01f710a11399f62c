//! JWS algorithms: the [`Algorithm`] names, one table row per algorithm ([`Spec`]), and one
//! module per family doing the math.
//!
//! Everything about an algorithm is in its row: name, key family (with the curve or the RSA
//! padding), hash and whether this build has it; the signature length follows from those.
//! Matches over [`Algorithm`], [`KeyFamily`], [`EcCurve`] and [`Hash`] are exhaustive, so adding
//! a variant makes the compiler list every place that must handle it. Families switched off by
//! cargo features still parse (so the error is "not supported", not "invalid").

#[cfg(feature = "_ecdsa")]
pub(crate) mod ecdsa;
#[cfg(feature = "eddsa")]
pub(crate) mod eddsa;
#[cfg(feature = "hmac")]
pub(crate) mod hmac;
#[cfg(feature = "_lazy-table")]
pub(crate) mod lazy_table;
#[cfg(feature = "rsa")]
pub(crate) mod rsa;
#[cfg(feature = "_sha2")]
pub(crate) mod sha;

use core::fmt;

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

/// One algorithm's row: everything the library knows about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Spec {
    /// The JWS `alg` name.
    pub name: &'static str,
    /// The key the algorithm needs (JWK `kty`, and `crv` or the RSA padding).
    pub family: KeyFamily,
    /// The SHA-2 function the signature covers the message with (EdDSA: SHA-512 inside
    /// Ed25519 itself).
    pub hash: Hash,
    /// Whether this build verifies it (cargo features).
    pub enabled: bool,
}

/// The key type an algorithm needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyFamily {
    /// `kty: "OKP"` with this `crv`.
    Okp(OkpCurve),
    /// `kty: "EC"` with this `crv`.
    Ec(EcCurve),
    /// `kty: "RSA"`, signatures with this padding.
    Rsa(RsaPadding),
    /// `kty: "oct"`: a shared secret (HMAC).
    Oct,
}

/// The `crv` of an `OKP` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OkpCurve {
    Ed25519,
}

/// The `crv` of an `EC` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EcCurve {
    P256,
    P384,
    P521,
}

/// The signature encoding of an RSA algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RsaPadding {
    /// RSASSA-PKCS1-v1_5 (RS256/384/512).
    Pkcs1v15,
    /// RSASSA-PSS with MGF1 and a salt as long as the hash (PS256/384/512).
    Pss,
}

/// A hash function of the SHA-2 family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// This algorithm's row.
    pub(crate) const fn spec(self) -> Spec {
        use EcCurve::*;
        use Hash::*;
        use KeyFamily::*;
        use RsaPadding::*;
        const fn row(name: &'static str, family: KeyFamily, hash: Hash, enabled: bool) -> Spec {
            Spec {
                name,
                family,
                hash,
                enabled,
            }
        }
        let eddsa = cfg!(feature = "eddsa");
        let (rsa, hmac) = (cfg!(feature = "rsa"), cfg!(feature = "hmac"));
        match self {
            Algorithm::EdDSA => row("EdDSA", Okp(OkpCurve::Ed25519), Sha512, eddsa),
            Algorithm::Ed25519 => row("Ed25519", Okp(OkpCurve::Ed25519), Sha512, eddsa),
            Algorithm::ES256 => row("ES256", Ec(P256), Sha256, cfg!(feature = "es256")),
            Algorithm::ES384 => row("ES384", Ec(P384), Sha384, cfg!(feature = "es384")),
            Algorithm::ES512 => row("ES512", Ec(P521), Sha512, cfg!(feature = "es512")),
            Algorithm::RS256 => row("RS256", Rsa(Pkcs1v15), Sha256, rsa),
            Algorithm::RS384 => row("RS384", Rsa(Pkcs1v15), Sha384, rsa),
            Algorithm::RS512 => row("RS512", Rsa(Pkcs1v15), Sha512, rsa),
            Algorithm::PS256 => row("PS256", Rsa(Pss), Sha256, rsa),
            Algorithm::PS384 => row("PS384", Rsa(Pss), Sha384, rsa),
            Algorithm::PS512 => row("PS512", Rsa(Pss), Sha512, rsa),
            Algorithm::HS256 => row("HS256", Oct, Sha256, hmac),
            Algorithm::HS384 => row("HS384", Oct, Sha384, hmac),
            Algorithm::HS512 => row("HS512", Oct, Sha512, hmac),
        }
    }

    /// Parses a JWS `alg` name (case-sensitive, as JOSE requires). `none` is not an algorithm.
    pub fn from_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL.into_iter().find(|a| a.name() == name)
    }

    /// The `algorithms` option's names as algorithms. An unknown (or misspelt) name is an
    /// error, `ERR_JOSE_NOT_SUPPORTED`, rather than an entry that silently allows nothing.
    pub fn from_names<'a>(
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<alloc::vec::Vec<Algorithm>, crate::Error> {
        names
            .into_iter()
            .map(|name| {
                Algorithm::from_name(name).ok_or_else(|| {
                    let mut known = alloc::string::String::new();
                    for (i, a) in Algorithm::ALL.iter().enumerate() {
                        if i > 0 {
                            known.push_str(", ");
                        }
                        known.push_str(a.name());
                    }
                    crate::Error::NotSupported(alloc::format!(
                        "unknown algorithm \"{}\" in the algorithms option (known: {known})",
                        crate::error::Escaped(name)
                    ))
                })
            })
            .collect()
    }

    /// The JWS `alg` name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    /// Whether this build of the crate can verify this algorithm (cargo features).
    pub fn is_enabled(self) -> bool {
        self.spec().enabled
    }

    /// The JWK `kty` of the keys that verify this algorithm: `OKP`, `EC`, `RSA` or `oct`.
    pub fn key_type(self) -> &'static str {
        self.spec().family.kty()
    }

    /// The JWK `crv` of the keys that verify this algorithm, for `OKP` and `EC` keys.
    pub fn curve(self) -> Option<&'static str> {
        self.spec().family.crv()
    }

    /// The hash the signature covers the message with: `SHA-256`, `SHA-384` or `SHA-512`.
    pub fn hash_name(self) -> &'static str {
        self.spec().hash.name()
    }

    /// The signature length in bytes, when the algorithm fixes it (`None` for RSA, whose
    /// signatures are as long as the key's modulus).
    pub fn signature_len(self) -> Option<usize> {
        let spec = self.spec();
        match spec.family {
            KeyFamily::Okp(OkpCurve::Ed25519) => Some(64),
            KeyFamily::Ec(curve) => Some(2 * curve.coordinate_len()),
            KeyFamily::Rsa(_) => None,
            KeyFamily::Oct => Some(spec.hash.len()),
        }
    }
}

impl KeyFamily {
    /// The JWK `kty`.
    pub(crate) const fn kty(self) -> &'static str {
        match self {
            KeyFamily::Okp(_) => "OKP",
            KeyFamily::Ec(_) => "EC",
            KeyFamily::Rsa(_) => "RSA",
            KeyFamily::Oct => "oct",
        }
    }

    /// The JWK `crv`, for the families that have one.
    pub(crate) const fn crv(self) -> Option<&'static str> {
        match self {
            KeyFamily::Okp(c) => Some(c.name()),
            KeyFamily::Ec(c) => Some(c.name()),
            KeyFamily::Rsa(_) | KeyFamily::Oct => None,
        }
    }
}

impl OkpCurve {
    /// The JWK `crv`.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            OkpCurve::Ed25519 => "Ed25519",
        }
    }
}

impl EcCurve {
    /// Every EC curve.
    #[cfg_attr(not(feature = "_ecdsa"), allow(dead_code))]
    pub(crate) const ALL: [EcCurve; 3] = [EcCurve::P256, EcCurve::P384, EcCurve::P521];

    /// The JWK `crv`.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            EcCurve::P256 => "P-256",
            EcCurve::P384 => "P-384",
            EcCurve::P521 => "P-521",
        }
    }

    /// The curve of a JWK `crv` name.
    #[cfg_attr(not(feature = "_ecdsa"), allow(dead_code))]
    pub(crate) fn from_name(crv: &str) -> Option<EcCurve> {
        EcCurve::ALL.into_iter().find(|c| c.name() == crv)
    }

    /// Size of the field (and of the group order) in bits.
    pub(crate) const fn bits(self) -> usize {
        match self {
            EcCurve::P256 => 256,
            EcCurve::P384 => 384,
            EcCurve::P521 => 521,
        }
    }

    /// Bytes of one coordinate in a JWK, and of `r` and `s` in a signature.
    pub(crate) const fn coordinate_len(self) -> usize {
        self.bits().div_ceil(8)
    }
}

impl Hash {
    /// The hash's name, as the algorithm tables print it.
    pub(crate) const fn name(self) -> &'static str {
        match self {
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
        }
    }

    /// Digest length in bytes.
    pub(crate) const fn len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
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

    #[test]
    fn rows_agree_with_the_jwa_registry() {
        // RFC 7518 §3.1 and RFC 8037 §3.1 / RFC 9864, written out here rather than derived.
        let expected = [
            ("EdDSA", "OKP", Some("Ed25519"), "SHA-512", Some(64)),
            ("Ed25519", "OKP", Some("Ed25519"), "SHA-512", Some(64)),
            ("ES256", "EC", Some("P-256"), "SHA-256", Some(64)),
            ("ES384", "EC", Some("P-384"), "SHA-384", Some(96)),
            ("ES512", "EC", Some("P-521"), "SHA-512", Some(132)),
            ("RS256", "RSA", None, "SHA-256", None),
            ("RS384", "RSA", None, "SHA-384", None),
            ("RS512", "RSA", None, "SHA-512", None),
            ("PS256", "RSA", None, "SHA-256", None),
            ("PS384", "RSA", None, "SHA-384", None),
            ("PS512", "RSA", None, "SHA-512", None),
            ("HS256", "oct", None, "SHA-256", Some(32)),
            ("HS384", "oct", None, "SHA-384", Some(48)),
            ("HS512", "oct", None, "SHA-512", Some(64)),
        ];
        let rows: alloc::vec::Vec<_> = Algorithm::ALL
            .iter()
            .map(|a| {
                let a = *a;
                (
                    a.name(),
                    a.key_type(),
                    a.curve(),
                    a.hash_name(),
                    a.signature_len(),
                )
            })
            .collect();
        assert_eq!(rows, expected);
    }
}

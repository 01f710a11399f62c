//! # edgejwt
//!
//! Synchronous JWT/JWKS verification for Better Auth tokens (and any JWS issuer), built for
//! WebAssembly edge runtimes: `no_std` + `alloc`, time passed in, keys prepared once.
//!
//! ```text
//! token ─► compact::split ─► header::parse ─► Jwks::select ─► alg::<family>::verify
//!                                                                   │
//!            VerifiedJwt ◄─ claims::validate(payload, options, now) ◄┘
//! ```
//!
//! Modules: `options` (what to check, limits), `compact`, `header`, `json` (parsing),
//! `jwk` and `jwks` (keys and the selection rules, also as a [`SelectionReport`]), `alg` (one
//! table row per [`Algorithm`], one module per family), `claims`, `verifier`, `error` and
//! `code` (the jose code table hosts generate their error classes from), `cookie` (Better Auth
//! session cookies) and `wasm` (the WebAssembly boundary, with its allocator and panic handler).
//!
//! Algorithms: EdDSA/Ed25519, ES256, ES384, ES512, RS256/384/512, PS256/384/512, and
//! HS256/384/512 with `oct` keys or explicitly added secrets only. Options, check order and error
//! codes are those of jose's `jwtVerify` with `createLocalJWKSet`.
//!
//! ```
//! use edgejwt::{Jwks, Options, Verifier};
//! let jwks = Jwks::from_json(r#"{"keys":[{"kty":"oct","kid":"s1","alg":"HS256",
//!     "k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTEyMzQ"}]}"#)?;
//! let verifier = Verifier::new(jwks, Options::default().issuer("https://app.example"))?;
//! let token = "eyJhbGciOiJIUzI1NiIsImtpZCI6InMxIn0.\
//!     eyJzdWIiOiJ1MSIsImlzcyI6Imh0dHBzOi8vYXBwLmV4YW1wbGUiLCJleHAiOjIwMDAwMDAwMDB9.\
//!     sUHa3wAOQKiBMse6KD1gvN-FOQOAZoo9tL9cci8F2G8";
//! let jwt = verifier.verify(token, 1_767_225_600)?;
//! assert_eq!(jwt.payload, r#"{"sub":"u1","iss":"https://app.example","exp":2000000000}"#);
//! let err = verifier.verify(token, 2_000_000_000).unwrap_err();
//! assert_eq!((err.code(), err.claim()), ("ERR_JWT_EXPIRED", Some("exp")));
//! # Ok::<(), edgejwt::Error>(())
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod alg;
mod base64url;
mod bearer;
mod claims;
mod code;
mod compact;
#[cfg(feature = "cookie")]
pub mod cookie;
#[cfg(feature = "doctor")]
pub mod doctor;
mod error;
mod header;
mod json;
mod jwk;
mod jwks;
pub mod jwks_cache;
mod options;
mod verifier;
#[cfg(feature = "wasm")]
pub mod wasm;

/// This crate's version; the npm package and its `version` export are generated from it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use alg::Algorithm;
pub use bearer::bearer_token;
pub use code::{Code, CodeInfo};
pub use error::{Error, Reason};
pub use jwk::KeyInfo;
pub use jwks::{
    Jwks, KeyProblem, KeyVerdict, Refusal, SelectionReport, MAX_JWKS_DEPTH, MAX_JWKS_LENGTH,
    MAX_KEYS,
};
pub use options::{
    Options, BETTER_AUTH_REQUIRED_CLAIMS, DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_TOKEN_LENGTH,
    SESSION_CACHE_TYP,
};
pub use verifier::{
    decode_protected_header, decode_unverified, VerifiedJws, VerifiedJwt, Verifier,
};

//! The WebAssembly boundary (wasm-bindgen), used by the npm package's JavaScript layer.
//!
//! Successful calls return JSON text that the JS layer parses once. Failures throw a JS *string*
//! holding the error as JSON (`{"code","message","claim"?,"reason"?,"payload"?,"hint"?}`), which
//! the JS layer turns into jose-style error classes. Nothing here panics on any input.
//!
//! Built for wasm32 without `std` (the shipped module), this module also brings the allocator
//! and the panic handler.

//! One file per concept, named as in the Python binding (`python/src/`): `verifier`, `cache`,
//! `cookie`, `doctor`, `errors` (core errors as JS values), `convert` (JSON text out).

mod cache;
mod convert;
#[cfg(feature = "cookie")]
mod cookie;
#[cfg(feature = "doctor")]
mod doctor;
mod errors;
mod verifier;

pub use cache::WasmJwksCache;
#[cfg(feature = "cookie")]
pub use cookie::WasmSessionCookieReader;
#[cfg(feature = "doctor")]
pub use doctor::{doctor, doctor_jwks_paths};
pub use verifier::{bearer_token, decode, decode_protected_header, WasmVerifier};

/// The shipped module is `no_std`: dlmalloc as the allocator (the one std uses on wasm32).
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic (a bug: bad input gets coded errors) traps at once, without formatting a message;
/// the JS layer replaces the instance after a trap.
#[cfg(all(target_arch = "wasm32", not(feature = "std")))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

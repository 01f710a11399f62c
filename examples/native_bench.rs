//! Native per-token verification benchmark for the arithmetic in `math/` (not part of the
//! wasm package). Verifies real jose-signed tokens (`tests/fixtures/jose.json`) through
//! [`Verifier`] and prints the median µs per token over interleaved rounds:
//!
//! ```text
//! cargo run --profile native --example native_bench                 # timings, all algorithms
//! cargo run --profile native --example native_bench -- time RS256    # timings, some algorithms
//! cargo run --profile native --example native_bench -- ES256 2000   # one algorithm, no timing
//! ```
//!
//! Each round is short (20 verifications per algorithm) and the rounds interleave the
//! algorithms, so the minimum over rounds is a usable figure on a loaded machine; the median
//! is printed too.
//!
//! The second form is for instruction counts that do not depend on machine load:
//! `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*native_bench*hot_loop*'`
//! counts only `hot_loop` (warm-up, table building and JSON parsing excluded); divide by the
//! iteration count.

use edgejwt::{Jwks, Options, Verifier};
use serde_json::Value;
use std::time::Instant;

const ALGS: [&str; 4] = ["ES256", "ES384", "ES512", "RS256"];

/// Past the key's untabled first uses, and its table built (not counted by callgrind).
#[inline(never)]
fn warm_up(v: &Verifier, token: &str, now: i64) {
    for _ in 0..10 {
        v.verify(token, now).unwrap();
    }
}

/// `iters` verifications of `token`; never inlined, so callgrind can count it alone.
#[inline(never)]
fn hot_loop(v: &Verifier, token: &str, now: i64, iters: u32) {
    for _ in 0..iters {
        std::hint::black_box(v.verify(std::hint::black_box(token), now).unwrap());
    }
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/jose.json");
    let f: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let now = f["now"].as_i64().unwrap();
    let v = Verifier::new(Jwks::from_value(&f["jwks"]).unwrap(), Options::default()).unwrap();
    let token = |alg: &str| -> String {
        let t = f["tokens"].as_array().unwrap().iter();
        let mut t = t.filter(|t| t["name"] == alg);
        t.next().unwrap()["token"].as_str().unwrap().to_string()
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [alg, iters] = &args[..] {
        if alg != "time" {
            let tok = token(alg);
            warm_up(&v, &tok, now);
            hot_loop(&v, &tok, now, iters.parse().unwrap());
            return;
        }
    }
    let algs: Vec<&str> = match args.first().map(String::as_str) {
        Some("time") if args.len() > 1 => args[1..].iter().map(String::as_str).collect(),
        _ => ALGS.to_vec(),
    };
    let tokens: Vec<(&str, String)> = algs.iter().map(|a| (*a, token(a))).collect();
    for (_, tok) in &tokens {
        warm_up(&v, tok, now);
    }
    let rounds = 151;
    let mut samples = vec![Vec::new(); tokens.len()];
    for _ in 0..rounds {
        for (i, (_, tok)) in tokens.iter().enumerate() {
            let iters = 20;
            let start = Instant::now();
            hot_loop(&v, tok, now, iters);
            samples[i].push(start.elapsed().as_secs_f64() * 1e6 / f64::from(iters));
        }
    }
    for ((alg, _), s) in tokens.iter().zip(&mut samples) {
        s.sort_by(f64::total_cmp);
        println!(
            "{alg:6} median {:7.2} µs  (min {:7.2}, max {:7.2}; {rounds} rounds)",
            s[s.len() / 2],
            s[0],
            s[s.len() - 1]
        );
    }
}

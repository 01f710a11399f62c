//! JWKS parsing and key preparation on arbitrary input, then a verification with the result.
#![no_main]
use edgejwt::{Jwks, Options, Verifier};
use libfuzzer_sys::fuzz_target;

const TOKEN: &str = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(jwks) = Jwks::from_json(text) {
        let _ = jwks.key_info();
        let v = Verifier::new(jwks, Options::default()).unwrap();
        let _ = v.verify_jws(TOKEN);
        for alg in edgejwt::Algorithm::ALL {
            let _ = v.verify_detached(alg, Some("k"), b"message", &[0u8; 64]);
        }
    }
});

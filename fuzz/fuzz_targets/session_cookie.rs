//! Better Auth session cookie values (compact, jwe) and session data, on arbitrary input.
#![no_main]
use edgejwt::cookie;
use libfuzzer_sys::fuzz_target;

const SECRET: &[u8] = b"edgejwt-test-secret-0123456789abcdefghijklmnopqrstuvwxyz";
const NOW_MS: f64 = 1_767_225_600_000.0;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cookie::read_compact(value, SECRET, NOW_MS, Some("1"));
    let _ = cookie::read_jwe(value, SECRET, (NOW_MS / 1000.0) as i64, None);
    let _ = cookie::check_session_data(value, NOW_MS, Some("1"), true);
});

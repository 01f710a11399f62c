"""Usage: .venv/bin/python bench/openssl_floor.py tests/fixtures/jose.json (after
`python3 -m venv .venv && .venv/bin/pip install cryptography`).

OpenSSL's raw ES256/RS256 verify through `cryptography`: min and median µs per call over
short interleaved rounds (the same method as examples/native_bench.rs)."""
import json, base64, hashlib, time, statistics, sys
from cryptography.hazmat.primitives.asymmetric import ec, rsa, padding, utils
from cryptography.hazmat.primitives import hashes

f = json.load(open(sys.argv[1]))
def b64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def i(s): return int.from_bytes(b64(s), "big")
keys = {k["kid"]: k for k in f["jwks"]["keys"]}
cases = []
for name in ["ES256", "ES384", "RS256"]:
    t = next(t for t in f["tokens"] if t["name"] == name)
    h, p, s = t["token"].split(".")
    msg, sig, k = f"{h}.{p}".encode(), b64(s), keys[t["kid"]]
    if name.startswith("ES"):
        crv, hsh = {"ES256": (ec.SECP256R1(), hashes.SHA256()), "ES384": (ec.SECP384R1(), hashes.SHA384())}[name]
        pub = ec.EllipticCurvePublicNumbers(i(k["x"]), i(k["y"]), crv).public_key()
        half = len(sig) // 2
        der = utils.encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big"))
        fn = lambda pub=pub, der=der, msg=msg, hsh=hsh: pub.verify(der, msg, ec.ECDSA(hsh))
    else:
        pub = rsa.RSAPublicNumbers(i(k["e"]), i(k["n"])).public_key()
        fn = lambda pub=pub, sig=sig, msg=msg: pub.verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())
    fn()
    cases.append((name, fn))
samples = {n: [] for n, _ in cases}
for _ in range(151):
    for n, fn in cases:
        t0 = time.perf_counter()
        for _ in range(20):
            fn()
        samples[n].append((time.perf_counter() - t0) * 1e6 / 20)
for n, s in samples.items():
    print(f"openssl {n:6} median {statistics.median(s):7.2f} µs  (min {min(s):7.2f})")

"""edgejwt (Python) against PyJWT, joserfc, python-jose and cryptography's raw signature check.

    .venv/bin/python bench/python_bench.py [--rounds 15] [--n 200] [--cold 10] [--markdown]

Per-verify microseconds in one process: for each algorithm, rounds of N verifications per
library, the libraries interleaved in a shuffled order each round; the median over rounds is
reported. Better-Auth-like tokens (user object + sub, iat, exp, iss, aud), iss and aud checked
by every library that checks claims. Keys are prepared once (PyJWT: a pre-built PyJWK; joserfc:
an imported key; python-jose: the JWK dict, as its docs show; it has no EdDSA and no PS256). The raw check
is `cryptography` verifying the signature over pre-split bytes (no parsing, no claims): the
native floor. Cold start: a fresh interpreter per run, timing `import` + building the verifier
+ the first verification (median of --cold runs).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import warnings
from typing import Any, Callable, Dict, List, Optional

import jwt as pyjwt
from cryptography.hazmat.primitives import hashes, hmac as chmac
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa, utils

import edgejwt

ISS = "http://localhost:3000"
# joserfc 1.8 warns on every EdDSA decode (RFC 9864 prefers "Ed25519"); not what is measured.
warnings.filterwarnings("ignore", message="EdDSA is deprecated")
ALGS = ["EdDSA", "ES256", "ES384", "RS256", "PS256", "HS256"]
SECRET = os.urandom(32)


def b64d(s: str) -> bytes:
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def make(alg: str):
    if alg == "EdDSA":
        private = ed25519.Ed25519PrivateKey.generate()
    elif alg == "ES256":
        private = ec.generate_private_key(ec.SECP256R1())
    elif alg == "ES384":
        private = ec.generate_private_key(ec.SECP384R1())
    elif alg in ("RS256", "PS256"):
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    else:
        private = SECRET
    now = int(time.time())
    claims = {
        "name": "Ada Lovelace", "email": "ada@example.com", "emailVerified": True, "image": None,
        "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-01T00:00:00.000Z",
        "id": "Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e", "uuid": "7d1f0c3e-3c52-4c1b-9d0e-2f0a8e9b6c11",
        "iat": now, "iss": ISS, "aud": ISS, "exp": now + 3600, "sub": "Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e",
    }
    token = pyjwt.encode(claims, private, algorithm=alg, headers={"kid": "k1"})
    if alg == "HS256":
        jwk = {"kty": "oct", "k": base64.urlsafe_b64encode(SECRET).rstrip(b"=").decode()}
        public = SECRET
    else:
        public = private.public_key()
        jwk = json.loads(pyjwt.get_algorithm_by_name(alg).to_jwk(public))
    jwk.update(kid="k1", alg=alg)
    return token, jwk, public, claims


def contenders(alg: str, token: str, jwk: Dict[str, Any], public: Any, claims: Dict[str, Any]) -> Dict[str, Callable[[], Any]]:
    out: Dict[str, Callable[[], Any]] = {}
    verifier = edgejwt.Verifier({"keys": [jwk]}, issuer=ISS, audience=ISS)
    out["edgejwt"] = lambda: verifier.verify(token).payload

    pkey = pyjwt.PyJWK(jwk, algorithm=alg)
    out["PyJWT"] = lambda: pyjwt.decode(token, pkey, algorithms=[alg], audience=ISS, issuer=ISS)

    from joserfc import jwt as jrfc_jwt
    from joserfc.jwk import JWKRegistry
    from joserfc.jwt import JWTClaimsRegistry

    jkey = JWKRegistry.import_key(jwk)
    registry = JWTClaimsRegistry(iss={"essential": True, "value": ISS}, aud={"essential": True, "value": ISS})

    def joserfc_verify():
        t = jrfc_jwt.decode(token, jkey, algorithms=[alg])
        registry.validate(t.claims)
        return t.claims

    out["joserfc"] = joserfc_verify

    if alg != "EdDSA":
        from jose import jwt as pjose_jwt

        out["python-jose"] = lambda: pjose_jwt.decode(token, jwk, algorithms=[alg], audience=ISS, issuer=ISS)

    h, p, s = token.split(".")
    data = f"{h}.{p}".encode()
    sig = b64d(s)
    if alg == "EdDSA":
        out["cryptography raw"] = lambda: public.verify(sig, data)
    elif alg.startswith("ES"):
        half = len(sig) // 2
        der = utils.encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big"))
        h_alg = hashes.SHA256() if alg == "ES256" else hashes.SHA384()
        out["cryptography raw"] = lambda: public.verify(der, data, ec.ECDSA(h_alg))
    elif alg == "RS256":
        out["cryptography raw"] = lambda: public.verify(sig, data, padding.PKCS1v15(), hashes.SHA256())
    elif alg == "PS256":
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
        out["cryptography raw"] = lambda: public.verify(sig, data, pss, hashes.SHA256())
    else:
        def raw_hmac():
            m = chmac.HMAC(SECRET, hashes.SHA256())
            m.update(data)
            m.verify(sig)

        out["cryptography raw"] = raw_hmac
    # Every contender must accept the token (and agree on the claims) before it is timed.
    for name, fn in list(out.items()):
        try:
            r = fn()
        except Exception as e:  # noqa: BLE001 - python-jose has no PS256 or EdDSA
            if name != "python-jose":
                raise
            print(f"note: python-jose cannot verify {alg}: {type(e).__name__}: {e}", file=sys.stderr)
            del out[name]
            continue
        if name != "cryptography raw" and dict(r) != claims:
            raise SystemExit(f"{name} returned other claims for {alg}")
    return out


def measure(rounds: int, n: int) -> Dict[str, Dict[str, float]]:
    results: Dict[str, Dict[str, float]] = {}
    rng = random.Random(7)
    for alg in ALGS:
        fns = contenders(alg, *make(alg))
        for fn in fns.values():  # warm-up (edgejwt builds per-key tables after 4 uses)
            for _ in range(20):
                fn()
        samples: Dict[str, List[float]] = {k: [] for k in fns}
        for _ in range(rounds):
            order = list(fns)
            rng.shuffle(order)
            for name in order:
                fn = fns[name]
                t0 = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[name].append((time.perf_counter() - t0) / n * 1e6)
        results[alg] = {k: statistics.median(v) for k, v in samples.items()}
    return results


COLD = {
    "edgejwt": "import edgejwt\nv = edgejwt.Verifier(JWKS, issuer=ISS, audience=ISS)\nv.verify(TOKEN).payload",
    "PyJWT": "import jwt\nk = jwt.PyJWK(JWKS['keys'][0])\njwt.decode(TOKEN, k, algorithms=['EdDSA'], audience=ISS, issuer=ISS)",
}


def cold(runs: int) -> Dict[str, float]:
    token, jwk, _, _ = make("EdDSA")
    prelude = f"import time\nt0 = time.perf_counter()\nJWKS = {{'keys': [{jwk!r}]}}\nTOKEN = {token!r}\nISS = {ISS!r}\n"
    samples: Dict[str, List[float]] = {k: [] for k in COLD}
    for _ in range(runs):
        for name, body in COLD.items():
            code = prelude + body + "\nprint((time.perf_counter() - t0) * 1000)"
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
            samples[name].append(float(out.stdout.strip()))
    return {k: statistics.median(v) for k, v in samples.items()}


def versions() -> Dict[str, str]:
    from importlib.metadata import version

    v = {"edgejwt": edgejwt.__version__, "Python": platform.python_version()}
    for dist in ("PyJWT", "joserfc", "python-jose", "cryptography"):
        v[dist] = version(dist)
    return v


def commit() -> Optional[str]:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True,
                              cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: Optional[List[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--n", type=int, default=200)
    ap.add_argument("--cold", type=int, default=10)
    ap.add_argument("--markdown", action="store_true")
    args = ap.parse_args(argv)
    res = measure(args.rounds, args.n)
    c = cold(args.cold)
    libs = ["edgejwt", "PyJWT", "joserfc", "python-jose", "cryptography raw"]
    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}; "
        + ", ".join(f"{k} {v}" for k, v in versions().items()) + (f"; commit {commit()}" if commit() else ""),
        "",
        "| alg | " + " | ".join(libs) + " | edgejwt / PyJWT |",
        "|---|" + "---|" * (len(libs) + 1),
    ]
    for alg, r in res.items():
        cells = [f"{r[lib]:.1f}" if lib in r else "cannot verify" for lib in libs]
        lines.append(f"| {alg} | " + " | ".join(cells) + f" | {r['edgejwt'] / r['PyJWT']:.2f}× |")
    lines += ["", f"Cold start (fresh interpreter: import + build + first EdDSA verify, median of {args.cold}): "
              f"edgejwt {c['edgejwt']:.1f} ms, PyJWT {c['PyJWT']:.1f} ms ({c['edgejwt'] / c['PyJWT']:.2f}×)"]
    print("\n".join(lines))


if __name__ == "__main__":
    main()

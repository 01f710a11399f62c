"""Signing keys, JWS compact serialization and JavaScript's ``JSON.stringify``, for the test
issuer only (edgejwt itself never signs). Uses ``cryptography`` (the ``testing`` extra)."""

from __future__ import annotations

import base64
import datetime as _dt
import decimal
import hashlib
import hmac
import json
import math
import secrets
import string
from typing import Any, Dict, Mapping, Optional

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

#: The algorithms Better Auth's jwt plugin offers (``keyPairConfig.alg``); EdDSA is its default.
ALGORITHMS = ("EdDSA", "ES256", "ES512", "RS256", "PS256")

_ALPHANUMERIC = string.ascii_letters + string.digits


def random_id(length: int = 32) -> str:
    """An id like Better Auth's ``generateId()``: 32 random letters and digits."""
    return "".join(secrets.choice(_ALPHANUMERIC) for _ in range(length))


def b64url(data: bytes) -> str:
    """base64url without padding (RFC 7515)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_b64(value: int, size: int) -> str:
    return b64url(value.to_bytes(size, "big"))


class SigningKey:
    """A private key of one of Better Auth's algorithms, its public JWK and its ``kid``."""

    def __init__(self, alg: str, kid: Optional[str] = None) -> None:
        if alg not in ALGORITHMS:
            raise ValueError(f"alg must be one of {', '.join(ALGORITHMS)} (Better Auth's jwt plugin), not {alg!r}")
        self.alg = alg
        self.kid = kid if kid is not None else random_id()
        jwk: Dict[str, Any]
        if alg == "EdDSA":
            self._private: Any = ed25519.Ed25519PrivateKey.generate()
            raw = self._private.public_key().public_bytes_raw()
            jwk = {"alg": alg, "crv": "Ed25519", "x": b64url(raw), "kty": "OKP"}
        elif alg in ("ES256", "ES512"):
            curve, self._size, crv = (
                (ec.SECP256R1(), 32, "P-256") if alg == "ES256" else (ec.SECP521R1(), 66, "P-521")
            )
            self._private = ec.generate_private_key(curve)
            numbers = self._private.public_key().public_numbers()
            jwk = {"alg": alg, "crv": crv, "x": _int_b64(numbers.x, self._size), "y": _int_b64(numbers.y, self._size), "kty": "EC"}
        else:
            self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            numbers = self._private.public_key().public_numbers()
            n = numbers.n.to_bytes((numbers.n.bit_length() + 7) // 8, "big")
            jwk = {"alg": alg, "e": b64url(numbers.e.to_bytes(3, "big")), "n": b64url(n), "kty": "RSA"}
        jwk["kid"] = self.kid
        #: The public JWK, as Better Auth's ``/api/auth/jwks`` lists it.
        self.jwk: Dict[str, Any] = jwk

    def sign(self, data: bytes) -> bytes:
        """The JWS signature of ``data`` (``r || s`` for ECDSA, as JWS wants)."""
        if self.alg == "EdDSA":
            signature: bytes = self._private.sign(data)
            return signature
        if self.alg in ("ES256", "ES512"):
            digest = hashes.SHA256() if self.alg == "ES256" else hashes.SHA512()
            r, s = decode_dss_signature(self._private.sign(data, ec.ECDSA(digest)))
            return r.to_bytes(self._size, "big") + s.to_bytes(self._size, "big")
        if self.alg == "RS256":
            signature = self._private.sign(data, padding.PKCS1v15(), hashes.SHA256())
            return signature
        # PS256: MGF1 with SHA-256, a salt as long as the hash (what jose and WebCrypto use).
        signature = self._private.sign(data, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32), hashes.SHA256())
        return signature

    def __repr__(self) -> str:
        return f"<SigningKey {self.alg} kid={self.kid!r}>"


def encode_jws(header: Mapping[str, Any], payload: Mapping[str, Any], sign: Any) -> str:
    """A compact JWS: header and payload serialized as JavaScript would (jose's ``SignJWT``)."""
    signing_input = f"{b64url(js_json(header).encode())}.{b64url(js_json(payload).encode())}"
    return f"{signing_input}.{b64url(sign(signing_input.encode('ascii')))}"


def hs256(secret: str) -> Any:
    """A ``sign`` function for :func:`encode_jws`: HMAC-SHA-256 keyed with the UTF-8 secret."""
    key = secret.encode("utf-8")
    return lambda data: hmac.new(key, data, hashlib.sha256).digest()


def js_date(value: _dt.datetime) -> str:
    """``Date.prototype.toISOString``: UTC, milliseconds, ``Z``."""
    if value.tzinfo is None:
        raise ValueError("use an aware datetime (tzinfo=timezone.utc)")
    utc = value.astimezone(_dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _js_number(value: float) -> str:
    """``Number.prototype.toString`` of a finite double (ECMA-262 Number::toString)."""
    if value == 0:
        return "0"
    if value < 0:
        return "-" + _js_number(-value)
    # repr gives the shortest digits that round-trip, as JavaScript does; only the layout differs.
    sign, digits_tuple, exponent = decimal.Decimal(repr(value)).normalize().as_tuple()
    digits = "".join(map(str, digits_tuple))
    k = len(digits)
    n = int(exponent) + k
    if k <= n <= 21:
        return digits + "0" * (n - k)
    if 0 < n <= 21:
        return digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + digits
    e = n - 1
    mantissa = digits[0] + ("." + digits[1:] if k > 1 else "")
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def js_json(value: Any) -> str:
    """``JSON.stringify(value)`` as JavaScript writes it (no spaces, key order kept, UTF-8 text
    unescaped, numbers as JavaScript prints them, aware ``datetime`` as ``toISOString``): what
    Better Auth's HMAC over the compact cookie is computed on."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, int):
        if abs(value) > 2**53:
            raise ValueError(f"{value} is not exact in JavaScript (beyond 2**53): pass it as a string")
        return str(value)
    if isinstance(value, float):
        return _js_number(value) if math.isfinite(value) else "null"
    if isinstance(value, _dt.datetime):
        return json.dumps(js_date(value))
    if isinstance(value, Mapping):
        members = []
        for k, v in value.items():
            if not isinstance(k, str):
                raise TypeError(f"JSON object keys must be str, not {type(k).__name__}")
            if v is _UNDEFINED:
                continue
            members.append(json.dumps(k, ensure_ascii=False) + ":" + js_json(v))
        return "{" + ",".join(members) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_json(v) for v in value) + "]"
    raise TypeError(f"cannot serialize {type(value).__name__} to JSON")


class _Undefined:
    def __repr__(self) -> str:
        return "undefined"


#: A member with this value is left out, as JavaScript leaves out ``undefined``.
_UNDEFINED = _Undefined()

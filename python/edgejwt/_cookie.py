"""Better Auth's session cookie cache and the ``Authorization`` header: reading them out of a
request (host glue, as the npm package's ``readSessionCookie`` and ``getBearerToken``). The
cookie's MAC, decryption, JWT and expiry checks are the core's."""

from __future__ import annotations

import base64
import json
import re
import threading
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _edgejwt, errors

if TYPE_CHECKING:
    from datetime import datetime

_STRATEGIES = ("compact", "jwt", "jwe")


def _header_of(source: Any, name: str) -> Optional[str]:
    """The header `name` from a str (the header itself), a Starlette/FastAPI ``Request``, a
    headers mapping or a WSGI/ASGI-like object with ``.headers``."""
    if source is None:
        return None
    if isinstance(source, str):
        return source
    headers = getattr(source, "headers", source)
    getter = getattr(headers, "get", None)
    if getter is None:
        raise TypeError("expected a header value (str), a Request or a headers mapping")
    value = getter(name)
    if value is None and name != name.title():
        value = getter(name.title())
    if isinstance(value, (list, tuple)):
        value = "; ".join(value) if name == "cookie" else (value[0] if value else None)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value if isinstance(value, str) else None


def _parse_cookies(header: str) -> Dict[str, str]:
    """Better Auth's ``parseCookies``: ``;``-separated, trimmed, unquoted, percent-decoded when
    needed; the first occurrence of a name wins."""
    cookies: Dict[str, str] = {}
    for chunk in header.split(";"):
        eq = chunk.find("=")
        if eq == -1:
            continue
        key = chunk[:eq].strip()
        value = chunk[eq + 1 :].strip()
        if len(value) >= 2 and value[0] == '"' and value[-1] == '"':
            value = value[1:-1]
        if "%" in value:
            from urllib.parse import unquote

            try:
                value = unquote(value, errors="strict")
            except UnicodeDecodeError:
                pass
        cookies.setdefault(key, value)
    return cookies


def _cookie_value(cookies: Mapping[str, str], name: str) -> Optional[str]:
    """The cookie's value, joining chunked ``NAME.0``, ``NAME.1``, ... in index order."""
    whole = cookies.get(name)
    if whole:
        return whole
    prefix = name + "."
    chunks: List[Tuple[int, str]] = []
    for key, value in cookies.items():
        if key.startswith(prefix):
            index = key[len(prefix) :]
            if index.isascii() and index.isdigit():
                chunks.append((int(index), value))
    if not chunks:
        return None
    chunks.sort(key=lambda c: c[0])
    return "".join(v for _, v in chunks)


_verifiers: Dict[Any, Any] = {}
_verifiers_lock = threading.Lock()


def _cached_verifier(key: Any, make: Any) -> Any:
    with _verifiers_lock:
        v = _verifiers.get(key)
        if v is None:
            if len(_verifiers) >= 32:
                _verifiers.clear()
            v = make()
            _verifiers[key] = v
        return v


def read_session_cookie(
    cookie_header: Any,
    *,
    strategy: str = "compact",
    secret: Optional[str] = None,
    jwks: Union[None, str, bytes, Mapping[str, Any], Any] = None,
    cookie_prefix: str = "better-auth",
    cookie_name: str = "session_data",
    is_secure: Optional[bool] = None,
    issuer: Union[None, str, Sequence[str]] = None,
    audience: Union[None, str, Sequence[str]] = None,
    version: Optional[str] = None,
    now: Union[None, int, float, "datetime"] = None,
) -> Optional[Dict[str, Any]]:
    """Reads Better Auth's session cookie cache (``better-auth.session_data``).

    ``cookie_header``: the ``Cookie`` header's value, or a Starlette/FastAPI ``Request`` (or any
    object with ``.headers``, or a headers mapping). ``strategy``: Better Auth's
    ``session.cookieCache.strategy``: ``"compact"`` (default), ``"jwt"`` or ``"jwe"``.
    ``secret``: the app's ``BETTER_AUTH_SECRET`` (compact, jwe, and jwt without the JWT
    plugin); ``jwks``: the JWT plugin's key set for a ``jwt`` cookie it signed. Chunked
    (``NAME.0``, ``NAME.1``, ...) and ``__Secure-`` cookies are read; ``is_secure`` picks one
    name (default: both, ``__Secure-`` first).

    Returns the session data ``{"session": ..., "user": ..., "updatedAt": ..., ...}`` as
    Better Auth's ``getCookieCache`` does, ``None`` when there is no such cookie, and raises an
    :class:`errors.JOSEError` (with its code) when the cookie is forged, tampered with, expired
    or unreadable. Errors never contain the cookie or the session data.
    """
    if strategy not in _STRATEGIES:
        raise ValueError('strategy must be "compact", "jwt" or "jwe"')
    if version is not None and not isinstance(version, str):
        raise TypeError("version must be a str")
    header = _header_of(cookie_header, "cookie")
    if not header:
        return None
    cookies = _parse_cookies(header)
    base = f"{cookie_prefix}.{cookie_name}"
    names = [f"__Secure-{base}", base] if is_secure is None else [f"__Secure-{base}" if is_secure else base]
    value = None
    for name in names:
        value = _cookie_value(cookies, name)
        if value:
            break
    if not value:
        return None
    now_ms = _edgejwt._now_ms(now)

    def need_secret() -> str:
        if not isinstance(secret, str) or not secret:
            raise TypeError(
                f'read_session_cookie: the "{strategy}" strategy needs the app\'s secret (BETTER_AUTH_SECRET)'
            )
        return secret

    if strategy in ("compact", "jwe"):
        result: Dict[str, Any] = _edgejwt._read_session_cookie(strategy, value, need_secret(), now_ms, version)
        return result
    # jwt: signed by the JWT plugin's keys (a JWKS), or HS256 with the secret.
    from . import Verifier

    at = now_ms / 1000.0
    if jwks is not None:
        jwks_key = jwks if isinstance(jwks, (str, bytes)) else json.dumps(jwks, sort_keys=True)
        iss = tuple([issuer] if isinstance(issuer, str) else issuer or ())
        aud = tuple([audience] if isinstance(audience, str) else audience or ["better-auth:session-cache"])
        verifier = _cached_verifier(
            ("jwks", jwks_key, iss, aud),
            lambda: Verifier(
                jwks,
                typ="better-auth.session-cache+jwt",
                audience=list(aud),
                issuer=list(iss) or None,
                clock_tolerance=15,
            ),
        )
    else:
        s = need_secret()
        k = base64.urlsafe_b64encode(s.encode("utf-8")).rstrip(b"=").decode("ascii")
        verifier = _cached_verifier(("secret", s), lambda: Verifier({"keys": [{"kty": "oct", "k": k}]}))
    try:
        payload: Dict[str, Any] = verifier.verify(value, now=at).payload
    except errors.JOSEError as e:
        # Session-cookie errors never carry the session data: it holds the live session token.
        e.payload = None
        raise
    _edgejwt._check_session_data(json.dumps(payload), now_ms, version, jwks is not None)
    return payload


_BEARER = re.compile(r"^\s*bearer\s+(\S+)\s*$", re.IGNORECASE)


def get_bearer_token(source: Any) -> str:
    """The token of an ``Authorization: Bearer <token>`` header. ``source``: the header value,
    a Starlette/FastAPI ``Request`` or a headers mapping. Raises :class:`errors.JWSInvalid`
    (with a hint) when the header is missing or not a Bearer header."""
    value = _header_of(source, "authorization")
    if not value:
        err = errors.JWSInvalid('no Authorization header: expected "Authorization: Bearer <token>"')
        err.hint = (
            'send the JWT (not the session cookie) as "Authorization: Bearer <token>"; with Better Auth '
            "get it from /api/auth/token or the set-auth-jwt header"
        )
        raise err
    m = _BEARER.match(value)
    if m is None:
        err = errors.JWSInvalid('malformed Authorization header: expected "Bearer <token>"')
        err.hint = "the header must be the word Bearer, one space, then the token"
        raise err
    return m.group(1)

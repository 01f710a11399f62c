"""Better Auth's session cookie cache and the ``Authorization`` header: reading them out of a
request (host glue, as the npm package's ``readSessionCookie`` and ``getBearerToken``). The
cookie's MAC, decryption, JWT and expiry checks are the core's."""

from __future__ import annotations

import json
import threading
from typing import TYPE_CHECKING, Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _edgejwt

if TYPE_CHECKING:
    from datetime import datetime

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


_readers: Dict[Any, Any] = {}
_readers_lock = threading.Lock()


def _reader(key: Tuple[Any, ...], **options: Any) -> Any:
    """A kept core reader per set of options (a ``jwt`` strategy's keys are prepared once)."""
    with _readers_lock:
        reader = _readers.get(key)
        if reader is None:
            if len(_readers) >= 32:
                _readers.clear()
            reader = _edgejwt.SessionCookieReader(**options)
            _readers[key] = reader
        return reader


def _str_list(name: str, value: Union[None, str, Sequence[str]]) -> Optional[List[str]]:
    if value is None:
        return None
    values = [value] if isinstance(value, str) else list(value)
    if not all(isinstance(v, str) for v in values):
        raise TypeError(f"{name} must be a str or a list of str")
    return values


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
    plugin); ``jwks``: the JWT plugin's key set for a ``jwt`` cookie it signed (then
    ``issuer``/``audience`` apply). Chunked (``NAME.0``, ``NAME.1``, ...) and ``__Secure-``
    cookies are read; ``is_secure`` picks one name (default: both, ``__Secure-`` first).

    Returns the session data ``{"session": ..., "user": ..., "updatedAt": ..., ...}`` as
    Better Auth's ``getCookieCache`` does (Better Auth 1.3's ``compact`` cookies have no
    ``updatedAt``), ``None`` when there is no such cookie, and raises an
    :class:`errors.JOSEError` (with its code) when the cookie is forged, tampered with, expired
    or unreadable, or when the strategy needs a secret that is missing. Errors never contain
    the cookie or the session data. Finding the cookie and every check are the core's
    (the same code as the npm package's ``readSessionCookie``).
    """
    if secret is not None and not isinstance(secret, str):
        raise TypeError("secret must be a str")
    if version is not None and not isinstance(version, str):
        raise TypeError("version must be a str")
    if jwks is None or isinstance(jwks, str):
        jwks_text = jwks
    elif isinstance(jwks, bytes):
        jwks_text = jwks.decode("utf-8")
    elif isinstance(jwks, Mapping):
        jwks_text = json.dumps(jwks, sort_keys=True)
    else:
        raise TypeError("jwks must be a JWKS dict or its JSON text")
    options: Dict[str, Any] = dict(
        strategy=strategy,
        secret=secret,
        jwks=jwks_text,
        issuer=_str_list("issuer", issuer),
        audience=_str_list("audience", audience),
        cookie_prefix=cookie_prefix,
        cookie_name=cookie_name,
        is_secure=is_secure,
        version=version,
    )
    key = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(options.items()))
    reader = _reader(key, **options)
    header = _header_of(cookie_header, "cookie")
    if not header:
        return None
    result: Optional[Dict[str, Any]] = reader.read(header, _edgejwt._now_ms(now))
    return result


def get_bearer_token(source: Any) -> str:
    """The token of an ``Authorization: Bearer <token>`` header. ``source``: the header value,
    a Starlette/FastAPI ``Request`` or a headers mapping. Raises :class:`errors.JWSInvalid`
    (with a hint) when the header is missing or not a Bearer header."""
    value = _header_of(source, "authorization")
    token: str = _edgejwt.bearer_token(value)
    return token

"""A local Better Auth for tests: a JWKS endpoint on 127.0.0.1, tokens shaped like the jwt
plugin's, key rotation, outages, and session cookies, so an app's tests never run Better Auth.

>>> from edgejwt.testing import Issuer
>>> with Issuer(alg="EdDSA") as issuer:           # serves {issuer.base_url}/api/auth/jwks
...     token = issuer.token(sub="user_1", role="admin")
...     issuer.rotate()                            # a new key; the old one stays listed
...     with issuer.outage("fail"):                # the endpoint answers 500 meanwhile
...         ...

With pytest, the ``better_auth`` fixture (from the plugin this package registers) is an
:class:`Issuer`, new for each test and closed after it.

Signing is test-only and uses ``cryptography``: ``pip install "edgejwt[testing]"``. edgejwt's
verification never imports this module.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as _dt
import hashlib
import hmac
import threading
import time
import urllib.parse
import uuid as _uuid
from typing import Any, Dict, Iterator, List, Mapping, Optional, Union

try:
    from ._jose import ALGORITHMS, SigningKey, encode_jws, hs256, js_date, js_json, random_id
except ImportError as e:  # pragma: no cover - depends on the environment
    if getattr(e, "name", None) == "cryptography" or "cryptography" in str(e):
        raise ImportError('edgejwt.testing signs tokens with cryptography: pip install "edgejwt[testing]"') from e
    raise
from ._server import GARBAGE, JWKS_PATH, JwksEndpoint

__all__ = ["Issuer", "ALGORITHMS", "COOKIE_STRATEGIES", "DEFAULT_SECRET", "GARBAGE_BODY", "OUTAGE_MODES", "js_json", "user_uuid"]

Seconds = Union[int, float, _dt.timedelta]

#: The secret session cookies are signed with unless ``Issuer(secret=...)`` says otherwise
#: (Better Auth's ``BETTER_AUTH_SECRET``; at least 32 characters, as Better Auth wants).
DEFAULT_SECRET = "edgejwt-testing-secret-0123456789abcdefghij"

#: ``issuer.outage(mode)``: the endpoint answers 500, never answers, or answers 200 with HTML.
OUTAGE_MODES = ("fail", "hang", "garbage")

#: Better Auth's cookie cache strategies the issuer writes (``session.cookieCache.strategy``).
COOKIE_STRATEGIES = ("compact", "jwt")

#: The audience of the jwt plugin's session-cache JWT (``sessionCookieCache: true``).
SESSION_CACHE_AUDIENCE = "better-auth:session-cache"
SESSION_CACHE_TYP = "better-auth.session-cache+jwt"

_KEEP = object()


def _seconds(value: Seconds) -> float:
    return value.total_seconds() if isinstance(value, _dt.timedelta) else float(value)


def user_uuid(sub: str) -> str:
    """The ``uuid`` claim :meth:`Issuer.token` gives user ``sub`` by default: a UUID derived from
    the id (version 5), the same in every test run."""
    return str(_uuid.uuid5(_uuid.NAMESPACE_URL, f"better-auth-user:{sub}"))


def _drop_none(mapping: Mapping[str, Any]) -> Dict[str, Any]:
    return {k: v for k, v in mapping.items() if v is not None}


class _Key:
    __slots__ = ("signing", "published", "removed_at")

    def __init__(self, signing: SigningKey) -> None:
        self.signing = signing
        self.published = True
        #: time.monotonic() after which the key leaves the JWKS (a grace period), or None.
        self.removed_at: Optional[float] = None

    def listed(self, now: float) -> bool:
        return self.published and (self.removed_at is None or now < self.removed_at)


class Issuer:
    """A Better Auth stand-in for tests, serving its JWKS at a real URL on 127.0.0.1.

    ``Issuer(*, alg="EdDSA", secret=DEFAULT_SECRET, expires_in=900, kid=None)``

    - ``base_url``: ``http://127.0.0.1:<port>``, what Better Auth's ``BETTER_AUTH_URL`` is: the
      tokens' ``iss`` and ``aud``. ``jwks_url``: ``{base_url}/api/auth/jwks``.
    - ``alg``: the jwt plugin's ``keyPairConfig.alg``: ``EdDSA`` (its default), ``ES256``,
      ``ES512``, ``RS256`` or ``PS256``. ``kid``: the first key's id (default: random, 32
      characters like Better Auth's).
    - ``secret``: ``BETTER_AUTH_SECRET``, for :meth:`session_cookie`.
    - ``expires_in``: the tokens' lifetime in seconds (the plugin's default: 15 minutes).

    ``requests`` counts the JWKS requests served (failed ones too). Close it (or use ``with``)
    to stop the server; the pytest fixture ``better_auth`` does.
    """

    def __init__(
        self,
        *,
        alg: str = "EdDSA",
        secret: str = DEFAULT_SECRET,
        expires_in: Seconds = 900,
        kid: Optional[str] = None,
    ) -> None:
        self.alg = alg
        self.secret = secret
        self.expires_in = _seconds(expires_in)
        self._lock = threading.Lock()
        self._keys: List[_Key] = [_Key(SigningKey(alg, kid))]
        self._endpoint = JwksEndpoint(self.jwks)
        #: ``BETTER_AUTH_URL`` of this issuer: the tokens' ``iss`` and ``aud``.
        self.base_url: str = self._endpoint.url
        #: Where the JWKS is served: ``{base_url}/api/auth/jwks``, as Better Auth serves it.
        self.jwks_url: str = self.base_url + JWKS_PATH

    # -- keys ------------------------------------------------------------------------------

    @property
    def kid(self) -> str:
        """The ``kid`` of the current signing key (the newest)."""
        return self._keys[-1].signing.kid

    @property
    def kids(self) -> List[str]:
        """The ``kid`` of every key the JWKS lists now, oldest first."""
        now = time.monotonic()
        with self._lock:
            return [k.signing.kid for k in self._keys if k.listed(now)]

    @property
    def requests(self) -> int:
        """How many JWKS requests the endpoint has received (answered or not)."""
        return self._endpoint.requests

    def jwks(self) -> Dict[str, Any]:
        """The JWKS the endpoint serves now: ``{"keys": [...]}``, newest key first, as Better
        Auth lists them (public keys only)."""
        now = time.monotonic()
        with self._lock:
            return {"keys": [dict(k.signing.jwk) for k in reversed(self._keys) if k.listed(now)]}

    def rotate(self, *, grace_period: Optional[Seconds] = None, alg: Optional[str] = None) -> str:
        """Creates a new signing key (what Better Auth does when ``rotationInterval`` has
        passed) and returns its ``kid``. New tokens are signed with it.

        ``grace_period``: how long the previous keys stay in the JWKS, in seconds. ``None``
        (default): they stay until :meth:`remove_key` (Better Auth keeps them 30 days); ``0``:
        they leave it at once. ``alg``: the new key's algorithm (default: the issuer's)."""
        key = _Key(SigningKey(alg or self.alg))
        with self._lock:
            if grace_period is not None:
                until = time.monotonic() + _seconds(grace_period)
                for old in self._keys:
                    if old.removed_at is None or old.removed_at > until:
                        old.removed_at = until
            self._keys.append(key)
        return key.signing.kid

    def remove_key(self, kid: str) -> None:
        """Takes the key ``kid`` out of the JWKS (tokens can still be signed with it, to test
        a key that was rotated away). ``KeyError`` if there is no such key."""
        with self._lock:
            for k in self._keys:
                if k.signing.kid == kid:
                    k.published = False
                    return
        raise KeyError(kid)

    def _signing_key(self, kid: Optional[str]) -> SigningKey:
        if kid is None:
            return self._keys[-1].signing
        with self._lock:
            for k in self._keys:
                if k.signing.kid == kid:
                    return k.signing
        # An unknown kid: signed with the current key, named as asked (a token from a key
        # this JWKS never had).
        return self._keys[-1].signing

    # -- tokens ----------------------------------------------------------------------------

    def token(
        self,
        sub: Optional[str] = "user_1",
        *,
        uuid: Any = _KEEP,
        email: Any = _KEEP,
        name: Any = _KEEP,
        expires_in: Optional[Seconds] = None,
        kid: Optional[str] = None,
        header: Optional[Mapping[str, Any]] = None,
        **claims: Any,
    ) -> str:
        """A JWT as Better Auth's jwt plugin issues it (``GET /api/auth/token``), signed with
        the current key.

        Header ``{"alg", "kid"}`` (no ``typ``). Payload: ``iat``, the user (``id``,
        ``createdAt``, ``updatedAt``, ``email``, ``emailVerified``, ``name``), ``uuid``, your
        ``claims``, then ``sub``, ``exp``, ``iss`` and ``aud`` (both :attr:`base_url`).

        - ``sub``: the user id (``None``: a token without ``sub``, ``id``, ``email`` and
          ``uuid``). ``uuid``: default :func:`user_uuid(sub) <user_uuid>`;
          ``email`` default ``{sub}@example.com``; ``name`` default ``"Test User"``.
        - ``expires_in``: seconds (or a ``timedelta``) from now to ``exp``; negative for a
          token that has already expired. Default: the issuer's ``expires_in``.
        - ``kid``: sign with that key (a rotated or removed one); a ``kid`` the issuer never
          had is put in the header of a token signed with the current key.
        - ``header``: more header members (``{"typ": "JWT"}``); a ``None`` value removes one.
        - ``claims``: more claims, or replacements (``iss="https://evil.example"``,
          ``iat=...``); a claim set to ``None`` is left out (``exp=None``: a token without
          ``exp``).
        """
        key = self._signing_key(kid)
        now = int(time.time())
        lifetime = self.expires_in if expires_in is None else _seconds(expires_in)
        created = js_date(_dt.datetime.now(_dt.timezone.utc))
        payload: Dict[str, Any] = {
            "iat": now,
            "id": sub,
            "createdAt": created,
            "updatedAt": created,
            "email": (None if sub is None else f"{sub}@example.com") if email is _KEEP else email,
            "emailVerified": False,
            "name": "Test User" if name is _KEEP else name,
            "uuid": (None if sub is None else user_uuid(sub)) if uuid is _KEEP else uuid,
        }
        payload.update(claims)
        for claim, value in (("sub", sub), ("exp", now + int(lifetime)), ("iss", self.base_url), ("aud", self.base_url)):
            if claim in claims:
                payload[claim] = payload.pop(claim)  # keep Better Auth's order: last
            else:
                payload[claim] = value
        head: Dict[str, Any] = {"alg": key.alg, "kid": kid if kid is not None else key.kid}
        head.update(header or {})
        return encode_jws(_drop_none(head), _drop_none(payload), key.sign)

    def headers(self, sub: Optional[str] = "user_1", **options: Any) -> Dict[str, str]:
        """``{"Authorization": "Bearer <token>"}`` with :meth:`token(sub, **options) <token>`."""
        return {"Authorization": f"Bearer {self.token(sub, **options)}"}

    # -- outages ---------------------------------------------------------------------------

    @contextlib.contextmanager
    def outage(self, mode: str = "fail") -> Iterator["Issuer"]:
        """While the ``with`` block runs, the JWKS endpoint is down:

        - ``"fail"``: it answers ``500``;
        - ``"hang"``: it accepts the connection and never answers (until the block ends; then
          it drops the connection): any client timeout expires;
        - ``"garbage"``: it answers ``200`` with an HTML error page, not a key set.
        """
        if mode not in OUTAGE_MODES:
            raise ValueError(f"outage mode must be one of {', '.join(OUTAGE_MODES)}, not {mode!r}")
        previous = self._endpoint.mode
        self._endpoint.set_mode(mode)
        try:
            yield self
        finally:
            self._endpoint.set_mode(previous)

    # -- session cookies -------------------------------------------------------------------

    def session_data(
        self,
        user: Union[None, str, Mapping[str, Any]] = None,
        *,
        session: Optional[Mapping[str, Any]] = None,
    ) -> Dict[str, Any]:
        """The session data Better Auth keeps in its cookie cache, ``{"session", "user",
        "updatedAt", "version"}``, with the members in Better Auth's order.

        ``user``: a user id, or a dict of user fields (``id``, ``email``, ``name``, any
        additional field) over the defaults (``user_1``, ``{id}@example.com``, ``"Test
        User"``). ``session``: session fields over the defaults (``expiresAt`` in 7 days,
        random ``token`` and ``id``, ``userId`` = the user's id). ``datetime`` values are
        written as JavaScript writes dates."""
        fields = {"id": user} if isinstance(user, str) else dict(user or {})
        user_id = str(fields.get("id", "user_1"))
        now = _dt.datetime.now(_dt.timezone.utc)
        created = js_date(now)
        user_data: Dict[str, Any] = {
            "name": "Test User",
            "email": f"{user_id}@example.com",
            "emailVerified": False,
            "createdAt": created,
            "updatedAt": created,
        }
        user_data.update({k: v for k, v in fields.items() if k != "id"})
        user_data["id"] = user_id
        session_data: Dict[str, Any] = {
            "expiresAt": js_date(now + _dt.timedelta(days=7)),
            "token": random_id(),
            "createdAt": created,
            "updatedAt": created,
            "ipAddress": "",
            "userAgent": "",
            "userId": user_id,
            "id": random_id(),
        }
        session_data.update(session or {})
        return {"session": session_data, "user": user_data, "updatedAt": int(now.timestamp() * 1000), "version": "1"}

    def session_cookie(
        self,
        user: Union[None, str, Mapping[str, Any]] = None,
        *,
        strategy: str = "compact",
        signed_by: str = "secret",
        session: Optional[Mapping[str, Any]] = None,
        data: Optional[Mapping[str, Any]] = None,
        expires_in: Seconds = 300,
        cookie_prefix: str = "better-auth",
        secure: bool = False,
    ) -> str:
        """A ``Cookie`` header value with Better Auth's session cookies, as a signed-in browser
        sends them: ``better-auth.session_token`` (signed with the secret) and the cookie cache
        ``better-auth.session_data``.

        - ``strategy``: ``session.cookieCache.strategy``: ``"compact"`` (base64url JSON with an
          HMAC-SHA-256 over JavaScript's ``JSON.stringify``) or ``"jwt"`` (an HS256 JWT keyed
          with the secret).
        - ``signed_by="jwks"`` (with ``"jwt"``): the jwt plugin's ``sessionCookieCache: true``
          variant, signed with the issuer's current key, ``typ:
          better-auth.session-cache+jwt``, ``aud: better-auth:session-cache``, ``iss`` = the
          base URL.
        - ``user``, ``session``: see :meth:`session_data`; or ``data``: the whole session data.
        - ``expires_in``: the cookie cache's ``maxAge`` (seconds; negative: already expired).
        - ``cookie_prefix``: ``advanced.cookiePrefix``; ``secure``: the ``__Secure-`` names
          (an https base URL).
        """
        if strategy not in COOKIE_STRATEGIES:
            raise ValueError(f"strategy must be one of {', '.join(COOKIE_STRATEGIES)}, not {strategy!r}")
        if signed_by not in ("secret", "jwks"):
            raise ValueError('signed_by must be "secret" or "jwks"')
        if signed_by == "jwks" and strategy != "jwt":
            raise ValueError('signed_by="jwks" is the jwt plugin\'s session-cache JWT: use it with strategy="jwt"')
        payload = dict(data) if data is not None else self.session_data(user, session=session)
        now_ms = int(time.time() * 1000)
        max_age = _seconds(expires_in)
        if strategy == "compact":
            expires_at = now_ms + int(max_age * 1000)
            signed = js_json({**payload, "expiresAt": expires_at})
            signature = hmac.new(self.secret.encode("utf-8"), signed.encode("utf-8"), hashlib.sha256).digest()
            envelope = {"session": payload, "expiresAt": expires_at, "signature": _b64url(signature)}
            value = _b64url(js_json(envelope).encode("utf-8"))
        else:
            now = now_ms // 1000
            if signed_by == "secret":
                value = encode_jws({"alg": "HS256"}, {**payload, "iat": now, "exp": now + int(max_age)}, hs256(self.secret))
            else:
                key = self._keys[-1].signing
                claims = {
                    **payload,
                    "sid": payload["session"]["token"],
                    "iat": now,
                    "exp": now + int(max_age),
                    "iss": self.base_url,
                    "aud": SESSION_CACHE_AUDIENCE,
                    "sub": payload["user"]["id"],
                }
                value = encode_jws({"alg": key.alg, "kid": key.kid, "typ": SESSION_CACHE_TYP}, claims, key.sign)
        prefix = "__Secure-" if secure else ""
        token = payload["session"].get("token", "")
        mac = base64.b64encode(hmac.new(self.secret.encode("utf-8"), str(token).encode("utf-8"), hashlib.sha256).digest())
        signed_token = urllib.parse.quote(f"{token}.{mac.decode('ascii')}", safe="")
        return f"{prefix}{cookie_prefix}.session_token={signed_token}; {prefix}{cookie_prefix}.session_data={value}"

    # -- life cycle ------------------------------------------------------------------------

    def close(self) -> None:
        """Stops the endpoint (a request hanging in an outage is dropped)."""
        self._endpoint.close()

    def __enter__(self) -> "Issuer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<edgejwt.testing.Issuer {self.alg} at {self.base_url} kid={self.kid!r}>"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


#: What ``outage("garbage")`` serves (status 200, ``text/html``).
GARBAGE_BODY = GARBAGE

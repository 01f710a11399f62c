"""FastAPI dependencies for Better Auth: the signed-in user from a Bearer JWT (or the session
cookie cache), with per-user path isolation.

>>> from typing import Annotated
>>> from fastapi import FastAPI, Security
>>> from edgejwt.fastapi import BetterAuth, User
>>> auth = BetterAuth("http://localhost:3000")   # BETTER_AUTH_URL: JWKS URL, iss and aud
>>> CurrentUser = Annotated[User, Security(auth.user)]
>>> @app.get("/me")
... def me(user: CurrentUser): ...
>>> @app.get("/users/{user_id}/tasks")
... def tasks(user_id: str, user: Annotated[User, Security(auth.owner("user_id"))]): ...

Answers (RFC 6750 section 3.1; ``status`` and ``bearer_error`` of the core's errors):

- no credentials (no ``Authorization`` header, or another scheme): **401** with a bare
  ``WWW-Authenticate: Bearer``;
- a malformed Bearer header (``Bearer`` alone, a token with spaces): **400**
  ``error="invalid_request"``;
- an invalid, expired or forged token: **401** ``WWW-Authenticate: Bearer
  error="invalid_token", error_description="<jose code>"``;
- the key set cannot be had (the JWKS endpoint down with nothing usable cached, a timeout,
  a set without usable keys, a set stale past ``stale_if_error``): **503** with ``Retry-After``
  and a generic body; the detail goes to the ``edgejwt`` logger, never to the client.

Bodies are ``{"detail": {"error", "code", "message", "hint"?}}``: never the token, never the
JWKS URL.

Needs the ``fastapi`` extra: ``pip install "edgejwt[fastapi]"``.
"""

from __future__ import annotations

import logging
import math
import uuid as _uuid
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, Mapping, Optional, Sequence, Union

from fastapi import HTTPException, Request, Security
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer

from . import RemoteJWKSet, Verifier, errors, get_bearer_token, read_session_cookie
from ._remote import Seconds

__all__ = ["BetterAuth", "User"]

logger = logging.getLogger("edgejwt")

#: Better Auth's default base path; the JWKS is served at ``{base_url}/api/auth/jwks``.
JWKS_PATH = "/api/auth/jwks"


@dataclass(frozen=True)
class User:
    """The signed-in user: ``id`` is the token's ``sub`` (for a session cookie: ``user.id``),
    ``email``, ``name`` and ``uuid`` when the token has them, ``claims`` the whole verified
    payload (for a session cookie: the session data, ``{"session", "user", ...}``)."""

    id: str
    email: Optional[str] = None
    name: Optional[str] = None
    uuid: Optional[str] = None
    claims: Dict[str, Any] = field(default_factory=dict, repr=False)

    @classmethod
    def from_claims(cls, claims: Mapping[str, Any]) -> "User":
        """The user of a verified JWT payload (``BetterAuth`` requires ``sub``)."""
        return cls(
            id=str(claims["sub"]),
            email=_str_or_none(claims.get("email")),
            name=_str_or_none(claims.get("name")),
            uuid=_str_or_none(claims.get("uuid")),
            claims=dict(claims),
        )

    @classmethod
    def from_session(cls, data: Mapping[str, Any]) -> "User":
        """The user of Better Auth's session data (the cookie cache)."""
        user = data.get("user") or {}
        return cls(
            id=str(user.get("id", "")),
            email=_str_or_none(user.get("email")),
            name=_str_or_none(user.get("name")),
            uuid=_str_or_none(user.get("uuid")),
            claims=dict(data),
        )


def _str_or_none(v: Any) -> Optional[str]:
    return v if isinstance(v, str) else None


class BetterAuth:
    """Verifies Better Auth JWTs (and optionally its session cookie cache) for FastAPI.

    ``BetterAuth(base_url=None, *, jwks_url=None, jwks=None, issuer=None, audience=None,
    algorithms=None, required_claims=(), clock_tolerance=0, max_token_age=None,
    cache_max_age=None, cooldown=None, timeout=None, stale_if_error=None, secret=None,
    cookie_strategy="compact", cookie_prefix="better-auth", cookie_jwks=None)``

    - ``base_url``: the app's ``BETTER_AUTH_URL``, exactly as Better Auth is configured with
      it. Better Auth signs ``iss`` and ``aud`` with it, so both are checked against it, and
      the JWKS is fetched from ``{base_url}/api/auth/jwks``.
    - ``jwks_url``: where to fetch the JWKS instead (behind docker compose often an internal
      host, ``http://web:3000/api/auth/jwks``, while ``iss`` stays the public URL), or
      ``jwks``: a key set you pass in.
    - ``issuer`` / ``audience``: override what ``base_url`` implies. Without ``base_url`` both
      are required: a token signed by the app's keys for anything else must not pass.
    - Tokens must carry ``sub`` (the user id) and ``exp``; the jwt plugin's session-cache JWT
      is refused as a Bearer token (``Verifier(..., better_auth=True)``, the core's rules).
    - ``cache_max_age``, ``cooldown``, ``timeout``, ``stale_if_error``: the remote set's policy
      (:class:`edgejwt.RemoteJWKSet`; default: the core's).
    - ``secret``, ``cookie_*``: for :attr:`session` (Better Auth's ``session.cookieCache``).

    Dependencies: :attr:`user`, :meth:`owner`, :attr:`session`. Create one ``BetterAuth`` per
    process (module level), never per request.
    """

    def __init__(
        self,
        base_url: Optional[str] = None,
        *,
        jwks_url: Optional[str] = None,
        jwks: Union[None, str, bytes, Mapping[str, Any], RemoteJWKSet] = None,
        issuer: Union[None, str, Sequence[str]] = None,
        audience: Union[None, str, Sequence[str]] = None,
        algorithms: Optional[Sequence[str]] = None,
        required_claims: Sequence[str] = (),
        clock_tolerance: Seconds = 0,
        max_token_age: Optional[Seconds] = None,
        cache_max_age: Optional[Seconds] = None,
        cooldown: Optional[Seconds] = None,
        timeout: Optional[Seconds] = None,
        stale_if_error: Optional[Seconds] = None,
        secret: Optional[str] = None,
        cookie_strategy: str = "compact",
        cookie_prefix: str = "better-auth",
        cookie_jwks: Union[None, str, bytes, Mapping[str, Any]] = None,
    ) -> None:
        if jwks_url is not None and jwks is not None:
            raise TypeError("BetterAuth takes jwks_url or jwks, not both")
        if jwks is None and jwks_url is None:
            if base_url is None:
                raise TypeError(
                    "BetterAuth needs the app's base URL: BetterAuth(BETTER_AUTH_URL) "
                    "(or jwks_url= / jwks= with issuer= and audience=)"
                )
            jwks_url = base_url.rstrip("/") + JWKS_PATH
        # Where each expected value comes from, for the hint of a mismatch.
        self._expected: Dict[str, str] = {}
        for claim, given, name in (("iss", issuer, "issuer"), ("aud", audience, "audience")):
            if given is not None:
                self._expected[claim] = f"{given!r} (the {name}= argument)"
            elif base_url is not None:
                self._expected[claim] = f"{base_url!r} (base_url, which Better Auth uses for iss and aud)"
            else:
                raise TypeError(
                    f"BetterAuth needs {name}=: Better Auth sets iss and aud to its base URL "
                    "(BETTER_AUTH_URL); pass base_url=BETTER_AUTH_URL, or issuer= and audience="
                )
        if jwks_url is not None:
            jwks = RemoteJWKSet(
                jwks_url, cache_max_age=cache_max_age, cooldown=cooldown, timeout=timeout, stale_if_error=stale_if_error
            )
        assert jwks is not None
        self.jwks = jwks
        self.verifier = Verifier(
            jwks,
            issuer=issuer if issuer is not None else base_url,
            audience=audience if audience is not None else base_url,
            algorithms=algorithms,
            required_claims=required_claims,
            clock_tolerance=clock_tolerance,
            max_token_age=max_token_age,
            better_auth=True,
        )
        retry = jwks.policy["cooldown"] if isinstance(jwks, RemoteJWKSet) else 30
        #: The ``Retry-After`` of 503 answers, in seconds: the remote set's cooldown.
        self.retry_after = max(1, math.ceil(retry))
        self._cookie_options: Dict[str, Any] = {
            "strategy": cookie_strategy,
            "secret": secret,
            "jwks": cookie_jwks,
            "cookie_prefix": cookie_prefix,
        }
        bearer = HTTPBearer(auto_error=False, description="A Better Auth JWT (GET /api/auth/token)")
        cookie = APIKeyCookie(
            name=f"{cookie_prefix}.session_data",
            auto_error=False,
            description="Better Auth's session cookie cache",
        )

        async def user(
            request: Request, credentials: Optional[HTTPAuthorizationCredentials] = Security(bearer)
        ) -> User:
            """The user of the request's ``Authorization: Bearer <jwt>`` (401, 400 or 503
            otherwise: see the module's documentation)."""
            try:
                # What HTTPBearer parsed, judged by the core's rule (one space-free token);
                # without credentials, the core tells a missing header or another scheme (401)
                # from a malformed Bearer header (400).
                if credentials is not None:
                    token = get_bearer_token(f"{credentials.scheme} {credentials.credentials}")
                else:
                    token = get_bearer_token(request)
                result = await self.verifier.verify_async(token)
            except errors.JOSEError as e:
                raise self._http_error(e) from None
            return User.from_claims(result.payload)

        async def session(request: Request, _cookie: Optional[str] = Security(cookie)) -> User:
            """The user of the request's Better Auth session cookie cache; 401 otherwise."""
            try:
                data = read_session_cookie(request, **self._cookie_options)
            except errors.JOSEError as e:
                raise self._http_error(e) from None
            if data is None:
                raise self._http_error(
                    errors.JWTInvalid(
                        "no Better Auth session cookie",
                        hint="enable session.cookieCache in Better Auth and send the request with its cookies",
                        bearer_error=None,
                    )
                )
            return User.from_session(data)

        #: Dependency: the :class:`User` of a valid Bearer JWT.
        self.user: Callable[..., Awaitable[User]] = user
        #: Dependency: the :class:`User` of a valid session cookie cache.
        self.session: Callable[..., Awaitable[User]] = session

    def _http_error(self, err: errors.JOSEError) -> HTTPException:
        """The answer for a failed authentication: the core's status and challenge."""
        if err.status == 503:
            # The operator's problem, not the client's: the detail (with the JWKS URL) is
            # logged; the client gets a generic body and when to retry.
            source = self.jwks._redacted_url if isinstance(self.jwks, RemoteJWKSet) else "the jwks argument"
            logger.error("edgejwt: no usable JSON Web Key Set from %s: %s [%s]", source, err.message, err.code)
            return HTTPException(
                status_code=503,
                detail={"error": "temporarily_unavailable", "message": "authentication is temporarily unavailable"},
                headers={"Retry-After": str(self.retry_after)},
            )
        challenge = "Bearer"
        if err.bearer_error is not None:
            # Fixed ASCII identifiers: safe inside the quoted header parameters.
            challenge += f' error="{err.bearer_error}", error_description="{err.code}"'
        detail: Dict[str, Any] = {"error": err.bearer_error or "unauthorized", "code": err.code, "message": err.message}
        hint = err.hint
        if err.claim in self._expected and err.code == "ERR_JWT_CLAIM_VALIDATION_FAILED":
            hint = f"{hint} Expected {self._expected[err.claim]}."
        if hint:
            detail["hint"] = hint
        return HTTPException(status_code=err.status, detail=detail, headers={"WWW-Authenticate": challenge})

    def owner(self, param: str, claim: Optional[str] = None, *, source: str = "bearer") -> Callable[..., Awaitable[User]]:
        """Dependency: the user, who must own the path: path parameter ``param`` must equal the
        token's ``claim`` (default ``sub``; ``uuid`` claims compare as UUIDs), or 403.
        ``source="session"`` reads the session cookie cache instead of the Bearer token (there,
        ``claim`` names a member of the session's ``user``, default ``id``)."""
        if source not in ("bearer", "session"):
            raise ValueError('source must be "bearer" or "session"')
        dependency = self.user if source == "bearer" else self.session
        name = claim if claim is not None else ("sub" if source == "bearer" else "id")

        async def owner(request: Request, user: User = Security(dependency)) -> User:
            if param not in request.path_params:
                raise RuntimeError(f"auth.owner({param!r}): the route has no path parameter {param!r}")
            wanted = str(request.path_params[param])
            claims = user.claims if source == "bearer" else (user.claims.get("user") or {})
            actual = claims.get(name)
            if not _same(wanted, actual, as_uuid=name == "uuid"):
                raise HTTPException(
                    status_code=403,
                    detail={"error": "forbidden", "message": f"this resource belongs to another user ({param} differs from the {name} claim)"},
                )
            return user

        return owner


def _same(wanted: str, actual: Any, *, as_uuid: bool) -> bool:
    if isinstance(actual, bool) or not isinstance(actual, (str, int)):
        return False
    if as_uuid:
        try:
            return _uuid.UUID(wanted) == _uuid.UUID(str(actual))
        except ValueError:
            return False
    return wanted == str(actual)


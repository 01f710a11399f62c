"""edgejwt: verify Better Auth JWTs, JWKS and session cookies with jose's rules.

The verification is done by edgejwt's Rust core (the same one the npm package runs as
WebAssembly), compiled into the extension ``edgejwt._edgejwt``. This package adds only I/O (the
remote JWKS over HTTP), framework glue (:mod:`edgejwt.fastapi`) and types.

>>> from edgejwt import Verifier, errors
>>> verifier = Verifier(jwks, issuer="http://localhost:3000", audience="http://localhost:3000")
>>> try:
...     claims = verifier.verify(token).payload
... except errors.JOSEError as e:
...     print(e.code, e.hint)

Build one :class:`Verifier` per process (or per key set) and share it: keys are prepared when
it is built, and per-key tables after a key's first few verifications. Never build one per
request.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Union

from . import errors
from ._cookie import get_bearer_token, read_session_cookie
from ._edgejwt import Verifier as _CoreVerifier
from ._edgejwt import VerifiedToken, __version__, algorithms, decode_unverified
from ._remote import RemoteJWKSet
from ._types import KeyInfo, KeyProblem, KeyVerdict, Selection

if TYPE_CHECKING:
    from datetime import datetime

__all__ = [
    "Verifier",
    "VerifiedToken",
    "RemoteJWKSet",
    "read_session_cookie",
    "get_bearer_token",
    "decode_unverified",
    "algorithms",
    "errors",
    "KeyInfo",
    "KeyProblem",
    "KeyVerdict",
    "Selection",
    "__version__",
]


class Verifier(_CoreVerifier):
    """Verifies JWTs against a JWKS prepared once, with fixed options (jose's ``jwtVerify``).

    ``Verifier(jwks, *, issuer=None, audience=None, algorithms=None, clock_tolerance=0,
    max_token_age=None, subject=None, typ=None, required_claims=(), better_auth=False)``

    - ``jwks``: a dict ``{"keys": [...]}``, its JSON text (str or bytes), or a
      :class:`RemoteJWKSet`.
    - ``issuer`` / ``audience``: a str or a list of str; the token's ``iss`` must be one of
      them, its ``aud`` must contain one of them.
    - ``algorithms``: allowed ``alg`` names (default: every algorithm the keys allow).
    - ``clock_tolerance`` / ``max_token_age``: seconds (int or float) or a ``timedelta``.
    - ``subject``, ``typ``: the exact ``sub`` claim and ``typ`` header required.
    - ``required_claims``: claim names that must be present.
    - ``better_auth``: the rules for Better Auth access tokens on top (what
      :class:`edgejwt.fastapi.BetterAuth` uses): ``sub`` and ``exp`` required, and the jwt
      plugin's session-cache JWT (``typ: better-auth.session-cache+jwt``) refused. Without it,
      jose's defaults: no claim is required.

    ``verify(token, *, now=None)`` returns a :class:`VerifiedToken` (``.payload``,
    ``.header``, ``.alg``) or raises an :class:`errors.JOSEError` subclass. ``now``: seconds
    since the epoch or an aware ``datetime`` (default: the current time). The GIL is released
    while the token is verified: share one verifier between threads.
    """

    __slots__ = ()

    async def verify_async(
        self, token: Union[str, bytes], *, now: Union[None, int, float, "datetime"] = None
    ) -> VerifiedToken:
        """Like :meth:`verify`, for ``async`` code: with a :class:`RemoteJWKSet`, a fetch of
        the key set runs in a worker thread, never on the event loop (verifications that the
        cached set can answer run at once)."""
        result = self._verify_cached(token, now=now)
        if result is not None:
            return result
        import asyncio

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, functools.partial(self.verify, token, now=now))

    def __repr__(self) -> str:
        return f"<edgejwt.Verifier with {len(self.keys())} key(s)>"


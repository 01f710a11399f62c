# Type stubs of the extension module (python/src/lib.rs). The public names are re-exported by
# edgejwt/__init__.py; see their docstrings there.
from datetime import datetime, timedelta
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union, final

from ._types import KeyInfo, Selection

__version__: str
__all__ = [
    "__version__",
    "Verifier",
    "VerifiedToken",
    "RemoteCache",
    "decode_unverified",
    "SessionCookieReader",
    "bearer_token",
    "_now_ms",
    "algorithms",
    "doctor",
    "doctor_jwks_paths",
]

_Now = Union[None, int, float, datetime]
_Seconds = Union[int, float, timedelta]
_Jwks = Union[str, bytes, Mapping[str, Any], "RemoteCache"]

@final
class VerifiedToken:
    """A verified JWT: ``payload`` (the claims), ``header`` (the protected header) and
    ``alg`` (the algorithm that verified the signature)."""

    @property
    def payload(self) -> Dict[str, Any]: ...
    @property
    def header(self) -> Dict[str, Any]: ...
    @property
    def alg(self) -> str: ...

class Verifier:
    def __new__(
        cls,
        jwks: _Jwks,
        *,
        issuer: Union[None, str, Sequence[str]] = None,
        audience: Union[None, str, Sequence[str]] = None,
        algorithms: Optional[Sequence[str]] = None,
        clock_tolerance: Optional[_Seconds] = None,
        max_token_age: Optional[_Seconds] = None,
        subject: Optional[str] = None,
        typ: Optional[str] = None,
        required_claims: Optional[Sequence[str]] = None,
        better_auth: bool = False,
    ) -> "Verifier": ...
    def verify(self, token: Union[str, bytes], *, now: _Now = None) -> VerifiedToken: ...
    def _verify_cached(self, token: Union[str, bytes], *, now: _Now = None) -> Optional[VerifiedToken]: ...
    def keys(self) -> List[KeyInfo]: ...
    def selection(self, token: Union[str, bytes]) -> Selection: ...

class RemoteCache:
    def __new__(
        cls,
        url: str,
        *,
        cache_max_age: Optional[_Seconds] = None,
        cooldown: Optional[_Seconds] = None,
        timeout: Optional[_Seconds] = None,
        stale_if_error: Optional[_Seconds] = None,
        headers: Optional[Mapping[str, str]] = None,
    ) -> "RemoteCache": ...
    @property
    def url(self) -> str: ...
    @property
    def policy(self) -> Dict[str, float]: ...
    @property
    def _warnings(self) -> List[str]: ...
    @property
    def _redacted_url(self) -> str: ...
    def reload(self) -> None: ...
    @property
    def fresh(self) -> bool: ...
    def jwks(self) -> Optional[Dict[str, Any]]: ...

def decode_unverified(token: Union[str, bytes]) -> Tuple[Dict[str, Any], Dict[str, Any]]: ...
def algorithms() -> List[str]: ...
def doctor(observations: str, json: bool) -> str: ...
def doctor_jwks_paths() -> List[str]: ...

@final
class SessionCookieReader:
    def __new__(
        cls,
        *,
        strategy: str,
        secret: Optional[str],
        jwks: Optional[str],
        issuer: Optional[List[str]],
        audience: Optional[List[str]],
        cookie_prefix: str,
        cookie_name: str,
        is_secure: Optional[bool],
        version: Optional[str],
    ) -> "SessionCookieReader": ...
    def read(self, cookie_header: str, now_ms: float) -> Optional[Dict[str, Any]]: ...

def bearer_token(authorization: Optional[str]) -> str: ...
def _now_ms(now: _Now = None) -> float: ...

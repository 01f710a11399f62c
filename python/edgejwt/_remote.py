"""The remote JWKS: HTTP with the standard library. When to fetch, what to serve, whether a
fetched set replaces the cached one and when to give up are decided by the core's cache state
machine (the same one the npm package's ``createRemoteJWKSet`` runs); this file only fetches."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Mapping, Optional, Tuple, Union

from . import _edgejwt

Seconds = Union[int, float, timedelta]


class RemoteJWKSet(_edgejwt.RemoteCache):
    """A JWKS fetched from ``url`` and cached: pass it to :class:`edgejwt.Verifier` as ``jwks``.

    ``RemoteJWKSet(url, *, cache_max_age=600, cooldown=30, timeout=5, headers=None)``
    (seconds or ``timedelta``), jose's ``createRemoteJWKSet``:

    - one fetch at first use, then the set is served for ``cache_max_age`` (and refreshed in
      the background after that, while the stale set is still served);
    - a token whose ``kid`` is not in the set triggers a refetch, at most one attempt per
      ``cooldown``, so rotated keys are picked up without hammering the endpoint;
    - when the endpoint fails, times out (``timeout``), answers with a body larger than 1 MiB or
      a set the core rejects, the last good set is kept;
    - symmetric (``oct``) keys from a remote set are never used.

    Share one instance per URL and process (e.g. a module-level constant); it is thread-safe.
    """

    __slots__ = ()

    def _fetch(self, url: str, timeout: float, max_bytes: int, headers: Optional[Mapping[str, str]]) -> Tuple[str, Any]:
        """One GET of the key set (called by the extension when the core says "fetch").

        Returns ``("body", bytes)``, ``("status", int)``, ``("too_large", None)``,
        ``("timeout", None)`` or ``("failed", reason)``; never raises for network errors.
        """
        import socket
        import urllib.error
        import urllib.request

        request = urllib.request.Request(url, headers={"accept": "application/json", **dict(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked at construction)
                if response.status != 200:
                    return ("status", int(response.status))
                body = response.read(max_bytes + 1)
                if len(body) > max_bytes:
                    return ("too_large", None)
                return ("body", body)
        except urllib.error.HTTPError as e:
            return ("status", int(e.code))
        except (socket.timeout, TimeoutError):
            return ("timeout", None)
        except urllib.error.URLError as e:
            if isinstance(e.reason, (socket.timeout, TimeoutError)):
                return ("timeout", None)
            return ("failed", type(e.reason).__name__ if not isinstance(e.reason, str) else "connection failed")
        except OSError as e:
            return ("failed", type(e).__name__)

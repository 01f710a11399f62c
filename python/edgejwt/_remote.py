"""The remote JWKS: HTTP with the standard library. When to fetch, what to serve, whether a
fetched set replaces the cached one and when to give up are decided by the core's cache state
machine (the same one the npm package's ``createRemoteJWKSet`` runs); this file only fetches."""

from __future__ import annotations

import http.client
import logging
import socket
import ssl
import threading
import time
import urllib.parse
from datetime import timedelta
from typing import Any, List, Mapping, Optional, Set, Tuple, Union

from . import _edgejwt

Seconds = Union[int, float, timedelta]

logger = logging.getLogger("edgejwt")
_warned: Set[str] = set()
_warned_lock = threading.Lock()


def _warn_once(message: str, url: str) -> None:
    with _warned_lock:
        if message in _warned:
            return
        _warned.add(message)
    logger.warning("%s (%s)", message, url)


class RemoteJWKSet(_edgejwt.RemoteCache):
    """A JWKS fetched from ``url`` and cached: pass it to :class:`edgejwt.Verifier` as ``jwks``.

    ``RemoteJWKSet(url, *, cache_max_age=600, cooldown=30, timeout=5, stale_if_error=3600,
    headers=None)`` (seconds or ``timedelta``; the defaults are the core's, as in the npm
    package's ``createRemoteJWKSet``):

    - one fetch at first use, then the set is served for ``cache_max_age`` (and refreshed in
      the background after that, while the stale set is still served);
    - a token whose ``kid`` is not in the set triggers a refetch, at most one attempt per
      ``cooldown``, so rotated keys are picked up without hammering the endpoint;
    - ``timeout`` bounds a whole fetch (connection, headers and body); a caller never waits
      longer for one;
    - when the endpoint fails, times out, redirects (redirects are not followed, so ``headers``
      never reach another origin), answers with a body larger than 1 MiB, a set the core
      rejects or a set without a usable key, the last good set is kept, for at most
      ``stale_if_error`` past ``cache_max_age``; after that, verifications fail with the
      fetch's error (``status`` 503 in :mod:`edgejwt.fastapi`) until a fetch succeeds;
    - symmetric (``oct``) keys from a remote set are never used.

    A ``cooldown`` of 0, or ``http://`` to a host other than loopback, is logged once as a
    warning (logger ``edgejwt``).

    Share one instance per URL and process (e.g. a module-level constant); it is thread-safe.
    """

    __slots__ = ()

    def __init__(self, url: str, **_options: Any) -> None:
        for message in self._warnings:
            _warn_once(message, self._redacted_url)

    def _fetch(self, url: str, timeout: float, max_bytes: int, headers: Optional[Mapping[str, str]]) -> Tuple[str, Any]:
        """One GET of the key set (called by the extension, on a fetch thread).

        Returns ``("body", bytes)``, ``("status", int)`` (any status but 200, redirects
        included), ``("too_large", None)``, ``("timeout", None)`` or ``("failed", reason)``;
        never raises for network errors. ``timeout`` bounds the whole fetch: at the deadline a
        timer shuts the socket down, so a server that drips bytes cannot hold it longer.
        """
        deadline = time.monotonic() + timeout
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        connection: http.client.HTTPConnection
        if parts.scheme.lower() == "https":
            connection = http.client.HTTPSConnection(
                host, parts.port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = http.client.HTTPConnection(host, parts.port, timeout=timeout)
        # The socket, once connected: the response keeps reading from it after http.client
        # drops its own reference (Connection: close).
        sockets: List[socket.socket] = []
        timer = threading.Timer(timeout, _shut_down, (sockets,))
        timer.daemon = True
        timer.start()
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request_headers = {"Accept": "application/json", "User-Agent": "edgejwt", **dict(headers or {})}
        try:
            connection.connect()
            if connection.sock is not None:
                sockets.append(connection.sock)
            if time.monotonic() >= deadline:
                # The timer may have fired before the socket was known.
                return ("timeout", None)
            connection.request("GET", target, headers=request_headers)
            response = connection.getresponse()
            if response.status != 200:
                return ("status", int(response.status))
            body = bytearray()
            while len(body) <= max_bytes:
                chunk = response.read(min(65536, max_bytes + 1 - len(body)))
                if not chunk:
                    break
                body += chunk
            if time.monotonic() >= deadline:
                return ("timeout", None)
            if len(body) > max_bytes:
                return ("too_large", None)
            return ("body", bytes(body))
        except (socket.timeout, TimeoutError):
            return ("timeout", None)
        except (OSError, http.client.HTTPException) as e:
            if time.monotonic() >= deadline:
                return ("timeout", None)
            return ("failed", type(e).__name__)
        finally:
            timer.cancel()
            connection.close()


def _shut_down(sockets: List[socket.socket]) -> None:
    """Ends a fetch at its deadline: a blocked read returns at once."""
    for sock in sockets:
        try:
            # The plain socket's shutdown (also for TLS sockets): it only touches the descriptor.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

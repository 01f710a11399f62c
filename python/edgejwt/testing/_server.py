"""The test issuer's HTTP endpoint: ``GET /api/auth/jwks`` on 127.0.0.1, with outages."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Optional

#: What ``outage("garbage")`` answers: a proxy's error page with status 200.
GARBAGE = b"<!doctype html><title>502 Bad Gateway</title><h1>upstream unavailable</h1>"

JWKS_PATH = "/api/auth/jwks"


class JwksEndpoint:
    """Serves ``jwks()`` at ``/api/auth/jwks`` on an ephemeral 127.0.0.1 port, in threads."""

    def __init__(self, jwks: Callable[[], Any], host: str = "127.0.0.1") -> None:
        self._jwks = jwks
        self.mode: Optional[str] = None
        self.requests = 0
        self._lock = threading.Lock()
        self._release = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                if self.path.split("?")[0] != JWKS_PATH:
                    self._send(404, b'{"error":"not found"}', "application/json")
                    return
                with outer._lock:
                    outer.requests += 1
                    mode = outer.mode
                    release = outer._release
                if mode == "hang":
                    # Never answer while the outage lasts; then drop the connection unanswered.
                    release.wait()
                    self.close_connection = True
                    return
                if mode == "fail":
                    self._send(500, b'{"message":"Internal Server Error"}', "application/json")
                elif mode == "garbage":
                    self._send(200, GARBAGE, "text/html")
                else:
                    self._send(200, json.dumps(outer._jwks()).encode(), "application/json")

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("content-type", content_type)
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self.url = f"http://{host}:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="edgejwt-test-issuer", daemon=True
        )
        self._thread.start()

    def set_mode(self, mode: Optional[str]) -> None:
        with self._lock:
            if self.mode == "hang" and mode != "hang":
                self._release.set()
                self._release = threading.Event()
            self.mode = mode

    def close(self) -> None:
        self._release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

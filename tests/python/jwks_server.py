"""A JWKS endpoint the tests control: serves /api/auth/jwks, counts requests, can go down,
answer slowly or serve any body."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional


class JwksServer:
    """Serves /api/auth/jwks with a JWKS the test sets; counts requests; can go down."""

    def __init__(self) -> None:
        self.jwks: Any = {"keys": []}
        self.requests = 0
        self.down = False
        self.delay = 0.0
        self.raw: Optional[bytes] = None
        #: Answer 302 to this URL instead.
        self.redirect_to: Optional[str] = None
        #: Send the body one byte at a time, this many seconds apart.
        self.drip = 0.0
        #: The request headers of each request.
        self.seen_headers: list = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                outer.requests += 1
                outer.seen_headers.append(dict(self.headers))
                if outer.redirect_to:
                    self.send_response(302)
                    self.send_header("location", outer.redirect_to)
                    self.end_headers()
                    return
                if outer.delay:
                    time.sleep(outer.delay)
                if outer.down or self.path.split("?")[0] != "/api/auth/jwks":
                    self.send_response(503 if outer.down else 404)
                    self.end_headers()
                    return
                body = outer.raw if outer.raw is not None else json.dumps(outer.jwks).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                if outer.drip:
                    for i in range(len(body)):
                        try:
                            self.wfile.write(body[i : i + 1])
                            self.wfile.flush()
                        except OSError:
                            return
                        time.sleep(outer.drip)
                    return
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()



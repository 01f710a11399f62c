"""Starts a real Better Auth server (tests/better-auth/server.mjs through driver.mjs) as a Node
subprocess on 127.0.0.1, talks to it over its stdin/stdout, and stops it by PID."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from typing import Any, Dict, Optional

from conftest import ROOT

DRIVER = ROOT / "tests" / "better-auth" / "driver.mjs"
NODE_MODULES = ROOT / "tests" / "better-auth" / "node_modules" / "better-auth"


def available() -> Optional[str]:
    """None when a server can start, else why not."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not NODE_MODULES.exists():
        return "tests/better-auth/node_modules is missing (bash scripts/setup.sh installs it)"
    return None


class BetterAuthServer:
    def __init__(self, **options: Any) -> None:
        self.proc = subprocess.Popen(
            ["node", str(DRIVER), json.dumps(options)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(DRIVER.parent),
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            self.stop()
            raise RuntimeError(f"Better Auth server did not start: {err[-2000:]}")
        self.info: Dict[str, Any] = json.loads(line)
        assert self.info["baseURL"].startswith("http://127.0.0.1:")

    @property
    def url(self) -> str:
        return self.info["baseURL"]

    def command(self, cmd: str, **args: Any) -> Dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps({"cmd": cmd, **args}) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        if "error" in reply:
            raise RuntimeError(reply["error"])
        return reply

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if f:
                f.close()

    def __enter__(self) -> "BetterAuthServer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

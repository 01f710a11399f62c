"""A Node script as a test server: it prints one JSON line when ready, answers one JSON line per
command line on stdin, and is stopped by PID (SIGTERM, then SIGKILL)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path
from typing import Any, Dict, List


class NodeDriver:
    def __init__(self, args: List[str], cwd: Path, what: str) -> None:
        self.proc = subprocess.Popen(
            ["node", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(cwd),
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            err = self.proc.stderr.read() if self.proc.stderr else ""
            self.stop()
            raise RuntimeError(f"{what} did not start: {err[-2000:]}")
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

    def __enter__(self) -> "NodeDriver":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop()

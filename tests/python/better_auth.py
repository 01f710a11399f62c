"""Starts a real Better Auth server (tests/better-auth/server.mjs through driver.mjs) as a Node
subprocess on 127.0.0.1, talks to it over its stdin/stdout, and stops it by PID."""

from __future__ import annotations

import json
import shutil
from typing import Any, Optional

from conftest import ROOT
from node_driver import NodeDriver

DRIVER = ROOT / "tests" / "better-auth" / "driver.mjs"
NODE_MODULES = ROOT / "tests" / "better-auth" / "node_modules" / "better-auth"


def available() -> Optional[str]:
    """None when a server can start, else why not."""
    if shutil.which("node") is None:
        return "node is not on PATH"
    if not NODE_MODULES.exists():
        return "tests/better-auth/node_modules is missing (bash scripts/setup.sh installs it)"
    return None


class BetterAuthServer(NodeDriver):
    def __init__(self, **options: Any) -> None:
        super().__init__([str(DRIVER), json.dumps(options)], DRIVER.parent, "Better Auth server")

    def __enter__(self) -> "BetterAuthServer":
        return self

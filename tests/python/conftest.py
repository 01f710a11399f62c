"""Shared helpers of the Python tests (pytest; run by `npm test`, or
`.venv/bin/python -m pytest tests/python` after `bash scripts/setup.sh`)."""

from __future__ import annotations

import json
import pathlib
from typing import Any, Dict

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"


def load(name: str) -> Dict[str, Any]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def jose_fixture() -> Dict[str, Any]:
    """tests/fixtures/jose.json: keys and tokens for every algorithm, signed by jose."""
    return load("jose.json")


@pytest.fixture(scope="session")
def crosscheck() -> Dict[str, Any]:
    """tests/fixtures/crosscheck.json: the error-code table the JS tests check too."""
    return load("crosscheck.json")

"""Shared helpers of the Python tests (pytest; run by `npm test`, or
`.venv/bin/python -m pytest tests/python` after `bash scripts/setup.sh`)."""

from __future__ import annotations

import json
import os
import pathlib
import sys
from typing import Any, Dict

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

# `npm run release:check` runs this suite against the wheel installed in a fresh venv
# (EDGEJWT_TEST_INSTALLED=<that venv>): the package must come from the venv's site-packages,
# never from the checkout's python/edgejwt.
_INSTALLED = os.environ.get("EDGEJWT_TEST_INSTALLED")
if _INSTALLED:
    import edgejwt

    _where = pathlib.Path(edgejwt.__file__).resolve()
    _venv = pathlib.Path(_INSTALLED).resolve()
    assert _venv in _where.parents and "site-packages" in _where.parts, (
        f"edgejwt imported from {_where}, not from {_venv}'s site-packages"
    )
    assert ROOT / "python" not in _where.parents, f"edgejwt imported from the checkout: {_where}"
    assert pathlib.Path(sys.prefix).resolve() == _venv, f"pytest runs in {sys.prefix}, not {_venv}"


def pytest_report_header(config: Any) -> str:
    import edgejwt

    return f"edgejwt {edgejwt.__version__} from {pathlib.Path(edgejwt.__file__).parent}"


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

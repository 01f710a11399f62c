"""docs/testing.md: its snippets are the files of examples/testing byte for byte, and the
FastAPI example's tests pass in a fresh pytest that gets the better_auth fixture from the
installed package (the handler's tests run with the packed npm package in scripts/test-js.sh)."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT

GUIDE = ROOT / "docs" / "testing.md"
EXAMPLES = ROOT / "examples" / "testing"
FILES = {"app.py": "python", "test_app.py": "python", "handler.mjs": "js", "handler.test.mjs": "js"}


def test_the_guide_shows_the_example_files_unchanged():
    guide = GUIDE.read_text(encoding="utf-8")
    for name, lang in FILES.items():
        source = (EXAMPLES / name).read_text(encoding="utf-8")
        block = f"<!-- example: examples/testing/{name} -->\n```{lang}\n{source}```\n<!-- /example -->"
        assert guide.count(block) == 1, name
    # Every code block of the guide is one of those files.
    assert len(re.findall(r"^```[a-z]+$", guide, flags=re.M)) == len(FILES)
    assert sorted(re.findall(r"<!-- example: examples/testing/([^ ]+) -->", guide)) == sorted(FILES)


def test_the_guide_s_fastapi_tests_pass_with_the_installed_plugin():
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "ignore::DeprecationWarning", "test_app.py"],
        cwd=EXAMPLES, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert re.search(r"^10 passed", out.stdout.splitlines()[-1]), out.stdout

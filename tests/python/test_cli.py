"""`python -m edgejwt verify|jwks|decode`: the npm CLI's commands, output and exit statuses."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import FIXTURES, load

JOSE = load("jose.json")
ED = next(t for t in JOSE["tokens"] if t["name"] == "EdDSA")


def run(*args, stdin=None):
    p = subprocess.run([sys.executable, "-m", "edgejwt", *args], capture_output=True, text=True, input=stdin, timeout=60)
    return p.returncode, p.stdout, p.stderr


def jwks_file(tmp_path, jwks):
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks))
    return str(path)


def test_verify_valid_json(tmp_path):
    code, out, _ = run("verify", ED["token"], "--jwks", jwks_file(tmp_path, JOSE["jwks"]), "--now", str(JOSE["now"]),
                       "--issuer", "http://localhost:3000", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["valid"] is True and data["payload"] == ED["payload"]
    assert data["protectedHeader"] == {"alg": "EdDSA", "kid": "ed25519-1"}
    assert data["key"]["kid"] == "ed25519-1"


def test_verify_expired_human_output_and_token_from_stdin(tmp_path):
    code, out, _ = run("verify", "-", "--jwks", jwks_file(tmp_path, JOSE["jwks"]), "--now", "2027-01-01T00:00:00Z",
                       stdin=ED["token"] + "\n")
    assert code == 1
    assert out.startswith("INVALID  ERR_JWT_EXPIRED (claim exp, check_failed)")
    assert "hint     the token has expired" in out
    assert ED["token"] not in out


def test_verify_needs_jwks_usage_error():
    code, _, err = run("verify", ED["token"])
    assert code == 2 and "verify needs --jwks" in err


def test_jwks_lists_keys_and_flags_problems(tmp_path):
    code, out, _ = run("jwks", jwks_file(tmp_path, JOSE["jwks"]))
    assert code == 0 and out.startswith(f"{len(JOSE['jwks']['keys'])} keys")
    bad = {"keys": [dict(JOSE["jwks"]["keys"][0]), dict(JOSE["jwks"]["keys"][0])]}
    code, out, _ = run("jwks", jwks_file(tmp_path, bad), "--json")
    assert code == 1
    assert json.loads(out)["keys"][0]["problems"] == [
        {"id": "duplicate-kid", "message": 'duplicate kid "ed25519-1": a token naming it matches several keys'}
    ]


def test_decode_says_unverified():
    code, out, _ = run("decode", ED["token"])
    assert code == 0 and out.startswith("UNVERIFIED")
    assert '"Ada Lovelace"' in out


def test_decode_garbage_is_a_coded_error():
    code, _, err = run("decode", "garbage")
    assert code == 1 and err.startswith("edgejwt: ERR_JWT_INVALID")


def test_help_and_unknown_command():
    assert run("--help")[0] == 0
    assert run("frobnicate")[0] == 2

"""``python -m edgejwt``: verify a token, inspect a JWKS, decode a token (the same commands,
options, output and exit statuses as ``npx edgejwt``). Everything runs locally; a JWKS URL is
the only thing ever fetched."""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Sequence

from . import Verifier, decode_unverified, errors

USAGE = """usage:
  edgejwt verify <token|-> --jwks <file|url> [--issuer I] [--audience A] [--alg ALG]...
                 [--required-claim C]... [--clock-tolerance S] [--max-token-age S] [--now ISO|SECONDS] [--json]
  edgejwt jwks <file|url> [--json]
  edgejwt decode <token|-> [--json]

exit status: 0 valid / listed / decoded, 1 invalid token or unusable input, 2 usage error"""


class UsageError(Exception):
    pass


def parse_args(argv: Sequence[str]) -> Dict[str, Any]:
    args: Dict[str, Any] = {"_": [], "alg": [], "required_claim": []}
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if not a.startswith("--"):
            args["_"].append(a)
            continue
        key = a[2:].replace("-", "_")
        if key in ("json", "help"):
            args[key] = True
            continue
        if i >= len(argv):
            raise UsageError(f"{a} needs a value")
        value = argv[i]
        i += 1
        if isinstance(args.get(key), list):
            args[key].append(value)
        else:
            args[key] = value
    return args


def token_arg(t: str) -> str:
    return sys.stdin.read().strip() if t == "-" else t


def load_jwks(source: str) -> str:
    if re.match(r"^https?://", source):
        import urllib.error
        import urllib.request

        request = urllib.request.Request(source, headers={"accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                body: bytes = response.read(1024 * 1024 + 1)
                return body.decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            raise errors.JWKSInvalid(f"fetching {source} failed: HTTP {e.code}") from None
        except (urllib.error.URLError, OSError) as e:
            raise errors.JWKSInvalid(f"fetching {source} failed: {type(e).__name__}") from None
    with open(source, encoding="utf-8") as f:
        return f.read()


def parse_now(v: Optional[str]) -> Optional[float]:
    if v is None:
        return None
    if re.fullmatch(r"\d+", v):
        return float(v)
    try:
        d = datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now: not a date or epoch seconds: {v}") from None
    if d.tzinfo is None:
        d = d.replace(tzinfo=timezone.utc)
    return d.timestamp()


def seconds(name: str, v: Optional[str]) -> Optional[float]:
    if v is None:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?", v):
        raise UsageError(f"--{name}: seconds expected, got {v}")
    return float(v)


def relative(s: float) -> str:
    d = round(s - time.time())
    a = abs(d)
    span = f"{a} s" if a < 120 else f"{round(a / 60)} min" if a < 7200 else f"{round(a / 3600)} h" if a < 172800 else f"{round(a / 86400)} days"
    return f"in {span}" if d >= 0 else f"{span} ago"


def when(s: Any) -> str:
    if isinstance(s, (int, float)) and not isinstance(s, bool):
        iso = datetime.fromtimestamp(s, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return f"{iso} ({relative(s)})"
    return str(s)


def print_claims(payload: Dict[str, Any]) -> None:
    for k, v in payload.items():
        shown = when(v) if k in ("iat", "nbf", "exp") else json.dumps(v, ensure_ascii=False)
        print(f"  {k:<14} {shown}")


Out = Callable[[Any, Callable[[], None]], None]


def verify(args: Dict[str, Any], out: Out) -> int:
    token = token_arg(args["_"][1] if len(args["_"]) > 1 else "")
    if not args.get("jwks"):
        raise UsageError("verify needs --jwks <file|url>")
    text = load_jwks(args["jwks"])
    options: Dict[str, Any] = {}
    if args.get("issuer"):
        options["issuer"] = args["issuer"]
    if args.get("audience"):
        options["audience"] = args["audience"]
    if args["alg"]:
        options["algorithms"] = args["alg"]
    if args["required_claim"]:
        options["required_claims"] = args["required_claim"]
    if args.get("clock_tolerance"):
        options["clock_tolerance"] = seconds("clock-tolerance", args["clock_tolerance"])
    if args.get("max_token_age"):
        options["max_token_age"] = seconds("max-token-age", args["max_token_age"])
    now = parse_now(args.get("now"))
    try:
        verifier = Verifier(text, **options)
    except ValueError as e:
        raise UsageError(str(e)) from None
    header = payload = None
    try:
        header, payload = decode_unverified(token)
    except errors.JOSEError:
        pass
    keys = verifier.keys()
    matched = [k for k in keys if header is not None and ("kid" not in header or k["kid"] == header.get("kid"))]
    try:
        result = verifier.verify(token, now=now)
    except errors.JOSEError as err:

        def human_invalid() -> None:
            claim = f" (claim {err.claim}, {err.reason})" if err.claim else ""
            print(f"INVALID  {err.code}{claim}")
            print(f"reason   {err.message}")
            if err.hint:
                print(f"hint     {err.hint}")
            if header is not None:
                print(f"header   {json.dumps(header, ensure_ascii=False)}")
            if payload is not None:
                print_claims(payload)

        info = {"valid": False, "code": err.code, "message": err.message, "claim": err.claim, "reason": err.reason,
                "hint": err.hint, "protectedHeader": header, "payload": payload, "kids": [k["kid"] for k in keys]}
        out(info, human_invalid)
        return 1
    h = result.header
    key = next((k for k in keys if k["kid"] == h.get("kid")), matched[0] if len(matched) == 1 else None)

    def human_valid() -> None:
        print(f"VALID  {h['alg']} token, kid {h.get('kid', '(none)')}")
        if key:
            print(f"key    kid={key['kid']} kty={key['kty']} alg={key['alg'] or '-'} crv={key['crv'] or '-'} {key['bits'] or '?'} bits")
        print_claims(result.payload)

    out({"valid": True, "protectedHeader": h, "payload": result.payload, "key": key}, human_valid)
    return 0


def jwks(args: Dict[str, Any], out: Out) -> int:
    if len(args["_"]) < 2:
        raise UsageError("jwks needs a file or URL")
    keys = Verifier(load_jwks(args["_"][1])).keys()
    counts: Dict[str, int] = {}
    for k in keys:
        if k["kid"]:
            counts[k["kid"]] = counts.get(k["kid"], 0) + 1
    problems: List[List[str]] = []
    for k in keys:
        p = []
        if not k["usable"]:
            p.append(k["reason"])
        if not k["kid"]:
            p.append("no kid: tokens cannot pick this key when the set holds several")
        elif counts[k["kid"]] > 1:
            p.append(f'duplicate kid "{k["kid"]}"')
        if k["use"] and k["use"] != "sig":
            p.append(f'use is "{k["use"]}", not "sig"')
        problems.append(p)

    def human() -> None:
        print(f"{len(keys)} key{'' if len(keys) == 1 else 's'}")
        for k, p in zip(keys, problems):
            print(f"{'WARN' if p else 'ok  '}  kid={k['kid'] or '(none)'} kty={k['kty']} alg={k['alg'] or '-'} crv={k['crv'] or '-'} use={k['use'] or '-'} {k['bits'] or '?'} bits")
            for line in p:
                print(f"      {line}")

    out({"keys": [{**k, "problems": p} for k, p in zip(keys, problems)]}, human)
    return 1 if any(problems) else 0


def decode(args: Dict[str, Any], out: Out) -> int:
    token = token_arg(args["_"][1] if len(args["_"]) > 1 else "")
    header, payload = decode_unverified(token)

    def human() -> None:
        print("UNVERIFIED: decoded only, nothing was checked")
        print(f"header   {json.dumps(header, ensure_ascii=False)}")
        print_claims(payload)

    out({"protectedHeader": header, "payload": payload}, human)
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status."""
    args: Dict[str, Any] = {}
    try:
        args = parse_args(sys.argv[1:] if argv is None else argv)

        def out(data: Any, human: Callable[[], None]) -> None:
            if args.get("json"):
                print(json.dumps(data, indent=2, ensure_ascii=False))
            else:
                human()

        command = args["_"][0] if args["_"] else None
        if command == "verify":
            return verify(args, out)
        if command == "jwks":
            return jwks(args, out)
        if command == "decode":
            return decode(args, out)
        print(USAGE)
        return 0 if args.get("help") else 2
    except UsageError as e:
        print(f"edgejwt: {e}\n\n{USAGE}", file=sys.stderr)
        return 2
    except (errors.JOSEError, FileNotFoundError) as e:
        code = e.code if isinstance(e, errors.JOSEError) else "ENOENT"
        message = e.message if isinstance(e, errors.JOSEError) else str(e)
        hint = e.hint if isinstance(e, errors.JOSEError) else None
        if args.get("json"):
            print(json.dumps({"error": code, "message": message, "hint": hint}, indent=2))
        else:
            print(f"edgejwt: {code}: {message}" + (f"\nhint: {hint}" if hint else ""), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

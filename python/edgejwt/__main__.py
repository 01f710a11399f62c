"""``python -m edgejwt``: verify a token, inspect a JWKS, decode a token, diagnose a Better Auth
deployment (the same commands, options, output and exit statuses as ``npx edgejwt``).
``verify``, ``jwks`` and ``decode`` run locally (a JWKS URL is the only thing they fetch);
``doctor`` asks the deployment, and the core judges what it answered."""

from __future__ import annotations

import json
import re
import sys
import time
from datetime import datetime, timezone
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from . import Selection, Verifier, _edgejwt, decode_unverified, errors

USAGE = """usage:
  edgejwt verify <token|-> --jwks <file|url> [--issuer I] [--audience A] [--alg ALG]...
                 [--required-claim C]... [--clock-tolerance S] [--max-token-age S] [--now ISO|SECONDS] [--json]
  edgejwt jwks <file|url> [--json]
  edgejwt decode <token|-> [--json]
  edgejwt doctor <BETTER_AUTH_URL> [--jwks-url U] [--issuer I] [--audience A]
                 [--token T | --cookie 'Cookie header' | --email E --password P]
                 [--origin FRONTEND_ORIGIN] [--secret S] [--required-claim C]... [--json]

exit status: 0 valid / listed / decoded / no check failed, 1 invalid token, unusable input or a
failed check, 2 usage error"""


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
    # The core's key selection, reported: which key the token selects, why each other did not fit.
    selection: Optional[Selection] = None
    try:
        selection = verifier.selection(token)
    except errors.JOSEError:
        pass
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
            if report is not None and selection is not None and selection["selected"] is None:
                print("keys" if report else "keys     (the JWKS has none)")
                for k in report:
                    reason = f": {k['reason']}" if k["reason"] else ""
                    print(f"  kid={k['kid'] or '(none)'}  {k['verdict']}{reason}")
            if payload is not None:
                print_claims(payload)

        report = None if selection is None else [{"kid": k["kid"], **v} for k, v in zip(keys, selection["keys"])]
        info = {"valid": False, "code": err.code, "message": err.message, "claim": err.claim, "reason": err.reason,
                "hint": err.hint, "protectedHeader": header, "payload": payload, "selection": report}
        out(info, human_invalid)
        return 1
    h = result.header
    selected = None if selection is None else selection["selected"]
    key = keys[selected] if selected is not None else None

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
    # What is wrong with each key is the core's judgement (Jwks::key_problems).
    problems: List[List[str]] = [[p["message"] for p in k["problems"]] for k in keys]

    def human() -> None:
        print(f"{len(keys)} key{'' if len(keys) == 1 else 's'}")
        for k, p in zip(keys, problems):
            print(f"{'WARN' if p else 'ok  '}  kid={k['kid'] or '(none)'} kty={k['kty']} alg={k['alg'] or '-'} crv={k['crv'] or '-'} use={k['use'] or '-'} {k['bits'] or '?'} bits")
            for line in p:
                print(f"      {line}")

    out({"keys": keys}, human)
    return 1 if any(problems) else 0


def exchange(
    url: str, *, method: str = "GET", headers: Optional[Dict[str, str]] = None, body: Optional[bytes] = None, read_body: bool = False
) -> Tuple[Dict[str, Any], Any]:
    """One HTTP exchange for ``doctor``, as the core's observations describe it (no redirects
    followed), and the response's headers (None when no answer came)."""
    import http.client
    import urllib.parse

    started = time.monotonic()
    parts = urllib.parse.urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname or "", parts.port, timeout=10)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read(1024 * 1024 + 1)
        seen: Dict[str, Any] = {
            "url": url,
            "status": response.status,
            "contentType": response.getheader("content-type"),
            "cacheControl": response.getheader("cache-control"),
            "date": response.getheader("date"),
            "elapsedMs": (time.monotonic() - started) * 1000,
        }
        if read_body and response.status == 200:
            seen["body"] = data.decode("utf-8", "replace")
        return seen, response.headers
    except (OSError, http.client.HTTPException) as e:
        return {"url": url, "status": None, "error": _error_name(e), "elapsedMs": (time.monotonic() - started) * 1000}, None
    finally:
        connection.close()


def _error_name(e: BaseException) -> str:
    """The name Node gives the same network error (both command lines report alike)."""
    import socket

    if isinstance(e, ConnectionRefusedError):
        return "ECONNREFUSED"
    if isinstance(e, ConnectionResetError):
        return "ECONNRESET"
    if isinstance(e, socket.gaierror):
        return "ENOTFOUND"
    if isinstance(e, TimeoutError):
        return "TimeoutError"
    return type(e).__name__


def doctor(args: Dict[str, Any]) -> int:
    """Asks the deployment; the core judges what it answered (src/doctor.rs)."""
    import os
    import urllib.parse

    base_url = args["_"][1] if len(args["_"]) > 1 else ""
    if not re.match(r"^https?://", base_url):
        raise UsageError("doctor needs the app's base URL (BETTER_AUTH_URL), http:// or https://")
    root = base_url.rstrip("/")
    parts = urllib.parse.urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    paths = _edgejwt.doctor_jwks_paths()
    observations: Dict[str, Any] = {
        "baseUrl": base_url,
        "issuer": args.get("issuer"),
        "audience": args.get("audience"),
        "requiredClaims": args["required_claim"],
        "nowMs": time.time() * 1000,
    }
    observations["jwks"] = exchange(args.get("jwks_url") or root + paths[0], read_body=True)[0]
    observations["tried"] = []
    if observations["jwks"]["status"] == 404:
        for p in paths:
            if root + p != observations["jwks"]["url"]:
                observations["tried"].append(exchange(root + p)[0])
    cookie = args.get("cookie")
    if "email" in args or "password" in args:
        if "email" not in args or "password" not in args:
            raise UsageError("--email and --password go together")
        body = json.dumps({"email": args["email"], "password": args["password"]}).encode()
        seen, headers = exchange(
            f"{root}/api/auth/sign-in/email",
            method="POST",
            headers={"content-type": "application/json", "origin": origin},
            body=body,
        )
        if seen["status"] == 200 and headers is not None:
            cookie = "; ".join(c.split(";")[0] for c in headers.get_all("set-cookie") or [])
        else:
            observations["token"] = {"via": "--email", "failed": seen}
    if "token" in args:
        observations["token"] = {"via": "--token", "token": token_arg(args["token"])}
    elif cookie is not None and "token" not in observations:
        via = "--cookie" if "cookie" in args else "--email"
        seen, _ = exchange(f"{root}/api/auth/token", headers={"cookie": cookie}, read_body=True)
        token = None
        try:
            token = json.loads(seen.get("body") or "").get("token")
        except (ValueError, AttributeError):
            pass
        seen.pop("body", None)  # the token: never part of what is reported
        observations["token"] = {"via": via, "token": token} if isinstance(token, str) else {"via": via, "failed": seen}
    if "origin" in args:
        request_headers = {"origin": args["origin"], **({"cookie": cookie} if cookie else {})}
        seen, headers = exchange(f"{root}/api/auth/get-session", headers=request_headers)
        h = (lambda name: headers.get(name)) if headers is not None else (lambda name: None)
        observations["cors"] = {
            "origin": args["origin"],
            "exchange": seen,
            "allowOrigin": h("access-control-allow-origin"),
            "allowCredentials": h("access-control-allow-credentials"),
            "exposeHeaders": h("access-control-expose-headers"),
            "jwtHeader": h("set-auth-jwt") is not None,
        }
    if cookie is not None:
        observations["cookie"] = cookie
    observations["secret"] = args.get("secret") or os.environ.get("BETTER_AUTH_SECRET")
    text = json.dumps(observations)
    result = json.loads(_edgejwt.doctor(text, True))
    if args.get("json"):
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(f"edgejwt doctor {base_url}\n{_edgejwt.doctor(text, False)}")
    return 1 if any(c["status"] == "fail" for c in result["checks"]) else 0


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
        if command == "doctor":
            return doctor(args)
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

"""Checks on the release artifacts in release/ (scripts/release.sh runs it with .venv-release's
Python, where auditwheel, abi3audit, twine and check-wheel-contents are installed from
python/requirements-release.txt). Never builds and never publishes; prints one line per check
and a closing `N passed, N failed` line; exits 1 when any check failed.

    python scripts/release_check.py artifacts release/ [--tag v0.1.0]
    python scripts/release_check.py unwinding WHEEL...   (the profile check alone; see docs/releasing.md)
    python scripts/release_check.py same-wheel FROM_TREE.whl FROM_SDIST.whl
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # pragma: no cover
    tomllib = None

ROOT = Path(__file__).resolve().parents[1]

# The wheels built here, by the platform tag auditwheel must report for each.
LINUX_WHEELS = {
    "manylinux_2_17_x86_64": "manylinux2014_x86_64.manylinux_2_17_x86_64",
    "manylinux_2_17_aarch64": "manylinux2014_aarch64.manylinux_2_17_aarch64",
    "musllinux_1_2_x86_64": "musllinux_1_2_x86_64",
    "musllinux_1_2_aarch64": "musllinux_1_2_aarch64",
}

# What the npm tarball may hold: exactly these files, plus the package's own modules
# (package/src/<name>.js, one level). No tests, no Rust sources, no maps, no build leftovers.
NPM_FILES = {
    "package/package.json",
    "package/README.md",
    "package/LICENSE",
    "package/index.d.ts",
    "package/bin/edgejwt.js",
    "package/dist/edgejwt_wasm.js",
    "package/dist/edgejwt_wasm_bg.wasm",
    "package/dist/node.mjs",
    "package/dist/node.cjs",
    "package/dist/index.d.cts",
}
NPM_MODULE = re.compile(r"^package/src/[a-z0-9][a-z0-9-]*\.js$")
NPM_FORBIDDEN = re.compile(r"(^|/)(tests?|__tests__|fixtures)/|\.test\.|\.(rs|map|tsbuildinfo|log)$|(^|/)(Cargo\.(toml|lock)|package-lock\.json|sizes\.json)$")

# panic = "unwind" (the `python` profile) links std's unwinding runtime: every PyO3 entry point
# runs in catch_unwind, whose landing pad reports a foreign exception with this message. Under
# panic = "abort" (the root `release` profile, which `maturin build --release` picks) nothing
# can catch a panic, and the message is not linked. Checked on a `--release` wheel: absent
# (docs/releasing.md, "The unwinding check").
UNWIND_MARKER = b"Rust cannot catch foreign exceptions"

results: list[tuple[bool, str]] = []


def check(ok: bool, what: str, detail: str = "") -> bool:
    results.append((ok, what))
    print(f"  {'ok  ' if ok else 'FAIL'} {what}{'' if ok or not detail else f': {detail}'}", flush=True)
    return ok


def run(cmd: list[str]) -> subprocess.CompletedProcess:
    # The tools of the venv this script runs in (.venv-release), PATH or not.
    tool = Path(sys.executable).parent / cmd[0]
    return subprocess.run([str(tool) if tool.exists() else cmd[0], *cmd[1:]], capture_output=True, text=True)


def extensions(wheel: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(wheel) as z:
        return {n: z.read(n) for n in z.namelist() if re.search(r"\.(so|pyd|dylib)$", n)}


def check_unwinding(wheel: Path) -> None:
    exts = extensions(wheel)
    ok = bool(exts) and all(UNWIND_MARKER in data for data in exts.values())
    check(ok, f"{wheel.name}: extension built with panic = \"unwind\" (the python profile)",
          f"{', '.join(exts) or 'no extension'}: no unwinding runtime: built with panic = \"abort\" (maturin --release?)")


def check_musl(wheel: Path) -> None:
    """`auditwheel show` cannot audit a musllinux wheel on a glibc machine: it resolves musl's
    `libc.so` to glibc's linker script and stops ("Magic number does not match"). What it would
    check, checked on the ELF directly: the machine is the tag's; the only libraries needed are
    in the musllinux policy's list (libc.so, libz.so.1); nothing asks for versioned symbols (a
    glibc trait; musl has no symbol versions)."""
    from elftools.elf.elffile import ELFFile
    import io

    machine = {"x86_64": "EM_X86_64", "aarch64": "EM_AARCH64"}[re.search(r"musllinux_1_2_(\w+)\.whl$", wheel.name).group(1)]
    for name, data in extensions(wheel).items():
        elf = ELFFile(io.BytesIO(data))
        dyn = elf.get_section_by_name(".dynamic")
        needed = sorted(t.needed for t in dyn.iter_tags() if t.entry.d_tag == "DT_NEEDED") if dyn else []
        versioned = elf.get_section_by_name(".gnu.version_r") is not None
        ok = elf["e_machine"] == machine and set(needed) <= {"libc.so", "libz.so.1"} and not versioned
        check(ok, f"{wheel.name}: musllinux_1_2 ELF: {elf['e_machine']}, needs {needed}, no versioned symbols",
              f"expected {machine}, only libc.so/libz.so.1, no .gnu.version_r (versioned: {versioned})")


def wheel_version(wheel: Path) -> str:
    with zipfile.ZipFile(wheel) as z:
        meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        return re.search(r"^Version: (.+)$", z.read(meta).decode(), re.M).group(1).strip()


def sdist_version(sdist: Path) -> str:
    with tarfile.open(sdist) as t:
        info = next(m for m in t.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO"))
        return re.search(r"^Version: (.+)$", t.extractfile(info).read().decode(), re.M).group(1).strip()


def toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def changelog_check(version: str, tag: str | None) -> None:
    """The CHANGELOG rule (docs/releasing.md): work accrues under `## [Unreleased]`; the first
    versioned heading, when there is one, is the current version (it is renamed from
    Unreleased, and the version bumped, in the release commit). A tag build needs the top
    section to be the version itself: no Unreleased section above it."""
    headings = re.findall(r"^## \[([^\]]+)\]", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    versioned = [h for h in headings if h.lower() != "unreleased"]
    if tag:
        check(bool(headings) and headings[0] == version, f"CHANGELOG.md: top section is [{version}] (tag {tag})",
              f"top section is [{headings[0] if headings else 'none'}]: rename [Unreleased] to [{version}] - date")
    elif versioned:
        check(versioned[0] == version, f"CHANGELOG.md: latest released section [{versioned[0]}] is the version {version}",
              "bump the version with the heading")
    else:
        check(bool(headings) and headings[0].lower() == "unreleased",
              f"CHANGELOG.md: no release yet: top section is [Unreleased] (version {version} not released)",
              f"headings: {headings}")


def artifacts(release: Path, tag: str | None) -> None:
    version = toml(ROOT / "Cargo.toml")["workspace"]["package"]["version"]
    print(f"release: {release} (version {version} from Cargo.toml [workspace.package])")

    # ---- the version, everywhere ----
    print("\n--- version")
    sources = {
        "python/Cargo.toml [package] version": toml(ROOT / "python/Cargo.toml")["package"]["version"],
        "pkg/package.json": json.loads((ROOT / "pkg/package.json").read_text())["version"],
        "pkg/src/version.js": re.search(r'version = "([^"]+)"', (ROOT / "pkg/src/version.js").read_text()).group(1),
    }
    for what, v in sources.items():
        check(v == version, f"{what}: {v}", f"expected {version}")
    check((ROOT / "python/LICENSE").read_bytes() == (ROOT / "LICENSE").read_bytes(),
          "python/LICENSE is LICENSE (the wheels' dist-info/licenses/LICENSE)", "copy LICENSE to python/LICENSE")
    if tag:
        check(tag == f"v{version}", f"tag {tag} is v{version}")
    changelog_check(version, tag)

    wheels = sorted(release.glob("*.whl"))
    sdists = sorted(release.glob("edgejwt-*.tar.gz"))
    tarballs = sorted(release.glob("edgejwt-*.tgz"))
    check(len(sdists) == 1, f"one sdist: {[p.name for p in sdists]}")
    check(len(tarballs) == 1, f"one npm tarball: {[p.name for p in tarballs]}")
    for w in wheels:
        check(wheel_version(w) == version, f"{w.name}: METADATA Version {wheel_version(w)}")
    for s in sdists:
        check(sdist_version(s) == version, f"{s.name}: PKG-INFO Version {sdist_version(s)}")
    for t in tarballs:
        with tarfile.open(t) as tf:
            v = json.load(tf.extractfile("package/package.json"))["version"]
        check(v == version and t.name == f"edgejwt-{version}.tgz", f"{t.name}: package.json version {v}")

    # ---- wheels ----
    print("\n--- wheels")
    for tag_ in LINUX_WHEELS:
        found = [w for w in wheels if w.name.endswith(f"-cp39-abi3-{LINUX_WHEELS[tag_]}.whl")]
        check(len(found) == 1, f"a cp39-abi3 {tag_} wheel", f"found {[w.name for w in found]}")
    for w in wheels:
        check(w.name.startswith(f"edgejwt-{version}-cp39-abi3-"), f"{w.name}: one abi3 wheel for CPython 3.9+")
        with zipfile.ZipFile(w) as z:
            lic = f"edgejwt-{version}.dist-info/licenses/LICENSE"
            check(lic in z.namelist() and z.read(lic) == (ROOT / "LICENSE").read_bytes(), f"{w.name}: carries the licence ({lic})")
        check_unwinding(w)
        if "musllinux" in w.name:
            check_musl(w)
        elif "linux" in w.name:
            r = run(["auditwheel", "show", str(w)])
            m = re.search(r'consistent with the following platform tag:\s*"([^"]+)"', r.stdout)
            got = m.group(1) if m else None
            expected = next((t for t, suffix in LINUX_WHEELS.items() if w.name.endswith(f"{suffix}.whl")), None)
            check(r.returncode == 0 and got == expected, f"{w.name}: auditwheel show: {got}", f"expected {expected}; {r.stdout[-500:]}{r.stderr[-500:]}")
        r = run(["abi3audit", "--strict", "--summary", str(w)])
        check(r.returncode == 0, f"{w.name}: abi3audit --strict", (r.stdout + r.stderr)[-800:])
    r = run(["check-wheel-contents", *map(str, wheels)])
    check(r.returncode == 0, f"check-wheel-contents ({len(wheels)} wheels)", (r.stdout + r.stderr)[-800:])
    r = run(["twine", "check", "--strict", *map(str, wheels + sdists)])
    check(r.returncode == 0, f"twine check --strict ({len(wheels)} wheels, {len(sdists)} sdist)", (r.stdout + r.stderr)[-800:])

    # ---- sdist: builds the same package (the path dependencies vendored) ----
    for s in sdists:
        with tarfile.open(s) as tf:
            names = tf.getnames()
        top = names[0].split("/")[0]
        need = [f"{top}/pyproject.toml", f"{top}/PKG-INFO", f"{top}/edgejwt/__init__.py", f"{top}/Cargo.lock",
                f"{top}/python/Cargo.toml", f"{top}/python/src/lib.rs", f"{top}/src/lib.rs", f"{top}/math/Cargo.toml"]
        missing = [n for n in need if n not in names]
        check(not missing, f"{s.name}: {len(names)} entries, has pyproject.toml, PKG-INFO, Cargo.lock, the package, the crates", f"missing {missing}")

    # ---- the npm tarball: exactly what users need ----
    print("\n--- npm tarball")
    for t in tarballs:
        with tarfile.open(t) as tf:
            members = tf.getmembers()
        names = {m.name for m in members if m.isfile()}
        pkg = json.load(tarfile.open(t).extractfile("package/package.json"))
        targets = set()

        def walk(x):
            if isinstance(x, str):
                targets.add(x)
            elif isinstance(x, dict):
                for v in x.values():
                    walk(v)

        walk(pkg.get("exports"))
        walk({k: pkg.get(k) for k in ("main", "module", "types", "bin") if pkg.get(k)})
        entry = {"package/" + x.removeprefix("./") for x in targets if not x.endswith("package.json")}
        absent = sorted(entry - names)
        check(not absent, f"{t.name}: every exports/main/module/types/bin target is in it ({len(entry)})", f"absent: {absent}")
        # The allowlist: the fixed files, the package's own modules (src/<name>.js), and what
        # package.json names file by file: entry points (exports, main, module, types, bin) and
        # the single files of its `files` list (adding one is deliberate; a folder entry such
        # as "src/" or "dist/" is not, so nothing else under a folder passes). Never tests,
        # Rust, maps, lock files or build leftovers, whatever package.json says.
        named = {"package/" + f.removeprefix("./") for f in pkg.get("files", []) if not f.endswith("/") and not re.search(r"[*?\[]", f)}
        allowed = NPM_FILES | entry | named
        extra = sorted(n for n in names if n not in allowed and not NPM_MODULE.match(n))
        forbidden = sorted(n for n in names if NPM_FORBIDDEN.search(n))
        missing = sorted(NPM_FILES - names)
        check(not extra, f"{t.name}: nothing outside the allowlist ({len(names)} files)", f"unexpected: {extra}")
        check(not forbidden, f"{t.name}: no tests, Rust sources, source maps, lock files or build leftovers", f"found: {forbidden}")
        check(not missing, f"{t.name}: every allowlisted file is there", f"missing: {missing}")
        odd = [f"{m.name} {oct(m.mode)}" for m in members if m.isfile() and m.mode & 0o022]
        check(not odd, f"{t.name}: no group/world-writable entries", ", ".join(odd))


def same_wheel(a: Path, b: Path) -> None:
    """The wheel built from the sdist against the wheel built from the tree: every file the
    same bytes, except the metadata, whose differences are printed (known: the sdist's
    top-level README.md is the repository's, so the long description differs)."""
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        fa = {n: za.read(n) for n in za.namelist()}
        fb = {n: zb.read(n) for n in zb.namelist()}
    meta = {n for n in fa.keys() | fb.keys() if n.endswith((".dist-info/METADATA", ".dist-info/RECORD"))}
    check(fa.keys() == fb.keys(), f"{b.name} from the sdist: the same files as from the tree ({len(fa)})",
          f"only from the tree: {sorted(fa.keys() - fb.keys())}, only from the sdist: {sorted(fb.keys() - fa.keys())}")
    differ = sorted(n for n in fa.keys() & fb.keys() if n not in meta and fa[n] != fb[n])
    check(not differ, "the same bytes in every file but the metadata (the extension included)", f"differ: {differ}")
    for n in sorted(meta & fa.keys() & fb.keys()):
        if fa[n] != fb[n] and n.endswith("METADATA"):
            la, lb = fa[n].decode().splitlines(), fb[n].decode().splitlines()
            head_a = [x for x in la[: la.index("")] if not x.startswith("License-File")] if "" in la else la
            head_b = [x for x in lb[: lb.index("")] if not x.startswith("License-File")] if "" in lb else lb
            check(head_a == head_b, "METADATA fields the same (name, version, requirements, …)", f"{head_a} vs {head_b}")
            print(f"  note {n}: the long description differs (from the sdist: the repository's README.md, not python/README.md)")


def main(argv: list[str]) -> int:
    if argv and argv[0] == "same-wheel":
        same_wheel(Path(argv[1]), Path(argv[2]))
        failed = sum(1 for ok, _ in results if not ok)
        print(f"\nsdist checks: {len(results) - failed} passed, {failed} failed")
        return 1 if failed else 0
    if not argv or argv[0] not in ("artifacts", "unwinding"):
        print(__doc__)
        return 2
    if argv[0] == "unwinding":
        for w in argv[1:]:
            check_unwinding(Path(w))
    else:
        tag = None
        if "--tag" in argv:
            i = argv.index("--tag")
            tag = argv[i + 1]
            del argv[i:i + 2]
        artifacts(Path(argv[1]).resolve(), tag)
    failed = sum(1 for ok, _ in results if not ok)
    print(f"\nrelease checks: {len(results) - failed} passed, {failed} failed")
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

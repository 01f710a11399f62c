#!/usr/bin/env bash
# `npm run release:check`: builds every artifact users install into release/ (gitignored), twice
# where it checks reproducibility, checks them, and tests them installed from the artifacts only.
# Never publishes (the release workflow does, .github/workflows/release.yml). docs/releasing.md
# says what each step guards.
#   npm run release:check                         (a development commit)
#   npm run release:check -- --tag v0.1.0         (what the release workflow runs on a tag)
#   EDGEJWT_RELEASE_NEGATIVE=1 npm run release:check   (also: a `maturin build --release` wheel must be refused)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TERM_COLOR=never
unset CARGO_TARGET_DIR RUSTFLAGS CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS

tag=${EDGEJWT_RELEASE_TAG:-}
if [ "${1:-}" = "--tag" ]; then tag=$2; fi

t_start=$SECONDS
step() {
  printf '\n=== %s (%d s so far) ===\n' "$*" $((SECONDS - t_start))
}

step "prepare: Rust targets, npm dependencies, .venv-release (python/requirements-release.txt, hash-checked)"
node scripts/prepare.mjs release
export PATH="$root/.venv-release/bin:$PATH" # maturin, zig (ziglang), auditwheel, abi3audit, twine, …

version=$(node -e "process.stdout.write(require('fs').readFileSync('Cargo.toml','utf8').match(/\[workspace\.package\]\nversion = \"([^\"]+)\"/)[1])")
# Every archive's timestamps: the commit's (maturin and npm pack honour it; npm pack also fixes
# its own). Two builds of one commit give the same bytes.
SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)
export SOURCE_DATE_EPOCH
cargo_home=${CARGO_HOME:-$HOME/.cargo}
work=$root/.tmp/release
out=$root/release
rm -rf "$out"
mkdir -p "$out" "$work"
echo "edgejwt $version, SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH${tag:+, tag $tag}"

# Builds run from a snapshot of the working tree (tracked and untracked files, not ignored ones;
# modification times kept so that Cargo's fingerprints hold between runs), taken once: build A
# from .tmp/release/a/src, build B from a copy of it at another path, .tmp/release/b/src. A file
# saved during the check reaches neither. In CI the snapshot is the commit.
snapshot() { # DEST [FROM: a snapshot to copy instead of the working tree]
  rm -rf "$1"
  mkdir -p "$1"
  if [ $# -ge 2 ]; then
    (cd "$2" && tar --exclude=./target --exclude=./node_modules -cf - .) | tar -xf - -C "$1"
  else
    git ls-files -z --cached --others --exclude-standard \
      | tar --null --ignore-failed-read --warning=no-failed-read -T - -cf - | tar -xf - -C "$1"
  fi
  # The installed npm packages (not part of a snapshot) through links: the repository's, and
  # those of the test folders (Better Auth's server for tests/python, tests/runtimes' tools).
  ln -s "$root/node_modules" "$1/node_modules"
  local nm
  while IFS= read -r nm; do
    [ -e "$1/$nm" ] || ln -s "$root/$nm" "$1/$nm"
  done < <(cd "$root" && find tests -maxdepth 4 -name node_modules -type d -prune)
}

# The Linux wheels: maturin + zig, the `python` profile (pyproject's [tool.maturin] profile;
# never --release, which is the root profile: wasm size settings and panic = "abort").
# Paths are remapped so that the extension holds none of this machine's (panic locations).
declare -A COMPAT=(
  [x86_64-unknown-linux-gnu]=manylinux2014 [aarch64-unknown-linux-gnu]=manylinux2014
  [x86_64-unknown-linux-musl]=musllinux_1_2 [aarch64-unknown-linux-musl]=musllinux_1_2
)
wheel() { # SRC TARGET_TRIPLE OUT_DIR
  local src=$1 triple=$2 dest=$3 t0=$SECONDS
  (cd "$src" && RUSTFLAGS="--remap-path-prefix=$src=/edgejwt --remap-path-prefix=$cargo_home=/cargo" \
    maturin build -m python/Cargo.toml --zig --compatibility "${COMPAT[$triple]}" --target "$triple" -o "$dest" \
    >"$work/maturin-$(basename "$(dirname "$src")")-$triple.log" 2>&1) || {
    tail -30 "$work/maturin-$(basename "$(dirname "$src")")-$triple.log"
    echo "release: maturin build for $triple failed (log: $work/maturin-$(basename "$(dirname "$src")")-$triple.log)"
    exit 1
  }
  # shellcheck disable=SC2016 # the backquotes are maturin's
  grep -q 'Finished `python` profile' "$work/maturin-$(basename "$(dirname "$src")")-$triple.log" || {
    echo "release: maturin did not build with the python profile ($triple)"
    exit 1
  }
  echo "  $triple: $((SECONDS - t0)) s"
}
npm_tarball() { # SRC OUT_DIR: npm run build's steps, then npm pack
  local src=$1 dest=$2
  (cd "$src" && node scripts/build.mjs >"$work/npm-build-$(basename "$(dirname "$src")").log" 2>&1) || {
    tail -30 "$work/npm-build-$(basename "$(dirname "$src")").log"
    exit 1
  }
  (cd "$src/pkg" && npm pack --silent --pack-destination "$dest" >/dev/null)
}

# ---- build A: every artifact, into release/ (its target dir is kept between runs) ----
step "build A: snapshot, npm tarball (wasm build + npm pack)"
snapshot "$work/a/src"
mkdir -p "$work/a/target"
ln -s "$work/a/target" "$work/a/src/target"
rm -rf "$work/b"
snapshot "$work/b/src" "$work/a/src" # before A builds anything in its snapshot
npm_tarball "$work/a/src" "$out"

step "build A: Python sdist (maturin sdist)"
(cd "$work/a/src" && maturin sdist -m python/Cargo.toml -o "$out" >"$work/sdist-a.log" 2>&1) || { cat "$work/sdist-a.log"; exit 1; }

step "build A: abi3 wheels, manylinux_2_17 and musllinux_1_2, x86_64 and aarch64 (maturin --zig, profile python)"
for triple in x86_64-unknown-linux-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl aarch64-unknown-linux-musl; do
  wheel "$work/a/src" "$triple" "$out"
done

# ---- build B: the same commit again, from another folder and a new target dir ----
step "build B: reproducibility: the same snapshot at another path, a fresh target dir: npm tarball, sdist, x86_64 manylinux wheel"
mkdir -p "$work/b/target" "$work/b/out"
ln -s "$work/b/target" "$work/b/src/target"
npm_tarball "$work/b/src" "$work/b/out"
(cd "$work/b/src" && maturin sdist -m python/Cargo.toml -o "$work/b/out" >"$work/sdist-b.log" 2>&1) || { cat "$work/sdist-b.log"; exit 1; }
wheel "$work/b/src" x86_64-unknown-linux-gnu "$work/b/out"

step "sdist: it builds, and gives the same wheel (the x86_64 manylinux wheel from the unpacked sdist, a fresh target dir)"
rm -rf "$work/sdist" && mkdir -p "$work/sdist/out"
tar -xzf "$out/edgejwt-$version.tar.gz" -C "$work/sdist"
sdist_src=$work/sdist/edgejwt-$version
t0=$SECONDS
(cd "$sdist_src" && CARGO_TARGET_DIR="$work/sdist/target" \
  RUSTFLAGS="--remap-path-prefix=$sdist_src=/edgejwt --remap-path-prefix=$cargo_home=/cargo" \
  maturin build --zig --compatibility manylinux2014 --target x86_64-unknown-linux-gnu -o "$work/sdist/out" \
  >"$work/maturin-sdist.log" 2>&1) || { tail -30 "$work/maturin-sdist.log"; exit 1; }
# shellcheck disable=SC2016 # the backquotes are maturin's
grep -q 'Finished `python` profile' "$work/maturin-sdist.log"
echo "  x86_64-unknown-linux-gnu from the sdist: $((SECONDS - t0)) s"
python scripts/release_check.py same-wheel "$out"/edgejwt-"$version"-cp39-abi3-manylinux*_x86_64.whl "$work"/sdist/out/*.whl

step "reproducibility: A and B byte for byte"
repro_fail=0
for f in "$work"/b/out/*; do
  a=$(sha256sum <"$out/$(basename "$f")" | cut -d' ' -f1)
  b=$(sha256sum <"$f" | cut -d' ' -f1)
  if [ "$a" = "$b" ]; then echo "  ok   $(basename "$f") $a"; else echo "  FAIL $(basename "$f") A $a B $b"; repro_fail=1; fi
done
[ "$repro_fail" = 0 ] || { echo "release: builds A and B differ (diffoscope, or unzip -l and cmp, shows where)"; exit 1; }

step "SHA256SUMS"
(cd "$out" && sha256sum -- *.tgz *.tar.gz *.whl >SHA256SUMS && sha256sum -c --quiet SHA256SUMS && cat SHA256SUMS)
ls -l "$out"

step "checks: versions, auditwheel, abi3audit, unwinding profile, twine, check-wheel-contents, tarball allowlist"
python scripts/release_check.py artifacts "$out" ${tag:+--tag "$tag"}

if [ "${EDGEJWT_RELEASE_NEGATIVE:-}" = 1 ]; then
  step "negative test: a wheel built with maturin --release (root profile, panic = abort) is refused"
  rm -rf "$work/negative" && mkdir -p "$work/negative"
  (cd "$work/a/src" && maturin build --release -m python/Cargo.toml --zig --compatibility manylinux2014 \
    --target x86_64-unknown-linux-gnu -o "$work/negative" >"$work/negative.log" 2>&1)
  if python scripts/release_check.py unwinding "$work"/negative/*.whl >"$work/negative-check.log"; then
    cat "$work/negative-check.log"
    echo "release: the unwinding check accepted a panic = abort wheel"
    exit 1
  fi
  echo "  ok   the --release wheel was refused, as it must be: $(grep -o 'no unwinding runtime.*' "$work/negative-check.log")"
fi

# ---- install tests: from the artifacts only, no Rust toolchain, no checkout on sys.path ----
# The tests are the snapshot's, so they match the artifacts built from it.
src_a=$work/a/src
step "Python: the x86_64 manylinux wheel in a fresh venv (no Rust on PATH), tests/python against it"
py=$(python3 -c 'import sys; print(sys.executable)') # the real interpreter, not a pyenv shim
venv=$root/.tmp/wheel-venv
rm -rf "$venv" "${work:?}/home" "${work:?}/cwd"
mkdir -p "$work/home" "$work/cwd"
clean=(env -i PATH=/usr/bin:/bin HOME="$work/home" LANG=C.UTF-8 PIP_DISABLE_PIP_VERSION_CHECK=1
  PIP_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/pip" ${CI:+CI=$CI})
if "${clean[@]}" sh -c 'command -v cargo || command -v rustc || command -v rustup'; then
  echo "release: a Rust toolchain is on the clean PATH"
  exit 1
fi
wheel_x86=$(ls "$out"/edgejwt-"$version"-cp39-abi3-manylinux*_x86_64.whl)
"${clean[@]}" "$py" -m venv "$venv"
"${clean[@]}" "$venv/bin/pip" install --quiet --require-hashes -r "$src_a/python/requirements-dev.txt"
"${clean[@]}" "$venv/bin/pip" install --quiet --no-index "${wheel_x86}[fastapi]"
installed=$(cd "$work/cwd" && "${clean[@]}" "$venv/bin/python" -c 'import edgejwt; print(edgejwt.__version__, edgejwt.__file__)')
echo "  installed: $installed"
[ "${installed%% *}" = "$version" ] || { echo "release: edgejwt.__version__ is ${installed%% *}, not $version"; exit 1; }
# pytest from an empty folder, with the venv's pytest (no '' on sys.path); conftest.py asserts
# that edgejwt comes from the venv's site-packages (EDGEJWT_TEST_INSTALLED).
(cd "$work/cwd" && "${clean[@]}" EDGEJWT_TEST_INSTALLED="$venv" "$venv/bin/pytest" -q -p no:cacheprovider "$src_a/tests/python")

step "JS: the npm tarball installed in a fresh project, tests/js against it (no Rust on PATH)"
tarball=$out/edgejwt-$version.tgz
PATH=/usr/bin:/bin bash "$src_a/scripts/test-js.sh" "$tarball"
js_version=$(cd "$src_a/.tmp/js-test" && node --input-type=module -e "import { version } from 'edgejwt'; process.stdout.write(version)")
cjs_version=$(cd "$src_a/.tmp/js-test" && node -e "process.stdout.write(require('edgejwt').version)")
echo "  installed: version export $js_version (ESM), $cjs_version (CJS)"
[ "$js_version" = "$version" ] && [ "$cjs_version" = "$version" ] || { echo "release: the JS version export is not $version"; exit 1; }

step "npm tarball: publint, attw, strict TypeScript consumer (tests/runtimes/run.mjs on the tarball)"
EDGEJWT_TARBALL=$tarball RUNTIMES=packaging node tests/runtimes/run.mjs # installs into tests/runtimes/node_modules: run from the checkout

step "release check passed: artifacts in release/ ($((SECONDS - t_start)) s)"

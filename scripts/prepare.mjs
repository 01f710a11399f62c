// Brings a checkout to what a command needs, installing or building only what is missing or
// stale, one step at a time with its elapsed time; each step's full output goes to a log file
// whose path is printed when the step fails. Node built-ins only: it runs before `npm ci`.
//   node scripts/prepare.mjs demo|www|bench|build|test|python|release|example
// (package.json's scripts call it; scripts/build.mjs calls `prepare('build')` itself.)
import { spawn, execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, readdirSync, statSync, writeFileSync, writeSync } from 'node:fs'
import { homedir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const logDir = join(root, '.tmp/logs')
const tty = Boolean(process.stdout.isTTY) && !process.env.CI

/** `cmd args` → stdout, or '' when it is missing or fails. */
const output = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  } catch {
    return ''
  }
}

const cargoBin = join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin')
/** wasm-bindgen-cli's path; its version must equal Cargo.lock's `wasm-bindgen`. */
export const wasmBindgen = join(cargoBin, 'wasm-bindgen')
const wasmBindgenVersion = () => {
  const lock = readFileSync(join(root, 'Cargo.lock'), 'utf8')
  const v = /\[\[package\]\]\nname = "wasm-bindgen"\nversion = "([^"]+)"/.exec(lock)?.[1]
  if (!v) throw new Error('wasm-bindgen not found in Cargo.lock')
  return v
}

/** Newest modification time (ms) under `paths` (files or folders), 0 when none exist. */
function newest(paths) {
  let max = 0
  const visit = (p) => {
    if (!existsSync(p)) return
    const s = statSync(p)
    if (s.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== '__pycache__' && e !== 'node_modules') visit(join(p, e))
    } else max = Math.max(max, s.mtimeMs)
  }
  for (const p of paths) visit(join(root, p))
  return max
}

/** `npm ci` in `dir` when its node_modules is missing or older than its lock file. */
const npmStep = (id, dir, what) => ({
  id,
  name: `npm ci ${dir === '.' ? '' : `in ${dir} `}(${what})`,
  needed: () => {
    const lock = join(root, dir, 'package-lock.json')
    const marker = join(root, dir, 'node_modules/.package-lock.json')
    return !existsSync(marker) || statSync(lock).mtimeMs > statSync(marker).mtimeMs
  },
  run: (log) => exec('npm', ['ci', '--no-audit', '--no-fund'], log, join(root, dir)),
})

const targetStep = (id, targets) => ({
  id,
  name: `rustup target add ${targets.join(' ')}`,
  needed: () => {
    const installed = output('rustup', ['target', 'list', '--installed']).split('\n')
    return targets.some((t) => !installed.includes(t))
  },
  run: (log) => exec('rustup', ['target', 'add', ...targets], log),
})

// What the built package depends on: pkg/dist is rebuilt when any of these is newer.
const BUILD_INPUTS = [
  'Cargo.toml', 'Cargo.lock', '.cargo/config.toml', 'src', 'math/Cargo.toml', 'math/src',
  'pkg/src', 'pkg/index.d.ts', 'pkg/client.d.ts', 'pkg/testing.d.ts', 'pkg/package.json', 'scripts/build.mjs', 'scripts/wasm-steps.mjs', 'package-lock.json',
]
const BUILD_STAMP = 'pkg/dist/sizes.json' // written last by scripts/build.mjs

// The Python package (python/): a virtual environment inside the repository (.venv, gitignored)
// from pinned, hashed requirements, and the extension built and installed into it.
const VENV = join(root, '.venv')
const venvPython = join(VENV, 'bin/python')
const PY_REQUIREMENTS = 'python/requirements-dev.txt'
const PY_REQ_STAMP = join(VENV, '.requirements-installed')
const PY_EXT_STAMP = join(VENV, '.edgejwt-installed')
// The release tools (`npm run release:check`): maturin, ziglang, auditwheel, abi3audit, twine,
// check-wheel-contents, jactionlint, shellcheck, from their own pinned, hashed requirements, in .venv-release.
const RELEASE_VENV = join(root, '.venv-release')
const releasePython = join(RELEASE_VENV, 'bin/python')
const RELEASE_REQUIREMENTS = 'python/requirements-release.txt'
const RELEASE_REQ_STAMP = join(RELEASE_VENV, '.requirements-installed')
const PY_EXT_INPUTS = ['Cargo.toml', 'Cargo.lock', 'src', 'math/Cargo.toml', 'math/src', 'python']
const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0)
// The full-stack example (`npm run example`, examples/fullstack/): the web app's packages from its
// own lock file (better-sqlite3 compiles from source where no prebuilt binary can be downloaded),
// edgejwt from the packed tarball (Turbopack does not resolve a symlinked file: dependency), and
// one `next build`, redone only when the app or the package changed.
const WEB = join(root, 'examples/fullstack/web')
const WEB_TARBALL_STAMP = join(WEB, 'node_modules/.edgejwt-tarball')
const PKG_INPUTS = ['pkg/dist', 'pkg/src', 'pkg/bin', 'pkg/index.d.ts', 'pkg/client.d.ts', 'pkg/package.json']
const WEB_INPUTS = ['app', 'lib', 'proxy.ts', 'instrumentation.ts', 'next.config.mjs', 'tsconfig.json', 'package.json', 'package-lock.json'].map((f) => `examples/fullstack/web/${f}`)
/** The system Python the venv is made from: python3 ≥ 3.9. */
function systemPython() {
  for (const cmd of ['python3', 'python']) {
    const v = output(cmd, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])']).trim()
    const [major, minor] = v.split('.').map(Number)
    if (major === 3 && minor >= 9) return cmd
  }
  throw new Error('Python 3.9 or later is needed (python3 on PATH) for the Python package\'s tests')
}

const STEPS = {
  pythonVenv: {
    id: 'python-venv',
    name: `Python: .venv from ${PY_REQUIREMENTS} (pip --require-hashes: maturin, pytest, fastapi, uvicorn, httpx, PyJWT, …)`,
    needed: () => !existsSync(venvPython) || mtime(join(root, PY_REQUIREMENTS)) > mtime(PY_REQ_STAMP),
    run: async (log) => {
      if (!existsSync(venvPython)) await exec(systemPython(), ['-m', 'venv', VENV], log)
      await exec(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--require-hashes', '-r', join(root, PY_REQUIREMENTS)], log)
      writeFileSync(PY_REQ_STAMP, new Date().toISOString() + '\n')
    },
  },
  pythonExt: {
    id: 'python-ext',
    name: 'Python: pip install ./python (builds the extension with maturin, profile "python")',
    needed: () => !existsSync(PY_EXT_STAMP) || newest(PY_EXT_INPUTS) > mtime(PY_EXT_STAMP) || mtime(PY_REQ_STAMP) > mtime(PY_EXT_STAMP),
    run: async (log) => {
      // No build isolation: the build uses the venv's pinned (hashed) maturin, offline.
      await exec(venvPython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--no-build-isolation', '--force-reinstall', join(root, 'python')], log, root, { PATH: `${join(VENV, 'bin')}:${process.env.PATH}`, VIRTUAL_ENV: VENV })
      writeFileSync(PY_EXT_STAMP, new Date().toISOString() + '\n')
    },
  },
  releaseVenv: {
    id: 'release-venv',
    name: `Python: .venv-release from ${RELEASE_REQUIREMENTS} (pip --require-hashes: maturin, ziglang, auditwheel, abi3audit, twine, check-wheel-contents, jactionlint, shellcheck)`,
    needed: () => !existsSync(releasePython) || mtime(join(root, RELEASE_REQUIREMENTS)) > mtime(RELEASE_REQ_STAMP),
    run: async (log) => {
      if (!existsSync(releasePython)) await exec(systemPython(), ['-m', 'venv', RELEASE_VENV], log)
      await exec(releasePython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--require-hashes', '-r', join(root, RELEASE_REQUIREMENTS)], log)
      writeFileSync(RELEASE_REQ_STAMP, new Date().toISOString() + '\n')
    },
  },
  // The Linux wheels of `npm run release:check` (zig links them; macOS and Windows wheels come
  // from the release workflow's runners).
  releaseTargets: targetStep('rust-release-targets', ['wasm32-unknown-unknown', 'aarch64-unknown-linux-gnu', 'x86_64-unknown-linux-musl', 'aarch64-unknown-linux-musl']),
  wasmTarget: targetStep('rust-target', ['wasm32-unknown-unknown']),
  testTargets: targetStep('rust-targets', ['wasm32-unknown-unknown', 'thumbv7em-none-eabi']),
  npmRoot: npmStep('npm-root', '.', 'jose, esbuild, binaryen, fast-jwt'),
  npmBetterAuth: npmStep('npm-better-auth', 'tests/better-auth', 'the demo\'s Better Auth server'),
  npmRuntimes: npmStep('npm-runtimes', 'tests/runtimes', 'publint, attw, TypeScript, the runtimes of tests/runtimes'),
  // The conformance suite's releases (tests/better-auth/releases/<minor>), each from its own lock file.
  npmBetterAuthReleases: ['1.3', '1.4', '1.5', '1.6', '1.7'].map((minor) =>
    npmStep(`npm-better-auth-${minor}`, `tests/better-auth/releases/${minor}`, `Better Auth ${minor} for the conformance suite`)),
  npmBenchWorkerd: npmStep('npm-bench-workerd', 'bench/workerd', 'Miniflare and workerd for bench/workerd.mjs'),
  npmFullstackWeb: {
    ...npmStep('npm-fullstack-web', 'examples/fullstack/web', 'Next.js, Better Auth, better-sqlite3 for npm run example; better-sqlite3 compiles in about a minute'),
    run: async (log) => {
      await exec('npm', ['ci', '--no-audit', '--no-fund', '--foreground-scripts'], log, WEB)
      // npm 11 warns that better-sqlite3's install script is not allow-listed, and runs it: check.
      if (!existsSync(join(WEB, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'))) {
        throw new Error('better-sqlite3 was not built (its install script did not run): run `npm rebuild better-sqlite3` in examples/fullstack/web')
      }
    },
  },
  fullstackTarball: {
    id: 'fullstack-edgejwt',
    name: 'edgejwt into examples/fullstack/web from the packed tarball (npm pack, npm install --no-save)',
    // (Also when a step before it will change what it installs: the steps to run are chosen first.)
    needed: () => !existsSync(join(WEB, 'node_modules/edgejwt/package.json')) || newest(PKG_INPUTS) > mtime(WEB_TARBALL_STAMP) ||
      STEPS.build.needed() || STEPS.npmFullstackWeb.needed(),
    run: async (log) => {
      const dest = join(root, '.tmp/fullstack-pkg')
      mkdirSync(dest, { recursive: true })
      const { version } = JSON.parse(readFileSync(join(root, 'pkg/package.json'), 'utf8'))
      await exec('npm', ['pack', '--silent', '--pack-destination', dest], log, join(root, 'pkg'))
      await exec('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', join(dest, `edgejwt-${version}.tgz`)], log, WEB)
      writeFileSync(WEB_TARBALL_STAMP, new Date().toISOString() + '\n')
    },
  },
  fullstackBuild: {
    id: 'fullstack-next-build',
    name: 'next build in examples/fullstack/web (about a minute)',
    needed: () => mtime(join(WEB, '.next/BUILD_ID')) < Math.max(newest(WEB_INPUTS), mtime(WEB_TARBALL_STAMP)) || STEPS.fullstackTarball.needed(),
    run: (log) => exec(join(WEB, 'node_modules/.bin/next'), ['build'], log, WEB, { NEXT_TELEMETRY_DISABLED: '1' }),
  },
  wasmBindgen: {
    id: 'wasm-bindgen-cli',
    name: 'cargo install wasm-bindgen-cli (compiles it once, a few minutes)',
    needed: () => !output(wasmBindgen, ['--version']).includes(wasmBindgenVersion()),
    // Not --locked: the CLI's locked dependency versions are not all in the registry mirror.
    run: (log) => exec('cargo', ['install', 'wasm-bindgen-cli', '--version', wasmBindgenVersion(), '--force'], log),
  },
  build: {
    id: 'build',
    name: 'npm run build (the wasm module, release + LTO, then wasm-bindgen and wasm-opt)',
    needed: () => !existsSync(join(root, BUILD_STAMP)) || newest(BUILD_INPUTS) > statSync(join(root, BUILD_STAMP)).mtimeMs,
    run: (log) => exec(process.execPath, [join(root, 'scripts/build.mjs')], log),
  },
  chromium: {
    id: 'chromium',
    name: 'apt-get install chromium chromium-driver (browser tests)',
    needed: () => (!existsSync('/usr/bin/chromium') || !existsSync('/usr/bin/chromedriver')) && process.env.EDGEJWT_SKIP_CHROMIUM !== '1',
    run: async (log) => {
      if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
        throw new Error('/usr/bin/chromium is missing: install Debian\'s chromium and chromium-driver packages (the browser tests need them)')
      }
      await exec('apt-get', ['update', '-q'], log)
      await exec('apt-get', ['install', '-y', '-q', 'chromium', 'chromium-driver'], log, root, { DEBIAN_FRONTEND: 'noninteractive' })
    },
  },
}

/** What each command needs, in order. */
const PROFILES = {
  build: [STEPS.wasmTarget, STEPS.npmRoot, STEPS.wasmBindgen],
  demo: [STEPS.wasmTarget, STEPS.npmRoot, STEPS.npmBetterAuth, STEPS.wasmBindgen, STEPS.build],
  www: [STEPS.wasmTarget, STEPS.npmRoot, STEPS.wasmBindgen, STEPS.build],
  bench: [STEPS.wasmTarget, STEPS.npmRoot, STEPS.npmBenchWorkerd, STEPS.wasmBindgen, STEPS.build],
  test: [STEPS.testTargets, STEPS.npmRoot, STEPS.npmBetterAuth, ...STEPS.npmBetterAuthReleases, STEPS.wasmBindgen, STEPS.chromium, STEPS.pythonVenv, STEPS.pythonExt, STEPS.releaseVenv],
  python: [STEPS.npmRoot, STEPS.npmBetterAuth, STEPS.pythonVenv, STEPS.pythonExt],
  example: [STEPS.wasmTarget, STEPS.npmRoot, STEPS.wasmBindgen, STEPS.build, STEPS.npmFullstackWeb, STEPS.fullstackTarball, STEPS.fullstackBuild, STEPS.pythonVenv, STEPS.pythonExt],
  release: [STEPS.releaseTargets, STEPS.npmRoot, STEPS.npmBetterAuth, STEPS.npmRuntimes, STEPS.wasmBindgen, STEPS.releaseVenv],
}

/** Runs `cmd`, its stdout and stderr appended to the log file descriptor `log`. */
function exec(cmd, args, log, cwd = root, env = {}) {
  writeSync(log, `\n$ ${cmd} ${args.join(' ')}\n`)
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', log, log], env: { ...process.env, ...env } })
    child.on('error', reject)
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${cmd} exited with ${signal ?? code}`))))
  })
}

const secs = (ms) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(Math.round(ms / 1000) / 60)} min ${Math.round(ms / 1000) % 60} s`)

/**
 * Runs the steps of `profile` that are needed. Prints nothing when nothing is needed; exits the
 * process with status 1, naming the step and its log, when a step fails.
 */
export async function prepare(profile) {
  const steps = PROFILES[profile]
  if (!steps) throw new Error(`prepare: unknown profile ${profile} (one of ${Object.keys(PROFILES).join(', ')})`)
  const todo = steps.filter((s) => s.needed())
  if (todo.length === 0) return
  if (todo.includes(STEPS.wasmBindgen)) {
    console.log('prepare: first run on this machine: installing what is missing; compiling wasm-bindgen-cli takes most of it (about 10 minutes on 2 cores; later runs start in seconds)')
  } else {
    console.log(`prepare: ${todo.length} step${todo.length > 1 ? 's' : ''} to run (installs and builds only what is missing or stale)`)
  }
  mkdirSync(logDir, { recursive: true })
  const started = Date.now()
  for (const [i, step] of todo.entries()) {
    const label = `[${i + 1}/${todo.length}] ${step.name}`
    const logPath = join(logDir, `${step.id}.log`)
    const log = openSync(logPath, 'w')
    const t0 = Date.now()
    // A live elapsed time in a terminal; elsewhere (CI logs) a line per minute.
    const tick = tty
      ? setInterval(() => process.stdout.write(`\r${label} … ${secs(Date.now() - t0)}`), 1000)
      : setInterval(() => console.log(`prepare: … ${step.name.split(' (')[0]}: ${secs(Date.now() - t0)}`), 60_000)
    if (tty) process.stdout.write(`${label} …`)
    else console.log(`${label} …`)
    try {
      await step.run(log)
    } catch (err) {
      clearInterval(tick)
      closeSync(log)
      if (tty) process.stdout.write('\n')
      const tail = readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-15).join('\n')
      console.error(`prepare: step "${step.name}" failed after ${secs(Date.now() - t0)}: ${err.message}`)
      if (tail) console.error(tail.replace(/^/gm, '  | '))
      console.error(`prepare: full log: ${relative(process.cwd(), logPath) || logPath}`)
      process.exit(1)
    }
    clearInterval(tick)
    closeSync(log)
    const done = `${label} ✓ ${secs(Date.now() - t0)}`
    if (tty) process.stdout.write(`\r${done}\x1b[K\n`)
    else console.log(done)
  }
  console.log(`prepare: ready in ${secs(Date.now() - started)} (logs in ${relative(process.cwd(), logDir)})`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await prepare(process.argv[2] ?? 'demo')
}

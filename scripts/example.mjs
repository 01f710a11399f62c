// `npm run example`: the full-stack example (examples/fullstack/): the Next.js + Better Auth web
// app and the FastAPI API, each in its own process group, on 127.0.0.1. Installs and builds
// what is missing first (scripts/prepare.mjs). Prints both URLs and `ready` once both answer;
// Ctrl-C or SIGTERM stops both (their whole process groups).
//
//   npm run example [-- --reset]       data in .tmp/fullstack/ (--reset wipes it first)
//   WEB_PORT=3000 API_PORT=8000        the ports (defaults)
//   JWT_EXPIRES_IN=900                 JWT lifetime, seconds (the jwt plugin's expirationTime)
//   JWKS_ROTATION_INTERVAL=…           seconds (jwks.rotationInterval; unset: no rotation)
//   JWT_ALG=EdDSA                      or ES256, ES512, RS256, PS256
//   JWKS_COOLDOWN=30                   the API's minimum seconds between two JWKS fetches
//   EXAMPLE_DATA_DIR=…                 another data folder (the tests use their own)
//   --only=web | --only=api            start one of the two (the other from another terminal)
//   --no-prepare                       skip the install and build checks (the tests use it after the first start)
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { prepare } from './prepare.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--reset' && a !== '--no-prepare' && !/^--only=(web|api)$/.test(a))
if (unknown.length) {
  console.error(`example: unknown argument ${unknown[0]} (known: --reset, --only=web, --only=api, --no-prepare)`)
  process.exit(2)
}
const only = args.find((a) => a.startsWith('--only='))?.slice(7)
const port = (name, fallback) => {
  const v = Number(process.env[name] ?? fallback)
  if (!Number.isInteger(v) || v < 1 || v > 65535) throw new Error(`${name} must be a port number`)
  return v
}
const WEB_PORT = port('WEB_PORT', 3000)
const API_PORT = port('API_PORT', 8000)
const webURL = `http://127.0.0.1:${WEB_PORT}`
const apiURL = `http://127.0.0.1:${API_PORT}`
const data = resolve(root, process.env.EXAMPLE_DATA_DIR ?? '.tmp/fullstack')

// (--no-prepare: start what is there, e.g. a second launcher while the first one's server runs:
// a rebuild would change the files under it.)
if (!args.includes('--no-prepare')) await prepare('example')

if (args.includes('--reset')) rmSync(data, { recursive: true, force: true })
mkdirSync(data, { recursive: true })
// BETTER_AUTH_SECRET: made once per data folder, so sessions survive restarts (and die with --reset).
const secretFile = join(data, 'better-auth-secret')
if (!existsSync(secretFile)) writeFileSync(secretFile, randomBytes(32).toString('base64url'), { mode: 0o600 })
const secret = readFileSync(secretFile, 'utf8').trim()

const services = {
  web: {
    url: webURL,
    probe: `${webURL}/api/auth/ok`,
    cmd: join(root, 'examples/fullstack/web/node_modules/.bin/next'),
    args: ['start', '-H', '127.0.0.1', '-p', String(WEB_PORT)],
    cwd: join(root, 'examples/fullstack/web'),
    env: {
      BETTER_AUTH_URL: webURL,
      BETTER_AUTH_SECRET: secret,
      DATABASE_PATH: join(data, 'web.db'),
      API_URL: apiURL,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
  api: {
    url: apiURL,
    probe: `${apiURL}/healthz`,
    cmd: join(root, '.venv/bin/python'),
    args: ['-m', 'uvicorn', 'main:app', '--host', '127.0.0.1', '--port', String(API_PORT), '--no-server-header'],
    cwd: join(root, 'examples/fullstack/api'),
    env: {
      BETTER_AUTH_URL: webURL,
      WEB_ORIGIN: webURL,
      DATABASE_URL: `sqlite:///${join(data, 'api.db')}`,
      PYTHONUNBUFFERED: '1',
    },
  },
}

const running = new Map() // name → child
let stopping = false

/** Stops every started service: SIGTERM to its process group, SIGKILL after 5 s. */
async function stopAll(code) {
  if (stopping) return
  stopping = true
  await Promise.all(
    [...running.values()].map(
      (child) =>
        new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done()
          const kill = (sig) => {
            try {
              process.kill(-child.pid, sig)
            } catch {}
          }
          const timer = setTimeout(() => kill('SIGKILL'), 5_000)
          child.once('exit', () => {
            clearTimeout(timer)
            // Whatever else the group still holds (e.g. a worker the server forked).
            kill('SIGKILL')
            done()
          })
          kill('SIGTERM')
        }),
    ),
  )
  process.exit(code)
}
process.on('SIGINT', () => stopAll(0))
process.on('SIGTERM', () => stopAll(0))
process.on('SIGHUP', () => stopAll(0))

const names = only ? [only] : ['api', 'web']
for (const name of names) {
  const s = services[name]
  const child = spawn(s.cmd, s.args, { cwd: s.cwd, env: { ...process.env, ...s.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  running.set(name, child)
  createInterface({ input: child.stdout }).on('line', (line) => console.log(`[${name}] ${line}`))
  createInterface({ input: child.stderr }).on('line', (line) => console.error(`[${name}] ${line}`))
  child.on('exit', (code, signal) => {
    if (stopping) return
    console.error(`example: ${name} exited (${signal ?? code}); stopping`)
    stopAll(1)
  })
}

// Both answer → the URLs, then `ready`.
const deadline = Date.now() + 120_000
for (const name of names) {
  const s = services[name]
  for (;;) {
    if (stopping) await new Promise(() => {})
    try {
      const res = await fetch(s.probe, { signal: AbortSignal.timeout(3_000) })
      if (res.ok) break
    } catch {}
    if (Date.now() > deadline) {
      console.error(`example: ${name} did not answer at ${s.probe} within 2 minutes`)
      await stopAll(1)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
}
for (const name of names) console.log(`${name}: ${services[name].url}  (pid ${running.get(name).pid})`)
console.log(`data: ${relative(process.cwd(), data) || '.'}`)
console.log('ready')

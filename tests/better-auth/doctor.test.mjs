// `edgejwt doctor` against real Better Auth servers: a correct deployment, where every check
// passes (or is skipped for want of input), and one server per mistake users make, where the
// right check fails or warns. Both command lines run each case (`npx edgejwt` from the packed
// tarball, `python -m edgejwt` from .venv) and their --json must agree.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startBetterAuth, SECRET } from './server.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')
const jsCli = join(dirname(createRequire(import.meta.url).resolve('edgejwt/package.json')), 'bin/edgejwt.js')
const python = join(root, '.venv/bin/python')
const PASSWORD = 'correct horse battery staple'
const FRONTEND = 'http://127.0.0.1:5173'

const servers = []
after(() => Promise.all(servers.map((s) => s.close())))

async function start(options) {
  const ba = await startBetterAuth(options)
  servers.push(ba)
  await ba.signIn() // ada@example.com
  return ba
}

const run = (cmd, args) =>
  new Promise((resolve) => {
    execFile(cmd, args, { cwd: root, env: { ...process.env, BETTER_AUTH_SECRET: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? err.code : 0, stdout, stderr })
    })
  })

/** Both command lines with `args`; their --json outputs (timings masked) must be equal. */
async function doctor(args) {
  const [js, py] = await Promise.all([
    run(process.execPath, [jsCli, 'doctor', ...args, '--json']),
    run(python, ['-m', 'edgejwt', 'doctor', ...args, '--json']),
  ])
  assert.equal(js.stderr, '', js.stderr)
  assert.equal(py.stderr, '', py.stderr)
  // The two runs are a few milliseconds apart: numbers in messages (timings, ages) may differ.
  const mask = (out) => JSON.parse(out.replace(/\d+(\.\d+)? (ms|s|min)\b/g, 'N'))
  assert.deepEqual(mask(py.stdout).checks, mask(js.stdout).checks, 'npx edgejwt and python -m edgejwt agree')
  const { checks } = JSON.parse(js.stdout)
  assert.equal(js.status, py.status)
  assert.equal(js.status, checks.some((c) => c.status === 'fail') ? 1 : 0, 'exit status 1 exactly when a check failed')
  const byId = Object.fromEntries(checks.map((c) => [c.id, c]))
  return { checks, byId, status: js.status }
}

const statuses = (checks) => Object.fromEntries(checks.map((c) => [c.id, c.status]))

test('the command lines exist (the packed tarball and the Python package)', () => {
  assert.ok(existsSync(jsCli), jsCli)
  assert.ok(existsSync(python), python)
})

test('a correct deployment: every check passes', async () => {
  const ba = await start({
    session: { cookieCache: { enabled: true, maxAge: 300, strategy: 'jwt' } },
    sessionCookieCache: true,
    headers: (req) => (req.headers.origin === FRONTEND ? { 'access-control-allow-origin': FRONTEND, 'access-control-allow-credentials': 'true' } : {}),
  })
  const { checks, status } = await doctor([ba.baseURL, '--email', 'ada@example.com', '--password', PASSWORD, '--origin', FRONTEND, '--required-claim', 'uuid'])
  assert.deepEqual(statuses(checks), {
    'jwks.reachable': 'pass',
    'jwks.valid': 'pass',
    'jwks.kids': 'pass',
    'jwks.key-count': 'pass',
    'jwks.cache-control': 'pass',
    'token.obtained': 'pass',
    'token.verifies': 'pass',
    'token.issuer': 'pass',
    'token.audience': 'pass',
    'token.lifetime': 'pass',
    'token.claims': 'pass',
    'clock.skew': 'pass',
    'cors.jwt-header': 'pass',
    'cookie.cache': 'pass',
  })
  assert.equal(status, 0)
  // The human output is the core's too, and the same in both languages.
  const [js, py] = await Promise.all([
    run(process.execPath, [jsCli, 'doctor', ba.baseURL]),
    run(python, ['-m', 'edgejwt', 'doctor', ba.baseURL]),
  ])
  const mask = (s) => s.replace(/\d+ ms/g, 'N ms')
  assert.equal(mask(js.stdout), mask(py.stdout))
  assert.match(js.stdout, /^edgejwt doctor http:\/\/127\.0\.0\.1:\d+\nPASS {2}jwks\.reachable/)
  assert.match(js.stdout, /\n6 passed, 0 warned, 0 failed, 8 skipped\n$/)
})

test('the JWKS at another path: jwks.reachable fails and says which paths were tried', async () => {
  const ba = await start({ jwks: { jwksPath: '/keys' } })
  const { byId, status } = await doctor([ba.baseURL])
  assert.equal(status, 1)
  assert.equal(byId['jwks.reachable'].status, 'fail')
  assert.equal(byId['jwks.reachable'].message, `${ba.baseURL}/api/auth/jwks: HTTP 404`)
  assert.match(byId['jwks.reachable'].hint, /tried .*\/\.well-known\/jwks\.json \(HTTP 404\), .*\/api\/auth\/v1\/keys \(HTTP 404\)/)
  assert.equal(byId['jwks.valid'].status, 'skip')
  // With the right URL, it passes.
  const fixed = await doctor([ba.baseURL, '--jwks-url', `${ba.baseURL}/api/auth/keys`])
  assert.equal(fixed.byId['jwks.reachable'].status, 'pass')
})

test('iss/aud signed with another URL than the backend expects: token.issuer and token.audience say what differs', async () => {
  const ba = await start({ jwtOptions: { issuer: 'http://localhost:3000/', audience: 'https://localhost:3000' } })
  const { byId } = await doctor([ba.baseURL, '--email', 'ada@example.com', '--password', PASSWORD])
  assert.equal(byId['token.verifies'].status, 'pass')
  assert.equal(byId['token.issuer'].status, 'fail')
  assert.match(byId['token.issuer'].message, /^iss is http:\/\/localhost:3000\/ but http:\/\/127\.0\.0\.1:\d+ is expected: host \(localhost vs 127\.0\.0\.1\), port \(3000 vs \d+\), trailing slash$/)
  assert.equal(byId['token.audience'].status, 'fail')
  assert.match(byId['token.audience'].message, /: scheme \(https vs http\), host \(localhost vs 127\.0\.0\.1\), port \(3000 vs \d+\)$/)
  // --issuer: what the backend is configured with.
  const matching = await doctor([ba.baseURL, '--email', 'ada@example.com', '--password', PASSWORD, '--issuer', 'http://localhost:3000/'])
  assert.equal(matching.byId['token.issuer'].status, 'pass')
})

test('a new key per token (rotation without a sane interval): jwks.key-count warns', async () => {
  const ba = await start({ jwks: { rotationInterval: 0.001 } })
  const { cookie } = await ba.signIn()
  for (let i = 0; i < 12; i++) {
    await ba.api('/token', { cookie })
    await new Promise((r) => setTimeout(r, 5))
  }
  const { byId } = await doctor([ba.baseURL])
  assert.equal(byId['jwks.key-count'].status, 'warn')
  assert.match(byId['jwks.key-count'].message, /^(1[1-9]|[2-9]\d) keys \(more than 10\)$/)
  assert.match(byId['jwks.key-count'].hint, /rotationInterval/)
})

test('an expired token and a missing custom claim: token.lifetime and token.claims fail', async () => {
  const ba = await start({ jwtOptions: { expirationTime: '1s' }, definePayload: ({ user }) => ({ email: user.email }) })
  const { cookie } = await ba.signIn()
  const token = (await (await ba.api('/token', { cookie })).json()).token
  await new Promise((r) => setTimeout(r, 2100))
  const { byId } = await doctor([ba.baseURL, '--token', token, '--required-claim', 'uuid'])
  assert.equal(byId['token.obtained'].status, 'pass')
  assert.equal(byId['token.verifies'].status, 'warn')
  assert.match(byId['token.verifies'].message, /\[ERR_JWT_EXPIRED\]$/)
  assert.equal(byId['token.lifetime'].status, 'fail')
  assert.match(byId['token.lifetime'].message, /^expired [1-9]\d* s ago \(lifetime 1 s\)$/)
  assert.equal(byId['token.claims'].status, 'fail')
  assert.equal(byId['token.claims'].message, 'missing uuid')
})

test('a token signed by another deployment: token.verifies fails with the selection report', async () => {
  const ba = await start({})
  const other = await start({})
  const { cookie } = await other.signIn()
  const token = (await (await other.api('/token', { cookie })).json()).token
  const { byId } = await doctor([ba.baseURL, '--token', token])
  assert.equal(byId['token.verifies'].status, 'fail')
  assert.match(byId['token.verifies'].message, /\[ERR_JWKS_NO_MATCHING_KEY\]; kid [^:]+: its "kid" is not the token's$/)
  assert.match(byId['token.verifies'].hint, /rotated/)
})

test('BETTER_AUTH_SECRET changed after the keys were made: token.obtained fails and says why', async () => {
  const first = await start({})
  const { cookie } = await first.signIn()
  assert.equal((await first.api('/token', { cookie })).status, 200) // the key is created, encrypted with SECRET
  await first.close()
  const restarted = await start({ db: first.db, secret: `${SECRET}-rotated` })
  const { byId } = await doctor([restarted.baseURL, '--email', 'ada@example.com', '--password', PASSWORD])
  assert.equal(byId['token.obtained'].status, 'fail')
  assert.match(byId['token.obtained'].message, /^--email .*\/api\/auth\/token: HTTP 5\d\d$/)
  assert.match(byId['token.obtained'].hint, /BETTER_AUTH_SECRET changed/)
})

test('a frontend origin without CORS: cors.jwt-header fails', async () => {
  const ba = await start({})
  const { byId } = await doctor([ba.baseURL, '--email', 'ada@example.com', '--password', PASSWORD, '--origin', FRONTEND])
  assert.equal(byId['cors.jwt-header'].status, 'fail')
  assert.equal(byId['cors.jwt-header'].message, `no Access-Control-Allow-Origin for ${FRONTEND}; no Access-Control-Allow-Credentials: true (the session cookie is not sent)`)
})

test('a proxy with a wrong clock and a day-long cache in front: clock.skew fails, jwks.cache-control warns', async () => {
  const ba = await start({ headers: () => ({ date: new Date(Date.now() + 180_000).toUTCString(), 'cache-control': 'public, max-age=604800' }) })
  const { byId } = await doctor([ba.baseURL])
  assert.equal(byId['clock.skew'].status, 'fail')
  assert.match(byId['clock.skew'].message, /^the server's clock is (2|3) min ahead of this one$/)
  assert.equal(byId['jwks.cache-control'].status, 'warn')
  assert.equal(byId['jwks.cache-control'].message, 'Cache-Control: public, max-age=604800 (cached for 7 days)')
})

test('a cookie cache living longer than the JWKS grace period: cookie.cache warns', async () => {
  const ba = await start({ session: { cookieCache: { enabled: true, maxAge: 40 * 86400, strategy: 'jwt' } }, sessionCookieCache: true })
  const { cookie } = await ba.signIn()
  const { byId } = await doctor([ba.baseURL, '--cookie', cookie])
  assert.equal(byId['cookie.cache'].status, 'warn')
  assert.equal(byId['cookie.cache'].message, 'strategy jwt, signed by the jwt plugin\'s keys (sessionCookieCache): reads; its maxAge (40 days) is longer than the JWKS grace period (30 days)')
  // A compact cookie needs the secret: skipped without it, read with it.
  const compact = await start({ session: { cookieCache: { enabled: true, maxAge: 300, strategy: 'compact' } } })
  const signedIn = await compact.signIn()
  assert.equal((await doctor([compact.baseURL, '--cookie', signedIn.cookie])).byId['cookie.cache'].status, 'skip')
  const read = await doctor([compact.baseURL, '--cookie', signedIn.cookie, '--secret', SECRET])
  assert.equal(read.byId['cookie.cache'].status, 'pass')
  assert.equal(read.byId['cookie.cache'].message, 'strategy compact: reads')
  const wrong = await doctor([compact.baseURL, '--cookie', signedIn.cookie, '--secret', 'not-the-secret-not-the-secret-0123'])
  assert.equal(wrong.byId['cookie.cache'].status, 'fail')
})

test('the app down: jwks.reachable fails with the connection error, the rest is skipped', async () => {
  const ba = await start({})
  const url = ba.baseURL
  await ba.close()
  const { byId, status } = await doctor([url])
  assert.equal(status, 1)
  assert.equal(byId['jwks.reachable'].message, `${url}/api/auth/jwks: no answer (ECONNREFUSED)`)
  assert.equal(byId['token.obtained'].status, 'skip')
})

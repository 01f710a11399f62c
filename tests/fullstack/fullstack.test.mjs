// The full-stack example (examples/fullstack/) in headless Chromium: `scripts/example.mjs` (what
// `npm run example` runs) starts the Next.js + Better Auth web app and the FastAPI API; the test
// drives the UI by its data-testid contract and calls the API over HTTP, never the apps'
// internals. One `next build` (scripts/prepare.mjs, run by the first start) serves every scenario:
// what differs between them (token lifetime, key rotation) is environment read at server start.
//   node --test tests/fullstack/   (scripts/test.sh runs it after `node scripts/prepare.mjs example`)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createInterface } from 'node:readline'
import { freePort } from '../ports.mjs'

const root = new URL('../..', import.meta.url).pathname
const { chromium } = await import(pathToFileURL(join(root, 'tests/runtimes/node_modules/playwright-core/index.mjs')).href)
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const shots = join(root, 'tests/fullstack/.screenshots')
const DATA = '.tmp/fullstack-test'
const PASSWORD = 'correct horse battery staple'
const pause = (ms) => new Promise((r) => setTimeout(r, ms))
const started = Date.now()

let browser
const ports = {}
before(async () => {
  rmSync(shots, { recursive: true, force: true })
  mkdirSync(shots, { recursive: true })
  ports.web = await freePort()
  ports.api = await freePort()
  // playwright starts Chromium with a fresh --user-data-dir of its own (a temporary folder);
  // each user below gets a new context: separate cookies, storage and memory.
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS })
})
after(async () => {
  for (const l of [...launched]) await l.stop()
  await browser?.close()
  console.log(`# fullstack: ${((Date.now() - started) / 1000).toFixed(1)} s`)
})

const launched = new Set()
/**
 * Starts `node scripts/example.mjs` with `args` and `env`; resolves when it prints `ready`, with
 * the pids it reports and `stop()` (SIGTERM to the launcher, which stops its services' process
 * groups; then checks that no service process is left).
 */
async function launch(args = [], env = {}) {
  const child = spawn(process.execPath, [join(root, 'scripts/example.mjs'), ...args], {
    cwd: root,
    env: { ...process.env, WEB_PORT: String(ports.web), API_PORT: String(ports.api), EXAMPLE_DATA_DIR: DATA, EXAMPLE_TEST_HOOKS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const log = []
  const pids = {}
  const ready = new Promise((resolve, reject) => {
    const onLine = (line) => {
      log.push(line)
      const m = /^(web|api): (http\S+)\s+\(pid (\d+)\)$/.exec(line)
      if (m) pids[m[1]] = Number(m[3])
      if (line === 'ready') resolve()
    }
    createInterface({ input: child.stdout }).on('line', onLine)
    createInterface({ input: child.stderr }).on('line', (l) => log.push(l))
    child.once('exit', (code) => reject(new Error(`example.mjs exited (${code}) before ready:\n${log.slice(-40).join('\n')}`)))
    setTimeout(() => reject(new Error(`example.mjs not ready after 150 s:\n${log.slice(-40).join('\n')}`)), 150_000).unref()
  })
  const handle = {
    pids,
    log,
    async stop() {
      launched.delete(handle)
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      for (const [name, pid] of Object.entries(pids)) {
        let alive = true
        try {
          process.kill(-pid, 0)
        } catch {
          alive = false
        }
        assert.equal(alive, false, `${name}'s process group ${pid} is gone after the launcher stopped`)
      }
    },
  }
  launched.add(handle)
  const t0 = Date.now()
  await ready
  const prepared = log.filter((l) => /^\[\d+\/\d+\]/.test(l) && l.includes('✓'))
  console.log(`# example.mjs ${args.join(' ')}: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s${prepared.length ? ` (prepare: ${prepared.join('; ')})` : ''}`)
  return handle
}

const web = (path = '') => `http://127.0.0.1:${ports.web}${path}`
const api = (path = '') => `http://127.0.0.1:${ports.api}${path}`
const shot = (page, name) => page.screenshot({ path: join(shots, `${name}.png`), fullPage: true })
const decode = (jwt, i) => JSON.parse(Buffer.from(jwt.split('.')[i], 'base64url').toString())
const titles = (page) => page.$$eval('[data-testid=task] span', (els) => els.map((e) => e.textContent))

/** A new isolated browser session (its own cookies and memory) on the given page. */
async function newPage() {
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.errors = errors
  // Every JWT the page got from /api/auth/token, for the kid checks.
  page.tokens = []
  page.on('response', async (res) => {
    if (new URL(res.url()).pathname === '/api/auth/token' && res.ok()) page.tokens.push((await res.json()).token)
  })
  return page
}

async function waitLoaded(page) {
  await page.waitForSelector('[data-testid=task-list][aria-busy=false]', { state: 'attached' })
}

async function signUp(page, name, email) {
  await page.goto(web('/sign-up'))
  await page.fill('[data-testid=name]', name)
  await page.fill('[data-testid=email]', email)
  await page.fill('[data-testid=password]', PASSWORD)
  await page.click('[data-testid=submit]')
  await page.waitForURL(web('/tasks'))
  await waitLoaded(page)
}

async function signIn(page, email) {
  await page.goto(web('/sign-in'))
  await page.fill('[data-testid=email]', email)
  await page.fill('[data-testid=password]', PASSWORD)
  await page.click('[data-testid=submit]')
  await page.waitForURL(web('/tasks'))
  await waitLoaded(page)
}

/** Adds a task in the UI and waits until it is listed (the API answered 201). */
async function addTask(page, title) {
  const before = (await titles(page)).length
  await page.fill('[data-testid=new-task-title]', title)
  await page.click('[data-testid=add-task]')
  await page.waitForFunction(([n]) => document.querySelectorAll('[data-testid=task]').length > n, [before], { timeout: 15_000 }).catch(async (err) => {
    throw new Error(`"${title}" was not added; api-error: ${await page.textContent('[data-testid=api-error]').catch(() => 'none')}`, { cause: err })
  })
}

/** A fresh JWT of the page's session, as the browser gets it (with its cookies). */
const tokenOf = (page) => page.evaluate(() => fetch('/api/auth/token').then((r) => r.json()).then((b) => b.token))
const jwksRequests = async () => (await fetch(web('/api/test/jwks-requests'))).json()

test('two users: each sees only their own tasks; the API isolates them by the token\'s user', async () => {
  const app = await launch(['--reset'])
  try {
    const a = await newPage()
    const b = await newPage()
    // /tasks without a session: to /sign-in.
    await a.goto(web('/tasks'))
    await a.waitForURL(web('/sign-in'))
    await shot(a, '01-redirected-to-sign-in')

    await signUp(a, 'Ada', 'ada@example.com')
    assert.equal(await a.textContent('[data-testid=signed-in-as]'), 'ada@example.com')
    await addTask(a, 'A: write the proof')
    await addTask(a, 'A: check the tables')
    await signUp(b, 'Bob', 'bob@example.com')
    assert.equal(await b.textContent('[data-testid=signed-in-as]'), 'bob@example.com')
    await addTask(b, 'B: order parts')
    assert.deepEqual(await titles(a), ['A: write the proof', 'A: check the tables'])
    assert.deepEqual(await titles(b), ['B: order parts'])
    // After a reload, from the API again.
    await a.reload()
    await waitLoaded(a)
    assert.deepEqual(await titles(a), ['A: write the proof', 'A: check the tables'])
    await b.reload()
    await waitLoaded(b)
    assert.deepEqual(await titles(b), ['B: order parts'])
    assert.equal(await a.$('[data-testid=api-error]'), null)
    // Without the cookie cache (as after its 5 minutes), proxy.ts asks Better Auth once and
    // passes on a new one; without any session cookie, /tasks is closed.
    const cookieNames = async () => (await a.context().cookies()).map((c) => c.name).sort()
    await a.context().clearCookies({ name: 'better-auth.session_data' })
    await a.goto(web('/tasks'))
    await waitLoaded(a)
    assert.equal(a.url(), web('/tasks'))
    assert.ok((await cookieNames()).includes('better-auth.session_data'), `a new cookie cache: ${await cookieNames()}`)
    await shot(a, '02-ada-tasks')
    await shot(b, '03-bob-tasks')

    // The API, called directly with B's token.
    const tokenA = await tokenOf(a)
    const tokenB = await tokenOf(b)
    const idA = decode(tokenA, 1).sub
    const idB = decode(tokenB, 1).sub
    assert.notEqual(idA, idB)
    const as = (token) => ({ headers: { authorization: `Bearer ${token}` } })
    const tasksA = await (await fetch(api('/tasks'), as(tokenA))).json()
    assert.deepEqual(tasksA.map((t) => t.title), ['A: write the proof', 'A: check the tables'])
    assert.equal((await fetch(api(`/users/${idA}/tasks`), as(tokenB))).status, 403)
    assert.equal((await fetch(api(`/users/${idB}/tasks`), as(tokenB))).status, 200)
    assert.equal((await fetch(api(`/tasks/${tasksA[0].id}`), { method: 'DELETE', ...as(tokenB) })).status, 404)
    assert.equal((await (await fetch(api('/tasks'), as(tokenA))).json()).length, 2, 'A\'s task survived B\'s delete')
    // RFC 6750 answers: no token, a bad token.
    const none = await fetch(api('/tasks'))
    assert.equal(none.status, 401)
    assert.equal(none.headers.get('www-authenticate'), 'Bearer')
    const bad = await fetch(api('/tasks'), as(tokenA.slice(0, -4) + 'AAAA'))
    assert.equal(bad.status, 401)
    assert.match(bad.headers.get('www-authenticate'), /^Bearer error="invalid_token", error_description="ERR_JWS_SIGNATURE_VERIFICATION_FAILED"$/)
    // CORS: the web origin only; nothing but WWW-Authenticate and Retry-After exposed.
    const preflight = (origin) => fetch(api('/tasks'), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' } })
    const ok = await preflight(web())
    assert.equal(ok.headers.get('access-control-allow-origin'), web())
    assert.equal(ok.headers.get('access-control-allow-credentials'), null)
    assert.equal((await preflight('http://evil.example')).headers.get('access-control-allow-origin'), null)
    const simple = await fetch(api('/tasks'), { headers: { origin: web(), ...as(tokenA).headers } })
    assert.equal(simple.headers.get('access-control-expose-headers'), 'WWW-Authenticate, Retry-After')

    // Delete in the UI; sign out; /tasks is closed again; sign in again.
    await a.click('[data-testid=task]:has-text("A: check the tables") [data-testid=delete-task]')
    await a.waitForFunction(() => document.querySelectorAll('[data-testid=task]').length === 1)
    await a.click('[data-testid=sign-out]')
    await a.waitForURL(web('/sign-in'))
    await a.goto(web('/tasks'))
    await a.waitForURL(web('/sign-in'))
    await signIn(a, 'ada@example.com')
    assert.deepEqual(await titles(a), ['A: write the proof'])
    // A failed API call shows its code while it is the last one.
    await a.fill('[data-testid=new-task-title]', 'x'.repeat(201))
    await a.click('[data-testid=add-task]')
    await a.waitForSelector('[data-testid=api-error]')
    assert.equal(await a.textContent('[data-testid=api-error]'), 'string_too_long')
    await shot(a, '04-api-error')
    await addTask(a, 'A: shorter')
    assert.equal(await a.$('[data-testid=api-error]'), null)
    assert.deepEqual([...a.errors, ...b.errors], [])
    await a.context().close()
    await b.context().close()
  } finally {
    await app.stop()
  }
})

test('JWT_EXPIRES_IN=5: tasks added after the token expired work, with no visible error (the client refreshed)', async () => {
  const app = await launch(['--no-prepare'], { JWT_EXPIRES_IN: '5' })
  try {
    const page = await newPage()
    await signIn(page, 'ada@example.com')
    await addTask(page, 'A: before expiry')
    const first = page.tokens.at(-1)
    const { iat, exp } = decode(first, 1)
    assert.equal(exp - iat, 5)
    await pause(6_000)
    await addTask(page, 'A: after expiry')
    await pause(6_000)
    await addTask(page, 'A: after another expiry')
    assert.equal(await page.$('[data-testid=api-error]'), null)
    assert.deepEqual((await titles(page)).slice(-3), ['A: before expiry', 'A: after expiry', 'A: after another expiry'])
    assert.ok(page.tokens.length >= 3, `the client fetched a new token after each expiry (${page.tokens.length} tokens)`)
    assert.equal(new Set(page.tokens).size, page.tokens.length)
    await shot(page, '05-after-expiry')
    // The token it held is rejected by the API now: the client did not send it.
    const stale = await fetch(api('/tasks'), { headers: { authorization: `Bearer ${first}` } })
    assert.equal(stale.status, 401)
    assert.match(stale.headers.get('www-authenticate'), /error_description="ERR_JWT_EXPIRED"/)

    // The page's clock stops (Date.now() frozen, timers running): the client believes its token
    // is still fresh and sends it after it expired; the API answers 401 invalid_token, and the
    // client refreshes once and retries once, still with no visible error.
    const apiAnswers = []
    page.on('response', (res) => {
      if (res.url().startsWith(api('/tasks')) && res.request().method() === 'POST') apiAnswers.push(res.status())
    })
    await page.clock.setFixedTime(Date.now())
    await addTask(page, 'A: frozen clock, warm-up') // a token fetched while the clock is frozen
    const tokensBefore = page.tokens.length
    await pause(6_000)
    await addTask(page, 'A: frozen clock, expired token')
    assert.deepEqual(apiAnswers.slice(-2), [401, 201], 'the expired token was refused, the retry with a new one succeeded')
    assert.equal(page.tokens.length, tokensBefore + 1, 'one refresh')
    assert.equal(await page.$('[data-testid=api-error]'), null)
    assert.equal((await titles(page)).at(-1), 'A: frozen clock, expired token')
    // The tokens lived in memory only: not in storage, not in a cookie.
    const stored = await page.evaluate(() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie]))
    const cookies = (await page.context().cookies()).map((c) => c.value).join(' ')
    for (const t of page.tokens) assert.ok(!stored.includes(t) && !cookies.includes(t), 'a token was stored outside memory')
    assert.deepEqual(page.errors, [])
    await page.context().close()
  } finally {
    await app.stop()
  }
})

test('key rotation: the kid changes and the API accepts the new tokens after exactly one JWKS refetch; with the web app stopped it keeps serving from its cached keys', async () => {
  const ROTATION = 6
  // Separate launchers, so that the web app can be stopped alone; a fresh database, so that the
  // first key is created with the rotation interval.
  const apiApp = await launch(['--reset', '--only=api', '--no-prepare'], { JWKS_COOLDOWN: '1' })
  let webApp = await launch(['--only=web', '--no-prepare'], { JWKS_ROTATION_INTERVAL: String(ROTATION) })
  try {
    const page = await newPage()
    await signUp(page, 'Cy', 'cy@example.com')
    const createdAt = Date.now()
    await addTask(page, 'C: first key')
    const kid1 = decode(page.tokens.at(-1), 0).kid
    const apiFetches = async () => (await jwksRequests()).edgejwt ?? 0
    assert.equal(await apiFetches(), 1, 'the API fetched the JWKS once')
    await addTask(page, 'C: still the first key')
    assert.equal(await apiFetches(), 1, 'no fetch per request')

    await pause(Math.max(0, createdAt + ROTATION * 1000 + 500 - Date.now()))
    await page.reload() // a new page: a new token client, memory only
    await waitLoaded(page)
    const kid2 = decode(page.tokens.at(-1), 0).kid
    assert.notEqual(kid2, kid1, 'a token signed after the rotation interval has a new kid')
    const jwks = await (await fetch(web('/api/auth/jwks'))).json()
    assert.deepEqual(new Set(jwks.keys.map((k) => k.kid)), new Set([kid1, kid2]))
    await addTask(page, 'C: second key')
    assert.equal(await page.$('[data-testid=api-error]'), null)
    assert.deepEqual(await titles(page), ['C: first key', 'C: still the first key', 'C: second key'])
    assert.equal(await apiFetches(), 2, 'exactly one refetch for the new kid')
    await addTask(page, 'C: second key again')
    assert.equal(await apiFetches(), 2)
    await shot(page, '06-after-rotation')

    // The web app stops: the API still verifies tokens of both keys from its cached set.
    const token2 = page.tokens.at(-1)
    await webApp.stop()
    webApp = null
    await assert.rejects(fetch(web('/api/auth/jwks')))
    const res = await fetch(api('/tasks'), { headers: { authorization: `Bearer ${token2}` } })
    assert.equal(res.status, 200)
    assert.equal((await res.json()).length, 4)
    const created = await fetch(api('/tasks'), { method: 'POST', headers: { authorization: `Bearer ${token2}`, 'content-type': 'application/json' }, body: '{"title":"C: web app down"}' })
    assert.equal(created.status, 201)
    // A kid it has not seen cannot be fetched now: the refetch fails, the cached set stays, and
    // the token is refused as one signed by an unknown key.
    const foreign = `${Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'not-published' })).toString('base64url')}.${token2.split('.')[1]}.${token2.split('.')[2]}`
    await pause(1_100) // past the cooldown: the API tries the endpoint again
    const down = await fetch(api('/tasks'), { headers: { authorization: `Bearer ${foreign}` } })
    assert.equal(down.status, 401)
    assert.equal(down.headers.get('www-authenticate'), 'Bearer error="invalid_token", error_description="ERR_JWKS_NO_MATCHING_KEY"')
    assert.equal((await fetch(api('/tasks'), { headers: { authorization: `Bearer ${token2}` } })).status, 200, 'and the cached keys still verify')
    assert.deepEqual(page.errors, [])
    await page.context().close()
  } finally {
    await webApp?.stop()
    await apiApp.stop()
  }
})

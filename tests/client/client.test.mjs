// edgejwt/client in Node: token caching, one shared refresh, Bearer header, the 401
// invalid_token retry, signed-out errors. Real HTTP servers on 127.0.0.1 play Better Auth's
// token endpoint and an RFC 6750 API; nothing of the client is mocked.
//   node --test tests/client/   (scripts/test.sh runs it)
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { createTokenClient, SignedOutError, TokenClientError, isInvalidTokenChallenge } from '../../pkg/src/client.js'

const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url')
let serial = 0
/** A JWT-shaped token (the client decodes, never verifies) living `seconds`, issued `skew` s off. */
const jwt = (seconds, skew = 0) => {
  const iat = Math.floor(Date.now() / 1000) + skew
  return `${b64({ alg: 'EdDSA', kid: 'k' })}.${b64({ sub: 'u1', iat, exp: iat + seconds, n: ++serial })}.c2ln`
}
const pause = (ms) => new Promise((r) => setTimeout(r, ms))

// The token endpoint: what it answers next is set per test; it counts requests and records cookies.
const auth = { calls: 0, status: 200, lifetime: 60, skew: 0, delay: 0, body: null, cookies: [], issued: [] }
// The API: answers per `api.mode` and records the Authorization headers and bodies it saw.
const api = { mode: 'ok', seen: [], bodies: [] }
let authServer, apiServer, baseURL, apiURL

before(async () => {
  authServer = createServer(async (req, res) => {
    if (req.url !== '/api/auth/token' && req.url !== '/custom/token') return res.writeHead(404).end()
    auth.calls++
    auth.cookies.push(req.headers.cookie ?? null)
    if (auth.delay) await pause(auth.delay)
    if (auth.status !== 200) return res.writeHead(auth.status, { 'content-type': 'application/json' }).end('{"message":"UNAUTHORIZED"}')
    const token = jwt(auth.lifetime, auth.skew)
    auth.issued.push(token)
    res.writeHead(200, { 'content-type': 'application/json' }).end(auth.body ?? JSON.stringify({ token }))
  })
  apiServer = createServer((req, res) => {
    let body = ''
    req.on('data', (d) => (body += d))
    req.on('end', () => {
      api.seen.push(req.headers.authorization ?? null)
      api.bodies.push(body)
      const latest = `Bearer ${auth.issued.at(-1)}`
      const mode = typeof api.mode === 'function' ? api.mode(api.seen.length) : api.mode
      if (mode === 'ok') {
        if (req.headers.authorization !== latest) {
          return res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token", error_description="ERR_JWT_EXPIRED"' }).end()
        }
        return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, body }))
      }
      const [status, challenge] = mode
      res.writeHead(status, challenge ? { 'www-authenticate': challenge } : {}).end('{}')
    })
  })
  await Promise.all([authServer, apiServer].map((s) => new Promise((r) => s.listen(0, '127.0.0.1', r))))
  baseURL = `http://127.0.0.1:${authServer.address().port}`
  apiURL = `http://127.0.0.1:${apiServer.address().port}`
})

after(() => {
  authServer.close()
  apiServer.close()
})

function reset(over = {}) {
  Object.assign(auth, { calls: 0, status: 200, lifetime: 60, skew: 0, delay: 0, body: null, cookies: [], issued: [] }, over)
  Object.assign(api, { mode: 'ok', seen: [], bodies: [] })
}

test('getToken fetches once and keeps the token in memory while it is usable', async () => {
  reset()
  const client = createTokenClient({ baseURL })
  const a = await client.getToken()
  const b = await client.getToken()
  assert.equal(a, b)
  assert.equal(auth.calls, 1)
  assert.equal(a, auth.issued[0])
})

test('a token is replaced shortly before it expires (10% of its lifetime as margin)', async () => {
  reset({ lifetime: 2 })
  const client = createTokenClient({ baseURL })
  const first = await client.getToken()
  await pause(1_500) // 0.5 s left, more than the 0.2 s margin: still used
  assert.equal(await client.getToken(), first)
  assert.equal(auth.calls, 1)
  await pause(400) // 0.1 s left: inside the margin
  const second = await client.getToken()
  assert.notEqual(second, first)
  assert.equal(auth.calls, 2)
})

test('refreshMargin sets the margin; forceRefresh skips the cached token', async () => {
  reset({ lifetime: 60 })
  const client = createTokenClient({ baseURL, refreshMargin: 59_500 })
  await client.getToken()
  await pause(600)
  await client.getToken()
  assert.equal(auth.calls, 2)
  const other = createTokenClient({ baseURL })
  const t = await other.getToken()
  assert.notEqual(await other.getToken({ forceRefresh: true }), t)
  assert.equal(auth.calls, 4)
})

test('the lifetime is counted from arrival (exp - iat), so a skewed clock neither keeps nor drops tokens wrongly', async () => {
  // The server's clock is an hour behind this machine's: exp is in this machine's past.
  reset({ lifetime: 60, skew: -3600 })
  const behind = createTokenClient({ baseURL })
  await behind.getToken()
  await behind.getToken()
  assert.equal(auth.calls, 1, 'a fresh token from a server whose clock is behind is kept')
  // The server's clock is an hour ahead: exp is far in this machine's future, the lifetime is still 2 s.
  reset({ lifetime: 2, skew: 3600 })
  const ahead = createTokenClient({ baseURL })
  const t = await ahead.getToken()
  await pause(1_900)
  assert.notEqual(await ahead.getToken(), t, 'a token from a server whose clock is ahead is not kept past its lifetime')
})

test('concurrent callers share one request to the token endpoint', async () => {
  reset({ delay: 150 })
  const client = createTokenClient({ baseURL })
  const tokens = await Promise.all(Array.from({ length: 20 }, () => client.getToken()))
  assert.equal(new Set(tokens).size, 1)
  assert.equal(auth.calls, 1)
  // And concurrent fetches: one token request, every request authorized with it.
  reset({ delay: 150 })
  const other = createTokenClient({ baseURL })
  const answers = await Promise.all(Array.from({ length: 10 }, () => other.fetch(`${apiURL}/tasks`)))
  assert.deepEqual(answers.map((r) => r.status), Array(10).fill(200))
  assert.equal(auth.calls, 1)
  assert.deepEqual(new Set(api.seen), new Set([`Bearer ${auth.issued[0]}`]))
})

test('fetch attaches Authorization: Bearer and keeps the request\'s own headers, method and body', async () => {
  reset()
  const client = createTokenClient({ baseURL })
  const res = await client.fetch(`${apiURL}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"title":"x"}' })
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { ok: true, body: '{"title":"x"}' })
  assert.equal(api.seen[0], `Bearer ${auth.issued[0]}`)
  // A Request object works too.
  const res2 = await client.fetch(new Request(`${apiURL}/tasks`, { method: 'PUT', body: 'y' }))
  assert.equal(res2.status, 200)
  assert.equal(api.bodies[1], 'y')
})

test('after a 401 invalid_token it refreshes once and retries once, with the same body', async () => {
  reset()
  const client = createTokenClient({ baseURL })
  await client.getToken()
  auth.issued.push('rotated-away') // the API now wants a token the client does not hold
  const res = await client.fetch(`${apiURL}/tasks`, { method: 'POST', body: '{"title":"again"}' })
  assert.equal(res.status, 200)
  assert.equal(auth.calls, 2, 'one refresh')
  assert.equal(api.seen.length, 2, 'one retry')
  assert.deepEqual(api.bodies, ['{"title":"again"}', '{"title":"again"}'])
  assert.equal(api.seen[1], `Bearer ${auth.issued.at(-1)}`)
})

test('a second 401 invalid_token is returned as it is: no loop', async () => {
  reset()
  api.mode = [401, 'Bearer error="invalid_token", error_description="ERR_JWS_SIGNATURE_VERIFICATION_FAILED"']
  const client = createTokenClient({ baseURL })
  const res = await client.fetch(`${apiURL}/tasks`)
  assert.equal(res.status, 401)
  assert.equal(api.seen.length, 2)
  assert.equal(auth.calls, 2)
  assert.ok(isInvalidTokenChallenge(res))
})

test('no retry for 403, 400 invalid_request, 503, a bare Bearer challenge or another scheme', async () => {
  const cases = [
    [403, null],
    [400, 'Bearer error="invalid_request"'],
    [503, null],
    [401, 'Bearer'],
    [401, 'Bearer realm="api"'],
    [401, 'Basic realm="invalid_token"'],
  ]
  for (const mode of cases) {
    reset()
    api.mode = mode
    const client = createTokenClient({ baseURL })
    const res = await client.fetch(`${apiURL}/x`)
    assert.equal(res.status, mode[0], JSON.stringify(mode))
    assert.equal(api.seen.length, 1, `one request for ${JSON.stringify(mode)}`)
    assert.equal(auth.calls, 1, `no refresh for ${JSON.stringify(mode)}`)
  }
})

test('no session: SignedOutError (ERR_SIGNED_OUT) from getToken and fetch, for a 401 or no token', async () => {
  for (const over of [{ status: 401 }, { body: 'null' }, { body: '{"token":null}' }, { body: '{}' }]) {
    reset(over)
    const client = createTokenClient({ baseURL })
    await assert.rejects(client.getToken(), (e) => e instanceof SignedOutError && e instanceof TokenClientError && e.code === 'ERR_SIGNED_OUT', JSON.stringify(over))
    await assert.rejects(client.fetch(`${apiURL}/tasks`), SignedOutError)
    assert.equal(api.seen.length, 0, 'the API is not called without a token')
  }
  // Signed in again: the same client recovers.
  reset()
  const client = createTokenClient({ baseURL })
  auth.status = 401
  await assert.rejects(client.getToken(), SignedOutError)
  auth.status = 200
  assert.equal((await client.fetch(`${apiURL}/tasks`)).status, 200)
})

test('other token endpoint failures are coded TokenClientErrors, not signed-out', async () => {
  reset({ status: 500 })
  await assert.rejects(createTokenClient({ baseURL }).getToken(), (e) => e.code === 'ERR_TOKEN_REQUEST_FAILED' && e.status === 500 && !(e instanceof SignedOutError))
  reset({ body: '{"token":"an-opaque-session-token"}' })
  await assert.rejects(createTokenClient({ baseURL }).getToken(), (e) => e.code === 'ERR_TOKEN_INVALID')
  reset({ body: '<html>' })
  await assert.rejects(createTokenClient({ baseURL }).getToken(), (e) => e.code === 'ERR_TOKEN_INVALID')
  const closed = createServer()
  await new Promise((r) => closed.listen(0, '127.0.0.1', r))
  const port = closed.address().port
  await new Promise((r) => closed.close(r))
  await assert.rejects(createTokenClient({ baseURL: `http://127.0.0.1:${port}` }).getToken(), (e) => e.code === 'ERR_TOKEN_REQUEST_FAILED' && e.status === undefined)
  // A failure is not cached: the next call asks again.
  reset({ status: 500 })
  const client = createTokenClient({ baseURL })
  await assert.rejects(client.getToken())
  auth.status = 200
  assert.ok(await client.getToken())
  assert.equal(auth.calls, 2)
})

test('tokenPath, headers (a server component\'s cookie) and a custom fetch', async () => {
  reset()
  const used = []
  const client = createTokenClient({
    baseURL: `${baseURL}/app/`,
    tokenPath: '/custom/token',
    headers: async () => ({ cookie: 'better-auth.session_token=abc' }),
    fetch: (input, init) => {
      used.push(input instanceof Request ? input.url : String(input))
      return fetch(input, init)
    },
  })
  await client.fetch(`${apiURL}/tasks`)
  assert.deepEqual(auth.cookies, ['better-auth.session_token=abc'])
  assert.deepEqual(used, [`${baseURL}/custom/token`, `${apiURL}/tasks`])
  assert.throws(() => createTokenClient({}), /baseURL is required/)
})

test('clear() forgets the token, and a refresh running during clear() is not kept', async () => {
  reset()
  const client = createTokenClient({ baseURL })
  await client.getToken()
  client.clear()
  await client.getToken()
  assert.equal(auth.calls, 2)
  auth.delay = 150
  const running = client.getToken({ forceRefresh: true })
  client.clear()
  await running
  auth.delay = 0
  await client.getToken()
  assert.equal(auth.calls, 4, 'the token of the refresh cleared mid-flight was not cached')
})

test('isInvalidTokenChallenge: a Bearer challenge with error="invalid_token", wherever it is listed', () => {
  const answer = (challenge, status = 401) => new Response(null, { status, headers: challenge === null ? {} : { 'www-authenticate': challenge } })
  for (const c of ['Bearer error="invalid_token", error_description="ERR_JWT_EXPIRED"', 'Bearer realm="api", error="invalid_token"', 'Basic realm="x", Bearer error="invalid_token"', 'bearer error=invalid_token']) {
    assert.equal(isInvalidTokenChallenge(answer(c)), true, c)
  }
  for (const c of [null, 'Bearer', 'Bearer realm="invalid_token"', 'Basic realm="invalid_token"', 'Bearer error="invalid_request"', 'Bearer error="invalid_token_x"']) {
    assert.equal(isInvalidTokenChallenge(answer(c)), false, String(c))
  }
  assert.equal(isInvalidTokenChallenge(answer('Bearer error="invalid_token"', 403)), false)
})

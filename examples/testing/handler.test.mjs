// handler.test.mjs: the handler's tests against a local Better Auth (edgejwt/testing, Node only).
// Run: node --test   (Vitest: the same with `import { test, beforeEach, afterEach } from 'vitest'`)
import { test, beforeEach, afterEach } from 'node:test'
import assert from 'node:assert/strict'
import { createTestIssuer, userUuid } from 'edgejwt/testing'
import { createHandler } from './handler.mjs'

let issuer, handle
beforeEach(async () => {
  issuer = await createTestIssuer() // EdDSA, Better Auth's default; { alg: 'ES256' } and others too
  // A short cooldown lets a rotated key be fetched at once (by default at most one JWKS fetch
  // starts per 30 s); a short timeout for the "hang" outage.
  handle = createHandler(issuer.baseURL, { cooldownDuration: 100, timeoutDuration: 500 })
})
afterEach(() => issuer.close())

const get = (path, headers) => handle(new Request(`https://api.example${path}`, { headers }))

test('a valid token gives the user', async () => {
  const res = await get('/me', issuer.headers({ sub: 'user_1' }))
  assert.equal(res.status, 200)
  assert.deepEqual(await res.json(), { id: 'user_1', uuid: userUuid('user_1') })
})

test("another user's resource is 403", async () => {
  const headers = issuer.headers({ sub: 'user_1' })
  assert.equal((await get('/users/user_1/tasks', headers)).status, 200)
  assert.equal((await get('/users/user_2/tasks', headers)).status, 403)
})

test('an expired token is 401', async () => {
  const res = await get('/me', issuer.headers({}, { expiresIn: -60 }))
  assert.equal(res.status, 401)
  assert.deepEqual(await res.json(), { error: 'ERR_JWT_EXPIRED' })
})

test('a rotated key verifies after one refetch', async () => {
  assert.equal((await get('/me', issuer.headers())).status, 200)
  const oldKid = issuer.kid
  const newKid = issuer.rotate() // Better Auth's rotation: the old key stays listed
  assert.deepEqual(issuer.kids, [oldKid, newKid])
  await new Promise((resolve) => setTimeout(resolve, 150)) // past the cooldown
  assert.equal((await get('/me', issuer.headers())).status, 200)
  assert.equal(issuer.requests, 2) // the first fetch, and one refetch for the new kid
})

for (const [mode, code] of [['fail', 'ERR_JOSE_GENERIC'], ['hang', 'ERR_JWKS_TIMEOUT'], ['garbage', 'ERR_JWKS_INVALID']]) {
  test(`an outage (${mode}) with nothing cached is 503`, async () => {
    const res = await issuer.outage(mode, () => get('/me', issuer.headers()))
    assert.equal(res.status, 503)
    assert.deepEqual(await res.json(), { error: code })
  })

  test(`an outage (${mode}) is served from the cache`, async () => {
    assert.equal((await get('/me', issuer.headers())).status, 200)
    const res = await issuer.outage(mode, () => get('/me', issuer.headers({ sub: 'user_2' })))
    assert.equal(res.status, 200)
    assert.equal((await res.json()).id, 'user_2')
    assert.equal(issuer.requests, 1) // the key set cached before the outage
  })
}

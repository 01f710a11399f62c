// createRemoteJWKSet against a real Better Auth /api/auth/jwks: one fetch, no per-request
// fetches, one shared refetch on rotation, cooldown, and a failing or hanging endpoint.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import { Verifier, createRemoteJWKSet, errors } from 'edgejwt'
import { startBetterAuth } from './server.mjs'

/** A fetch that counts requests and can be switched to fail. */
function countingFetch() {
  const f = async (url, init) => {
    f.calls++
    if (f.mode === 'error') return new Response('boom', { status: 500 })
    if (f.mode === 'garbage') return new Response('{"nokeys":1}', { status: 200 })
    return fetch(url, init)
  }
  f.calls = 0
  f.mode = 'ok'
  return f
}

const tokenOf = async (ba, cookie) => (await (await ba.api('/token', { cookie })).json()).token

test('fetches once, then never per request; refetches once (shared) when a rotated kid appears', async () => {
  const ba = await startBetterAuth({ jwks: { rotationInterval: 1, gracePeriod: 3600 } })
  try {
    const { cookie } = await ba.signIn()
    const first = await tokenOf(ba, cookie)
    const f = countingFetch()
    const remote = createRemoteJWKSet(`${ba.baseURL}/api/auth/jwks`, { fetch: f, cooldownDuration: 0 })
    const verifier = new Verifier(remote, { issuer: ba.baseURL, audience: ba.baseURL })
    assert.throws(() => verifier.verify(first), /not been fetched yet/)
    for (let i = 0; i < 200; i++) await verifier.verifyAsync(first)
    assert.equal(f.calls, 1)
    assert.ok(verifier.verify(first), 'sync verify works once the set is cached')

    await new Promise((r) => setTimeout(r, 1500))
    const rotated = await tokenOf(ba, cookie) // signed with a new key
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verifyAsync(rotated)))
    assert.equal(f.calls, 2, 'twenty concurrent requests with the new kid share one refetch')
    assert.ok(results.every((r) => r.payload.sub === results[0].payload.sub))
    assert.ok(await verifier.verifyAsync(first), 'the old key is still in the set during the grace period')
    assert.equal(f.calls, 2)
  } finally {
    await ba.close()
  }
})

test('unknown kids refetch at most once per cooldown', async () => {
  const ba = await startBetterAuth()
  try {
    const { cookie } = await ba.signIn()
    const token = await tokenOf(ba, cookie)
    const [h, p, s] = token.split('.')
    const header = JSON.parse(Buffer.from(h, 'base64url'))
    const forged = `${Buffer.from(JSON.stringify({ ...header, kid: 'no-such-kid' })).toString('base64url')}.${p}.${s}`
    const f = countingFetch()
    const verifier = new Verifier(createRemoteJWKSet(`${ba.baseURL}/api/auth/jwks`, { fetch: f, cooldownDuration: 400 }))
    await verifier.verifyAsync(token)
    const burst = async () => {
      for (let i = 0; i < 50; i++) await assert.rejects(verifier.verifyAsync(forged), errors.JWKSNoMatchingKey)
    }
    await burst()
    assert.equal(f.calls, 1, 'within the cooldown of the first fetch: no refetch')
    await new Promise((r) => setTimeout(r, 450))
    await burst()
    assert.equal(f.calls, 2, 'after the cooldown: one refetch for fifty requests')
  } finally {
    await ba.close()
  }
})

test('a failing endpoint keeps the last good set; with nothing cached the error is coded', async () => {
  const ba = await startBetterAuth()
  try {
    const { cookie } = await ba.signIn()
    const token = await tokenOf(ba, cookie)
    const f = countingFetch()
    const remote = createRemoteJWKSet(`${ba.baseURL}/api/auth/jwks`, { fetch: f, cacheMaxAge: 0, cooldownDuration: 0 })
    const verifier = new Verifier(remote)
    await verifier.verifyAsync(token)
    for (const mode of ['error', 'garbage']) {
      f.mode = mode
      const calls = f.calls
      assert.ok(await verifier.verifyAsync(token), `${mode}: still verifies with the last good set`)
      assert.equal(f.calls, calls + 1, `${mode}: it did try in the background (cache expired, no cooldown)`)
      await assert.rejects(remote.reload(), mode === 'error' ? /HTTP 500/ : errors.JWKSInvalid)
    }
    const empty = new Verifier(createRemoteJWKSet(`${ba.baseURL}/api/auth/jwks`, { fetch: f }))
    await assert.rejects(empty.verifyAsync(token), (e) => e instanceof errors.JOSEError && /HTTP 500|malformed/.test(e.message))
  } finally {
    await ba.close()
  }
})

test('a hanging endpoint times out with ERR_JWKS_TIMEOUT; the last good set keeps working', async () => {
  const ba = await startBetterAuth()
  const hang = createServer(() => {}) // accepts and never answers
  await new Promise((r) => hang.listen(0, '127.0.0.1', r))
  try {
    const { cookie } = await ba.signIn()
    const token = await tokenOf(ba, cookie)
    const hangUrl = `http://127.0.0.1:${hang.address().port}/jwks`
    const t0 = Date.now()
    await assert.rejects(new Verifier(createRemoteJWKSet(hangUrl, { timeoutDuration: 300 })).verifyAsync(token), (e) => e instanceof errors.JWKSTimeout && e.code === 'ERR_JWKS_TIMEOUT')
    assert.ok(Date.now() - t0 < 5000)

    // Good first, then the endpoint starts hanging: verification goes on with the cached set.
    let url = `${ba.baseURL}/api/auth/jwks`
    const remote = createRemoteJWKSet('http://127.0.0.1:1/unused', { cacheMaxAge: 0, timeoutDuration: 300, fetch: (u, init) => fetch(url, init) })
    const verifier = new Verifier(remote)
    await verifier.verifyAsync(token)
    url = hangUrl
    assert.ok(await verifier.verifyAsync(token))
  } finally {
    hang.closeAllConnections()
    hang.close()
    await ba.close()
  }
})

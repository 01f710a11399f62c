// The security review's findings (issue 14) against the packed package: remote-JWKS cache
// policy, body cap, oct keys from remote sets, redacted URLs and cookie errors, escaped kids,
// no test hooks in the published entries, strict cookie chunks, maxTokenLength before copying.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import * as edgejwt from 'edgejwt'
import { Verifier, createRemoteJWKSet, readSessionCookie, errors } from 'edgejwt'
import { fixtures, NOW } from './helpers.mjs'

const good = fixtures.tokens.find((t) => t.alg === 'EdDSA')
const json = (body, init) => new Response(typeof body === 'string' ? body : JSON.stringify(body), { headers: { 'content-type': 'application/json' }, ...init })
const sleep = (ms) => new Promise((r) => setTimeout(r, ms))
const b64 = (s) => Buffer.from(s).toString('base64url')

/** A fetch that counts calls and answers as `mode` says: ok, 500, hang (until aborted). */
function endpoint(body = fixtures.jwks) {
  const f = async (url, init) => {
    f.calls++
    if (f.mode === '500') return new Response('down', { status: 500 })
    if (f.mode === 'hang') {
      return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)))
    }
    return json(f.body)
  }
  f.calls = 0
  f.mode = 'ok'
  f.body = body
  return f
}

test('finding 1: a huge body is read only up to the 1 MiB cap, then cut off; the good set stays', async () => {
  let pulled = 0
  let huge = false
  const remote = createRemoteJWKSet('https://issuer.example/jwks', {
    fetch: async () => {
      if (!huge) return json(fixtures.jwks)
      const chunk = new TextEncoder().encode(`{"keys":[],"pad":"${'x'.repeat(65_536)}`)
      const stream = new ReadableStream({
        pull(controller) {
          if (pulled >= 5 << 20) return controller.close() // a 5 MB body
          pulled += chunk.byteLength
          controller.enqueue(chunk)
        },
      })
      return new Response(stream, { headers: { 'content-type': 'application/json' } }) // no content-length
    },
  })
  const v = new Verifier(remote)
  await v.verifyAsync(good.token, { currentDate: NOW })
  huge = true
  await assert.rejects(remote.reload(), (e) => e instanceof errors.JWKSInvalid && /1 MiB/.test(e.message))
  assert.ok(pulled < 1.5 * (1 << 20), `read ${pulled} bytes of a 5 MB body`)
  assert.deepEqual(v.verify(good.token, { currentDate: NOW }).payload, good.payload)
  // A declared content-length over the cap is refused before reading.
  const declared = createRemoteJWKSet('https://issuer.example/jwks', {
    fetch: async () => new Response('{}', { headers: { 'content-length': String(2 << 20) } }),
  })
  await assert.rejects(declared.reload(), errors.JWKSInvalid)
})

test('finding 2: a stale set with a failing endpoint: one attempt per cooldown, requests served at once', async () => {
  for (const mode of ['500', 'hang']) {
    const f = endpoint()
    const remote = createRemoteJWKSet('https://issuer.example/jwks', { fetch: f, cacheMaxAge: 20, cooldownDuration: 500, timeoutDuration: 2_000 })
    const v = new Verifier(remote)
    await v.verifyAsync(good.token, { currentDate: NOW })
    assert.equal(f.calls, 1)
    await sleep(520) // the set is stale and the first fetch's cooldown over
    f.mode = mode
    const t0 = Date.now()
    for (let i = 0; i < 5; i++) {
      assert.deepEqual((await v.verifyAsync(good.token, { currentDate: NOW })).payload, good.payload, `${mode} request ${i}`)
    }
    const all = await Promise.all(Array.from({ length: 20 }, () => v.verifyAsync(good.token, { currentDate: NOW })))
    assert.equal(all.length, 20)
    assert.ok(Date.now() - t0 < 400, `${mode}: served from the stale set without waiting (${Date.now() - t0} ms)`)
    assert.equal(f.calls, 2, `${mode}: one background attempt for 25 requests`)
  }
})

test('finding 2: nothing cached: ERR_JWKS_TIMEOUT from a hanging endpoint, then fail fast within the cooldown', async () => {
  const f = endpoint()
  f.mode = 'hang'
  const v = new Verifier(createRemoteJWKSet('https://issuer.example/jwks', { fetch: f, timeoutDuration: 100, cooldownDuration: 60_000 }))
  await assert.rejects(v.verifyAsync(good.token, { currentDate: NOW }), (e) => e instanceof errors.JWKSTimeout && e.code === 'ERR_JWKS_TIMEOUT')
  const t0 = Date.now()
  await assert.rejects(v.verifyAsync(good.token, { currentDate: NOW }), errors.JWKSTimeout)
  assert.ok(Date.now() - t0 < 50, 'no second wait')
  assert.equal(f.calls, 1)
})

test('finding 3: concurrent cold requests share one fetch on Node, each waiter settles by its own timeout', async () => {
  const f = endpoint()
  const remote = createRemoteJWKSet('https://issuer.example/jwks', { fetch: f })
  const v = new Verifier(remote)
  const results = await Promise.all(Array.from({ length: 20 }, () => v.verifyAsync(good.token, { currentDate: NOW })))
  assert.ok(results.every((r) => r.payload.sub === good.payload.sub))
  assert.equal(f.calls, 1)
  // A fetch implementation that ignores the abort signal and never settles: every waiter
  // still settles (ERR_JWKS_TIMEOUT) after timeoutDuration.
  const never = createRemoteJWKSet('https://issuer.example/jwks', { fetch: () => new Promise(() => {}), timeoutDuration: 100 })
  const w = new Verifier(never)
  const t0 = Date.now()
  const settled = await Promise.allSettled(Array.from({ length: 5 }, () => w.verifyAsync(good.token, { currentDate: NOW })))
  assert.ok(settled.every((s) => s.status === 'rejected' && s.reason.code === 'ERR_JWKS_TIMEOUT'), inspect(settled))
  assert.ok(Date.now() - t0 < 2_000)
})

test('finding 4: a remote set never yields an oct key (reason in keys()); a local set still does', async () => {
  const secretToken = fixtures.tokens.find((t) => t.alg === 'HS256')
  // Beside a usable key (a set of only oct keys is refused whole: see issue 24 below).
  const mixed = { keys: [...fixtures.secret_jwks.keys, fixtures.jwks.keys[0]] }
  const remote = createRemoteJWKSet('https://issuer.example/jwks', { fetch: async () => json(mixed) })
  const v = new Verifier(remote)
  await assert.rejects(v.verifyAsync(secretToken.token, { currentDate: NOW }), (e) => e instanceof errors.JOSEError && e.code !== 'ERR_JOSE_GENERIC')
  const keys = v.keys()
  assert.ok(keys.length > 0 && keys.every((k) => k.kty !== 'oct' || (!k.usable && /remote/.test(k.reason))), inspect(keys))
  assert.ok(new Verifier(fixtures.secret_jwks).verify(secretToken.token, { currentDate: NOW }))
})

test('finding 5: session-cookie errors carry no session data (compact and jwt strategies)', () => {
  const secret = 'better-auth-secret-123456789012345678901234567890'
  const session = { session: { id: 's1', token: 'LIVE-SESSION-TOKEN', userId: 'u1', expiresAt: '2099-01-01T00:00:00.000Z' }, user: { id: 'u1', email: 'a@b.c', name: 'A' }, updatedAt: 1, version: '1' }
  const expiresAt = Date.now() - 1000
  const signature = createHmac('sha256', secret).update(JSON.stringify({ ...session, expiresAt })).digest('base64url')
  const compact = b64(JSON.stringify({ session, expiresAt, signature }))
  const header = `better-auth.session_data=${compact}`
  const hs = (payload) => {
    const input = `${b64('{"alg":"HS256"}')}.${b64(JSON.stringify(payload))}`
    return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
  }
  const jwt = hs({ ...session, iat: 1, exp: 2 })
  const attempts = [
    () => readSessionCookie(header, { secret }),
    () => readSessionCookie(`better-auth.session_data=${jwt}`, { secret, strategy: 'jwt' }),
    () => readSessionCookie(`better-auth.session_data=${hs({ ...session, iat: 1, exp: 4102444800 })}`, { secret, strategy: 'jwt', version: '2' }),
  ]
  for (const attempt of attempts) {
    let err
    try {
      attempt()
    } catch (e) {
      err = e
    }
    assert.ok(err instanceof errors.JOSEError, String(err))
    assert.ok(err.claim, `a claim error: ${err.code}`)
    assert.equal(err.payload, undefined)
    assert.equal(err.cause?.payload, undefined)
    assert.ok(!inspect(err, { depth: 10 }).includes('LIVE-SESSION-TOKEN'), inspect(err))
    assert.ok(!JSON.stringify(err).includes('LIVE-SESSION-TOKEN'))
  }
  // JWT errors outside cookies keep jose's payload.
  const expired = new Verifier(fixtures.jwks)
  assert.throws(() => expired.verify(good.token, { currentDate: new Date(4102444800000) }), (e) => e.payload?.sub === good.payload.sub && e.cause.payload.sub === good.payload.sub)
})

test('finding 6: the token kid is escaped in messages; the listed JWKS kids are capped', () => {
  const keys = Array.from({ length: 30 }, (_, i) => ({ ...fixtures.jwks.keys.find((k) => k.kid === good.kid), kid: `kid-${i}` }))
  const v = new Verifier({ keys })
  const evil = 'x"\n2026-01-01 INFO admin logged in\u001b[31m'
  const token = `${b64(JSON.stringify({ alg: 'EdDSA', kid: evil }))}.e30.AA`
  assert.throws(() => v.verify(token, { currentDate: NOW }), (e) => {
    assert.equal(e.code, 'ERR_JWKS_NO_MATCHING_KEY')
    assert.ok(!/[\n\u001b]/.test(e.message), JSON.stringify(e.message))
    assert.ok(e.message.includes('kid "x\\"\\u{a}2026'), e.message)
    assert.ok(e.message.includes('"kid-9"') && !e.message.includes('"kid-10"') && / and 20 more$/.test(e.message), e.message)
    return true
  })
})

test('finding 8: no test hooks in the published entries or the wasm module', () => {
  assert.equal('__internal' in edgejwt, false)
  const wasm = new URL('./node_modules/edgejwt/dist/edgejwt_wasm_bg.wasm', import.meta.url)
  const names = WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(wasm))).map((e) => e.name)
  assert.ok(names.length > 10)
  assert.ok(!names.some((n) => /trap/i.test(n)), names.join(' '))
  for (const entry of ['node.js', 'workerd.js', 'edge-light.js', 'browser.js', 'core.js']) {
    const text = readFileSync(new URL(`./node_modules/edgejwt/src/${entry}`, import.meta.url), 'utf8')
    assert.ok(!/__internal|__trap/.test(text), entry)
  }
})

test('finding 9: maxTokenLength is checked before the token is copied into wasm memory', async () => {
  const glue = await import(new URL('./node_modules/edgejwt/dist/edgejwt_wasm.js', import.meta.url))
  const v = new Verifier(fixtures.jwks, { maxTokenLength: 1000 })
  const calls = []
  const verify = glue.WasmVerifier.prototype.verify
  glue.WasmVerifier.prototype.verify = function (token, now) {
    calls.push(token.length)
    return verify.call(this, token, now)
  }
  try {
    assert.throws(() => v.verify('a'.repeat(1001)), (e) => e.code === 'ERR_JWS_INVALID' && /maxTokenLength/.test(e.message))
    assert.throws(() => v.verify(new Uint8Array(1001)), { code: 'ERR_JWS_INVALID' })
    assert.throws(() => new Verifier(fixtures.jwks).verify('a'.repeat(65_537)), { code: 'ERR_JWS_INVALID' })
    assert.deepEqual(calls, [])
    assert.throws(() => v.verify('a'.repeat(1000)), { code: 'ERR_JWS_INVALID' }) // reaches the core
    assert.deepEqual(calls, [1000])
  } finally {
    glue.WasmVerifier.prototype.verify = verify
  }
})

test('finding 9: cookie chunk indices are parsed strictly (.01 is not chunk 1)', () => {
  const secret = 'better-auth-secret-123456789012345678901234567890'
  const session = { session: { id: 's1', token: 't', userId: 'u1', expiresAt: '2099-01-01T00:00:00.000Z' }, user: { id: 'u1', email: 'a@b.c', name: 'A' }, updatedAt: 1 }
  const expiresAt = 4102444800000
  const signature = createHmac('sha256', secret).update(JSON.stringify({ ...session, expiresAt })).digest('base64url')
  const value = b64(JSON.stringify({ session, expiresAt, signature }))
  const half = Math.floor(value.length / 2)
  const name = 'better-auth.session_data'
  assert.equal(readSessionCookie(`${name}.0=${value.slice(0, half)}; ${name}.1=${value.slice(half)}`, { secret }).user.id, 'u1')
  for (const odd of ['01', '1a', '+1', '1.0', ' 1', '1e0', '0x1']) {
    const r = (() => {
      try {
        return readSessionCookie(`${name}.0=${value.slice(0, half)}; ${name}.${odd}=${value.slice(half)}`, { secret })
      } catch (e) {
        return e
      }
    })()
    assert.ok(r === null || r instanceof errors.JOSEError, `.${odd} joined: ${inspect(r)}`)
    assert.ok(!(r && r.user), `.${odd} joined`)
  }
})

test('finding 9: messages never show the JWKS URL userinfo or query', async () => {
  const url = 'https://user:pa55word@issuer.example/jwks?api_key=s3cret#frag'
  for (const mode of ['500', 'hang', 'throw']) {
    const remote = createRemoteJWKSet(url, {
      timeoutDuration: 100,
      fetch: async (u, init) => {
        if (mode === '500') return new Response('', { status: 500 })
        if (mode === 'throw') throw new TypeError(`could not reach ${u}`)
        return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason)))
      },
    })
    await assert.rejects(remote.reload(), (e) => {
      const text = `${e.message} ${inspect(e)}`
      assert.ok(e instanceof errors.JOSEError, text)
      assert.ok(e.message.includes('https://issuer.example/jwks'), e.message)
      for (const secret of ['pa55word', 's3cret', 'user:', 'frag']) assert.ok(!e.message.includes(secret), `${mode}: ${e.message}`)
      return true
    })
  }
})

// Issue 24: the remote set's findings shared with the Python host (the rules are the core's).

test('issue 24 finding 4: a fetched set without a usable key is a failed fetch; the last good set stays', async () => {
  for (const body of [
    { keys: [] },
    { keys: [{ kty: 'XYZ', kid: 'a' }, { kty: 'OKP', crv: 'X448', kid: 'b', x: 'AA' }] },
    fixtures.secret_jwks,
  ]) {
    const f = endpoint()
    const remote = createRemoteJWKSet('https://issuer.example/jwks', { fetch: f })
    const v = new Verifier(remote)
    assert.deepEqual((await v.verifyAsync(good.token, { currentDate: NOW })).payload, good.payload)
    f.body = body
    await assert.rejects(remote.reload(), (e) => e instanceof errors.JWKSInvalid && /no key to verify with/.test(e.message))
    assert.deepEqual(remote.jwks(), fixtures.jwks)
    assert.deepEqual((await v.verifyAsync(good.token, { currentDate: NOW })).payload, good.payload)
    // Cold, it is the error requests fail with.
    const cold = new Verifier(createRemoteJWKSet('https://issuer.example/jwks', { fetch: async () => json(body) }))
    await assert.rejects(cold.verifyAsync(good.token, { currentDate: NOW }), errors.JWKSInvalid)
  }
})

test('issue 24 finding 2: a redirect is a failed fetch, and headers go only to the configured URL', async () => {
  const seen = []
  const f = async (url, init) => {
    seen.push({ url, redirect: init.redirect, auth: new Headers(init.headers).get('authorization') })
    return new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/jwks' } })
  }
  const v = new Verifier(createRemoteJWKSet('https://issuer.example/jwks', { fetch: f, headers: { authorization: 'Bearer internal' } }))
  await assert.rejects(v.verifyAsync(good.token, { currentDate: NOW }), (e) => e.code === 'ERR_JOSE_GENERIC' && /HTTP 302 .*redirects are not followed/.test(e.message))
  assert.deepEqual(seen, [{ url: 'https://issuer.example/jwks', redirect: 'manual', auth: 'Bearer internal' }])
})

test('issue 24 finding 7: headers given as a Headers object or as pairs are sent', async () => {
  for (const headers of [new Headers({ authorization: 'Bearer h1' }), [['authorization', 'Bearer h1']], { authorization: 'Bearer h1' }]) {
    let sent
    const remote = createRemoteJWKSet('https://issuer.example/jwks', {
      headers,
      fetch: async (url, init) => {
        sent = new Headers(init.headers)
        return json(fixtures.jwks)
      },
    })
    await remote.reload()
    assert.equal(sent.get('authorization'), 'Bearer h1', inspect(headers))
    assert.equal(sent.get('accept'), 'application/json')
  }
})

test('issue 24 finding 7: timeoutDuration 0 is refused (no fetch could succeed); cooldown 0 and plain http are warned about once', async () => {
  const zero = createRemoteJWKSet('https://issuer.example/jwks', { timeoutDuration: 0, fetch: async () => json(fixtures.jwks) })
  await assert.rejects(new Verifier(zero).verifyAsync(good.token, { currentDate: NOW }), (e) => e instanceof TypeError && /timeout must be positive/.test(e.message))
  const warned = []
  const original = console.warn
  console.warn = (m) => warned.push(m)
  try {
    for (let i = 0; i < 3; i++) {
      const r = createRemoteJWKSet('http://web:3000/api/auth/jwks?k=s3cret', { cooldownDuration: 0, fetch: async () => json(fixtures.jwks) })
      await r.reload()
    }
    await createRemoteJWKSet('http://127.0.0.1:3000/api/auth/jwks', { fetch: async () => json(fixtures.jwks) }).reload()
  } finally {
    console.warn = original
  }
  assert.equal(warned.length, 2, inspect(warned))
  assert.match(warned[0], /cooldown is 0/)
  assert.match(warned[1], /plain http/)
  assert.ok(warned.every((w) => w.includes('http://web:3000/api/auth/jwks') && !w.includes('s3cret')))
})

test('issue 24 finding 6: a stale set is served while refreshes fail only until staleIfError runs out', async () => {
  const f = endpoint()
  const v = new Verifier(createRemoteJWKSet('https://issuer.example/jwks', { fetch: f, cacheMaxAge: 50, staleIfError: 150, cooldownDuration: 30 }))
  await v.verifyAsync(good.token, { currentDate: NOW })
  f.mode = '500'
  await sleep(100) // stale, within staleIfError
  assert.deepEqual((await v.verifyAsync(good.token, { currentDate: NOW })).payload, good.payload)
  await sleep(150) // past 50 + 150 ms
  await assert.rejects(v.verifyAsync(good.token, { currentDate: NOW }), (e) => e.code === 'ERR_JOSE_GENERIC' && /HTTP 500/.test(e.message))
  f.mode = 'ok'
  await sleep(40)
  assert.deepEqual((await v.verifyAsync(good.token, { currentDate: NOW })).payload, good.payload)
})

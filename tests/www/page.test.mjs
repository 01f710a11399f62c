// The debugging page in headless Chromium (playwright-core + Debian's chromium), fed by a real
// Better Auth server: verdicts, codes, hints, matched key, claims, keys table, cookie mode,
// nothing in the URL or storage, phone width. Run by scripts/test.sh after the build.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { createServer } from 'node:http'
import { generateKeyPairSync, sign } from 'node:crypto'

const root = new URL('../..', import.meta.url).pathname
const { chromium } = await import(pathToFileURL(join(root, 'tests/runtimes/node_modules/playwright-core/index.mjs')).href)
const { startBetterAuth, SECRET } = await import('../better-auth/server.mjs')
const { serveWww } = await import('../../scripts/www.mjs')

let ba, www, browser, page, token, jwks, cookie
const pageErrors = [] // uncaught exceptions in the page (one leaves the previous verdict on screen)
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

before(async () => {
  ba = await startBetterAuth({ alg: 'EdDSA', session: { cookieCache: { enabled: true, maxAge: 300 } } })
  ;({ cookie } = await ba.signIn())
  token = (await (await ba.api('/token', { cookie })).json()).token
  jwks = await (await ba.api('/jwks')).json()
  www = await serveWww({ port: 0 })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS })
  page = await browser.newPage()
  page.on('pageerror', (err) => pageErrors.push(err.message))
  await page.goto(`http://127.0.0.1:${www.address().port}/`)
  await page.waitForSelector('body[data-ready=true]')
})

after(async () => {
  await browser?.close()
  www?.close()
  await ba?.close()
})

const verdict = () => page.textContent('[data-testid=verdict]')
const code = () => page.textContent('[data-testid=error-code]')
const shot = (name) => page.screenshot({ path: join(root, `tests/www/.screenshots/${name}.png`), fullPage: true })
const TESTID = { token: 'token-input', jwks: 'jwks-input', issuer: 'issuer-input', audience: 'audience-input', now: 'now-input' }
// Our own Ed25519 key, for tokens with claims Better Auth would never sign.
const own = generateKeyPairSync('ed25519')
const ownJwk = { ...own.publicKey.export({ format: 'jwk' }), kid: 'own-ed25519', alg: 'EdDSA', use: 'sig' }
const b64 = (v) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url')
/** A token signed by `own`; `payload` may be a string (raw JSON). */
function signed(payload, header = {}) {
  const input = `${b64({ alg: 'EdDSA', kid: ownJwk.kid, typ: 'JWT', ...header })}.${b64(payload)}`
  return `${input}.${sign(null, Buffer.from(input), own.privateKey).toString('base64url')}`
}
const claimCells = async () => Object.fromEntries(await page.$$eval('#claims tbody tr', (rows) => rows.map((r) => [r.cells[0].textContent, r.cells[1].textContent])))
async function fill(id, value) {
  await page.fill(TESTID[id] ? `[data-testid=${TESTID[id]}]` : `#${id}`, value)
  // The page re-verifies 120 ms after the last keystroke and marks itself idle when done.
  await page.waitForSelector('body[data-busy=false]')
}

test('a real Better Auth token verifies, with the matched key, claims and keys table', async () => {
  await fill('jwks', JSON.stringify(jwks))
  await fill('issuer', ba.baseURL)
  await fill('audience', ba.baseURL)
  await fill('token', token)
  assert.match(await verdict(), /^VALID: EdDSA signature verified/)
  assert.equal(await code(), 'none')
  assert.match(await page.textContent('[data-testid=header]'), /"alg": "EdDSA"/)
  assert.match(await page.textContent('[data-testid=payload]'), /"email": "ada@example.com"/)
  await shot('1-valid')
  assert.match(await page.textContent('[data-testid=matched-key]'), new RegExp(`Matched kid=${jwks.keys[0].kid} kty=OKP alg=EdDSA crv=Ed25519`))
  const claims = await page.$$eval('#claims tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)))
  const exp = claims.find((c) => c[0] === 'exp')
  assert.match(exp[1], /^\d{4}-\d\d-\d\dT.*Z \(in 1[45] min\)$/)
  assert.ok(claims.find((c) => c[0] === 'email')[1].includes('ada@example.com'))
  assert.equal(await page.$$eval('#keys tbody tr', (r) => r.length), jwks.keys.length)
  assert.match(await page.textContent('#keys tbody'), /✓ usable/)
  assert.ok((await page.$$('#timeline .mark')).length >= 3)
})

test('failures show the code, the explanation and the hint', async () => {
  // A flipped signature byte.
  const [h, p, s] = token.split('.')
  const sig = Buffer.from(s, 'base64url')
  sig[10] ^= 1
  await fill('token', `${h}.${p}.${sig.toString('base64url')}`)
  assert.equal(await code(), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
  await shot('2-signature')
  await fill('token', token)
  // Past exp: expired, and the timeline puts "now" to the right of "exp".
  await fill('now', new Date(Date.now() + 3600_000 - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 19))
  assert.match(await verdict(), /^ERR_JWT_EXPIRED/)
  assert.equal(await code(), 'ERR_JWT_EXPIRED')
  assert.match(await page.textContent('#hint'), /past its expiry.*Claim: exp.*15 minutes/)
  const left = (name) => page.$$eval('[data-testid=timeline] .mark', (ms, n) => parseFloat(ms.find((m) => m.textContent === n).style.left), name)
  assert.ok((await left('now')) > (await left('exp')), 'now is after exp on the timeline')
  await shot('3-expired')
  await fill('now', '')
  await fill('issuer', `${ba.baseURL}/`)
  assert.match(await verdict(), /^ERR_JWT_CLAIM_VALIDATION_FAILED/)
  assert.match(await page.textContent('#hint'), /Claim: iss \(check_failed\).*trailing slash/)
  await shot('4-issuer')
  await fill('issuer', ba.baseURL)
  await fill('jwks', JSON.stringify({ keys: [{ ...jwks.keys[0], kid: 'rotated' }] }))
  assert.match(await verdict(), /^ERR_JWKS_NO_MATCHING_KEY/)
  assert.equal(await code(), 'ERR_JWKS_NO_MATCHING_KEY')
  assert.match(await page.textContent('[data-testid=matched-key]'), /^No key fits the token\. kid=rotated: its "kid" is not the token's\.$/)
  // The key with the token's kid but restricted to another alg: the core's report says so.
  await fill('jwks', JSON.stringify({ keys: [{ ...jwks.keys[0], alg: 'ES256' }] }))
  assert.match(await verdict(), /^ERR_JWKS_NO_MATCHING_KEY/)
  assert.match(await page.textContent('[data-testid=matched-key]'), new RegExp(`^No key fits the token\\. kid=${jwks.keys[0].kid}: its "alg" is not the token's\\.$`))
  assert.match(await page.textContent('#hint'), /restricted to another alg/)
  await shot('5-unknown-kid')
  await fill('jwks', '{not json')
  assert.match(await verdict(), /^ERR_JWKS_INVALID/)
  await fill('jwks', JSON.stringify(jwks))
  await fill('token', token.slice(0, -3) + 'AAA')
  assert.match(await verdict(), /^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/)
  await fill('token', 'Yx8bZVSd3fK2wq7PnM4tR9cL1hJ6gA0e')
  assert.match(await page.textContent('#hint'), /session token/)
  await fill('token', token)
  assert.match(await verdict(), /^VALID/)
})

test('session cookie mode reads the real Better Auth cookie cache', async () => {
  await page.click('#tab-cookie')
  await fill('cookie', cookie)
  await fill('secret', SECRET)
  assert.match(await verdict(), /^VALID: session of ada@example.com \(compact\)/)
  await shot('7-cookie')
  await fill('secret', 'wrong-secret-wrong-secret-wrong-secret')
  assert.match(await verdict(), /^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/)
  await fill('secret', '')
  await page.click('#tab-token')
})

test('nothing is put in the URL or in storage, unless asked', async () => {
  assert.ok(!page.url().includes(token.slice(0, 20)))
  assert.equal(await page.evaluate(() => localStorage.length + sessionStorage.length), 0)
  await page.check('#remember')
  const stored = await page.evaluate(() => JSON.stringify(localStorage))
  assert.ok(stored.includes('issuer') && !stored.includes(token.slice(0, 20)) && !stored.includes(SECRET))
  await page.uncheck('#remember')
  assert.equal(await page.evaluate(() => localStorage.length), 0)
})

test('fetching a JWKS URL: works with CORS, says why without', async () => {
  // The real server's JWKS, served by a local server once with and once without CORS.
  const cors = createServer((req, res) => {
    if (req.url === '/with-cors') res.setHeader('access-control-allow-origin', '*')
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify(jwks))
  })
  await new Promise((resolve) => cors.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${cors.address().port}`
  const fetchFrom = async (url) => {
    await fill('jwks', '')
    await fill('jwks-url', url)
    await page.click('#fetch-jwks')
    await page.waitForFunction(() => !/Fetching/.test(document.getElementById('fetch-status').textContent))
    return page.textContent('#fetch-status')
  }
  try {
    assert.equal(await fetchFrom(`${base}/with-cors`), `Fetched ${base}/with-cors.`)
    assert.deepEqual(JSON.parse(await page.inputValue('[data-testid=jwks-input]')), jwks)
    assert.match(await fetchFrom(`${base}/without-cors`), /^Could not fetch .*\(CORS\)/)
    assert.equal(await page.inputValue('[data-testid=jwks-input]'), '')
  } finally {
    cors.close()
  }
})

test('time claims out of the Date range: every token gets its own verdict, raw numbers shown', async () => {
  pageErrors.length = 0
  await fill('jwks', JSON.stringify({ keys: [...jwks.keys, ownJwk] }))
  await fill('issuer', ba.baseURL)
  await fill('audience', ba.baseURL)
  await fill('now', '')
  await fill('token', token)
  assert.match(await verdict(), /^VALID/)
  const base = { iss: ba.baseURL, aud: ba.baseURL, sub: 'odd-claims', iat: Math.floor(Date.now() / 1000) }
  // exp 1e13 s is past the last Date (8.64e15 ms); with a flipped signature byte the page must
  // say so, not keep showing the previous token's VALID.
  const [h, p, s] = signed({ ...base, exp: 1e13 }).split('.')
  const sig = Buffer.from(s, 'base64url')
  sig[7] ^= 1
  await fill('token', `${h}.${p}.${sig.toString('base64url')}`)
  assert.match(await verdict(), /^ERR_JWS_SIGNATURE_VERIFICATION_FAILED/)
  assert.equal(await code(), 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED')
  // Correctly signed, the core accepts it (a far expiry); the claims are the raw numbers.
  await fill('token', signed({ ...base, exp: 1e13, nbf: -1e13 }))
  assert.match(await verdict(), /^VALID: EdDSA signature verified/)
  assert.match(await page.textContent('[data-testid=matched-key]'), /^Matched kid=own-ed25519 /)
  let claims = await claimCells()
  assert.equal(claims.exp, '10000000000000 (not representable as a date)')
  assert.equal(claims.nbf, '-10000000000000 (not representable as a date)')
  assert.match(claims.iat, /^\d{4}-\d\d-\d\dT[\d:.]+Z \((in )?\d+ s( ago)?\)$/)
  const marks = Object.fromEntries(await page.$$eval('#timeline .mark', (ms) => ms.map((m) => [m.textContent, m.title])))
  assert.equal(marks.exp, '10000000000000 (not representable as a date)')
  assert.match(marks.iat, /^\d{4}-\d\d-\d\dT[\d:.]+Z$/)
  await shot('8-far-exp')
  // 1e400 is Infinity once parsed in JS: the core refuses the claims set; the page says so.
  await fill('token', signed(JSON.stringify(base).slice(0, -1) + ',"exp":1e400}'))
  assert.match(await verdict(), /^ERR_JWT_INVALID/)
  assert.equal((await claimCells()).exp, 'Infinity (not representable as a date)')
  await fill('token', signed({ ...base, exp: 'tomorrow' }))
  assert.match(await verdict(), /^ERR_JWT_CLAIM_VALIDATION_FAILED/)
  claims = await claimCells()
  assert.equal(claims.exp, '"tomorrow"')
  await fill('token', token)
  assert.match(await verdict(), /^VALID/)
  assert.deepEqual(pageErrors, [])
})

test('remember stores public keys only: no oct k, no private members, also after a reload', async () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' })
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' })
  const okp = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  const oct = { kty: 'oct', kid: 'hs', alg: 'HS256', k: Buffer.from('a symmetric secret, not to be stored').toString('base64url') }
  const secretJwks = { keys: [...jwks.keys, { ...rsa, kid: 'rsa-private', alg: 'RS256' }, { ...ec, kid: 'ec-private', alg: 'ES256' }, { ...okp, kid: 'okp-private', alg: 'EdDSA' }, oct] }
  const secrets = { 'oct k': oct.k, 'RSA d': rsa.d, 'RSA p': rsa.p, 'RSA q': rsa.q, 'RSA dp': rsa.dp, 'RSA dq': rsa.dq, 'RSA qi': rsa.qi, 'EC d': ec.d, 'OKP d': okp.d }
  const leaks = (text) => Object.keys(secrets).filter((name) => text.includes(secrets[name]))
  const storage = () => page.evaluate(() => Object.entries(localStorage).flat().join('\n'))
  const STORE = 'edgejwt-debugger'
  const publicKids = [...jwks.keys.map((k) => k.kid), 'rsa-private', 'ec-private', 'okp-private']

  await fill('jwks', JSON.stringify(secretJwks, null, 2))
  await fill('issuer', ba.baseURL)
  await fill('audience', ba.baseURL)
  await fill('token', token)
  await fill('jwks-url', 'https://user:url-pa55word@auth.example/api/auth/jwks?token=url-s3cret#frag')
  await page.check('#remember')
  let stored = await storage()
  assert.deepEqual(leaks(stored), [], 'nothing secret in localStorage after ticking "remember"')
  assert.ok(!stored.includes('url-pa55word') && !stored.includes('url-s3cret') && stored.includes('https://auth.example/api/auth/jwks'), 'the JWKS URL is remembered without userinfo or query')
  assert.ok(stored.includes(jwks.keys[0].x) && stored.includes(ba.baseURL), 'the public key and the options are remembered')
  assert.equal(
    await page.textContent('#remember-status'),
    `Remembered the options and ${publicKids.length} public keys; left out 1 key that is not an RSA, EC or OKP public key (oct keys are secrets) and the private (or unrecognised) members of 3 keys.`,
  )
  // Each edit saves again, with the same reduction.
  await fill('jwks', JSON.stringify(secretJwks))
  assert.deepEqual(leaks(await storage()), [])
  // A JWKS that is not (yet) JSON is not stored at all: it may hold a secret.
  await fill('jwks', JSON.stringify(secretJwks).slice(0, -2))
  assert.deepEqual(leaks(await storage()), [])
  assert.equal(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), STORE)).jwks, '')
  await fill('jwks', JSON.stringify(secretJwks))
  await shot('9-remember')

  await page.reload()
  await page.waitForSelector('body[data-ready=true]')
  assert.equal(await page.isChecked('#remember'), true)
  const restored = await page.inputValue('[data-testid=jwks-input]')
  assert.deepEqual(leaks(restored), [])
  assert.deepEqual(leaks(await storage()), [])
  assert.deepEqual(JSON.parse(restored).keys.map((k) => k.kid), publicKids)
  assert.equal(await page.inputValue('[data-testid=issuer-input]'), ba.baseURL)
  await fill('token', token)
  assert.match(await verdict(), /^VALID/)

  // What an older page stored (the JWKS text as typed) is reduced when the page loads.
  await page.evaluate(([k, v]) => localStorage.setItem(k, v), [STORE, JSON.stringify({ jwks: JSON.stringify(secretJwks), issuer: ba.baseURL, secret: 'x', token: 'y' })])
  await page.reload()
  await page.waitForSelector('body[data-ready=true]')
  assert.deepEqual(leaks(await storage()), [])
  assert.deepEqual(leaks(await page.inputValue('[data-testid=jwks-input]')), [])
  assert.equal(await page.inputValue('#secret'), '')
  assert.equal(await page.inputValue('[data-testid=token-input]'), '')

  await page.uncheck('#remember')
  assert.equal(await page.evaluate(() => localStorage.length), 0)
  await fill('jwks', JSON.stringify(jwks))
  await fill('token', token)
  assert.match(await verdict(), /^VALID/)
})

test('token and JWKS text is shown as text, never as HTML', async () => {
  pageErrors.length = 0
  const evil = '<img src=x onerror=alert(document.domain)>'
  const exp = Math.floor(Date.now() / 1000) + 600
  await fill('jwks', JSON.stringify({ keys: [...jwks.keys, { ...ownJwk, kid: evil }] }))
  await fill('token', signed({ iss: ba.baseURL, aud: ba.baseURL, sub: evil, name: evil, [evil]: evil, exp }, { kid: evil, [evil]: evil }))
  assert.match(await verdict(), /^VALID/)
  assert.equal(await page.textContent('[data-testid=matched-key]'), `Matched kid=${evil} kty=OKP alg=EdDSA crv=Ed25519`)
  assert.ok((await page.textContent('[data-testid=header]')).includes(`"kid": "${evil}"`))
  assert.equal((await claimCells())[evil], JSON.stringify(evil))
  assert.ok((await page.textContent('#keys tbody')).includes(evil))
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0, 'no element made from token or JWKS text')
  // The failure paths: no key with that kid, and a JWKS that is not JSON.
  await fill('jwks', JSON.stringify(jwks))
  assert.match(await verdict(), /^ERR_JWKS_NO_MATCHING_KEY/)
  await fill('jwks', `{"keys": [${evil}]}`)
  assert.match(await verdict(), /^ERR_JWKS_INVALID/)
  assert.equal(await page.$$eval('img', (imgs) => imgs.length), 0)
  assert.deepEqual(pageErrors, [])
  await fill('jwks', JSON.stringify(jwks))
  await fill('token', token)
  assert.match(await verdict(), /^VALID/)
})

test('phone width: no horizontal scrolling; labels for every input', async () => {
  await page.setViewportSize({ width: 375, height: 800 })
  await page.waitForTimeout(100)
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 380))
  const unlabeled = await page.$$eval('input, textarea, select', (els) => els.filter((e) => !e.labels?.length).map((e) => e.id))
  assert.deepEqual(unlabeled, [])
  await shot('6-phone')
  await page.setViewportSize({ width: 1200, height: 900 })
  console.log(`page weight: ${await page.textContent('#weight')}`)
})

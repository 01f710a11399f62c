// The debugging page in headless Chromium (playwright-core + Debian's chromium), fed by a real
// Better Auth server: verdicts, codes, hints, matched key, claims, keys table, cookie mode,
// nothing in the URL or storage, phone width. Run by scripts/test.sh after the build.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { createServer } from 'node:http'

const root = new URL('../..', import.meta.url).pathname
const { chromium } = await import(pathToFileURL(join(root, 'tests/runtimes/node_modules/playwright-core/index.mjs')).href)
const { startBetterAuth, SECRET } = await import('../better-auth/server.mjs')
const { serveWww } = await import('../../scripts/www.mjs')

let ba, www, browser, page, token, jwks, cookie
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

before(async () => {
  ba = await startBetterAuth({ alg: 'EdDSA', session: { cookieCache: { enabled: true, maxAge: 300 } } })
  ;({ cookie } = await ba.signIn())
  token = (await (await ba.api('/token', { cookie })).json()).token
  jwks = await (await ba.api('/jwks')).json()
  www = await serveWww({ port: 0 })
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS })
  page = await browser.newPage()
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

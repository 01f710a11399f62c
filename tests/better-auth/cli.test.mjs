// The `edgejwt` command from the installed tarball, against a real Better Auth server's JWKS.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startBetterAuth } from './server.mjs'

const bin = new URL('./node_modules/.bin/edgejwt', import.meta.url).pathname
const cli = (args) =>
  new Promise((resolve) => {
    execFile(bin, args, { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }))
  })

test('edgejwt verify / jwks / decode against a real Better Auth JWKS', async () => {
  const ba = await startBetterAuth({ alg: 'ES256' })
  try {
    const { cookie } = await ba.signIn()
    const { token } = await (await ba.api('/token', { cookie })).json()
    const jwksUrl = `${ba.baseURL}/api/auth/jwks`

    let r = await cli(['verify', token, '--jwks', jwksUrl, '--issuer', ba.baseURL, '--audience', ba.baseURL, '--required-claim', 'uuid', '--json'])
    assert.equal(r.code, 0, r.stderr)
    const ok = JSON.parse(r.stdout)
    assert.equal(ok.valid, true)
    assert.equal(ok.payload.email, 'ada@example.com')
    assert.equal(ok.key.kty, 'EC')
    assert.equal(ok.key.crv, 'P-256')

    r = await cli(['verify', token, '--jwks', jwksUrl, '--issuer', ba.baseURL])
    assert.equal(r.code, 0)
    assert.match(r.stdout, /^VALID {2}ES256 token/)
    assert.match(r.stdout, /exp\s+\d{4}-\d\d-\d\dT.* \(in 1[45] min\)/)

    r = await cli(['verify', token, '--jwks', jwksUrl, '--now', new Date(Date.now() + 3600_000).toISOString(), '--json'])
    assert.equal(r.code, 1)
    const expired = JSON.parse(r.stdout)
    assert.deepEqual([expired.valid, expired.code, expired.claim], [false, 'ERR_JWT_EXPIRED', 'exp'])
    assert.match(expired.hint, /15 minutes/)

    r = await cli(['verify', token, '--jwks', jwksUrl, '--issuer', `${ba.baseURL}/`])
    assert.equal(r.code, 1)
    assert.match(r.stdout, /INVALID {2}ERR_JWT_CLAIM_VALIDATION_FAILED \(claim iss, check_failed\)/)
    assert.match(r.stdout, /hint .*trailing slash/)

    // From a file, and a JWKS that lost the key (rotation).
    const dir = mkdtempSync(join(tmpdir(), 'edgejwt-cli-'))
    writeFileSync(join(dir, 'stale.json'), JSON.stringify({ keys: [] }))
    r = await cli(['verify', token, '--jwks', join(dir, 'stale.json'), '--json'])
    assert.equal(JSON.parse(r.stdout).code, 'ERR_JWKS_NO_MATCHING_KEY')
    assert.deepEqual(JSON.parse(r.stdout).selection, [])

    r = await cli(['jwks', jwksUrl, '--json'])
    assert.equal(r.code, 0)
    const listed = JSON.parse(r.stdout).keys
    assert.equal(listed.length, 1)
    assert.deepEqual([listed[0].kty, listed[0].alg, listed[0].usable, listed[0].problems], ['EC', 'ES256', true, []])

    const jwk = (await (await ba.api('/jwks')).json()).keys[0]
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ keys: [jwk, { ...jwk }, { kty: 'RSA', kid: 'weak', n: Buffer.alloc(128, 0xc3).toString('base64url'), e: 'AQAB' }, { ...jwk, kid: 'enc', use: 'enc' }] }))
    r = await cli(['jwks', join(dir, 'bad.json')])
    assert.equal(r.code, 1)
    assert.match(r.stdout, /duplicate kid/)
    assert.match(r.stdout, /2048/)
    assert.match(r.stdout, /kid=enc .*\n\s+"use" is not "sig"/)

    // The key with the token's kid, restricted to another alg and to encryption: the report
    // says why for each key, and the hint follows the closest key's refusal.
    writeFileSync(join(dir, 'misfit.json'), JSON.stringify({ keys: [{ ...jwk, alg: 'ES384' }, { ...jwk, kid: 'other' }] }))
    r = await cli(['verify', token, '--jwks', join(dir, 'misfit.json'), '--json'])
    const misfit = JSON.parse(r.stdout)
    assert.equal(misfit.code, 'ERR_JWKS_NO_MATCHING_KEY')
    assert.deepEqual(misfit.selection.map((k) => [k.kid, k.verdict]), [[jwk.kid, 'alg_differs'], ['other', 'kid_differs']])
    assert.match(misfit.hint, /restricted to another alg/)
    writeFileSync(join(dir, 'enc.json'), JSON.stringify({ keys: [{ ...jwk, use: 'enc' }] }))
    r = await cli(['verify', token, '--jwks', join(dir, 'enc.json')])
    assert.match(r.stdout, new RegExp(`kid=${jwk.kid}  use_not_sig: "use" is not "sig"`))

    r = await cli(['decode', token, '--json'])
    assert.equal(r.code, 0)
    assert.equal(JSON.parse(r.stdout).protectedHeader.alg, 'ES256')

    r = await cli(['verify', token])
    assert.equal(r.code, 2)
    assert.match(r.stderr, /--jwks/)
  } finally {
    await ba.close()
  }
})

test('npx edgejwt and python -m edgejwt print the same --json for verify, jwks and decode', async () => {
  const python = new URL('../../.venv/bin/python', import.meta.url).pathname
  const py = (args) =>
    new Promise((resolve) => {
      execFile(python, ['-m', 'edgejwt', ...args], { encoding: 'utf8' }, (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }))
    })
  const ba = await startBetterAuth({ alg: 'EdDSA' })
  try {
    const { cookie } = await ba.signIn()
    const { token } = await (await ba.api('/token', { cookie })).json()
    const jwksUrl = `${ba.baseURL}/api/auth/jwks`
    const jwk = (await (await ba.api('/jwks')).json()).keys[0]
    const dir = mkdtempSync(join(tmpdir(), 'edgejwt-cli-'))
    // A set with a duplicate kid, a key of another use, and a key without a kid.
    writeFileSync(join(dir, 'odd.json'), JSON.stringify({ keys: [jwk, jwk, { ...jwk, kid: undefined, use: 'enc' }] }))
    const later = String(Math.floor(Date.now() / 1000) + 3600)
    const cases = [
      ['verify', token, '--jwks', jwksUrl, '--issuer', ba.baseURL, '--audience', ba.baseURL],
      ['verify', token, '--jwks', jwksUrl, '--now', later],
      ['verify', token, '--jwks', jwksUrl, '--issuer', `${ba.baseURL}/`],
      ['verify', token, '--jwks', join(dir, 'odd.json')],
      ['jwks', jwksUrl],
      ['jwks', join(dir, 'odd.json')],
      ['decode', token],
    ]
    for (const args of cases) {
      const [a, b] = await Promise.all([cli([...args, '--json']), py([...args, '--json'])])
      assert.equal(a.code, b.code, `${args[0]} exit status: ${a.stderr} ${b.stderr}`)
      assert.deepEqual(JSON.parse(b.stdout), JSON.parse(a.stdout), args.join(' '))
    }
  } finally {
    await ba.close()
  }
})

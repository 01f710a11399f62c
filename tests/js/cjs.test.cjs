// CommonJS consumers: require('edgejwt') resolves the node.require condition (dist/node.cjs).
const { test } = require('node:test')
const assert = require('node:assert/strict')
const { readFileSync } = require('node:fs')
const { join } = require('node:path')
const edgejwt = require('edgejwt')

const fixtures = JSON.parse(readFileSync(join(process.env.EDGEJWT_FIXTURES, 'jose.json'), 'utf8'))
const currentDate = new Date(fixtures.now * 1000)

test('require() gives the same API, synchronously usable', () => {
  assert.equal(typeof edgejwt.Verifier, 'function')
  assert.equal(typeof edgejwt.decodeJwt, 'function')
  const pub = new edgejwt.Verifier(fixtures.jwks)
  const sec = new edgejwt.Verifier(fixtures.secret_jwks)
  for (const t of fixtures.tokens) {
    const v = t.alg.startsWith('HS') ? sec : pub
    assert.deepEqual(v.verify(t.token, { currentDate }).payload, t.payload, t.name)
  }
})

test('errors under require() are coded and instanceof the CJS classes', () => {
  const t = fixtures.tokens[0]
  assert.throws(
    () => new edgejwt.Verifier(fixtures.jwks).verify(t.token, { currentDate: new Date(t.payload.exp * 1000) }),
    (err) => err instanceof edgejwt.errors.JWTExpired && err instanceof Error && err.code === 'ERR_JWT_EXPIRED',
  )
})

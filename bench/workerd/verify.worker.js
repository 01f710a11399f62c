// The Worker bench/workerd.mjs times per-verify costs in: GET /?alg=ES256&impl=edgejwt&n=200
// verifies that alg's token n times with one implementation, in one request, and answers how
// many verifications succeeded (each checks the payload's sub) plus the Worker's own clock
// reading for the loop. Keys and tokens come from the CASES binding (made in Node by the
// script); verifiers are built once per isolate, on first use, like a real Worker.
import { Verifier } from 'edgejwt'
import { createLocalJWKSet, importJWK, jwtVerify } from 'jose'

let cases // alg → { sub, impls: { name → () => result with .payload } }

async function build(specs) {
  const out = {}
  for (const [alg, { jwk, token, sub, issuer }] of Object.entries(specs)) {
    const opts = { issuer, audience: issuer }
    const edge = new Verifier({ keys: [jwk] }, opts)
    const impls = { edgejwt: () => edge.verify(token) }
    // jose with a JWKS, as it is used with Better Auth (HS256 keys are not in JWKS sets jose
    // accepts, so that row has only the CryptoKey variant, as in bench/bench.mjs).
    if (jwk.kty !== 'oct') {
      const local = createLocalJWKSet({ keys: [jwk] })
      impls['jose (JWKS)'] = () => jwtVerify(token, local, opts)
    }
    // jose with a key imported once: its fastest path (crypto.subtle.verify and the claims).
    // importJWK gives raw bytes for an oct key, which jose would import on every call: import
    // those into a CryptoKey here too.
    let key = await importJWK(jwk, alg)
    if (key instanceof Uint8Array) key = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: `SHA-${alg.slice(2)}` }, false, ['verify'])
    impls['jose (CryptoKey)'] = () => jwtVerify(token, key, opts)
    out[alg] = { sub, impls }
  }
  return out
}

export default {
  async fetch(request, env) {
    const q = new URL(request.url).searchParams
    cases ??= await build(env.CASES)
    const c = cases[q.get('alg')]
    const f = c?.impls[q.get('impl')]
    if (!f) return Response.json({ error: 'unknown alg or impl' }, { status: 400 })
    const n = Number(q.get('n'))
    let ok = 0
    const t0 = Date.now()
    // Every call is awaited (a no-op for edgejwt's synchronous result), as in bench/bench.mjs.
    for (let i = 0; i < n; i++) {
      const { payload } = await f()
      if (payload.sub === c.sub) ok++
    }
    const ms = Date.now() - t0
    return Response.json({ ok, ms })
  },
}

// Cold-start Worker for bench/workerd.mjs: jose with createLocalJWKSet (WebCrypto in workerd).
// The module loads when the isolate starts; the first request builds the key set and verifies
// the bearer token once (jose imports the key, crypto.subtle.importKey, during that verify).
// It also answers its own clock's reading of the two steps, as cold-edgejwt.worker.js does.
import { createLocalJWKSet, jwtVerify } from 'jose'

let jwks

export default {
  async fetch(request, env) {
    const t0 = Date.now()
    jwks ??= createLocalJWKSet(env.COLD.jwks)
    const t1 = Date.now()
    const token = request.headers.get('authorization').slice('Bearer '.length)
    const { payload } = await jwtVerify(token, jwks, { issuer: env.COLD.issuer, audience: env.COLD.issuer })
    return Response.json({ sub: payload.sub, build: t1 - t0, verify: Date.now() - t1 })
  },
}

// Cold-start Worker for bench/workerd.mjs: jose with createLocalJWKSet (WebCrypto in workerd).
// The module loads when the isolate starts; the first request builds the key set, imports the
// key (crypto.subtle.importKey) and verifies the bearer token once.
import { createLocalJWKSet, jwtVerify } from 'jose'

let jwks

export default {
  async fetch(request, env) {
    jwks ??= createLocalJWKSet(env.COLD.jwks)
    const token = request.headers.get('authorization').slice('Bearer '.length)
    const { payload } = await jwtVerify(token, jwks, { issuer: env.COLD.issuer, audience: env.COLD.issuer })
    return Response.json({ sub: payload.sub })
  },
}

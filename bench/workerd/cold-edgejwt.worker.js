// Cold-start Worker for bench/workerd.mjs: edgejwt as examples/worker/worker.js uses it. The
// module (and its compiled wasm) loads when the isolate starts; the first request instantiates
// the wasm, builds the verifier and verifies the bearer token once.
import { Verifier, getBearerToken } from 'edgejwt'

let verifier

export default {
  fetch(request, env) {
    verifier ??= new Verifier(env.COLD.jwks, { issuer: env.COLD.issuer, audience: env.COLD.issuer })
    const { payload } = verifier.verify(getBearerToken(request))
    return Response.json({ sub: payload.sub })
  },
}

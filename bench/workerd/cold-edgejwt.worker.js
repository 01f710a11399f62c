// Cold-start Worker for bench/workerd.mjs: edgejwt as examples/worker/worker.js uses it. The
// module (and its compiled wasm) loads when the isolate starts; the first request instantiates
// the wasm, builds the verifier and verifies the bearer token once. It also answers its own
// clock's reading of those two steps (whole ms; Miniflare's workerd advances it while code
// runs, production's would not), to tell where the first request's time goes.
import { Verifier, getBearerToken } from 'edgejwt'

let verifier

export default {
  fetch(request, env) {
    const t0 = Date.now()
    verifier ??= new Verifier(env.COLD.jwks, { issuer: env.COLD.issuer, audience: env.COLD.issuer })
    const t1 = Date.now()
    const { payload } = verifier.verify(getBearerToken(request))
    return Response.json({ sub: payload.sub, build: t1 - t0, verify: Date.now() - t1 })
  },
}

// Cold-start baseline for bench/workerd.mjs: the same request and response, no JWT library.
// Its time is workerd's and Miniflare's own start plus a request's round trip.
export default {
  fetch(request, env) {
    return Response.json({ sub: env.COLD.sub })
  },
}

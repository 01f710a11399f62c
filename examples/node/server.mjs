// server.mjs: a Node.js HTTP server verifying Better Auth JWTs (ESM; `require('edgejwt')` works too).
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { Verifier, errors, getBearerToken } from 'edgejwt'

const jwks = JSON.parse(readFileSync('jwks.json', 'utf8')) // from {BETTER_AUTH_URL}/api/auth/jwks
const issuer = process.env.BETTER_AUTH_URL ?? 'http://localhost:3000'
const verifier = new Verifier(jwks, { issuer, audience: issuer })

const server = createServer((req, res) => {
  res.setHeader('content-type', 'application/json')
  try {
    const token = getBearerToken(req) // throws ERR_JWS_INVALID when absent or not "Bearer <token>"
    const { payload } = verifier.verify(token)
    res.end(JSON.stringify({ sub: payload.sub }))
  } catch (err) {
    res.statusCode = 401
    res.end(JSON.stringify({ error: err instanceof errors.JOSEError ? err.code : 'ERR_UNEXPECTED' }))
  }
})
server.listen(Number(process.env.PORT ?? 8787), '127.0.0.1')

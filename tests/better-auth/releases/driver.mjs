// One Better Auth release with key rotation on (rotationInterval 1 s), for the Python side of the
// conformance suite (test_conformance.py), which starts it as a subprocess and stops it by PID:
//   node tests/better-auth/releases/driver.mjs <minor>
// Prints one JSON line when ready: { version, baseURL, pid, token, jwksHits }. Then one JSON line
// per command line on stdin:
//   {"cmd":"token"} → { token, jwksHits }   a fresh JWT (signed with a new key once 1 s passed)
//   {"cmd":"hits"}  → { jwksHits }          requests the server got for /api/auth/jwks so far
//   {"cmd":"jwks"}  → { jwks }              (counted too)
// Exits when stdin closes or on SIGTERM.
import { loadRelease, startRelease } from './release.mjs'
import { answerCommands, out } from '../commands.mjs'

const release = await loadRelease(process.argv[2])
const ba = await startRelease(release, { jwks: { rotationInterval: 1, gracePeriod: 3600 } })
const { cookie } = await ba.signIn()
out({ version: release.version, baseURL: ba.baseURL, pid: process.pid, token: await ba.token(cookie), jwksHits: ba.hits.jwks })

answerCommands(
  {
    token: async () => ({ token: await ba.token(cookie), jwksHits: ba.hits.jwks }),
    hits: async () => ({ jwksHits: ba.hits.jwks }),
    jwks: async () => ({ jwks: await ba.jwks() }),
  },
  () => ba.close(),
)

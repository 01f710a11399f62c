// For the tests only (EXAMPLE_TEST_HOOKS=1): how many times each client (by User-Agent) fetched
// /api/auth/jwks since the server started, so a test can count the API's JWKS fetches over HTTP.
const counts: Record<string, number> = ((globalThis as { __jwksRequests?: Record<string, number> }).__jwksRequests ??= {})

export function countJwksRequest(request: Request) {
  const agent = request.headers.get('user-agent') ?? 'unknown'
  counts[agent] = (counts[agent] ?? 0) + 1
}

export function jwksRequests(): Record<string, number> {
  return { ...counts }
}

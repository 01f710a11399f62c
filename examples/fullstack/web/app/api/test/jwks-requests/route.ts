// GET /api/test/jwks-requests → {"<user-agent>": <count>, …}: only with EXAMPLE_TEST_HOOKS=1.
import { jwksRequests } from '../../../../lib/jwks-requests'

export const dynamic = 'force-dynamic'

export function GET() {
  if (process.env.EXAMPLE_TEST_HOOKS !== '1') return new Response('Not Found', { status: 404 })
  return Response.json(jwksRequests())
}

// Runs once when the server starts: Better Auth's tables (user, session, account, verification,
// jwks) are created or updated before the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { migrate } = await import('./lib/auth')
    await migrate()
  }
}

'use client'
// The sign-up and sign-in forms (Better Auth's client); on success the browser goes to /tasks.
import { useState, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import Link from 'next/link'
import { authClient, tokens } from '../lib/auth-client'

export function AuthForm({ mode }: { mode: 'sign-up' | 'sign-in' }) {
  const router = useRouter()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    const email = String(form.get('email'))
    const password = String(form.get('password'))
    setBusy(true)
    setError(null)
    const { error } =
      mode === 'sign-up'
        ? await authClient.signUp.email({ name: String(form.get('name')), email, password })
        : await authClient.signIn.email({ email, password })
    setBusy(false)
    if (error) return setError(error.message ?? error.statusText ?? 'failed')
    tokens().clear() // a token of whoever was signed in before
    router.replace('/tasks')
  }

  return (
    <>
      <h1>{mode === 'sign-up' ? 'Create an account' : 'Sign in'}</h1>
      <form onSubmit={submit}>
        {mode === 'sign-up' && (
          <label>
            Name
            <input name="name" data-testid="name" required autoComplete="name" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" data-testid="email" required autoComplete="email" />
        </label>
        <label>
          Password
          <input name="password" type="password" data-testid="password" required minLength={8} autoComplete={mode === 'sign-up' ? 'new-password' : 'current-password'} />
        </label>
        {error && <p className="error" data-testid="auth-error" role="alert">{error}</p>}
        <button type="submit" data-testid="submit" disabled={busy}>
          {mode === 'sign-up' ? 'Sign up' : 'Sign in'}
        </button>
      </form>
      <p className="muted">
        {mode === 'sign-up' ? <>Have an account? <Link href="/sign-in">Sign in</Link></> : <>New here? <Link href="/sign-up">Create an account</Link></>}
      </p>
    </>
  )
}

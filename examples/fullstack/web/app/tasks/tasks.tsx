'use client'
// The task list: every call goes straight to the API (cross-origin) through edgejwt's token
// client, which attaches the JWT, refreshes it before it expires and retries once after a 401
// invalid_token. No session (SignedOutError) → back to /sign-in.
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useRouter } from 'next/navigation'
import { SignedOutError } from 'edgejwt/client'
import { authClient, tokens } from '../../lib/auth-client'

type Task = { id: number; title: string; created_at: string }

/** The API's error code: `detail.code` (edgejwt.fastapi's 401s), `detail.error` (403, 404, 503),
 * the first validation error's type (422), or the status. */
async function errorCode(res: Response): Promise<string> {
  const body = await res.json().catch(() => null)
  const detail = Array.isArray(body?.detail) ? body.detail[0] : body?.detail
  const code = detail?.code ?? detail?.error ?? detail?.type
  return typeof code === 'string' && code ? code : `HTTP_${res.status}`
}

export function Tasks({ email, apiUrl }: { email: string; apiUrl: string }) {
  const router = useRouter()
  const [tasks, setTasks] = useState<Task[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [title, setTitle] = useState('')

  /** One API call: the answer when it succeeded, null after showing why it failed. */
  const call = useCallback(
    async (path: string, init?: RequestInit): Promise<Response | null> => {
      try {
        const res = await tokens().fetch(`${apiUrl}${path}`, init)
        if (!res.ok) {
          setError(await errorCode(res))
          return null
        }
        setError(null)
        return res
      } catch (err) {
        if (err instanceof SignedOutError) {
          router.replace('/sign-in')
          return null
        }
        setError((err as { code?: string }).code ?? 'ERR_NETWORK')
        return null
      }
    },
    [apiUrl, router],
  )

  useEffect(() => {
    call('/tasks').then(async (res) => res && setTasks(await res.json()))
  }, [call])

  async function add(event: FormEvent) {
    event.preventDefault()
    if (!title.trim()) return
    const res = await call('/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) })
    if (!res) return
    const task: Task = await res.json()
    setTasks((list) => [...(list ?? []), task])
    setTitle('')
  }

  async function remove(id: number) {
    if (await call(`/tasks/${id}`, { method: 'DELETE' })) setTasks((list) => (list ?? []).filter((t) => t.id !== id))
  }

  async function signOut() {
    await authClient.signOut()
    tokens().clear()
    router.replace('/sign-in')
  }

  return (
    <>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <h1>Tasks</h1>
        <button className="secondary" data-testid="sign-out" onClick={signOut}>
          Sign out
        </button>
      </div>
      <p className="muted">
        Signed in as <strong data-testid="signed-in-as">{email}</strong>
      </p>
      <form className="row" onSubmit={add}>
        <input data-testid="new-task-title" aria-label="New task" placeholder="What needs doing?" value={title} onChange={(e) => setTitle(e.target.value)} />
        <button type="submit" data-testid="add-task">
          Add
        </button>
      </form>
      {error && (
        <p className="error" data-testid="api-error" role="alert">
          {error}
        </p>
      )}
      <ul data-testid="task-list" aria-busy={tasks === null}>
        {(tasks ?? []).map((t) => (
          <li key={t.id} data-testid="task" data-task-id={t.id}>
            <span>{t.title}</span>
            <button className="secondary" data-testid="delete-task" aria-label={`Delete ${t.title}`} onClick={() => remove(t.id)}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      {tasks?.length === 0 && <p className="muted">No tasks yet.</p>}
    </>
  )
}

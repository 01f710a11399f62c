// /tasks: proxy.ts has verified the session cookie and says who is signed in; the list itself
// comes from the API, called by the browser (tasks.tsx). The API's URL is read at request time
// (API_URL), so one build serves any port.
import { headers } from 'next/headers'
import { Tasks } from './tasks'

export const dynamic = 'force-dynamic'

export default async function TasksPage() {
  const email = (await headers()).get('x-user-email') ?? ''
  return <Tasks email={email} apiUrl={process.env.API_URL ?? 'http://127.0.0.1:8000'} />
}

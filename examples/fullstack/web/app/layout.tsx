import type { ReactNode } from 'react'
import './style.css'

export const metadata = { title: 'Tasks: Better Auth + FastAPI, verified by edgejwt' }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <main>{children}</main>
      </body>
    </html>
  )
}

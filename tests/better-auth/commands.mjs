// The protocol of the Node test servers that Python drives (driver.mjs, releases/driver.mjs):
// one JSON line when ready, then one JSON line answered per command line on stdin; stops on
// SIGTERM or when stdin closes.
import { createInterface } from 'node:readline'

export const out = (v) => process.stdout.write(JSON.stringify(v) + '\n')

/** Answers `{"cmd": name, ...args}` lines with `await handlers[name](args)`; `close` stops. */
export function answerCommands(handlers, close) {
  const stop = async () => {
    await close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  const lines = createInterface({ input: process.stdin })
  lines.on('line', async (line) => {
    try {
      const { cmd, ...args } = JSON.parse(line)
      const handler = Object.hasOwn(handlers, cmd) ? handlers[cmd] : undefined
      out(handler ? await handler(args) : { error: `unknown command ${cmd}` })
    } catch (e) {
      out({ error: String(e?.stack ?? e) })
    }
  })
  lines.on('close', stop)
}

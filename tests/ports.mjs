// A port the OS has just handed out and released, for the test servers (ports picked at random
// collide with the ephemeral ports of this machine's own outgoing connections).
import { createServer } from 'node:net'

export async function freePort() {
  const probe = createServer()
  await new Promise((r) => probe.listen(0, '127.0.0.1', r))
  const { port } = probe.address()
  await new Promise((r) => probe.close(r))
  return port
}

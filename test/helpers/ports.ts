/**
 * Ports for tests that need a refused connection: a port on 127.0.0.1 that was taken and then
 * released, so nothing listens there and a connect fails at once with ECONNREFUSED.
 */
import {createServer} from 'node:net'

/** A port on 127.0.0.1 where nothing listens (taken, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const {port} = server.address() as {port: number}
  await new Promise<void>(resolve => {
    server.close(() => resolve())
  })
  return port
}

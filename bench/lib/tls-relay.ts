/**
 * Why the official plugin needs this: its `salesforce:publish` posts to `https://HOST/addons/…`,
 * HOST being the hostname of the add-on's API URL without its port, so it only reaches an AppLink
 * API served over TLS on port 443 (the real service is). The bench's local server speaks plain
 * HTTP on a port it picks, so for the publish group the bench relays https://127.0.0.1:443 to it,
 * with a throwaway self-signed certificate that the measured CLIs trust through
 * NODE_EXTRA_CA_CERTS (both plugins get it). Port 443 needs root and must be free; otherwise the
 * official publish figures stay n/a with the reason.
 */
import {readFileSync} from 'node:fs'
import {request} from 'node:http'
import {createServer} from 'node:https'
import {join} from 'node:path'

import {run} from './measure.js'

export interface TlsRelay {
  /** the certificate to trust (NODE_EXTRA_CA_CERTS) */
  caFile: string
  close(): Promise<void>
}

/** Starts the relay to `target` (http://127.0.0.1:PORT), or says why it could not. */
export async function startTlsRelay(target: string, dir: string): Promise<TlsRelay | string> {
  const key = join(dir, 'relay-key.pem')
  const cert = join(dir, 'relay-cert.pem')
  const made = await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], {env: process.env, timeoutMs: 60_000})
  if (made.code !== 0) return `openssl could not make a certificate (exit ${made.code})`
  const server = createServer({cert: readFileSync(cert), key: readFileSync(key)}, (req, res) => {
    // as any reverse proxy does: the request goes on addressed to the server behind it
    const upstream = request(new URL(req.url ?? '/', target), {headers: {...req.headers, host: new URL(target).host}, method: req.method}, answer => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', error => {
      res.writeHead(502, {'content-type': 'text/plain'})
      res.end(`bench relay: ${error.message}`)
    })
    req.pipe(upstream)
  })
  const problem = await new Promise<string | undefined>(resolve => {
    server.once('error', (error: NodeJS.ErrnoException) => resolve(`the bench could not serve https on 127.0.0.1:443 (${error.code ?? error.message})`))
    server.listen(443, '127.0.0.1', () => resolve(undefined))
  })
  if (problem) return problem
  return {
    caFile: cert,
    close: () => new Promise(resolve => {
      server.closeAllConnections()
      server.close(() => resolve())
    }),
  }
}

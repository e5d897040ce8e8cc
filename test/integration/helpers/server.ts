/**
 * A scripted HTTP server on 127.0.0.1 (port 0) for the integration tests: it answers the routes a
 * test declares, in order, records every request it receives (method, path, headers, body), and
 * answers anything unexpected with a 404 that the test then sees in `unexpected`.
 */
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface Recorded {
  body: Buffer
  headers: IncomingHttpHeaders
  method: string
  path: string
  /** the body parsed as JSON, when it is JSON */
  json?: unknown
}

export interface Reply {
  body?: unknown
  headers?: Record<string, string>
  status?: number
}

type Handler = (req: Recorded) => Reply

interface Route {
  handler: Handler
  method: string
  path: string
  /** how many more times it answers; Infinity for always */
  times: number
}

export class ScriptedServer {
  readonly requests: Recorded[] = []
  readonly unexpected: Recorded[] = []
  private readonly routes: Route[] = []
  private readonly server: Server
  private readonly sockets = new Set<import('node:net').Socket>()

  private constructor() {
    this.server = createServer((req, res) => this.handle(req, res))
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  static async start(): Promise<ScriptedServer> {
    const s = new ScriptedServer()
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject)
      s.server.listen(0, '127.0.0.1', () => resolve())
    })
    return s
  }

  get url(): string {
    const {port} = this.server.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  /** Answers METHOD path `times` times (routes declared for the same request are used in order). */
  on(method: string, path: string, reply: Handler | Reply, times = 1): this {
    this.routes.push({handler: typeof reply === 'function' ? reply : () => reply, method, path, times})
    return this
  }

  /** Like `on`, for every matching request. */
  always(method: string, path: string, reply: Handler | Reply): this {
    return this.on(method, path, reply, Number.POSITIVE_INFINITY)
  }

  /** Routes declared with a finite count that were never used up. */
  pending(): string[] {
    return this.routes.filter(r => r.times > 0 && Number.isFinite(r.times)).map(r => `${r.method} ${r.path}`)
  }

  /** Forgets routes and recordings, keeping the server up. */
  reset(): void {
    this.routes.length = 0
    this.requests.length = 0
    this.unexpected.length = 0
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => {
      this.server.close(() => resolve())
    })
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const recorded: Recorded = {body, headers: req.headers, method: req.method ?? '', path: req.url ?? ''}
      if (String(req.headers['content-type'] ?? '').startsWith('application/json') && body.length > 0) {
        try {
          recorded.json = JSON.parse(body.toString('utf8'))
        } catch {}
      }

      this.requests.push(recorded)
      const route = this.routes.find(r => r.times > 0 && r.method === recorded.method && r.path === recorded.path)
      let reply: Reply
      if (route) {
        route.times--
        reply = route.handler(recorded)
      } else {
        this.unexpected.push(recorded)
        reply = {body: {id: 'not_found', message: `The test server has no route for ${recorded.method} ${recorded.path}`}, status: 404}
      }

      const text = reply.body === undefined ? '' : (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body))
      res.writeHead(reply.status ?? 200, {'content-type': 'application/json', ...reply.headers})
      res.end(text)
    })
  }
}

export interface Part {
  body: Buffer
  contentType?: string
  filename?: string
  name: string
}

/** Splits a multipart/form-data body into its parts (enough of RFC 7578 for what the plugin sends). */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  if (!match) throw new Error(`no boundary in content-type ${contentType}`)
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`)
  const parts: Part[] = []
  let start = body.indexOf(delimiter)
  if (start < 0) throw new Error('multipart body has no boundary line')
  while (true) {
    const afterDelimiter = start + delimiter.length
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break
    const headerStart = afterDelimiter + 2 // CRLF
    const headerEnd = body.indexOf('\r\n\r\n', headerStart)
    const next = body.indexOf(delimiter, headerEnd)
    if (headerEnd < 0 || next < 0) throw new Error('truncated multipart body')
    const headers = body.subarray(headerStart, headerEnd).toString('utf8')
    const content = body.subarray(headerEnd + 4, next - 2) // drop the CRLF before the delimiter
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? ''
    parts.push({
      body: content,
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
      filename: /filename="([^"]*)"/i.exec(disposition)?.[1],
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '',
    })
    start = next
  }

  return parts
}

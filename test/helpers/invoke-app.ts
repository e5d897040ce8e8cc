/**
 * A small AppLink app for the applink:invoke tests: a real HTTP server on 127.0.0.1 (port 0) that
 * serves the operations of test/fixtures/invoke/api-spec.yaml, records every request it receives
 * (method, path, headers, body) and parses each with the real `@heroku/applink` SDK
 * (`parseRequest`), so a test proves the SDK accepts the headers the command sends.
 */
import {parseRequest} from '@heroku/applink'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'

export interface SdkView {
  accessToken?: string
  apiVersion?: string
  domainUrl?: string
  /** the SDK's error, when it refused the request */
  error?: string
  eventData?: unknown
  id?: string
  namespace?: string
  orgId?: string
  userId?: string
  username?: string
}

export interface AppRequest {
  body: string
  headers: IncomingHttpHeaders
  method: string
  path: string
  sdk: SdkView
}

export interface InvokeApp {
  close(): Promise<void>
  /** answer the next request with this instead of the route's answer; status 0: never answer */
  next?: {body?: unknown; headers?: Record<string, string>; raw?: string; status: number}
  requests: AppRequest[]
  url: string
}

function sdkView(headers: IncomingHttpHeaders, body: unknown): SdkView {
  try {
    const {context, event} = parseRequest(headers, body, {debug() {}, error() {}, info() {}, warn() {}})
    const org = context.org as unknown as {accessToken: string; apiVersion: string; domainUrl: string; id: string; namespace: string; user: {id: string; username: string}}
    return {accessToken: org.accessToken, apiVersion: org.apiVersion, domainUrl: org.domainUrl, eventData: event.data, id: context.id, namespace: org.namespace, orgId: org.id, userId: org.user.id, username: org.user.username}
  } catch (error) {
    return {error: (error as Error).message}
  }
}

export async function startInvokeApp(): Promise<InvokeApp> {
  const sockets = new Set<Socket>()
  const app: InvokeApp = {
    async close() {
      for (const s of sockets) s.destroy()
      await new Promise<void>(resolve => {
        server.close(() => resolve())
      })
    },
    requests: [],
    url: '',
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = text ? JSON.parse(text) : undefined
      } catch {}

      app.requests.push({body: text, headers: req.headers, method: req.method ?? '', path: req.url ?? '', sdk: sdkView(req.headers, json)})
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, {'content-type': 'application/json', ...headers})
        res.end(JSON.stringify(body))
      }

      // never answers (the test interrupts the command meanwhile)
      if (app.next?.status === 0) return
      if (app.next) {
        const {body, headers, raw, status} = app.next
        app.next = undefined
        if (raw === undefined) reply(status, body, headers)
        else {
          res.writeHead(status, headers)
          res.end(raw)
        }

        return
      }

      const path = (req.url ?? '').split('?')[0]
      if (req.method === 'GET' && path === '/accounts') return reply(200, [{id: '001000000000001AAA', industry: null, name: 'Acme'}])
      if (req.method === 'POST' && path === '/accounts') return reply(201, {accountId: '001000000000002AAA', contactId: null})
      const one = /^\/accounts\/([^/]+)$/.exec(path)
      if (req.method === 'GET' && one) {
        return one[1] === 'missing' ? reply(404, {message: 'No account missing'}) : reply(200, {id: decodeURIComponent(one[1]), name: 'Acme'})
      }

      reply(404, {message: `no route for ${req.method} ${path}`})
    })
  })
  server.on('connection', s => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  app.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return app
}

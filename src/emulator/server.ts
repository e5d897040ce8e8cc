/**
 * The local AppLink emulator: one node:http server on 127.0.0.1 that serves the Heroku Platform API
 * subset AppLink work needs, the AppLink API, the Salesforce login pages and a dashboard, over a
 * JSON store in the data directory. Every error is JSON `{id, message}`; a failing handler answers
 * 500 and the server keeps serving.
 *
 *   const emu = await startEmulator({port: 0, dataDir})
 *   // emu.url, emu.apiKey … await emu.close()
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'

import {registerApplinkRoutes, resumeTargets} from './applink.js'
import {registerDashboardRoutes} from './dashboard.js'
import {type Faults, faultsFromEnv, withFaults} from './faults.js'
import {registerOauthRoutes, resumePendingFlows} from './oauth.js'
import {loadSeedFile, registerOrgRoutes, syncOrgs, useSeed} from './org/index.js'
import {registerPlatformRoutes} from './platform.js'
import {Store} from './store.js'
import {HttpError} from './util.js'

/** Request body limits. */
export const JSON_LIMIT = 1024 * 1024
export const PUBLISH_LIMIT = 25 * 1024 * 1024

export interface EmulatorOptions {
  /** approve OAuth logins by themselves about `autoApproveMs` after they start */
  autoApprove?: boolean
  autoApproveMs?: number
  dataDir: string
  /** how long a data action target takes from `pending` to `created` (default 1500 ms) */
  dataActionTargetMs?: number
  /** record every request and apply these fault rules (tests and the bench only: docs/faults.md) */
  faults?: Faults
  /** the host to listen on; 127.0.0.1 unless a test needs otherwise */
  host?: string
  /**
   * Log lines: `request` for each request (method, path without query, status, time) and `error`
   * for failures inside the emulator. Never secrets.
   */
  log?: (line: string, kind: 'error' | 'request') => void
  /** a JSON file that new emulated orgs are seeded from, in place of the default data (docs/emulated-org.md) */
  orgData?: string
  /** 0 picks a free port */
  port?: number
  /** empty the store before starting */
  reset?: boolean
}

export interface Emulator {
  apiKey: string
  close(): Promise<void>
  /** stops at once, synchronously: timers off, connections dropped, store written and lock released */
  closeNow(): void
  dataDir: string
  port: number
  /** the store, for tests and the dashboard */
  store: Store
  url: string
  /** true when --reset emptied an existing store */
  wasReset: boolean
}

/** What a route handler gets. */
export interface Ctx {
  emu: EmulatorState
  /** the request's path parameters, decoded */
  params: Record<string, string>
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** the raw body, at most the route's limit (413 past it) */
  body(): Promise<Buffer>
  /** the body parsed as JSON (400 on malformed JSON, 415 on another content type) */
  json(): Promise<unknown>
}

export type Handler = (ctx: Ctx) => Promise<void> | void

interface Route {
  handler: Handler
  keys: string[]
  limit: number
  method: string
  pattern: RegExp
}

export class Router {
  private readonly routes: Route[] = []

  add(method: string, path: string, handler: Handler, options: {limit?: number} = {}): void {
    const keys: string[] = []
    const source = path.split('/').map(part => {
      if (part.startsWith(':')) {
        keys.push(part.slice(1))
        return '([^/]+)'
      }

      return part.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
    }).join('/')
    this.routes.push({handler, keys, limit: options.limit ?? JSON_LIMIT, method, pattern: new RegExp(`^${source}/?$`)})
  }

  get(path: string, handler: Handler): void {
    this.add('GET', path, handler)
  }

  post(path: string, handler: Handler, options?: {limit?: number}): void {
    this.add('POST', path, handler, options)
  }

  patch(path: string, handler: Handler): void {
    this.add('PATCH', path, handler)
  }

  delete(path: string, handler: Handler): void {
    this.add('DELETE', path, handler)
  }

  match(method: string, pathname: string): {params: Record<string, string>; route: Route} | {allowed: string[]} | undefined {
    const allowed: string[] = []
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname)
      if (!m) continue
      if (route.method !== method) {
        allowed.push(route.method)
        continue
      }

      const params: Record<string, string> = {}
      for (const [i, key] of route.keys.entries()) {
        try {
          params[key] = decodeURIComponent(m[i + 1])
        } catch {
          throw new HttpError(400, 'invalid_params', `The path segment ${JSON.stringify(m[i + 1])} is not valid percent-encoding.`)
        }
      }

      return {params, route}
    }

    return allowed.length > 0 ? {allowed} : undefined
  }
}

/** The emulator's shared state: store, origin, options and timers. */
export class EmulatorState {
  readonly options: EmulatorOptions
  origin = ''
  /** `host:port` values of the Host header that are answered (see allowedHosts) */
  hosts = new Set<string>()
  readonly store: Store
  private closed = false
  private readonly timers = new Set<NodeJS.Timeout>()

  constructor(store: Store, options: EmulatorOptions) {
    this.store = store
    this.options = options
  }

  get autoApproveMs(): number {
    return this.options.autoApproveMs ?? 1000
  }

  get dataActionTargetMs(): number {
    return this.options.dataActionTargetMs ?? 1500
  }

  log(line: string, kind: 'error' | 'request' = 'error'): void {
    this.options.log?.(line, kind)
  }

  /** Runs `task` after `ms` unless the emulator closes first; failures are logged, never thrown. */
  schedule(ms: number, task: () => Promise<void> | void): void {
    if (this.closed) return
    const timer = setTimeout(async () => {
      this.timers.delete(timer)
      if (this.closed) return
      try {
        await task()
      } catch (error) {
        this.log(`background task failed: ${(error as Error).message}`)
      }
    }, ms)
    this.timers.add(timer)
  }

  stopTimers(): void {
    this.closed = true
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)), 'content-type': 'application/json; charset=utf-8', ...headers})
  res.end(text)
}

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(html)),
    'content-security-policy': 'default-src \'none\'; style-src \'unsafe-inline\'; form-action \'self\'',
    'content-type': 'text/html; charset=utf-8',
  })
  res.end(html)
}

export function sendError(res: ServerResponse, status: number, id: string, message: string, extra?: Record<string, unknown>): void {
  sendJson(res, status, {id, message, ...extra})
}

/** The client went away before its request body was complete: its doing, not the emulator's. */
class ClientGone extends Error {}

/**
 * The Host names the emulator answers to: 127.0.0.1, localhost, [::1] and the host it listens on,
 * each with its port. Any other Host means a page on another site reached it by DNS rebinding (its
 * name now resolving to 127.0.0.1): it must not see the dashboard nor approve logins.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]
  return new Set(names.map(n => `${n.toLowerCase()}:${port}`))
}

/** Reads a body up to `limit` bytes; past it, drains what the client still sends, then fails with 413. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    const tooLarge = () => new HttpError(413, 'request_too_large', `The request body is larger than the limit of ${formatBytes(limit)}.`)
    const chunks: Buffer[] = []
    let size = 0
    let over = Number.isFinite(declared) && declared > limit
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      if (over) {
        // keep reading (and dropping) so the client gets the answer, up to a bound
        if (size > limit * 4) {
          req.pause()
          reject(tooLarge())
        }

        return
      }

      chunks.push(chunk)
    })
    req.on('end', () => (over ? reject(tooLarge()) : resolve(Buffer.concat(chunks))))
    req.on('error', error => reject(req.readableAborted || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? new ClientGone(error.message) : error))
    // gone before the end of the body, possibly before this was called: it will never end
    const gone = () => {
      if (!req.complete) reject(new ClientGone('the client closed the connection'))
    }

    if (req.destroyed) gone()
    else req.on('close', gone)
  })
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${Math.round(n / 1024)} KB`
}

function isJsonType(type: string): boolean {
  const base = type.split(';')[0].trim().toLowerCase()
  return base === 'application/json' || base.endsWith('+json')
}

function buildRouter(): Router {
  const router = new Router()
  registerPlatformRoutes(router)
  registerApplinkRoutes(router)
  registerOauthRoutes(router)
  registerDashboardRoutes(router)
  registerOrgRoutes(router)
  return router
}

async function handle(router: Router, emu: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const host = String(req.headers.host ?? '').toLowerCase()
  if (!emu.hosts.has(host)) {
    res.setHeader('connection', 'close')
    throw new HttpError(421, 'misdirected_request', `The emulator answers only requests addressed to ${[...emu.hosts].join(', ')}, not to ${host ? JSON.stringify(host.slice(0, 100)) : 'no host'}.`)
  }

  const url = new URL(req.url ?? '/', emu.origin)
  const method = (req.method ?? 'GET').toUpperCase()
  const found = router.match(method === 'HEAD' ? 'GET' : method, url.pathname)
  if (!found) throw new HttpError(404, 'not_found', `The emulator has no route for ${method} ${url.pathname}.`)
  if ('allowed' in found) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}; use ${[...new Set(found.allowed)].join(' or ')}.`)
  const {params, route} = found
  let bodyPromise: Promise<Buffer> | undefined
  const body = () => {
    bodyPromise ??= readBody(req, route.limit)
    return bodyPromise
  }

  const ctx: Ctx = {
    body,
    emu,
    async json() {
      const type = String(req.headers['content-type'] ?? '')
      const raw = await body()
      if (type && !isJsonType(type)) throw new HttpError(415, 'unsupported_media_type', `Send the request body as JSON (content-type application/json), not ${type.split(';')[0]}.`)
      const text = raw.toString('utf8')
      if (text.trim() === '') throw new HttpError(400, 'invalid_params', 'The request body is empty: send a JSON object.')
      try {
        return JSON.parse(text)
      } catch (error) {
        throw new HttpError(400, 'invalid_params', `The request body is not valid JSON: ${(error as Error).message}.`)
      }
    },
    params,
    req,
    res,
    url,
  }
  await route.handler(ctx)
}

/** Starts the emulator; resolves once it listens. Throws StoreError for data directory problems. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  // a bad seed file stops the start before the store is touched (throws SeedError)
  const seed = options.orgData === undefined ? undefined : loadSeedFile(options.orgData)
  const store = Store.open(options.dataDir, {reset: options.reset})
  useSeed(store, seed)
  if (syncOrgs(store.data, store)) await store.flush()
  const emu = new EmulatorState(store, options)
  const router = buildRouter()
  const sockets = new Set<Socket>()
  const server: Server = createServer(withFaults(options.faults ?? faultsFromEnv(), (req, res) => {
    const started = Date.now()
    res.on('finish', () => emu.log(`${req.method} ${(req.url ?? '/').split('?')[0]} ${res.statusCode} ${Date.now() - started}ms`, 'request'))
    handle(router, emu, req, res).catch(error => {
      if (res.headersSent) {
        res.destroy()
        return
      }

      if (error instanceof ClientGone) {
        // nobody is left to answer
        emu.log(`${req.method} ${(req.url ?? '/').split('?')[0]}: the client closed the connection before sending the whole body`, 'request')
        res.destroy()
        return
      }

      if (error instanceof HttpError) {
        // after a body error the request may still be streaming: close the connection when done
        if (error.status === 413) res.setHeader('connection', 'close')
        sendError(res, error.status, error.id, error.message, error.extra)
      } else {
        emu.log(`internal error on ${req.method} ${(req.url ?? '/').split('?')[0]}: ${(error as Error)?.stack ?? error}`)
        sendError(res, 500, 'internal_error', 'The emulator failed to handle this request; see its log.')
      }
    })
  }))
  server.requestTimeout = 120_000
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"id":"bad_request","message":"Malformed HTTP request."}')
  })

  const host = options.host ?? '127.0.0.1'
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(options.port ?? 0, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    await store.close()
    const e = error as NodeJS.ErrnoException
    if (e.code === 'EADDRINUSE') throw new Error(`Port ${options.port} on ${host} is already in use: choose another --port, or 0 for a free one.`)
    throw error
  }

  const {port} = server.address() as AddressInfo
  emu.origin = `http://${host}:${port}`
  emu.hosts = allowedHosts(host, port)
  resumePendingFlows(emu)
  resumeTargets(emu)

  let closing: Promise<void> | undefined
  return {
    apiKey: store.data.api_key,
    close() {
      closing ??= (async () => {
        emu.stopTimers()
        await new Promise<void>(resolve => {
          server.close(() => resolve())
          for (const s of sockets) s.destroy()
        })
        await store.close()
      })()
      return closing
    },
    closeNow() {
      emu.stopTimers()
      server.close()
      for (const s of sockets) s.destroy()
      store.closeSync()
    },
    dataDir: options.dataDir,
    port,
    store,
    url: emu.origin,
    wasReset: store.wasReset,
  }
}

/**
 * The local AppLink emulator: one node:http server on 127.0.0.1 that serves the Heroku Platform API
 * subset AppLink work needs, the AppLink API, the Salesforce login pages and a dashboard, over a
 * JSON store in the data directory. Every error is JSON `{id, message}`; a failing handler answers
 * 500 and the server keeps serving.
 *
 *   const emu = await startEmulator({port: 0, dataDir})
 *   // emu.url, emu.apiKey … await emu.close()
 *
 * Only the entry points (process/cli.ts for the command, process/daemon.ts, process/exec.ts for exec) import this file: the services
 * get what they need from http/ (router.ts, state.ts, reply.ts) below them.
 */
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'

import {HttpError, sendError, sendJson} from '../http/reply.js'
import {type Faults, faultsFromEnv, withFaults} from '../http/faults.js'
import {applySchema, defaultSeed, loadMetadata, loadSeedFile, registerOrgRoutes, syncOrgs, useSeed} from '../org/index.js'
import {ClientGone, Router} from '../http/router.js'
import {registerAddonRoutes} from '../platform/addon-routes.js'
import {registerApplinkRoutes} from '../applink/routes.js'
import {registerDashboardRoutes} from '../dashboard/routes.js'
import {registerOauthRoutes} from '../login/routes.js'
import {registerPlatformRoutes} from '../platform/routes.js'
import {resumePendingFlows} from '../login/oauth.js'
import {EmulatorState} from '../http/state.js'
import {afterRequest, startLogs} from '../logs/observe.js'
import {registerLogRoutes} from '../logs/routes.js'
import {Store} from '../store/store.js'
import {resumeTargets} from '../applink/targets.js'

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
  /** --invent-fields: a REST or graph write may create the custom objects and fields it names */
  inventFields?: boolean
  /** --metadata paths: SFDX projects or `sf sobject describe --json` files whose custom objects and fields every org gets */
  metadata?: string[]
  /** a JSON file that new emulated orgs are seeded from, in place of the default data (docs/emulated-org.md) */
  orgData?: string
  /** how often an open `heroku logs --tail` stream gets a comment line (default 15 s) */
  logKeepAliveMs?: number
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

/**
 * The Host names the emulator answers to: 127.0.0.1, localhost, [::1] and the host it listens on,
 * each with its port. Any other Host means a page on another site reached it by DNS rebinding (its
 * name now resolving to 127.0.0.1): it must not see the dashboard nor approve logins.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]', host.includes(':') && !host.startsWith('[') ? `[${host}]` : host]
  return new Set(names.map(n => `${n.toLowerCase()}:${port}`))
}

/** The health route scripts wait on (`applink:emulator:wait`): 200 once the emulator serves. */
export const HEALTH_PATH = '/__emulator/health'

function buildRouter(options: EmulatorOptions): Router {
  const router = new Router()
  router.get(HEALTH_PATH, ctx => sendJson(ctx.res, 200, {service: 'applink-emulator', status: 'ok'}))
  registerPlatformRoutes(router)
  registerAddonRoutes(router)
  registerApplinkRoutes(router)
  registerOauthRoutes(router)
  registerDashboardRoutes(router)
  registerOrgRoutes(router)
  registerLogRoutes(router, {keepAliveMs: options.logKeepAliveMs})
  return router
}

function requestPath(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0]
}

/**
 * The request entry: every request comes here first. It logs the answer, refuses a Host the
 * emulator does not answer to (421), routes, and turns a failure into a JSON error.
 */
async function onRequest(router: Router, emu: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = Date.now()
  res.on('finish', () => {
    const ms = Date.now() - started
    emu.log(`${req.method} ${requestPath(req)} ${res.statusCode} ${ms}ms`, 'request')
    // the app's log: the AppLink request line of its add-on, its new releases
    try {
      afterRequest(emu.store, req, res.statusCode, ms)
    } catch (error) {
      emu.log(`writing the log line of ${req.method} ${requestPath(req)} failed: ${(error as Error).message}`)
    }
  })
  try {
    const host = String(req.headers.host ?? '').toLowerCase()
    if (!emu.hosts.has(host)) {
      res.setHeader('connection', 'close')
      throw new HttpError(421, 'misdirected_request', `The emulator answers only requests addressed to ${[...emu.hosts].join(', ')}, not to ${host ? JSON.stringify(host.slice(0, 100)) : 'no host'}.`)
    }

    await router.dispatch(emu, req, res)
  } catch (error) {
    answerFailure(emu, req, res, error)
  }
}

function answerFailure(emu: EmulatorState, req: IncomingMessage, res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy()
    return
  }

  if (error instanceof ClientGone) {
    // nobody is left to answer
    emu.log(`${req.method} ${requestPath(req)}: the client closed the connection before sending the whole body`, 'request')
    res.destroy()
    return
  }

  if (error instanceof HttpError) {
    // after a body error the request may still be streaming: close the connection when done
    if (error.status === 413) closeAfterAnswer(req, res)
    sendError(res, error.status, error.id, error.message, error.extra)
  } else {
    emu.log(`internal error on ${req.method} ${requestPath(req)}: ${(error as Error)?.stack ?? error}`)
    sendError(res, 500, 'internal_error', 'The emulator failed to handle this request; see its log.')
  }
}

/** How long a connection is read after a 413 while its client goes on sending. */
const LINGER_MS = 5000

/**
 * Answers with `Connection: close`, then lingers: a socket closed with unread data makes the kernel
 * reset the connection, and a reset can throw the answer away before a client that is still sending
 * reads it. So once the answer is out the socket is half-closed, and what the client still sends is
 * read and dropped until it closes its side, or for LINGER_MS at most. (node:http closes such a
 * socket through `destroySoon()`; this socket's own one is replaced.)
 */
function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close')
  const socket = req.socket
  socket.destroySoon = () => {
    socket.end()
    req.resume()
    socket.resume()
    const timer = setTimeout(() => socket.destroy(), LINGER_MS)
    timer.unref()
    socket.once('end', () => socket.destroy())
    socket.once('close', () => clearTimeout(timer))
  }
}

/** The HTTP server, with the set of its open sockets (dropped on close). */
function createHttpServer(emu: EmulatorState, options: EmulatorOptions): {server: Server; sockets: Set<Socket>} {
  const router = buildRouter(options)
  const {faults} = options
  const sockets = new Set<Socket>()
  const server = createServer(withFaults(faults ?? faultsFromEnv(), (req, res) => {
    onRequest(router, emu, req, res)
  }))
  server.requestTimeout = 120_000
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"id":"bad_request","message":"Malformed HTTP request."}')
  })
  return {server, sockets}
}

/** Listens on host:port; a port in use is said plainly. */
async function listen(server: Server, host: string, port: number | undefined): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port ?? 0, host, () => {
        server.off('error', reject)
        resolve()
      })
    })
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    if (e.code === 'EADDRINUSE') throw new Error(`Port ${port} on ${host} is already in use: choose another --port, or 0 for a free one.`)
    throw error
  }

  return (server.address() as AddressInfo).port
}

/** Opens the store (seeded orgs synced); a bad seed file stops the start before the store is touched (throws SeedError). */
async function openStore(options: EmulatorOptions): Promise<Store> {
  const schema = options.metadata?.length ? loadMetadata(options.metadata) : undefined
  const seed = options.orgData === undefined ? (schema ? {...defaultSeed(), schema} : undefined) : loadSeedFile(options.orgData, schema)
  const store = Store.open(options.dataDir, {reset: options.reset})
  useSeed(store, seed)
  // orgs that exist already take the metadata too
  if (schema) for (const org of store.data.orgs) applySchema(org, schema)
  if (syncOrgs(store.data, store) || schema) await store.flush()
  return store
}

/** Starts the emulator; resolves once it listens. Throws StoreError for data directory problems. */
export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const store = await openStore(options)
  const emu = new EmulatorState(store, options)
  startLogs(store)
  const {server, sockets} = createHttpServer(emu, options)
  const host = options.host ?? '127.0.0.1'
  const port = await listen(server, host, options.port).catch(async error => {
    await store.close()
    throw error
  })
  emu.origin = `http://${host}:${port}`
  emu.hosts = allowedHosts(host, port)
  resumePendingFlows(emu)
  await resumeTargets(emu)

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

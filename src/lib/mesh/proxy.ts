/**
 * The mesh's HTTP server in front of the app, request by request as the production mesh handles it
 * (docs/mesh.md): the request id, the bypass rules (all routes, `bypassRoutes`, the health check),
 * the body read whole, the checks (`validate.ts`), the AppLink call (`authenticate.ts`), then the
 * request forwarded to the app (every header but `x-request-context`, the last of several values,
 * `Host: 127.0.0.1:APP_PORT`) and the app's answer copied back (status, headers with all their
 * values, body). Refusals are written as Go's `http.Error` writes them.
 */
import {randomUUID} from 'node:crypto'
import {Agent, createServer, type IncomingMessage, request, type Server, type ServerResponse} from 'node:http'

import type {Authenticator} from './authenticate.js'
import {goDuration, type MeshLog} from './log.js'
import {validateRequest} from './validate.js'

export interface ProxyOptions {
  appHost: string
  appPort: number
  auth: Authenticator
  bypassAll: boolean
  bypassRoutes: string[]
  healthcheck: {enable: string; route: string}
  log: MeshLog
}

/** True when `path` skips validation and authentication: an exact entry, or an entry ending in `*` that it starts with. */
export function bypassed(path: string, routes: string[], healthcheck: {enable: string; route: string}): boolean {
  for (const route of routes) {
    if (route === path) return true
    if (route.endsWith('*') && path.startsWith(route.slice(0, -1))) return true
  }

  return healthcheck.enable === 'true' && healthcheck.route === path
}

const HOP_BY_HOP = new Set(['connection', 'content-length', 'host', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'])

/** The headers the app receives: each name once with its last value, without `x-request-context` and hop-by-hop headers. */
export function forwardedHeaders(rawHeaders: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  const names: Record<string, string> = {}
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i].toLowerCase()
    if (lower === 'x-request-context' || HOP_BY_HOP.has(lower)) continue
    if (names[lower] !== undefined) delete out[names[lower]]
    names[lower] = rawHeaders[i]
    out[rawHeaders[i]] = rawHeaders[i + 1]
  }

  return out
}

/** The first value of a header, as Go's `Header.Get` reads it. */
function firstHeader(rawHeaders: string[], name: string): string {
  for (let i = 0; i < rawHeaders.length; i += 2) if (rawHeaders[i].toLowerCase() === name) return rawHeaders[i + 1]
  return ''
}

/** Go's `http.Error`: text/plain, nosniff, the text and a newline. */
function httpError(res: ServerResponse, status: number, text: string, extra: string[]): void {
  const body = `${text}\n`
  res.writeHead(status, [...extra, 'Content-Type', 'text/plain; charset=utf-8', 'X-Content-Type-Options', 'nosniff', 'Content-Length', String(Buffer.byteLength(body))])
  res.end(body)
}

const DROPPED_RESPONSE = new Set(['connection', 'keep-alive', 'transfer-encoding'])

export function createMeshServer(options: ProxyOptions): Server {
  const {log} = options
  const agent = new Agent({keepAlive: true})
  const server = createServer((req, res) => {
    handle(req, res).catch(error => {
      log.error(`Failed to handle request: ${(error as Error).message}`)
      if (!res.headersSent) httpError(res, 500, 'Internal Server Error', [])
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = process.hrtime.bigint()
    const raw = req.rawHeaders
    let requestId = firstHeader(raw, 'x-request-id')
    const extra: string[] = []
    if (!requestId) {
      requestId = randomUUID()
      extra.push('X-Request-Id', requestId)
      log.warn('Generated x-request-id header', requestId)
    }

    let bytes = 0
    res.on('finish', () => {
      log.access({bytes, durationNs: process.hrtime.bigint() - started, host: req.headers.host ?? '', httpVersion: req.httpVersion, method: req.method ?? '', remote: `${req.socket.remoteAddress}:${req.socket.remotePort}`, requestId, status: res.statusCode, url: req.url ?? ''})
      log.debug(`Heroku AppLink Service Mesh took ${goDuration(process.hrtime.bigint() - started)}`, requestId)
    })
    const fail = (status: number, text: string) => {
      bytes = Buffer.byteLength(text) + 1
      httpError(res, status, text, extra)
    }

    const target = new URL(req.url ?? '/', 'http://mesh')
    const path = target.pathname
    log.info(`Processing request to ${path}...`, requestId)
    let bypass = false
    if (options.bypassAll) {
      log.warn('Bypassing authentication and validation for ALL routes', requestId)
      bypass = true
    } else if (bypassed(path, options.bypassRoutes, options.healthcheck)) {
      bypass = true
    }

    if (bypass) log.warn(`Bypassing validation and authentication for route ${path}`, requestId)
    let body: Buffer
    try {
      body = await readBody(req)
    } catch (error) {
      return fail(400, (error as Error).message)
    }

    if (!bypass) {
      log.info('Validating request...', requestId)
      if (log.enabled('DEBUG')) log.debug(`Headers: ${JSON.stringify(headerDump(raw))}`, requestId)
      const get = (name: string) => firstHeader(raw, name)
      const check = validateRequest(get, requestId)
      if (check.kind === 'reject') {
        for (const line of check.logs) log.error(line, requestId)
        return fail(check.status, check.body)
      }

      const authStarted = process.hrtime.bigint()
      let outcome
      if (check.kind === 'salesforce') {
        log.info('Valid request!', requestId)
        log.info('Found Salesforce request', requestId)
        log.info(`Authenticating Salesforce request for org ${check.context.orgId}, domain ${check.context.orgDomainUrl}...`, requestId)
        outcome = await options.auth.salesforce(check.context, requestId)
      } else {
        log.info('Found Data Action Target request', requestId)
        const apiName = target.searchParams.get('apiName') ?? ''
        const orgId = target.searchParams.get('orgId') ?? ''
        log.info(`Authenticating Data Action Target '${apiName}' request from org ${orgId} with payload length ${body.length}...`, requestId)
        outcome = await options.auth.dataAction(apiName, orgId, check.signature, body, requestId)
      }

      log.debug(`AppLink authentication took ${goDuration(process.hrtime.bigint() - authStarted)}`, requestId)
      if (!outcome.ok) {
        log.line(outcome.log.level, outcome.log.text, requestId)
        return fail(outcome.status, outcome.body)
      }

      log.info('Authenticated request!', requestId)
    }

    // the production mesh's line carries the request id only
    log.line('INFO', 'Forwarding request...', requestId, [], true)
    const headers = forwardedHeaders(raw)
    headers.Host = `${options.appHost.includes(':') ? `[${options.appHost}]` : options.appHost}:${options.appPort}`
    if (body.length > 0 || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(req.method ?? '')) headers['Content-Length'] = String(body.length)
    await new Promise<void>(resolve => {
      const out = request({agent, headers, host: options.appHost, method: req.method, path: req.url, port: options.appPort}, appRes => {
        const copied: string[] = [...extra]
        const appRaw = appRes.rawHeaders
        for (let i = 0; i < appRaw.length; i += 2) if (!DROPPED_RESPONSE.has(appRaw[i].toLowerCase())) copied.push(appRaw[i], appRaw[i + 1])
        res.writeHead(appRes.statusCode ?? 502, appRes.statusMessage, copied)
        appRes.on('data', (c: Buffer) => {
          bytes += c.length
          res.write(c)
        })
        appRes.on('end', () => {
          res.end()
          resolve()
        })
        appRes.on('error', () => {
          res.destroy()
          resolve()
        })
      })
      out.on('error', error => {
        if (res.headersSent) {
          res.destroy()
        } else {
          log.error(`Failed to forward request: ${req.method} "http://${headers.Host}${req.url}": ${(error as Error).message}`, requestId)
          fail(502, `Failed to forward request ${requestId}`)
        }

        resolve()
      })
      out.end(body)
    })
  }

  server.on('close', () => {
    agent.destroy()
    options.auth.close()
  })
  return server
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** The headers for the debug dump, the two context headers and the signature shown by length only (they carry the user's session). */
function headerDump(raw: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase()
    const secret = ['authorization', 'cookie', 'x-client-context', 'x-request-context', 'x-signature'].includes(name)
    ;(out[raw[i]] ??= []).push(secret ? `[REDACTED, ${raw[i + 1].length} characters]` : raw[i + 1])
  }

  return out
}

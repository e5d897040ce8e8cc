/**
 * One HTTP exchange over node:http/https: a whole-request timeout, proxies from the environment
 * (`proxy.ts`), and redacted debug traces (`debug.ts`). Whether to send a request again is the
 * retry policy's call (`retry.ts`), made by the AppLink client and by the Platform API wrapper
 * (`platform-resilience.ts`).
 */
import type {Agent, ClientRequest, request as httpRequest, IncomingHttpHeaders, IncomingMessage} from 'node:http'

import {debugEnabled, debugLog} from './debug.js'
import {proxyAgentFor} from './proxy.js'
import {redactBody, redactHeaders, redactUrl} from './redact.js'

export interface HttpRequest {
  body?: Buffer | string
  headers: Record<string, string>
  /** when set, the body is written in chunks and this is called with the bytes written so far */
  onProgress?: (sent: number, total: number) => void
  method: 'DELETE' | 'GET' | 'HEAD' | 'OPTIONS' | 'PATCH' | 'POST' | 'PUT' | 'TRACE'
  /** whole exchange, from connect to the last body byte */
  timeoutMs: number
  url: URL
}

export interface HttpResponse {
  body: Buffer
  headers: IncomingHttpHeaders
  status: number
  /** the proxy the request went through (credentials removed), if any */
  proxy?: string
}

/**
 * A failure before a complete response arrived. `sent` is false only when the request certainly
 * never reached the server (connection refused, name not resolved, no connection made in time).
 */
export class NetworkError extends Error {
  readonly code: string
  readonly host: string
  readonly sent: boolean

  constructor(message: string, code: string, host: string, sent: boolean) {
    super(message)
    this.name = 'NetworkError'
    this.code = code
    this.host = host
    this.sent = sent
  }
}

export const DEFAULT_TIMEOUT_SECONDS = 30

/** Per-request timeout: APPLINK_HTTP_TIMEOUT seconds (decimals allowed), default 30 s. */
export function defaultTimeoutMs(): number {
  const raw = process.env.APPLINK_HTTP_TIMEOUT
  const fromEnv = raw === undefined || raw.trim() === '' ? Number.NaN : Number(raw)
  return Number.isFinite(fromEnv) && fromEnv > 0 ? Math.round(fromEnv * 1000) : DEFAULT_TIMEOUT_SECONDS * 1000
}

/** What to try after a network failure: more time (after a timeout), then the network and proxy settings. */
export function networkHints(timedOut: boolean, timeoutMs: number): string[] {
  return [
    ...(timedOut ? [`Allow more time with APPLINK_HTTP_TIMEOUT=SECONDS (now ${timeoutMs / 1000}).`] : []),
    'Check your network connection and proxy settings (HTTPS_PROXY, NO_PROXY), then try again.',
  ]
}

/** The failure of a network error `code`, after the host's name: `refused the connection`, … */
export function describeCode(code: string): string {
  switch (code) {
  case 'ECONNREFUSED': {
    return 'refused the connection'
  }

  case 'ENOTFOUND':
  case 'EAI_AGAIN': {
    return 'could not be resolved'
  }

  case 'ECONNRESET':
  case 'EPIPE': {
    return 'reset the connection'
  }

  case 'EHOSTUNREACH':
  case 'ENETUNREACH':
  case 'ENETDOWN': {
    return 'is unreachable'
  }

  default: {
    return `failed (${code})`
  }
  }
}

/** Sends `req` once, through its proxy if any, tracing it when debugging; any status is a response. */
export async function send(req: HttpRequest): Promise<HttpResponse> {
  const {url} = req
  // the module object itself, not its ESM namespace: the namespace's bindings can lag behind the
  // module when a tool (e.g. an HTTP mock) patches and restores `request`
  const mod = url.protocol === 'https:' ? (await import('node:https')).default : (await import('node:http')).default
  const viaProxy = await proxyAgentFor(url)
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body
  const headers: Record<string, string> = {...req.headers}
  if (body) headers['content-length'] = String(body.length)
  traceRequest(req.method, url, headers, body)
  return exchange({...req, body, headers}, mod, viaProxy)
}

/** Sends the prepared request and settles once: with the whole response, or with a NetworkError. */
function exchange(req: HttpRequest & {body?: Buffer}, mod: {request: typeof httpRequest}, viaProxy: {agent: Agent; proxy: string} | undefined): Promise<HttpResponse> {
  const {url} = req
  const started = Date.now()
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false
    // whether a connection to the server (or the proxy) was made: before that, nothing was sent
    let connected = false
    const settle = (): boolean => {
      if (settled) return false
      settled = true
      clearTimeout(timer)
      return true
    }

    const fail = (err: NetworkError) => {
      if (!settle()) return
      debugLog(`<-- ${req.method} ${url.pathname} failed: ${err.code} after ${Date.now() - started} ms`)
      request.destroy()
      reject(err)
    }

    const request = mod.request(url, {agent: viaProxy?.agent, headers: req.headers, method: req.method}, res => readResponse(res, url.host, fail, responseBody => {
      if (!settle()) return
      traceResponse(req.method, url, res, responseBody, started)
      resolve({body: responseBody, headers: res.headers, proxy: viaProxy?.proxy, status: res.statusCode ?? 0})
    }))
    request.on('socket', socket => {
      if (socket.connecting) socket.once('connect', () => {
        connected = true
      })
      else connected = true
    })
    const timer = setTimeout(() => fail(timedOut(url, req.timeoutMs, connected)), req.timeoutMs)
    request.on('error', (e: NodeJS.ErrnoException) => fail(requestFailed(url, e.code ?? 'ENETWORK', connected)))
    if (req.body && req.onProgress) writeInChunks(request, req.body, req.onProgress)
    else request.end(req.body)
  })
}

/** Collects the body; `done` gets it when it arrived whole, `fail` a NetworkError when it was cut off. */
function readResponse(res: IncomingMessage, host: string, fail: (err: NetworkError) => void, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = []
  const cutOff = (code = 'ECONNRESET', detail = '') => fail(new NetworkError(`${host} closed the connection before the response was complete${detail}`, code, host, true))
  res.on('data', (c: Buffer) => chunks.push(c))
  res.on('error', e => {
    const code = (e as NodeJS.ErrnoException).code ?? 'ECONNRESET'
    cutOff(code, ` (${code})`)
  })
  res.on('aborted', () => cutOff())
  res.on('end', () => (res.complete ? done(Buffer.concat(chunks)) : cutOff()))
}

function timedOut(url: URL, timeoutMs: number, connected: boolean): NetworkError {
  const seconds = timeoutMs / 1000
  const shown = seconds >= 1 ? `${Math.round(seconds)} s` : `${timeoutMs} ms`
  return new NetworkError(`no response from ${url.host} within ${shown}`, 'ETIMEDOUT', url.host, connected)
}

function requestFailed(url: URL, code: string, connected: boolean): NetworkError {
  // refused, unresolvable or never connected: the request did not reach the server
  const sent = connected && !['EAI_AGAIN', 'ECONNREFUSED', 'ENOTFOUND'].includes(code)
  return new NetworkError(`${url.host} ${describeCode(code)}`, code, url.host, sent)
}

function traceRequest(method: string, url: URL, headers: Record<string, string>, body: Buffer | undefined): void {
  if (!debugEnabled()) return
  debugLog(`--> ${method} ${redactUrl(url.toString())} ${JSON.stringify(redactHeaders(headers))}`)
  if (body) {
    const type = headers['content-type'] ?? ''
    debugLog(`--> body ${type.startsWith('application/json') ? redactBody(body.toString('utf8')) : `(${body.length} bytes of ${type.split(';')[0] || 'data'})`}`)
  }
}

function traceResponse(method: string, url: URL, res: IncomingMessage, body: Buffer, started: number): void {
  if (!debugEnabled()) return
  debugLog(`<-- ${res.statusCode} ${method} ${url.pathname} (${Date.now() - started} ms) ${JSON.stringify(redactHeaders(res.headers as Record<string, unknown>))}`)
  if (body.length > 0) debugLog(`<-- body ${redactBody(body.toString('utf8')).slice(0, 4000)}`)
}

/** Writes `body` in 64 KiB chunks, waiting for the socket to drain, reporting the bytes written. */
function writeInChunks(request: ClientRequest, body: Buffer, onProgress: (sent: number, total: number) => void): void {
  const chunk = 64 * 1024
  let offset = 0
  const next = (): void => {
    while (offset < body.length) {
      const end = Math.min(offset + chunk, body.length)
      const flushed = request.write(body.subarray(offset, end))
      offset = end
      onProgress(offset, body.length)
      if (!flushed && !request.destroyed) {
        request.once('drain', next)
        return
      }
    }

    request.end()
  }

  next()
}

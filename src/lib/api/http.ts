/**
 * One HTTP exchange over node:http/https: a whole-request timeout, proxies from the environment
 * (HTTPS_PROXY / HTTP_PROXY / NO_PROXY), and redacted debug traces. Whether to send a request
 * again is the retry policy's call (`retry.ts`), made by the AppLink client and by the Platform API
 * wrapper below.
 *
 * Also home of the debug switches: `DEBUG=*` (or any list naming `applink`), `HEROKU_DEBUG=1`;
 * `guardPlatformDebug()` makes the Heroku Platform API client's own debug output safe to share.
 */
import type {Agent, ClientRequest, IncomingHttpHeaders} from 'node:http'

import {AppLinkError} from './errors.js'
import {MAX_RESPONSE_DEPTH, nestsDeeperThan} from './json-depth.js'
import {maskKnownSecrets, REDACTED, redactBody, redactHeaders, redactJson, redactText, redactUrl} from './redact.js'
import {DEFAULT_RETRIES, looksLikeHtml, retryDelay, sleep as sleepMs} from './retry.js'
import {writeTrace} from './trace.js'

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

function truthy(value: string | undefined): boolean {
  return value === '1' || value?.toLowerCase() === 'true'
}

/** True with HEROKU_DEBUG=1|true, APPLINK_DEBUG=1|true, DEBUG=* or a DEBUG list naming applink (`applink`, `applink*`). */
export function debugEnabled(): boolean {
  const d = process.env.DEBUG ?? ''
  return truthy(process.env.HEROKU_DEBUG) || truthy(process.env.APPLINK_DEBUG) || d.split(/[\s,]+/).some(ns => ns === '*' || ns.startsWith('applink'))
}

/** Writes one debug line to stderr, after masking every secret it could hold. */
export function debugLog(line: string): void {
  if (debugEnabled()) writeTrace(`applink ${redactText(line)}\n`)
}

const proxyAgents = new Map<string, Agent>()

/** The proxy for `url` per HTTPS_PROXY / HTTP_PROXY / NO_PROXY (either case), as proxy-from-env reads them. */
export async function proxyFor(url: URL): Promise<string | undefined> {
  const hasProxyEnv = ['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy'].some(k => process.env[k])
  if (!hasProxyEnv) return undefined
  const {getProxyForUrl} = await import('proxy-from-env')
  return getProxyForUrl(url.toString()) || undefined
}

async function proxyAgentFor(url: URL): Promise<{agent: Agent; proxy: string} | undefined> {
  const proxy = await proxyFor(url)
  if (!proxy) return undefined
  const key = `${url.protocol}${proxy}`
  let agent = proxyAgents.get(key)
  if (!agent) {
    if (url.protocol === 'https:') {
      const {HttpsProxyAgent} = await import('https-proxy-agent')
      agent = new HttpsProxyAgent(proxy)
    } else {
      const {HttpProxyAgent} = await import('http-proxy-agent')
      agent = new HttpProxyAgent(proxy)
    }

    proxyAgents.set(key, agent)
  }

  const shown = redactUrl(proxy).replace(/\/$/, '')
  debugLog(`via proxy ${shown}`)
  return {agent, proxy: shown}
}

function describeCode(code: string): string {
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

export async function send(req: HttpRequest): Promise<HttpResponse> {
  const {url} = req
  // the module object itself, not its ESM namespace: the namespace's bindings can lag behind the
  // module when a tool (e.g. an HTTP mock) patches and restores `request`
  const mod = url.protocol === 'https:' ? (await import('node:https')).default : (await import('node:http')).default
  const viaProxy = await proxyAgentFor(url)
  const agent = viaProxy?.agent
  const body = typeof req.body === 'string' ? Buffer.from(req.body) : req.body
  const headers: Record<string, string> = {...req.headers}
  if (body) headers['content-length'] = String(body.length)

  const debug = debugEnabled()
  if (debug) {
    debugLog(`--> ${req.method} ${redactUrl(url.toString())} ${JSON.stringify(redactHeaders(headers))}`)
    if (body) {
      const type = headers['content-type'] ?? ''
      debugLog(`--> body ${type.startsWith('application/json') ? redactBody(body.toString('utf8')) : `(${body.length} bytes of ${type.split(';')[0] || 'data'})`}`)
    }
  }

  const started = Date.now()
  return new Promise<HttpResponse>((resolve, reject) => {
    let settled = false
    // whether a connection to the server (or the proxy) was made: before that, nothing was sent
    let connected = false
    const fail = (err: NetworkError) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      debugLog(`<-- ${req.method} ${url.pathname} failed: ${err.code} after ${Date.now() - started} ms`)
      request.destroy()
      reject(err)
    }

    const request = mod.request(url, {agent, headers, method: req.method}, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', e => {
        const code = (e as NodeJS.ErrnoException).code ?? 'ECONNRESET'
        fail(new NetworkError(`${url.host} closed the connection before the response was complete (${code})`, code, url.host, true))
      })
      res.on('aborted', () => fail(new NetworkError(`${url.host} closed the connection before the response was complete`, 'ECONNRESET', url.host, true)))
      res.on('end', () => {
        if (settled) return
        if (!res.complete) {
          fail(new NetworkError(`${url.host} closed the connection before the response was complete`, 'ECONNRESET', url.host, true))
          return
        }

        settled = true
        clearTimeout(timer)
        const responseBody = Buffer.concat(chunks)
        if (debugEnabled()) {
          debugLog(`<-- ${res.statusCode} ${req.method} ${url.pathname} (${Date.now() - started} ms) ${JSON.stringify(redactHeaders(res.headers as Record<string, unknown>))}`)
          if (responseBody.length > 0) debugLog(`<-- body ${redactBody(responseBody.toString('utf8')).slice(0, 4000)}`)
        }

        resolve({body: responseBody, headers: res.headers, proxy: viaProxy?.proxy, status: res.statusCode ?? 0})
      })
    })
    request.on('socket', socket => {
      if (socket.connecting) socket.once('connect', () => {
        connected = true
      })
      else connected = true
    })
    const timer = setTimeout(() => {
      const seconds = req.timeoutMs / 1000
      const shown = seconds >= 1 ? `${Math.round(seconds)} s` : `${req.timeoutMs} ms`
      fail(new NetworkError(`no response from ${url.host} within ${shown}`, 'ETIMEDOUT', url.host, connected))
    }, req.timeoutMs)
    request.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code ?? 'ENETWORK'
      // refused, unresolvable or never connected: the request did not reach the server
      const sent = connected && !['EAI_AGAIN', 'ECONNREFUSED', 'ENOTFOUND'].includes(code)
      fail(new NetworkError(`${url.host} ${describeCode(code)}`, code, url.host, sent))
    })
    if (body && req.onProgress) writeInChunks(request, body, req.onProgress)
    else request.end(body)
  })
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

// --- the Heroku Platform API client's debug output ---

let platformDebugGuarded = false

/** A Platform API response body as it may be shown in debug output. */
export function redactPlatformBody(path: string, body: unknown): unknown {
  const p = path.split('?')[0]
  if (/\/sso$/.test(p)) return REDACTED
  if (/\/config-vars$/.test(p) && body && typeof body === 'object' && !Array.isArray(body)) {
    // config var values are credentials more often than not (tokens, database URLs): keep the names only
    return Object.fromEntries(Object.keys(body).map(k => [k, REDACTED]))
  }

  if (typeof body === 'string') return redactText(body)
  return redactJson(body)
}

/**
 * `@heroku-cli/command`'s API client (over `@heroku/http-call`) prints whole response bodies when
 * debugging (`DEBUG=*`, `DEBUG=http`, `HEROKU_DEBUG=1`): the config-vars body holds the AppLink
 * token. Before it is used, make its debug output safe: bodies are redacted (config var values and
 * the SSO payload hidden), secret headers always masked, and every line passes through
 * `redactText`. Costs nothing when no debug switch is set.
 */
export async function guardPlatformDebug(): Promise<void> {
  if (platformDebugGuarded) return
  if (!process.env.DEBUG && !truthy(process.env.HEROKU_DEBUG) && !truthy(process.env.HEROKU_DEBUG_HEADERS)) return
  platformDebugGuarded = true
  try {
    const {createRequire} = await import('node:module')
    const fromHere = createRequire(import.meta.url)
    const commandEntry = fromHere.resolve('@heroku-cli/command')
    const fromCommand = createRequire(commandEntry)
    const httpCallEntry = fromCommand.resolve('@heroku/http-call')
    const {HTTP} = fromCommand(httpCallEntry) as {HTTP: {prototype: Record<string, unknown>}}
    const proto = HTTP.prototype as Record<string, unknown> & {body?: unknown; options?: {path?: string}; url?: string}
    const debugResponse = proto._debugResponse as ((this: typeof proto) => void) | undefined
    if (typeof debugResponse === 'function') {
      proto._debugResponse = function (this: typeof proto) {
        const original = this.body
        this.body = redactPlatformBody(String(this.options?.path ?? this.url ?? ''), original)
        try {
          debugResponse.call(this)
        } finally {
          this.body = original
        }
      }
    }

    const renderHeaders = proto._renderHeaders as ((this: unknown, headers: Record<string, unknown>) => string) | undefined
    if (typeof renderHeaders === 'function') {
      proto._renderHeaders = function (this: unknown, headers: Record<string, unknown>) {
        return renderHeaders.call(this, redactHeaders(headers ?? {}))
      }
    }

    // last line of defence: whatever the `debug` module prints for http-call goes through redactText
    const debugModule = createRequire(httpCallEntry)('debug') as {formatArgs?: unknown; inspectOpts?: object; log?: (...args: unknown[]) => void}
    const {formatWithOptions} = await import('node:util')
    debugModule.log = (...args: unknown[]) => {
      writeTrace(redactText(formatWithOptions(debugModule.inspectOpts ?? {}, ...args)) + '\n')
    }
  } catch (error) {
    // a different version of the client: fall back to masking the values known so far
    writeTrace(maskKnownSecrets(`applink could not guard the Heroku API client's debug output (${(error as Error).message}); its bodies are not shown redacted\n`))
  }
}

// --- the Heroku Platform API: timeouts, retries and clear errors around @heroku-cli/command ---

/** The slice of `@heroku-cli/command`'s APIClient that add-on resolution uses (see src/lib/api/addon.ts). */
export interface PlatformGet {
  get<T>(url: string, options?: {headers?: Record<string, string>}): Promise<{body: T}>
}

interface PlatformFailure {
  body?: unknown
  code?: string
  http?: {headers?: Record<string, string | string[] | undefined>; statusCode?: number}
  message?: string
  name?: string
}

/** Platform API paths whose answer is a list; every other one answers an object. */
function platformExpectsList(path: string): boolean {
  return /\/(addons|addon-attachments)$/.test(path.split('?')[0])
}

export interface ResilienceOptions {
  retries?: number
  sleep?: (ms: number) => Promise<void>
  host?: string
}

/**
 * Wraps the Platform API client for add-on resolution (all GETs): the per-request timeout of
 * APPLINK_HTTP_TIMEOUT instead of its fixed 60 s, retries as the retry policy says (429 with
 * Retry-After, 502/503/504, timeouts; the client already retries other network errors itself), and
 * AppLinkErrors that name the request for timeouts, network failures, HTML or malformed answers.
 */
export function resilientPlatformApi(api: PlatformGet, options: ResilienceOptions = {}): PlatformGet {
  const maxAttempts = 1 + Math.max(0, options.retries ?? DEFAULT_RETRIES)
  const sleep = options.sleep ?? sleepMs
  return {
    async get<T>(url: string, requestOptions: {headers?: Record<string, string>} = {}): Promise<{body: T}> {
      const label = `GET ${url.split('?')[0]}`
      const host = options.host ?? 'the Heroku API'
      for (let attempt = 1; ; attempt++) {
        let response: {body: T}
        try {
          response = await platformGetWithin(api, url, requestOptions, defaultTimeoutMs())
        } catch (error) {
          const e = error as PlatformFailure
          const status = e.http?.statusCode
          if (status !== undefined) {
            const wait = retryDelay('GET', {headers: e.http?.headers, status}, attempt, maxAttempts)
            if (wait !== undefined) {
              await sleep(wait)
              continue
            }

            const body = e.body as {message?: unknown} | undefined
            // a JSON error with a message: the base command renders it (with its hints)
            if (body && typeof body === 'object' && typeof body.message === 'string') throw error
            const html = typeof e.body === 'string' && looksLikeHtml(e.body)
            throw new AppLinkError(`${label} failed with HTTP ${status}${html ? ' (the response was an HTML page, not JSON)' : ''}.`, {
              hints: status >= 500 || status === 429 ? ['The Heroku API (or a proxy in between) may be having trouble; try again in a minute.'] : [],
              id: status === 429 ? 'rate_limited' : status >= 500 ? 'service_unavailable' : 'platform_api_error',
              request: label,
              status,
            })
          }

          if (e.name === 'SyntaxError') {
            throw new AppLinkError(`${label} returned a response that is not valid JSON.`, {
              hints: ['The Heroku API (or a proxy in between) may be having trouble; try again in a minute.'],
              id: 'invalid_response',
              request: label,
            })
          }

          const timedOut = e.message === 'Request timed out' || e.code === 'ETIMEDOUT'
          // only timeouts: the client has already retried every other network error it could
          const wait = timedOut ? retryDelay('GET', {code: 'ETIMEDOUT', sent: true}, attempt, maxAttempts) : undefined
          if (wait !== undefined) {
            await sleep(wait)
            continue
          }

          if (timedOut || e.code) {
            throw new AppLinkError(timedOut
              ? `${label} timed out: no response from ${host} within ${defaultTimeoutMs() / 1000} s.`
              : `${label} failed: ${host} ${describeCode(e.code as string)}.`, {
              hints: [
                ...(timedOut ? [`Allow more time with APPLINK_HTTP_TIMEOUT=SECONDS (now ${defaultTimeoutMs() / 1000}).`] : []),
                'Check your network connection and proxy settings (HTTPS_PROXY, NO_PROXY), then try again.',
              ],
              id: timedOut ? 'timeout' : 'network_error',
              request: label,
            })
          }

          throw error
        }

        const {body} = response
        const expectList = platformExpectsList(url)
        const ok = expectList ? Array.isArray(body) : body !== null && typeof body === 'object' && !Array.isArray(body)
        // every item of a list is read as an object (add-ons, attachments)
        const badItem = ok && Array.isArray(body) ? body.findIndex(item => item === null || typeof item !== 'object' || Array.isArray(item)) : -1
        const deep = ok && badItem === -1 && nestsDeeperThan(body, MAX_RESPONSE_DEPTH)
        if (!ok || badItem !== -1 || deep) {
          const shape = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`)
          const got = typeof body === 'string' ? (looksLikeHtml(body) ? 'an HTML page' : 'text, not JSON') : Array.isArray(body) ? 'a list' : body === null || body === undefined ? 'an empty body' : `a ${typeof body}`
          const problem = deep ? `it nests more than ${MAX_RESPONSE_DEPTH} levels deep` : ok ? `expected a list of objects, item ${badItem + 1} is ${shape((body as unknown[])[badItem])}` : `expected ${expectList ? 'a list' : 'an object'}, got ${got}`
          throw new AppLinkError(`${label} returned an unexpected response: ${problem}.`, {
            hints: ['The Heroku API (or a proxy in between) may be having trouble; try again in a minute.'],
            id: 'invalid_response',
            request: label,
          })
        }

        return response
      }
    },
  }
}

/** Calls waiting on Platform API requests, by path (with query): told of each request that starts. */
const platformWatchers = new Map<string, (request: ClientRequest) => void>()
let watching: Promise<void> | undefined

/**
 * Node announces every client request on the `http.client.request.start` diagnostics channel: the
 * API client hides its requests (and its own retries), and this is how each one is timed and stopped.
 * Every caller waits for the one subscription: a request sent before it would go untimed.
 */
function watchPlatformRequests(): Promise<void> {
  watching ??= import('node:diagnostics_channel').then(({subscribe}) => {
    subscribe('http.client.request.start', message => {
      const {request} = message as {request: ClientRequest}
      platformWatchers.get(request.path)?.(request)
    })
  })
  return watching
}

/**
 * One Platform API GET in which every HTTP request ends within `ms`, from connect to the last body
 * byte. The client's own `timeout` is an idle timeout (a server that sends a byte now and then keeps
 * it waiting forever): past `ms` the request is destroyed with an error the client does not retry,
 * and this rejects like the client's own timeout. The client's retries of network errors each get
 * a full `ms` (the waits between them are bounded by the client: at most 5 retries, about 6 s).
 */
async function platformGetWithin<T>(api: PlatformGet, url: string, options: {headers?: Record<string, string>}, ms: number): Promise<{body: T}> {
  await watchPlatformRequests()
  let timer: NodeJS.Timeout | undefined
  let fail: (error: Error) => void = () => {}
  const deadline = new Promise<never>((_resolve, reject) => {
    fail = reject
  })
  // each request is timed from its start to its end; the client's waits between retries are its own
  const startTimer = (request: ClientRequest) => {
    clearTimeout(timer)
    const own = setTimeout(() => {
      // an error without a code: the client's retry-on-network-error leaves it alone
      request.destroy(new Error('whole-request timeout'))
      fail(Object.assign(new Error('Request timed out'), {code: 'ETIMEDOUT'}))
    }, ms)
    timer = own
    request.once('close', () => clearTimeout(own))
  }

  platformWatchers.set(url, startTimer)
  const call = api.get<T>(url, {...options, timeout: ms} as {headers?: Record<string, string>})
  call.catch(() => {})
  try {
    return await Promise.race([call, deadline])
  } finally {
    clearTimeout(timer)
    if (platformWatchers.get(url) === startTimer) platformWatchers.delete(url)
  }
}

// --- NODE_DEBUG=http ---

let nodeDebugGuarded = false

/** True when NODE_DEBUG (a comma-separated list, `*` wildcards allowed) turns on node's http or https trace. */
export function nodeDebugTracesHttp(value = process.env.NODE_DEBUG ?? ''): boolean {
  return value.split(',').map(s => s.trim()).filter(Boolean).some(entry => {
    const pattern = new RegExp(`^${entry.replaceAll(/[.+?^${}()|[\]\\]/g, String.raw`\$&`).replaceAll('*', '.*')}$`, 'i')
    return pattern.test('http') || pattern.test('https')
  })
}

/**
 * With NODE_DEBUG=http, node's HTTP agent prints the options of each new connection, request
 * headers included: the Heroku API key and the AppLink token in `authorization`. A connection needs
 * no headers, so while that trace is on the agents are given the options without them.
 */
export async function guardNodeDebug(): Promise<void> {
  if (nodeDebugGuarded || !nodeDebugTracesHttp()) return
  nodeDebugGuarded = true
  const {Agent} = (await import('node:http')).default
  const proto = Agent.prototype as unknown as {addRequest: (req: unknown, options: unknown, ...rest: unknown[]) => unknown}
  const addRequest = proto.addRequest
  proto.addRequest = function (this: unknown, req: unknown, options: unknown, ...rest: unknown[]) {
    if (options && typeof options === 'object' && 'headers' in options) {
      const connection: Record<string, unknown> = {...options}
      delete connection.headers
      return addRequest.call(this, req, connection, ...rest)
    }

    return addRequest.call(this, req, options, ...rest)
  }
}

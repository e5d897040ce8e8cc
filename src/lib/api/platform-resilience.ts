/**
 * The Heroku Platform API reads of add-on resolution, made resilient: around either client (the
 * fast one of `platform.ts` or `@heroku-cli/command`'s APIClient), the per-request timeout of
 * APPLINK_HTTP_TIMEOUT, retries as the one retry policy (`retry.ts`) says, and AppLinkErrors that
 * name the request.
 */
import type {ClientRequest} from 'node:http'

import type {PlatformApi} from './addon.js'
import {invalidResponse} from './decode.js'
import {AppLinkError} from './errors.js'
import {defaultTimeoutMs, describeCode, networkHints} from './http.js'
import {MAX_RESPONSE_DEPTH, nestsDeeperThan} from './json-depth.js'
import {DEFAULT_RETRIES, looksLikeHtml, retryDelay, sleep as sleepMs} from './retry.js'

/** How the Platform API clients fail: a status with headers and body, a network code, or a parse error. */
interface PlatformFailure {
  body?: unknown
  code?: string
  http?: {headers?: Record<string, string | string[] | undefined>; statusCode?: number}
  message?: string
  name?: string
}

export interface ResilienceOptions {
  retries?: number
  sleep?: (ms: number) => Promise<void>
  host?: string
}

const TROUBLE_HINT = 'The Heroku API (or a proxy in between) may be having trouble; try again in a minute.'

/**
 * Wraps the Platform API client for add-on resolution (all GETs): the per-request timeout of
 * APPLINK_HTTP_TIMEOUT instead of its fixed 60 s, retries as the retry policy says (429 with
 * Retry-After, 502/503/504, timeouts; the client already retries other network errors itself), and
 * AppLinkErrors that name the request for timeouts, network failures, HTML or malformed answers.
 */
export function resilientPlatformApi(api: PlatformApi, options: ResilienceOptions = {}): PlatformApi {
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
          const wait = failureRetryDelay(error as PlatformFailure, attempt, maxAttempts)
          if (wait === undefined) throw platformError(error, label, host)
          await sleep(wait)
          continue
        }

        assertPlatformShape(response.body, url, label)
        return response
      }
    },
  }
}

function timedOut(e: PlatformFailure): boolean {
  return e.message === 'Request timed out' || e.code === 'ETIMEDOUT'
}

/** The retry policy's wait after a failed read, or undefined when it is final. */
function failureRetryDelay(e: PlatformFailure, attempt: number, maxAttempts: number): number | undefined {
  const status = e.http?.statusCode
  if (status !== undefined) return retryDelay('GET', {headers: e.http?.headers, status}, attempt, maxAttempts)
  // only timeouts: the client has already retried every other network error it could
  if (e.name === 'SyntaxError' || !timedOut(e)) return undefined
  return retryDelay('GET', {code: 'ETIMEDOUT', sent: true}, attempt, maxAttempts)
}

/** What a final failure is reported as: an AppLinkError naming the request, or the client's own error. */
function platformError(error: unknown, label: string, host: string): unknown {
  const e = error as PlatformFailure
  const status = e.http?.statusCode
  if (status !== undefined) {
    const body = e.body as {message?: unknown} | undefined
    // a JSON error with a message: the base command renders it (with its hints)
    if (body && typeof body === 'object' && typeof body.message === 'string') return error
    const html = typeof e.body === 'string' && looksLikeHtml(e.body)
    return new AppLinkError(`${label} failed with HTTP ${status}${html ? ' (the response was an HTML page, not JSON)' : ''}.`, {
      hints: status >= 500 || status === 429 ? [TROUBLE_HINT] : [],
      id: status === 429 ? 'rate_limited' : status >= 500 ? 'service_unavailable' : 'platform_api_error',
      request: label,
      status,
    })
  }

  if (e.name === 'SyntaxError') return invalidResponse(label, 'a response that is not valid JSON', TROUBLE_HINT)
  if (!timedOut(e) && !e.code) return error
  const ms = defaultTimeoutMs()
  return new AppLinkError(timedOut(e) ? `${label} timed out: no response from ${host} within ${ms / 1000} s.` : `${label} failed: ${host} ${describeCode(e.code as string)}.`, {
    hints: networkHints(timedOut(e), ms),
    id: timedOut(e) ? 'timeout' : 'network_error',
    request: label,
  })
}

/** Platform API paths whose answer is a list; every other one answers an object. */
function platformExpectsList(path: string): boolean {
  return /\/(addons|addon-attachments)$/.test(path.split('?')[0])
}

/** Throws `invalid_response` unless the body is the list of objects, or the object, that `url` answers. */
function assertPlatformShape(body: unknown, url: string, label: string): void {
  const expectList = platformExpectsList(url)
  const ok = expectList ? Array.isArray(body) : body !== null && typeof body === 'object' && !Array.isArray(body)
  // every item of a list is read as an object (add-ons, attachments)
  const badItem = ok && Array.isArray(body) ? body.findIndex(item => item === null || typeof item !== 'object' || Array.isArray(item)) : -1
  const deep = ok && badItem === -1 && nestsDeeperThan(body, MAX_RESPONSE_DEPTH)
  if (ok && badItem === -1 && !deep) return
  const shape = (v: unknown) => (Array.isArray(v) ? 'a list' : v === null ? 'null' : `a ${typeof v}`)
  const got = typeof body === 'string' ? (looksLikeHtml(body) ? 'an HTML page' : 'text, not JSON') : Array.isArray(body) ? 'a list' : body === null || body === undefined ? 'an empty body' : `a ${typeof body}`
  const problem = deep ? `it nests more than ${MAX_RESPONSE_DEPTH} levels deep` : ok ? `expected a list of objects, item ${badItem + 1} is ${shape((body as unknown[])[badItem])}` : `expected ${expectList ? 'a list' : 'an object'}, got ${got}`
  throw invalidResponse(label, `an unexpected response: ${problem}`, TROUBLE_HINT)
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
async function platformGetWithin<T>(api: PlatformApi, url: string, options: {headers?: Record<string, string>}, ms: number): Promise<{body: T}> {
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

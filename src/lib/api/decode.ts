/**
 * Reading an AppLink API answer: a 2xx must be JSON of the shape the request expects (and not
 * absurdly deep); anything else becomes an AppLinkError with the service's id and message when it
 * sent them, or one naming the request, the status and what came back (an HTML page, a proxy's
 * answer). `invalidResponse` is the one `invalid_response` error, for the Platform API reads too.
 */
import {AppLinkError} from './errors.js'
import type {HttpResponse} from './http.js'
import {MAX_RESPONSE_DEPTH, nestsDeeperThan} from './json-depth.js'
import {looksLikeHtml, retryAfterMs} from './retry.js'

/** The JSON a 2xx answer must hold: an array (of objects), an object, or either. */
export type Expect = 'json' | 'list' | 'object'

const TROUBLE_HINT = 'The AppLink service (or a proxy in between) may be having trouble; try again in a minute.'

/** `${label} returned ${what}.`: an answer that is not what the request expects. */
export function invalidResponse(label: string, what: string, hint: string, status?: number): AppLinkError {
  return new AppLinkError(`${label} returned ${what}.`, {hints: [hint], id: 'invalid_response', request: label, status})
}

function shapeOf(value: unknown): string {
  if (value === undefined) return 'an empty body'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

/** Why `value` is not what `expect` asks for, or undefined when it is. */
export function shapeProblem(value: unknown, expect: Expect | undefined): string | undefined {
  if (!expect) return undefined
  const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v)
  if (expect === 'list') {
    if (!Array.isArray(value)) return `expected a list, got ${shapeOf(value)}`
    const bad = value.findIndex(v => !isObject(v))
    return bad === -1 ? undefined : `expected a list of objects, item ${bad + 1} is ${shapeOf(value[bad])}`
  }

  if (expect === 'object') return isObject(value) ? undefined : `expected an object, got ${shapeOf(value)}`
  return isObject(value) || Array.isArray(value) ? undefined : `expected a JSON object or list, got ${shapeOf(value)}`
}

/** Which request an answer is for, to word its errors. */
export interface AnswerOf {
  /** the app's name, in the Heroku commands a hint suggests (`heroku addons -a APP`) */
  app: string
  /** how many times the request was sent */
  attempts: number
  /** the JSON shape a 2xx answer must have */
  expect?: Expect
  /** the AppLink service's host */
  host: string
  /** `METHOD /path` */
  label: string
}

/** The decoded answer of a request, or the AppLinkError it amounts to. */
export function decode<T>(res: HttpResponse, of: AnswerOf): T {
  const {expect, label} = of
  const text = res.body.toString('utf8')
  let parsed: unknown
  let parseFailed = false
  if (text.trim().length > 0) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parseFailed = true
    }
  }

  if (res.status < 200 || res.status >= 300) throw failure(res, text, parsed, of)
  if (parseFailed) {
    const type = String(res.headers['content-type'] ?? '').split(';')[0].trim()
    const what = looksLikeHtml(text) ? 'an HTML page' : type && type !== 'application/json' ? `${type}` : 'cut off or malformed JSON'
    throw invalidResponse(label, `a response that is not valid JSON (HTTP ${res.status}, ${what})`, TROUBLE_HINT, res.status)
  }

  const problem = shapeProblem(parsed, expect) ?? (nestsDeeperThan(parsed, MAX_RESPONSE_DEPTH) ? `it nests more than ${MAX_RESPONSE_DEPTH} levels deep` : undefined)
  if (problem) throw invalidResponse(label, `an unexpected response (HTTP ${res.status}): ${problem}`, TROUBLE_HINT, res.status)
  return parsed as T
}

/** A non-2xx answer as an AppLinkError: the service's id and message, or ours; hints by status. */
function failure(res: HttpResponse, text: string, parsed: unknown, {app, attempts, host, label}: AnswerOf): AppLinkError {
  const body = (parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as {id?: unknown; message?: unknown}
  const id = typeof body.id === 'string' && body.id ? body.id : statusId(res.status)
  const serviceMessage = typeof body.message === 'string' && body.message.trim() ? body.message.trim() : undefined
  const tries = attempts > 1 ? `, tried ${attempts} times` : ''
  let message = serviceMessage ?? `${label} failed with HTTP ${res.status}${looksLikeHtml(text) ? ' (the response was an HTML page, not JSON)' : ''}${tries}`
  const hints: string[] = []
  if (res.status === 401) {
    message = `The AppLink service at ${host} refused the add-on's token (HTTP 401: ${message}).`
    hints.push(`The token comes from the add-on's _TOKEN config var. If the add-on was just created or its credentials rotated, wait a minute and retry; otherwise check it with: heroku addons -a ${app}`)
  } else if (res.status === 429) {
    const wait = retryAfterMs(res.headers['retry-after'])
    if (!serviceMessage) message = `${label} was rate limited by the AppLink service (HTTP 429${tries}).`
    hints.push(wait === undefined ? 'Wait a minute, then try again.' : `Try again in ${Math.max(1, Math.ceil(wait / 1000))} s (the service's Retry-After).`)
  } else if (res.status >= 500) {
    hints.push(TROUBLE_HINT)
  }

  if (!serviceMessage && res.proxy) {
    // no AppLink error document: most likely the proxy's own answer
    message = `${message.replace(/\.$/, '')} (answered by the proxy ${res.proxy}).`
    hints.push('Check the proxy settings (HTTPS_PROXY, HTTP_PROXY, NO_PROXY) or ask whoever runs the proxy.')
  }

  return new AppLinkError(message, {hints, id, request: label, status: res.status})
}

function statusId(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'record_not_found'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'service_unavailable'
  return 'request_failed'
}

/**
 * The typed AppLink API client: the only place that builds AppLink URLs, sets the auth headers,
 * decodes responses and maps failures to AppLinkError. Exported from the package for scripts.
 */
import {AppLinkError} from './errors.js'
import {debugLog, defaultTimeoutMs, type HttpRequest, type HttpResponse, NetworkError, send} from './http.js'
import {registerSecret} from './redact.js'
import {DEFAULT_RETRIES, looksLikeHtml, retryAfterMs, retryDelay, sleep as sleepMs} from './retry.js'
import type {Authorization, Connection, DataActionTarget, OrgKind, Publication} from './types.js'
import {MAX_RESPONSE_DEPTH, nestsDeeperThan} from './json-depth.js'

export interface AppLinkClientOptions {
  addonId: string
  /** `{ATTACHMENT}_API_URL`; only its origin is used */
  apiUrl: string
  appId: string
  /** base64 of the SSO response JSON, sent as x-addon-sso */
  sso: string
  /** `{ATTACHMENT}_TOKEN` */
  token: string
  /** per-request timeout in ms */
  timeoutMs?: number
  userAgent?: string
  /** GET retries on transient failures (default 3) */
  retries?: number
  /** injectable sleep, for tests */
  sleep?: (ms: number) => Promise<void>
}

export interface JwtParams {
  alias?: string
  client_id: string
  jwt_private_key: string
  login_url?: string
  username: string
}

export interface DataActionTargetParams {
  api_name: string
  label: string
  target_endpoint: string
  type: string
}

export interface MultipartBody {
  body: Buffer
  contentType: string
}

const seg = encodeURIComponent

export class AppLinkClient {
  readonly origin: string
  private readonly opts: AppLinkClientOptions

  constructor(opts: AppLinkClientOptions) {
    let url: URL
    try {
      url = new URL(opts.apiUrl)
    } catch {
      throw new AppLinkError('The AppLink add-on\'s API URL config var is not a valid URL.', {hints: ['Check the add-on\'s config vars with: heroku config -a APP'], id: 'invalid_api_url'})
    }

    this.origin = url.origin
    this.opts = opts
    registerSecret(opts.token)
    registerSecret(opts.sso)
  }

  private get base(): string {
    return `/addons/${seg(this.opts.addonId)}`
  }

  // --- connections ---
  listConnections(): Promise<Connection[]> {
    return this.request<Connection[]>('GET', `${this.base}/connections`, {expect: 'list'})
  }

  getConnection(nameOrId: string): Promise<Connection> {
    return this.request<Connection>('GET', `${this.base}/connections/${seg(nameOrId)}`, {expect: 'object'})
  }

  createConnection(kind: OrgKind, body: {connection_name: string; login_url?: string}): Promise<Connection> {
    return this.request<Connection>('POST', `${this.base}/connections/${kind}`, {expect: 'object', json: body})
  }

  createJwtConnection(body: JwtParams & {connection_name: string}): Promise<Connection> {
    return this.request<Connection>('POST', `${this.base}/connections/salesforce/jwt`, {expect: 'object', json: body})
  }

  deleteConnection(nameOrId: string): Promise<Connection> {
    return this.request<Connection>('DELETE', `${this.base}/connections/${seg(nameOrId)}`)
  }

  // --- authorizations ---
  listAuthorizations(): Promise<Authorization[]> {
    return this.request<Authorization[]>('GET', `${this.base}/authorizations`, {expect: 'list'}).then(list => list.map(a => withoutAccessToken(a)))
  }

  getAuthorization(devNameOrId: string): Promise<Authorization> {
    return this.request<Authorization>('GET', `${this.base}/authorizations/${seg(devNameOrId)}`, {expect: 'object'}).then(a => withoutAccessToken(a))
  }

  /**
   * For `applink:invoke` only: the authorization (without its token) plus the org access token
   * the service includes for app SDKs, which invoke sends to the app as Salesforce does. The token
   * is registered as a secret (masked in every output and trace); never render it.
   */
  async getAuthorizationWithAccessToken(devNameOrId: string): Promise<{accessToken?: string; authorization: Authorization}> {
    const full = await this.request<Authorization>('GET', `${this.base}/authorizations/${seg(devNameOrId)}`, {expect: 'object'})
    const accessToken = full?.org?.user_auth?.access_token || undefined
    return {accessToken, authorization: withoutAccessToken(full)}
  }

  createAuthorization(kind: OrgKind, body: {developer_name: string; login_url?: string}): Promise<Authorization> {
    return this.request<Authorization>('POST', `${this.base}/authorizations/${kind}`, {expect: 'object', json: body}).then(a => withoutAccessToken(a))
  }

  createJwtAuthorization(kind: OrgKind, body: JwtParams & {developer_name: string}): Promise<Authorization> {
    return this.request<Authorization>('POST', `${this.base}/authorizations/${kind}/jwt`, {expect: 'object', json: body}).then(a => withoutAccessToken(a))
  }

  deleteAuthorization(devNameOrId: string): Promise<Authorization> {
    return this.request<Authorization>('DELETE', `${this.base}/authorizations/${seg(devNameOrId)}`).then(a => withoutAccessToken(a))
  }

  // --- publishing ---
  /** `onProgress` reports the bytes of the upload written so far (for a progress display). */
  publish(connectionName: string, multipart: MultipartBody, options: {onProgress?: HttpRequest['onProgress']} = {}): Promise<unknown> {
    return this.request<unknown>('POST', `${this.base}/connections/salesforce/${seg(connectionName)}/apps`, {raw: multipart, onProgress: options.onProgress})
  }

  listPublications(connectionName: string): Promise<Publication[]> {
    return this.request<Publication[]>('GET', `${this.base}/connections/salesforce/${seg(connectionName)}/apps/${seg(this.opts.appId)}`, {expect: 'json'})
  }

  // --- data action targets ---
  listDataActionTargets(connectionName: string): Promise<DataActionTarget[]> {
    return this.request<DataActionTarget[]>('GET', `${this.base}/connections/datacloud/${seg(connectionName)}/data_action_targets`, {expect: 'list'})
  }

  createDataActionTarget(connectionName: string, body: DataActionTargetParams): Promise<DataActionTarget> {
    return this.request<DataActionTarget>('POST', `${this.base}/connections/datacloud/${seg(connectionName)}/data_action_targets`, {expect: 'object', json: body})
  }

  getDataActionTarget(connectionName: string, apiName: string): Promise<DataActionTarget> {
    return this.request<DataActionTarget>('GET', `${this.base}/connections/datacloud/${seg(connectionName)}/data_action_targets/${seg(apiName)}`, {expect: 'object'})
  }

  /**
   * Sends one AppLink request, repeating it as the retry policy (`src/lib/api/retry.ts`) says: a GET
   * after transient failures (connection reset or refused, timeouts, 429 honouring Retry-After,
   * 502/503/504) with capped exponential backoff and jitter; a POST or DELETE only when the
   * connection was refused (nothing reached the service). Any other failure is reported, and
   * `src/lib/flows/recover.ts` checks what happened. `expect` names the JSON shape a 2xx answer must
   * have; anything else is an `invalid_response`.
   */
  async request<T>(method: HttpRequest['method'], path: string, options: {expect?: Expect; json?: unknown; raw?: MultipartBody; onProgress?: HttpRequest['onProgress']} = {}): Promise<T> {
    const url = new URL(path, this.origin)
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${this.opts.token}`,
      'user-agent': this.opts.userAgent ?? 'heroku-plugin-applink-plus',
      'x-addon-sso': this.opts.sso,
      'x-app-uuid': this.opts.appId,
    }
    let body: Buffer | string | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.raw) {
      headers['content-type'] = options.raw.contentType
      body = options.raw.body
    }

    const label = `${method} ${url.pathname}`
    const maxAttempts = 1 + Math.max(0, this.opts.retries ?? DEFAULT_RETRIES)
    const sleep = this.opts.sleep ?? sleepMs
    const timeoutMs = this.opts.timeoutMs ?? defaultTimeoutMs()
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse
      try {
        res = await send({body, headers, method, onProgress: options.onProgress, timeoutMs, url})
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error
        const wait = retryDelay(method, error, attempt, maxAttempts)
        if (wait === undefined) throw networkFailure(error, label, method, attempt, timeoutMs)
        debugLog(`retrying ${label} in ${wait} ms after ${error.code} (attempt ${attempt + 1} of ${maxAttempts})`)
        await sleep(wait)
        continue
      }

      const wait = retryDelay(method, res, attempt, maxAttempts)
      if (wait === undefined) return decode<T>(res, label, url.host, options.expect, attempt)
      debugLog(`retrying ${label} in ${wait} ms after HTTP ${res.status} (attempt ${attempt + 1} of ${maxAttempts})`)
      await sleep(wait)
    }
  }
}

/** The JSON a 2xx answer must hold: an array (of objects), an object, or either. */
export type Expect = 'json' | 'list' | 'object'

function networkFailure(error: NetworkError, label: string, method: string, attempts: number, timeoutMs: number): AppLinkError {
  const tries = attempts > 1 ? ` (tried ${attempts} times)` : ''
  const message = error.code === 'ETIMEDOUT'
    ? `${label} timed out: ${error.message}${tries}.`
    : `${label} failed: ${error.message}${tries}.`
  const hints = error.sent && method !== 'GET'
    ? ['The request may have reached the AppLink service: check the result before sending it again.']
    : [
      ...(error.code === 'ETIMEDOUT' ? [`Allow more time with APPLINK_HTTP_TIMEOUT=SECONDS (now ${timeoutMs / 1000}).`] : []),
      'Check your network connection and proxy settings (HTTPS_PROXY, NO_PROXY), then try again.',
    ]
  return new AppLinkError(message, {
    hints,
    id: error.code === 'ETIMEDOUT' ? 'timeout' : 'network_error',
    request: label,
    sent: error.sent,
  })
}

/**
 * The service may include the org's access token (`org.user_auth.access_token`, meant for the app's
 * SDK) in an authorization. The CLI never shows it: it is masked everywhere and dropped here.
 */
export function withoutAccessToken(a: Authorization): Authorization {
  const token = a?.org?.user_auth?.access_token
  if (!token) return a
  registerSecret(token)
  const userAuth: Record<string, unknown> = {...a.org.user_auth}
  delete userAuth.access_token
  return {...a, org: {...a.org, user_auth: userAuth as NonNullable<Authorization['org']['user_auth']>}}
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

const TROUBLE_HINT = 'The AppLink service (or a proxy in between) may be having trouble; try again in a minute.'

function decode<T>(res: HttpResponse, label: string, host: string, expect: Expect | undefined, attempts: number): T {
  const text = res.body.toString('utf8')
  const type = String(res.headers['content-type'] ?? '').split(';')[0].trim()
  let parsed: unknown
  let parseFailed = false
  if (text.trim().length > 0) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parseFailed = true
    }
  }

  if (res.status >= 200 && res.status < 300) {
    if (parseFailed) {
      const what = looksLikeHtml(text) ? 'an HTML page' : type && type !== 'application/json' ? `${type}` : 'cut off or malformed JSON'
      throw new AppLinkError(`${label} returned a response that is not valid JSON (HTTP ${res.status}, ${what}).`, {
        hints: [TROUBLE_HINT],
        id: 'invalid_response',
        request: label,
        status: res.status,
      })
    }

    const problem = shapeProblem(parsed, expect) ?? (nestsDeeperThan(parsed, MAX_RESPONSE_DEPTH) ? `it nests more than ${MAX_RESPONSE_DEPTH} levels deep` : undefined)
    if (problem) {
      throw new AppLinkError(`${label} returned an unexpected response (HTTP ${res.status}): ${problem}.`, {
        hints: [TROUBLE_HINT],
        id: 'invalid_response',
        request: label,
        status: res.status,
      })
    }

    return parsed as T
  }

  const body = (parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as {id?: unknown; message?: unknown}
  const id = typeof body.id === 'string' && body.id ? body.id : statusId(res.status)
  const serviceMessage = typeof body.message === 'string' && body.message.trim() ? body.message.trim() : undefined
  const tries = attempts > 1 ? `, tried ${attempts} times` : ''
  let message = serviceMessage ?? `${label} failed with HTTP ${res.status}${looksLikeHtml(text) ? ' (the response was an HTML page, not JSON)' : ''}${tries}`
  const hints: string[] = []
  if (res.status === 401) {
    message = `The AppLink service at ${host} refused the add-on's token (HTTP 401: ${message}).`
    hints.push('The token comes from the add-on\'s _TOKEN config var. If the add-on was just created or its credentials rotated, wait a minute and retry; otherwise check it with: heroku addons -a APP')
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

  throw new AppLinkError(message, {hints, id, request: label, status: res.status})
}

function statusId(status: number): string {
  if (status === 401) return 'unauthorized'
  if (status === 403) return 'forbidden'
  if (status === 404) return 'record_not_found'
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'service_unavailable'
  return 'request_failed'
}

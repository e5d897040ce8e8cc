/**
 * The typed AppLink API client: the only place that builds AppLink URLs, sets the auth headers,
 * decodes responses and maps failures to AppLinkError. Exported from the package for scripts.
 */
import {AppLinkError} from './errors.js'
import {defaultTimeoutMs, type HttpRequest, type HttpResponse, NetworkError, send} from './http.js'
import {registerSecret} from './redact.js'
import type {Authorization, Connection, DataActionTarget, OrgKind, Publication} from './types.js'

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

const TRANSIENT_STATUS = new Set([429, 502, 503, 504])
const TRANSIENT_CODES = new Set(['EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ERESPONSE', 'ETIMEDOUT'])

const sleepMs = (ms: number) => new Promise<void>(resolve => {
  setTimeout(resolve, ms)
})

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
    return this.request<Connection[]>('GET', `${this.base}/connections`)
  }

  getConnection(nameOrId: string): Promise<Connection> {
    return this.request<Connection>('GET', `${this.base}/connections/${seg(nameOrId)}`)
  }

  createConnection(kind: OrgKind, body: {connection_name: string; login_url?: string}): Promise<Connection> {
    return this.request<Connection>('POST', `${this.base}/connections/${kind}`, {json: body})
  }

  createJwtConnection(body: JwtParams & {connection_name: string}): Promise<Connection> {
    return this.request<Connection>('POST', `${this.base}/connections/salesforce/jwt`, {json: body})
  }

  deleteConnection(nameOrId: string): Promise<Connection> {
    return this.request<Connection>('DELETE', `${this.base}/connections/${seg(nameOrId)}`)
  }

  // --- authorizations ---
  listAuthorizations(): Promise<Authorization[]> {
    return this.request<Authorization[]>('GET', `${this.base}/authorizations`)
  }

  getAuthorization(devNameOrId: string): Promise<Authorization> {
    return this.request<Authorization>('GET', `${this.base}/authorizations/${seg(devNameOrId)}`)
  }

  createAuthorization(kind: OrgKind, body: {developer_name: string; login_url?: string}): Promise<Authorization> {
    return this.request<Authorization>('POST', `${this.base}/authorizations/${kind}`, {json: body})
  }

  createJwtAuthorization(kind: OrgKind, body: JwtParams & {developer_name: string}): Promise<Authorization> {
    return this.request<Authorization>('POST', `${this.base}/authorizations/${kind}/jwt`, {json: body})
  }

  deleteAuthorization(devNameOrId: string): Promise<Authorization> {
    return this.request<Authorization>('DELETE', `${this.base}/authorizations/${seg(devNameOrId)}`)
  }

  // --- publishing ---
  publish(connectionName: string, multipart: MultipartBody): Promise<unknown> {
    return this.request<unknown>('POST', `${this.base}/connections/salesforce/${seg(connectionName)}/apps`, {raw: multipart})
  }

  listPublications(connectionName: string): Promise<Publication[]> {
    return this.request<Publication[]>('GET', `${this.base}/connections/salesforce/${seg(connectionName)}/apps/${seg(this.opts.appId)}`)
  }

  // --- data action targets ---
  listDataActionTargets(connectionName: string): Promise<DataActionTarget[]> {
    return this.request<DataActionTarget[]>('GET', `${this.base}/connections/datacloud/${seg(connectionName)}/data_action_targets`)
  }

  createDataActionTarget(connectionName: string, body: DataActionTargetParams): Promise<DataActionTarget> {
    return this.request<DataActionTarget>('POST', `${this.base}/connections/datacloud/${seg(connectionName)}/data_action_targets`, {json: body})
  }

  getDataActionTarget(connectionName: string, apiName: string): Promise<DataActionTarget> {
    return this.request<DataActionTarget>('GET', `${this.base}/connections/datacloud/${seg(connectionName)}/data_action_targets/${seg(apiName)}`)
  }

  /**
   * Sends one AppLink request. GETs are retried on transient failures (network errors, 429 with
   * Retry-After, 502/503/504) with capped exponential backoff and jitter; other methods are sent once.
   */
  async request<T>(method: HttpRequest['method'], path: string, options: {json?: unknown; raw?: MultipartBody} = {}): Promise<T> {
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
    const maxAttempts = method === 'GET' ? 1 + (this.opts.retries ?? 3) : 1
    const sleep = this.opts.sleep ?? sleepMs
    for (let attempt = 1; ; attempt++) {
      let res: HttpResponse
      try {
        res = await send({body, headers, method, timeoutMs: this.opts.timeoutMs ?? defaultTimeoutMs(), url})
      } catch (error) {
        if (!(error instanceof NetworkError)) throw error
        if (attempt < maxAttempts && TRANSIENT_CODES.has(error.code)) {
          await sleep(backoffMs(attempt))
          continue
        }

        throw new AppLinkError(`Could not reach the AppLink API at ${error.host}: ${error.message}.`, {
          hints: error.sent && method !== 'GET'
            ? ['The request may have reached the service: check the result before retrying.']
            : ['Check your network connection and proxy settings (HTTPS_PROXY, NO_PROXY), then try again.'],
          id: error.code === 'ETIMEDOUT' ? 'timeout' : 'network_error',
          request: label,
        })
      }

      if (attempt < maxAttempts && TRANSIENT_STATUS.has(res.status)) {
        await sleep(retryAfterMs(res) ?? backoffMs(attempt))
        continue
      }

      return decode<T>(res, label, url.host)
    }
  }
}

/** Capped exponential backoff with full jitter: ~0.25 s, 0.5 s, 1 s … at most 4 s. */
export function backoffMs(attempt: number): number {
  const cap = Math.min(4000, 250 * 2 ** (attempt - 1))
  return Math.round(cap / 2 + Math.random() * (cap / 2))
}

function retryAfterMs(res: HttpResponse): number | undefined {
  const header = res.headers['retry-after']
  if (!header || Array.isArray(header)) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.min(30_000, Math.max(0, seconds * 1000))
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.min(30_000, Math.max(0, date - Date.now()))
}

function decode<T>(res: HttpResponse, label: string, host: string): T {
  const text = res.body.toString('utf8')
  const type = String(res.headers['content-type'] ?? '')
  let parsed: unknown
  let parseFailed = false
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text)
    } catch {
      parseFailed = true
    }
  }

  if (res.status >= 200 && res.status < 300) {
    if (parseFailed) {
      throw new AppLinkError(`${label} returned a response that is not valid JSON${type ? ` (${type.split(';')[0]})` : ''}${looksLikeHtml(text) ? ': an HTML page' : ''}.`, {
        hints: ['The AppLink service or a proxy in between may be having trouble; try again in a minute.'],
        id: 'invalid_response',
        request: label,
        status: res.status,
      })
    }

    return parsed as T
  }

  const body = (parsed && typeof parsed === 'object' ? parsed : {}) as {id?: unknown; message?: unknown}
  const id = typeof body.id === 'string' ? body.id : statusId(res.status)
  let message = typeof body.message === 'string' && body.message
    ? body.message
    : `${label} failed with HTTP ${res.status}${looksLikeHtml(text) ? ' (the response was an HTML page, not JSON)' : ''}`
  const hints: string[] = []
  if (res.status === 401) {
    message = `The AppLink service at ${host} refused the add-on's token (HTTP 401: ${message}).`
    hints.push('The token comes from the add-on\'s _TOKEN config var. If the add-on was just created or its credentials rotated, wait a minute and retry; otherwise check it with: heroku addons -a APP')
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

function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html)/i.test(text)
}

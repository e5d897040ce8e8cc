/**
 * The typed AppLink API client: the only place that builds AppLink URLs and sets the auth headers;
 * answers are decoded, and failures mapped to AppLinkError, in `decode.ts`. Exported from the
 * package for scripts.
 */
import {debugLog} from './debug.js'
import {decode, type Expect} from './decode.js'
import {AppLinkError} from './errors.js'
import {defaultTimeoutMs, type HttpRequest, type HttpResponse, NetworkError, networkHints, send} from './http.js'
import {registerSecret} from './redact.js'
import {DEFAULT_RETRIES, retryDelay, sleep as sleepMs} from './retry.js'
import type {Authorization, Connection, DataActionEvent, DataActionEventParams, DataActionTarget, OrgKind, Publication} from './types.js'

export interface AppLinkClientOptions {
  addonId: string
  /**
   * The app's name, for the Heroku commands an error suggests (`heroku addons -a NAME`); without
   * it (a script) they show the placeholder `APP`.
   */
  app?: string
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
      throw new AppLinkError('The AppLink add-on\'s API URL config var is not a valid URL.', {hints: [`Check the add-on's config vars with: heroku config -a ${opts.app ?? 'APP'}`], id: 'invalid_api_url'})
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

  /** The emulator only (docs/applink-api.md §6): an event of the target, built and signed by the emulated Data Cloud. */
  emulatedDataActionEvent(apiName: string, body: DataActionEventParams): Promise<DataActionEvent> {
    return this.request<DataActionEvent>('POST', `${this.base}/data_action_targets/${seg(apiName)}/events`, {expect: 'object', json: body})
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
      if (wait === undefined) return decode<T>(res, {app: this.opts.app ?? 'APP', attempts: attempt, expect: options.expect, host: url.host, label})
      debugLog(`retrying ${label} in ${wait} ms after HTTP ${res.status} (attempt ${attempt + 1} of ${maxAttempts})`)
      await sleep(wait)
    }
  }
}

function networkFailure(error: NetworkError, label: string, method: string, attempts: number, timeoutMs: number): AppLinkError {
  const tries = attempts > 1 ? ` (tried ${attempts} times)` : ''
  const message = error.code === 'ETIMEDOUT'
    ? `${label} timed out: ${error.message}${tries}.`
    : `${label} failed: ${error.message}${tries}.`
  const hints = error.sent && method !== 'GET'
    ? ['The request may have reached the AppLink service: check the result before sending it again.']
    : networkHints(error.code === 'ETIMEDOUT', timeoutMs)
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

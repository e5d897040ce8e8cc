/**
 * The Heroku Platform API without importing `@heroku-cli/command` when it is not needed.
 *
 * `@heroku-cli/command`'s APIClient imports its credential manager, which imports `@sentry/node`:
 * about half a second and 30 MiB before the first request. Add-on resolution only needs a token and
 * a few GETs, so when the token is found the way that client would find it (see `findToken`), the
 * GETs go out over node:http(s) with the headers it would send. Everything else goes to the real
 * client (`fallback`): no token at hand, a credential store that fails, a 401 (log in again, or the
 * HEROKU_API_KEY error), a 403 asking for a two-factor code, a redirect, a proxy, a debug switch, an
 * invalid HEROKU_HOST. See docs/performance.md for what this trades.
 */
import {randomUUID} from 'node:crypto'
import {accessSync, constants, existsSync, statSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {homedir, tmpdir} from 'node:os'
import {delimiter, join} from 'node:path'
// the same host parsing as @heroku-cli/command's vars (url.parse keeps an explicit default port)
import {parse as parseUrl} from 'node:url'

import type {PlatformApi} from './addon.js'
import {truthy} from './debug.js'
import {type HttpRequest, type HttpResponse, NetworkError, send} from './http.js'
import {registerSecret} from './redact.js'
import {backoffMs, sleep as sleepMs} from './retry.js'

/** The slice of the CLI's config this needs (under the heroku CLI: the CLI's own config). */
export interface CliConfig {
  dataDir: string
  platform: string
  version: string
}

/** Where the token came from; `store` is the OS credential store (Keychain, Secret Service, Windows vault). */
export type TokenSource = 'HEROKU_API_KEY' | 'netrc' | 'store'

const ALLOWED_HEROKU_DOMAINS = ['heroku.com', 'herokai.com', 'herokuspace.com', 'herokudev.com']
const LOCALHOST_DOMAINS = ['localhost', '127.0.0.1']

/** HEROKU_HOST as `@heroku-cli/command` reads it; undefined when it is invalid (the client warns and uses heroku.com). */
export function herokuHost(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const host = env.HEROKU_HOST
  if (!host) return 'heroku.com'
  const clean = host.replace(/^https?:\/\//, '')
  const valid = ALLOWED_HEROKU_DOMAINS.some(d => clean.endsWith(`.${d}`) || clean === d) || LOCALHOST_DOMAINS.some(d => clean.includes(d))
  return valid ? host : undefined
}

export function apiUrlOf(host: string): string {
  return host.startsWith('http') ? host : `https://api.${host}`
}

/** The API's host name, as the real client connects to it (for error messages). */
export function apiHostname(): string {
  return new URL(apiUrlOf(herokuHost() ?? 'heroku.com')).hostname
}

/** The netrc machine name of the API: host[:port] of HEROKU_HOST when it is a URL, else api.HOST. */
export function apiHostOf(host: string): string {
  if (host.startsWith('http')) {
    const u = parseUrl(host)
    if (u.host) return u.host
  }

  return `api.${host}`
}

/**
 * Why the fast path cannot be taken in this environment, or undefined when it can. Each of these
 * changes what the real client does in ways not worth copying: its own debug output, its own proxy
 * tunnel (and SSL_CERT_FILE for it), the warning for an invalid HEROKU_HOST, the warning for
 * HEROKU_API_TOKEN.
 */
export function fastPathBlocked(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DEBUG || truthy(env.HEROKU_DEBUG) || truthy(env.HEROKU_DEBUG_HEADERS)) return 'a debug switch is set'
  if (['HTTPS_PROXY', 'https_proxy', 'HTTP_PROXY', 'http_proxy'].some(k => env[k])) return 'a proxy is set'
  if (herokuHost(env) === undefined) return 'HEROKU_HOST is invalid'
  if (env.HEROKU_API_TOKEN && !env.HEROKU_API_KEY) return 'HEROKU_API_TOKEN is set without HEROKU_API_KEY'
  return undefined
}

/** `which secret-tool`: an executable file of that name on PATH. */
function onPath(command: string, env: NodeJS.ProcessEnv): boolean {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue
    const file = join(dir, command)
    try {
      accessSync(file, constants.X_OK)
      if (statSync(file).isFile()) return true
    } catch {}
  }

  return false
}

/** The OS credential store the Heroku CLI consults, as its credential manager picks it (null: netrc only). */
export function credentialStore(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): 'linux' | 'macos' | 'windows' | null {
  if (env.HEROKU_NETRC_WRITE?.toLowerCase() === 'true') return null
  if (platform === 'darwin') return 'macos'
  if (platform === 'win32') return 'windows'
  if (platform === 'linux') return onPath('secret-tool', env) ? 'linux' : null
  return null
}

/** The netrc file the Heroku CLI reads: ~/.netrc (~/_netrc on Windows), or its .gpg twin when that exists. */
export function netrcFile(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  let home: string | undefined
  if (platform === 'win32') home = env.HOME || (env.HOMEDRIVE && env.HOMEPATH ? join(env.HOMEDRIVE, env.HOMEPATH) : undefined) || env.USERPROFILE
  const file = join(home || homedir() || tmpdir(), platform === 'win32' ? '_netrc' : '.netrc')
  return existsSync(`${file}.gpg`) ? `${file}.gpg` : file
}

/**
 * The properties of each machine in a netrc body, read with the rules of the Heroku CLI's netrc
 * parser: a `machine` word anywhere on a line starts an entry, inline (`machine h login l password p`)
 * or followed by indented `key value` lines; the first entry of a host wins.
 */
export function parseNetrc(body: string): Map<string, Record<string, string | undefined>> {
  const machines = new Map<string, Record<string, string | undefined>>()
  const lines = body.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /machine\s+((?:[^\s#]+\s*)+)(#.*)?$/.exec(lines[i])
    if (!match) continue
    const text = match[1]
    const host = text.split(' ')[0]
    const props: Record<string, string | undefined> = {}
    if (text.trim().includes(' ')) {
      const words = text.split(' ').slice(1)
      for (let a = 0; a < words.length; a += 2) props[words[a]] = words[a + 1]
    } else {
      while (i + 1 < lines.length) {
        const prop = /^(\s+)(\S+)\s+(\S+)(\s+#.*)?$/.exec(lines[i + 1])
        if (!prop) break
        props[prop[2]] = prop[3]
        i++
      }
    }

    if (!machines.has(host)) machines.set(host, props)
  }

  return machines
}

async function accountFromLoginState(dataDir: string): Promise<string | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(dataDir, 'login.json'), 'utf8'))
    return typeof parsed?.account === 'string' && parsed.account.length > 0 ? parsed.account : undefined
  } catch {
    return undefined
  }
}

/** The OS credential store's token for `account`, through the Heroku CLI's own handler for it (no Sentry). */
async function tokenFromStore(store: 'linux' | 'macos' | 'windows', account: string): Promise<string | undefined> {
  try {
    const {herokuCommandModule} = await import('./heroku-command.js')
    const file = `lib/credential-manager-core/credential-handlers/${store}-handler.js`
    const exported = {linux: 'LinuxHandler', macos: 'MacOSHandler', windows: 'WindowsHandler'}[store]
    const handler = new (await herokuCommandModule<Record<string, new () => unknown>>(file))[exported]()
    return (handler as {getAuth(account: string, service: string): string}).getAuth(account, 'heroku-cli') || undefined
  } catch {
    // the real client tries again, reports the failure its way and falls back to netrc
    return undefined
  }
}

/**
 * The Heroku token, found as `@heroku-cli/command` 13 finds it: HEROKU_API_KEY; else, when an OS
 * credential store is in use (macOS, Windows, Linux with `secret-tool`, unless HEROKU_NETRC_WRITE=true)
 * and `login.json` in the CLI's data dir names the account, the store's entry for that account;
 * else the password of the API host's machine in the netrc file. Undefined when the real client must
 * decide (nothing found, a store lookup failed, an encrypted netrc).
 */
export async function findToken(config: Pick<CliConfig, 'dataDir'>, env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): Promise<{source: TokenSource; token: string} | undefined> {
  if (env.HEROKU_API_KEY) return {source: 'HEROKU_API_KEY', token: env.HEROKU_API_KEY}
  const host = herokuHost(env)
  if (host === undefined) return undefined
  const store = credentialStore(env, platform)
  if (store && config.dataDir) {
    const account = await accountFromLoginState(config.dataDir)
    if (account) {
      const token = await tokenFromStore(store, account)
      return token ? {source: 'store', token} : undefined
    }
  }

  const file = netrcFile(env, platform)
  if (file.endsWith('.gpg')) return undefined
  let body: string
  try {
    body = await readFile(file, 'utf8')
  } catch {
    return undefined
  }

  const password = parseNetrc(body).get(apiHostOf(host))?.password
  return password ? {source: 'netrc', token: password} : undefined
}

/** A Platform API error with the shape of the real client's (`http.statusCode`, `http.headers`, `body`). */
export class PlatformApiError extends Error {
  readonly body: unknown
  readonly http: {headers: Record<string, string | string[] | undefined>; statusCode: number}

  constructor(status: number, headers: Record<string, string | string[] | undefined>, body: unknown, label: string) {
    const b = body as {app?: {name?: string}; id?: string; message?: string; url?: string} | undefined
    const info = [b?.id ? `Error ID: ${b.id}` : '', b?.app?.name ? `App: ${b.app.name}` : '', b?.url ? `See ${b.url} for more information.` : ''].filter(Boolean)
    const message = typeof b?.message === 'string' ? [b.message, ...(info.length > 0 ? ['', ...info] : [])].join('\n') : `HTTP Error ${status} for ${label}\n${typeof body === 'string' ? body : JSON.stringify(body)}`
    super(message)
    this.name = 'HerokuAPIError'
    this.body = body
    this.http = {headers, statusCode: status}
  }
}

/**
 * Network failures the real client does not retry (its http-call retries every other coded failure
 * up to 5 times): an unreachable network, TLS certificate problems, and the whole-request timeout
 * (which the caller retries).
 */
const NOT_RETRIED = /^(ENETUNREACH|ETIMEDOUT|OUT_OF_MEM|HOSTNAME_MISMATCH|INVALID_CA|INVALID_PURPOSE|PATH_LENGTH_EXCEEDED|UNABLE_TO_.*|.*CERT.*|.*CRL.*)$/
const MAX_NETWORK_RETRIES = 5

let requestIds: string[] = []
const shownWarnings = new Set<string>()

export interface FastClientOptions {
  config: CliConfig
  /** the real client, for what this one hands over */
  fallback: () => Promise<PlatformApi>
  /** warnings from x-heroku-warning headers, printed as the real client prints them */
  warn: (message: string) => void
  token: string
  sleep?: (ms: number) => Promise<void>
}

/** GETs on the Platform API with the real client's headers; hands 401, 2FA and redirects to `fallback`. */
export function fastPlatformClient(options: FastClientOptions): PlatformApi {
  const host = herokuHost() ?? 'heroku.com'
  const base = apiUrlOf(host)
  const envHeaders = JSON.parse(process.env.HEROKU_HEADERS || '{}') as Record<string, string>
  const defaults = lower({
    accept: 'application/vnd.heroku+json; version=3',
    'user-agent': `heroku-cli/${options.config.version} ${options.config.platform}`,
    ...envHeaders,
  })
  const sleep = options.sleep ?? sleepMs
  registerSecret(options.token)

  return {
    async get<T>(path: string, requestOptions: {headers?: Record<string, string>; timeout?: number} = {}): Promise<{body: T}> {
      const url = new URL(path, base)
      const headers = {...defaults, ...lower(requestOptions.headers ?? {})}
      if (headers.authorization === undefined) headers.authorization = `Bearer ${options.token}`
      // network retries are counted over every page of the answer
      const retried = {count: 0}
      let body: unknown
      for (;;) {
        const res = await sendRetrying({headers, method: 'GET', timeoutMs: requestOptions.timeout ?? 60_000, url}, retried, sleep)
        const parsed = parseBody(res)
        if (needsRealClient(res.status, parsed)) {
          const real = await options.fallback()
          return real.get<T>(path, requestOptions)
        }

        if (res.status < 200 || res.status >= 300) throw new PlatformApiError(res.status, res.headers, parsed, `GET ${url}`)
        rememberRequestIds(res.headers['request-id'])
        showWarnings(res.headers, options.warn)
        body = Array.isArray(body) && Array.isArray(parsed) ? [...body, ...parsed] : parsed
        const next = res.headers['next-range']
        if (!next || !Array.isArray(parsed)) return {body: body as T}
        headers.range = Array.isArray(next) ? next[0] : next
      }
    },
  }
}

/**
 * Sends `req` with the real client's Request-Id (a new id, then the ids seen so far, reset past
 * 7 KiB), repeating it after the network failures that client repeats, at most 5 times in all.
 */
async function sendRetrying(req: HttpRequest, retried: {count: number}, sleep: (ms: number) => Promise<void>): Promise<HttpResponse> {
  for (;;) {
    const created = [randomUUID(), ...requestIds]
    requestIds = Buffer.byteLength(created.join(',')) > 7 * 1024 ? [randomUUID()] : created
    req.headers['request-id'] = requestIds.join(',')
    try {
      return await send(req)
    } catch (error) {
      if (!(error instanceof NetworkError) || NOT_RETRIED.test(error.code) || retried.count >= MAX_NETWORK_RETRIES) throw error
      retried.count++
      await sleep(backoffMs(retried.count))
    }
  }
}

/** The body as the real client reads it: JSON when the content type says so, else the text. */
function parseBody(res: HttpResponse): unknown {
  const type = String(res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  const text = res.body.toString('utf8')
  return (type.startsWith('application/json') || type.endsWith('+json')) && text ? JSON.parse(text) : text
}

/** A refused token, a two-factor demand or a redirect: the real client's own handling takes over. */
function needsRealClient(status: number, parsed: unknown): boolean {
  return status === 401 || (status === 403 && (parsed as {id?: string})?.id === 'two_factor') || [301, 302, 303, 307, 308].includes(status)
}

/** Request ids the API answered with go first in the next Request-Id, as the real client does. */
function rememberRequestIds(received: string | string[] | undefined): void {
  if (!received) return
  const ids = Array.isArray(received) ? received : received.split(',')
  requestIds = [...ids.filter(id => !requestIds.includes(id)), ...requestIds]
}

function lower(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) if (v || v === '') out[k.toLowerCase()] = v
  return out
}

function showWarnings(headers: Record<string, string | string[] | undefined>, warn: (message: string) => void): void {
  const raw = headers['x-heroku-warning'] ?? headers['warning-message']
  for (const w of Array.isArray(raw) ? raw : raw ? [raw] : []) {
    const normalized = w.replace(/^\s*warning:?\s*/i, '').trim()
    if (!normalized || shownWarnings.has(normalized)) continue
    shownWarnings.add(normalized)
    warn(normalized)
  }
}

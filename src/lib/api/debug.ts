/**
 * Debug traces, and keeping secrets out of them. The switches: `DEBUG=*` (or any list naming
 * `applink`), `HEROKU_DEBUG=1`, `APPLINK_DEBUG=1`; `guardPlatformDebug()` makes the Heroku Platform
 * API client's own debug output safe to share, and `guardNodeDebug()` node's `NODE_DEBUG=http` trace.
 *
 * Everything this folder writes goes through `writeTrace` (`trace.ts`: the command's IO sets where
 * it goes), the lines masked before they get there. Under `NODE_DEBUG` the whole of stderr is
 * redacted (`redactProcessStderr` in `ui/io.ts`, installed by the base command).
 */
import {maskKnownSecrets, REDACTED, redactHeaders, redactJson, redactText} from './redact.js'
import {writeTrace} from './trace.js'

export function truthy(value: string | undefined): boolean {
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

// --- the Heroku Platform API client's debug output ---

let platformDebugGuarded = false

/**
 * A Platform API response body as it may be shown in debug output. An error answer (`status` 400
 * and up: `{id, message}`) is no payload of config vars or SSO, and keeps its words.
 */
export function redactPlatformBody(path: string, body: unknown, status = 200): unknown {
  const p = path.split('?')[0]
  const payload = status < 400
  if (payload && /\/sso$/.test(p)) return REDACTED
  if (payload && /\/config-vars$/.test(p) && body && typeof body === 'object' && !Array.isArray(body)) {
    // config var values are credentials more often than not (tokens, database URLs): keep the names only
    return Object.fromEntries(Object.keys(body).map(k => [k, REDACTED]))
  }

  if (typeof body === 'string') return redactText(body)
  return redactJson(body)
}

type HttpCallPrototype = Record<string, unknown> & {body?: unknown; options?: {path?: string}; statusCode?: number; url?: string}

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
    const [{createRequire}, {herokuCommandPackage}] = await Promise.all([import('node:module'), import('./heroku-command.js')])
    // the copy the client is made from (the CLI's or the plugin's): its http-call is the one to patch
    const fromCommand = createRequire(herokuCommandPackage().entry)
    const httpCallEntry = fromCommand.resolve('@heroku/http-call')
    const {HTTP} = fromCommand(httpCallEntry) as {HTTP: {prototype: Record<string, unknown>}}
    redactHttpCall(HTTP.prototype as HttpCallPrototype)
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

/** http-call's response trace shows a redacted body, and its header trace redacted headers. */
function redactHttpCall(proto: HttpCallPrototype): void {
  const debugResponse = proto._debugResponse as ((this: HttpCallPrototype) => void) | undefined
  if (typeof debugResponse === 'function') {
    proto._debugResponse = function (this: HttpCallPrototype) {
      const original = this.body
      this.body = redactPlatformBody(String(this.options?.path ?? this.url ?? ''), original, Number(this.statusCode) || 200)
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

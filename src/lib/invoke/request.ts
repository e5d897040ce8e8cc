/**
 * Building the request `applink:invoke` sends, as Salesforce sends it to an AppLink app: the URL
 * (from --url or APP_PORT/PORT, the operation's path with `{params}` filled, other params in the
 * query string), the body (--data JSON, @FILE or - for stdin), and the headers `x-request-id`,
 * `x-client-context` and `x-request-context` (base64 JSON), with `-H` adding or overriding.
 */
import {randomUUID} from 'node:crypto'
import {readFile} from 'node:fs/promises'

import {invalidInput} from '../api/errors.js'
import type {RequestContext} from '../api/types.js'
import type {IO} from '../ui/io.js'
import {type Operation, operationName} from './spec.js'

export interface NameValue {
  name: string
  value: string
}

/** `-p NAME=VALUE` → {name, value}; the value may contain `=`. */
export function parseParams(list: string[] = []): NameValue[] {
  return list.map(item => {
    const i = item.indexOf('=')
    if (i <= 0) throw invalidInput('invalid_param', `-p ${JSON.stringify(item)} is not NAME=VALUE.`, ['Give each parameter as -p NAME=VALUE, e.g. -p limit=5 or -p accountId=001xx000003DGb2AAG.'])
    return {name: item.slice(0, i), value: item.slice(i + 1)}
  })
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** `-H 'Name: value'` → {name (lower case), value}; `-H 'Name:'` (empty) removes that header. */
export function parseHeaders(list: string[] = []): NameValue[] {
  return list.map(item => {
    const i = item.indexOf(':')
    const name = i > 0 ? item.slice(0, i).trim() : ''
    if (!name || !TOKEN.test(name)) throw invalidInput('invalid_header', `-H ${JSON.stringify(item)} is not a header: write it as 'Name: value'.`, ['For example: -H \'x-request-id: 00D…-test\'. An empty value (-H \'Name:\') removes the header.'])
    const value = item.slice(i + 1).trim()
    if (/[\r\n]/.test(value)) throw invalidInput('invalid_header', `-H ${name}: the value holds a line break.`)
    return {name: name.toLowerCase(), value}
  })
}

/**
 * Default origin of the local app: http://127.0.0.1:$APP_PORT, then $PORT, then 3000. Through the
 * local service mesh (`--mesh`), the mesh's: $PORT, then 8070, as `applink:mesh` listens.
 */
export function defaultBaseUrl(env: NodeJS.ProcessEnv = process.env, mesh = false): string {
  const vars = mesh ? [env.PORT] : [env.APP_PORT, env.PORT]
  const port = vars.map(p => p?.trim()).find(p => p && /^\d+$/.test(p)) ?? (mesh ? '8070' : '3000')
  return `http://127.0.0.1:${port}`
}

export interface BuiltUrl {
  /** params the spec names as headers (`in: header`) */
  headerParams: NameValue[]
  url: URL
}

/**
 * The operation's URL: base (its own path kept as a prefix) + the path with `{name}` filled from
 * `params`; the spec's header parameters become headers, every other param goes to the query.
 * A path parameter without a value is an input error.
 */
export function buildUrl(base: string, op: Operation, params: NameValue[]): BuiltUrl {
  let url: URL
  try {
    url = new URL(base)
  } catch {
    throw invalidInput('invalid_url', `--url ${JSON.stringify(base)} is not a URL.`, ['Give the app\'s address, e.g. --url http://127.0.0.1:3000 or --url https://my-app.herokuapp.com.'])
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput('invalid_url', `--url ${base}: use an http:// or https:// URL.`)
  const used = new Set<string>()
  const missing: string[] = []
  const path = op.path.replaceAll(/\{([^}]+)\}/g, (_, name: string) => {
    const found = params.find(p => p.name === name)
    if (!found) {
      missing.push(name)
      return `{${name}}`
    }

    used.add(name)
    return encodeURIComponent(found.value)
  })
  if (missing.length > 0) {
    throw invalidInput('missing_path_parameter', `${operationName(op)} needs the path parameter${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (${op.path}); nothing was sent.`, [
      `Give ${missing.length === 1 ? 'it' : 'them'} with ${missing.map(m => `-p ${m}=VALUE`).join(' ')}.`,
    ])
  }

  const headerParams: NameValue[] = []
  const rest: NameValue[] = []
  for (const p of params) {
    if (used.has(p.name)) continue
    const declared = op.parameters.find(d => d.name === p.name)
    if (declared?.in === 'header') headerParams.push({name: p.name.toLowerCase(), value: p.value})
    else rest.push(p)
  }

  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`
  for (const p of rest) url.searchParams.append(p.name, p.value)
  return {headerParams, url}
}

export interface Body {
  /** the parsed JSON, when the body is JSON */
  json?: unknown
  /** where it came from, for messages: `--data`, a file name, or stdin */
  source: string
  text: string
}

/** Reads `--data`: inline JSON, `@FILE`, or `-` (stdin). The text must be JSON unless `json` is false. */
export async function readData(data: string | undefined, options: {io: IO; json: boolean}): Promise<Body | undefined> {
  if (data === undefined) return undefined
  let text: string
  let source: string
  if (data === '-') {
    source = 'stdin'
    const {stdin} = options.io
    if (options.io.stdinIsTTY) options.io.err('Reading the request body from the terminal; end it with Ctrl-D.\n')
    const chunks: Buffer[] = []
    for await (const c of stdin) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)))
    text = Buffer.concat(chunks).toString('utf8')
  } else if (data.startsWith('@')) {
    source = data.slice(1)
    try {
      text = await readFile(source, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw invalidInput('file_not_found', `--data ${data}: ${code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? (error as Error).message})`}.`, ['Give the path of a JSON file after @, relative to the current directory.'])
    }
  } else {
    source = '--data'
    text = data
  }

  if (!options.json) return {source, text}
  try {
    return {json: JSON.parse(text), source, text}
  } catch (error) {
    throw invalidInput('invalid_json', `The body from ${source} is not valid JSON: ${(error as Error).message}; nothing was sent.`, ['Quote the JSON for your shell, e.g. --data \'{"name": "Acme"}\', or read it from a file with --data @body.json.'])
  }
}

// ------------------------------------------------------------------ headers Salesforce sends

export interface Identity {
  accessToken: string
  apiVersion: string
  appId: string
  namespace: string
  orgDomainUrl: string
  orgId: string
  userId: string
  username: string
}

/** ISO-8601 UTC with microseconds: `2024-09-03T20:56:27.608444Z`. */
export function microsecondTime(epochMs: number): string {
  const whole = Math.floor(epochMs)
  const micros = Math.floor((epochMs - whole) * 1000)
  return `${new Date(whole).toISOString().slice(0, -1)}${String(micros).padStart(3, '0')}Z`
}

/** A request id in Salesforce's format: `{orgId}-{uuid}-{time with microseconds}Z`. */
export function newRequestId(orgId: string, epochMs = performance.timeOrigin + performance.now(), uuid = randomUUID()): {id: string; prefix: string} {
  const prefix = `${orgId}-${uuid}`
  return {id: `${prefix}-${microsecondTime(epochMs)}`, prefix}
}

export interface ClientContext {
  accessToken: string
  apiVersion: string
  namespace: string
  orgDomainUrl: string
  orgId: string
  requestId: string
  userContext: {userId: string; username: string}
}

export interface SalesforceHeaders {
  clientContext: ClientContext
  headers: Record<string, string>
  requestContext: RequestContext
  requestId: string
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64')

/** The three headers of an invocation (applink-invoke §1), for `url`. */
export function salesforceHeaders(identity: Identity, url: URL, requestId = newRequestId(identity.orgId)): SalesforceHeaders {
  const clientContext: ClientContext = {
    accessToken: identity.accessToken,
    apiVersion: identity.apiVersion,
    namespace: identity.namespace,
    orgDomainUrl: identity.orgDomainUrl,
    orgId: identity.orgId,
    requestId: requestId.id,
    userContext: {userId: identity.userId, username: identity.username},
  }
  const requestContext: RequestContext = {
    appUuid: identity.appId,
    auth: identity.accessToken,
    id: requestId.prefix,
    loginUrl: identity.orgDomainUrl,
    orgDomainUrl: identity.orgDomainUrl,
    orgId: identity.orgId,
    resource: `${url.origin}${url.pathname}`,
    type: 'user',
  }
  return {
    clientContext,
    headers: {
      'x-client-context': b64(clientContext),
      'x-request-context': b64(requestContext),
      'x-request-id': requestId.id,
    },
    requestContext,
    requestId: requestId.id,
  }
}

/** Applies `-H` on top of `headers` (case-insensitive); an empty value removes the header. */
export function applyHeaderFlags(headers: Record<string, string>, flags: NameValue[]): Record<string, string> {
  const out = {...headers}
  for (const {name, value} of flags) {
    if (value === '') delete out[name]
    else out[name] = value
  }

  return out
}

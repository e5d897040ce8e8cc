/**
 * `applink:invoke` in two steps. `prepareInvocation` does everything local (spec, operation, URL,
 * body, validation) and throws input errors (exit 2) before anything is sent; `sendInvocation`
 * adds the identity read from the AppLink authorization, sends the request to the app, and checks
 * the response against the spec's schema for its status.
 */
import {AppLinkError, ExitCode, invalidInput} from '../api/errors.js'
import {NetworkError, send} from '../api/http.js'
import {registerSecret} from '../api/redact.js'
import type {Authorization} from '../api/types.js'
import {addCommand, type CommandTarget, herokuCommand, infoCommand} from '../ui/hints.js'
import {orgKindOf} from '../ui/output.js'
import {type Body, buildUrl, defaultBaseUrl, type Identity, type NameValue, readData, salesforceHeaders, type SalesforceHeaders, applyHeaderFlags} from './request.js'
import {compileSchema, type Problem} from './schema.js'
import {isObject} from '../openapi/common.js'
import {valueAt} from '../openapi/structure.js'
import type {IO} from '../ui/io.js'
import {deref, type Doc, findOperation, findSpecFile, loadInvokeSpec, type MediaSchema, type Operation, operationName, refTarget} from './spec.js'

export interface InvokeInput {
  data?: string
  headers: NameValue[]
  operation: string
  params: NameValue[]
  spec?: string
  /** the command's streams: `--data -` reads its stdin */
  io: IO
  /** through the local service mesh (`applink:mesh`): its address by default, its answers explained */
  mesh?: boolean
  url?: string
  validate: boolean
}

export interface PreparedInvocation {
  body?: Body
  /** the media type of the body sent */
  contentType?: string
  doc: Doc
  headerParams: NameValue[]
  op: Operation
  mesh: boolean
  specFile: string
  url: URL
  validate: boolean
}

const isJsonType = (t: string) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(t) || t === '*/*'

function jsonMedia(list: MediaSchema[]): MediaSchema | undefined {
  return list.find(m => m.mediaType.toLowerCase().startsWith('application/json')) ?? list.find(m => isJsonType(m.mediaType))
}

/** Everything that needs no network: a problem here exits 2 with nothing sent. */
export async function prepareInvocation(input: InvokeInput): Promise<PreparedInvocation> {
  const specFile = await findSpecFile(input.spec)
  const {doc} = await loadInvokeSpec(specFile)
  const op = findOperation(doc, input.operation, specFile)
  const {headerParams, url} = buildUrl(input.url ?? defaultBaseUrl(process.env, input.mesh), op, input.params)
  const media = op.requestBody ? jsonMedia(op.requestBody.content) ?? op.requestBody.content[0] : undefined
  const asJson = !media || isJsonType(media.mediaType)
  const body = await readData(input.data, {io: input.io, json: asJson})
  const problems: Problem[] = []
  if (input.validate) {
    if (body && !op.requestBody) {
      throw invalidInput('unexpected_body', `${operationName(op)} (${op.method} ${op.path}) takes no request body in ${specFile}; nothing was sent.`, ['Leave out --data, or send it anyway with --no-validate.'])
    }

    if (!body && op.requestBody?.required) {
      throw invalidInput('missing_body', `${operationName(op)} needs a request body (requestBody is required in ${specFile}); nothing was sent.`, ['Give it with --data \'{…}\', --data @body.json or --data - (stdin).'])
    }

    problems.push(...await parameterProblems(doc, op, input.params, headerParams))
    if (body?.json !== undefined && media?.schemaPointer) {
      const check = await compileSchema(doc, media.schemaPointer, 'request')
      problems.push(...check(body.json).map(p => ({...p, in: 'request body'})))
    }

    if (problems.length > 0) throw new InvalidRequestError(op, specFile, problems)
  }

  return {body, contentType: body ? (media?.mediaType && !media.mediaType.includes('*') ? media.mediaType : 'application/json') : undefined, doc, headerParams, mesh: Boolean(input.mesh), op, specFile, url, validate: input.validate}
}

/** Query and header parameter values checked against their schemas (strings turned to the schema's type). */
async function parameterProblems(doc: Doc, op: Operation, params: NameValue[], headerParams: NameValue[]): Promise<Problem[]> {
  const problems: Problem[] = []
  for (const declared of op.parameters) {
    if (declared.in === 'cookie') continue
    const given = declared.in === 'header' ? headerParams.filter(h => h.name === declared.name.toLowerCase()) : params.filter(p => p.name === declared.name)
    if (given.length === 0) {
      if (declared.required && declared.in !== 'path') problems.push({in: `${declared.in} parameter`, message: `is required; give it with -p ${declared.name}=VALUE`, path: declared.name})
      continue
    }

    if (!declared.schemaPointer) continue
    const check = await compileSchema(doc, declared.schemaPointer, 'request')
    const schema = resolveSchemaType(doc, declared.schemaPointer)
    const values = given.map(g => coerce(g.value, schema === 'array' ? itemType(doc, declared.schemaPointer!) : schema))
    const value = schema === 'array' ? values : values.at(-1)
    problems.push(...check(value).map(p => ({in: `${declared.in} parameter`, message: p.message, path: p.path ? `${declared.name}${p.path.startsWith('[') ? '' : '.'}${p.path}` : declared.name})))
  }

  return problems
}

function schemaAt(doc: Doc, pointer: string): Record<string, unknown> | undefined {
  const {node} = deref(doc, valueAt(doc, pointer), pointer)
  return isObject(node) ? node : undefined
}

function resolveSchemaType(doc: Doc, pointer: string): string | undefined {
  const type = schemaAt(doc, pointer)?.type
  return typeof type === 'string' ? type : undefined
}

function itemType(doc: Doc, pointer: string): string | undefined {
  const items = schemaAt(doc, pointer)?.items as {$ref?: string; type?: unknown} | undefined
  if (items?.$ref) return resolveSchemaType(doc, refTarget(items.$ref))
  return typeof items?.type === 'string' ? items.type : undefined
}

/** A parameter's text as the schema's type, when it reads as one (else the text, which then fails the check). */
function coerce(text: string, type: string | undefined): unknown {
  if ((type === 'integer' || type === 'number') && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text)
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true'
  return text
}

/** Request problems found before sending: exit 2, each with its path and what was expected. */
export class InvalidRequestError extends AppLinkError {
  readonly problems: Problem[]

  constructor(op: Operation, specFile: string, problems: Problem[]) {
    super(`The request does not match ${operationName(op)} in ${specFile}; nothing was sent:\n${problems.map(p => `  ${problemLine(p)}`).join('\n')}`, {
      exitCode: ExitCode.INVALID_INPUT,
      hints: ['Fix the values above, or send the request as it is with --no-validate.'],
      id: 'invalid_request',
    })
    this.problems = problems
  }

  toJSON(): Record<string, unknown> {
    return {...super.toJSON(), problems: this.problems}
  }
}

export function problemLine(p: Problem): string {
  return `${p.in}${p.path ? ` ${p.path}` : ''}: ${p.message}`
}

// ------------------------------------------------------------------ identity

/**
 * The invoking user, from the authorization the AppLink service returns (org, user, access token).
 * An authorization that is not `authorized`, or has no token, cannot invoke.
 */
export function identityFrom(authorization: Authorization, accessToken: string | undefined, appId: string, namespace: string, target: CommandTarget): {identity: Identity; warnings: string[]} {
  const name = authorization.org?.developer_name ?? authorization.id
  const org = authorization.org ?? ({} as Authorization['org'])
  if (authorization.status !== 'authorized' || !accessToken) {
    const why = authorization.status === 'authorized' ? 'the AppLink service returned no access token for it' : `its status is ${authorization.status}`
    throw new AppLinkError(`Authorization ${name} cannot invoke: ${why}.`, {
      hints: [`Check it with: ${infoCommand('authorization', name, target)}`, `Re-authorize with: ${addCommand('authorization', orgKindOf(org.type), name, target)}`],
      id: 'authorization_not_usable',
    })
  }

  registerSecret(accessToken)
  const warnings: string[] = []
  if (!org.id || !org.instance_url) {
    throw new AppLinkError(`Authorization ${name} has no org ${org.id ? 'instance URL' : 'id'} in the AppLink service's answer.`, {hints: [`Check it with: ${infoCommand('authorization', name, target)}`], id: 'invalid_response'})
  }

  let apiVersion = org.api_version
  if (!apiVersion) {
    apiVersion = DEFAULT_API_VERSION
    warnings.push(`authorization ${name} has no org.api_version; sending apiVersion ${DEFAULT_API_VERSION}.`)
  }

  const userAuth = org.user_auth ?? ({} as NonNullable<Authorization['org']['user_auth']>)
  return {
    identity: {
      accessToken,
      apiVersion,
      appId,
      namespace,
      orgDomainUrl: /^https?:\/\//i.test(org.instance_url) ? org.instance_url.replace(/\/+$/, '') : `https://${org.instance_url.replace(/\/+$/, '')}`,
      orgId: org.id,
      userId: userAuth.user_id ?? org.user_id ?? '',
      username: userAuth.username ?? org.username ?? '',
    },
    warnings,
  }
}

export const DEFAULT_API_VERSION = '62.0'

// ------------------------------------------------------------------ through the service mesh

const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i

/**
 * `--mesh` against the hosted AppLink service: the mesh sends `x-request-context.auth` to it, and
 * it accepts only a token Salesforce minted for the invocation, which no local tool can mint. The
 * emulator (an AppLink API on this machine) accepts the user's access token that invoke sends.
 */
export function assertMeshCanAuthenticate(apiUrl: string, target: CommandTarget): void {
  let host = ''
  try {
    host = new URL(apiUrl).hostname
  } catch {}

  if (LOOPBACK.test(host)) return
  throw new AppLinkError(`--mesh: a service mesh authenticates each invocation with the AppLink service (${host || 'its HEROKU_APPLINK_API_URL'}), which accepts only an x-request-context.auth that Salesforce minted for that invocation; applink:invoke cannot mint one on this machine, so the mesh would answer 403 Forbidden. Nothing was sent.`, {
    exitCode: ExitCode.INVALID_INPUT,
    hints: [
      `Invoke the app itself, without the mesh: ${herokuCommand('applink:invoke OPERATION', target, '--authorization NAME')} (the app on http://127.0.0.1:$APP_PORT)`,
      'Or run the app behind applink:mesh against the local emulator, which accepts the user\'s access token (docs/mesh.md).',
    ],
    id: 'mesh_auth_not_mintable',
  })
}

/** A note for the answer of a service mesh that refused the invocation (403 Forbidden as Go writes it), or undefined. */
export function meshRefusalNote(result: InvocationResult): string | undefined {
  const {response} = result
  const plain = String(response.headers['content-type'] ?? '').startsWith('text/plain') && response.headers['x-content-type-options'] === 'nosniff'
  if (response.status !== 403 || !plain || response.text !== 'Forbidden\n') return undefined
  return LOOPBACK.test(new URL(result.url).hostname)
    ? 'This 403 is the service mesh\'s: the AppLink API it asked refused x-request-context.auth. Against the emulator, check that the authorization\'s org is connected to this app\'s add-on and that the mesh runs with this app\'s config vars (heroku applink:mesh -a APP).'
    : 'This 403 is the service mesh\'s: the hosted AppLink service accepts only an x-request-context.auth that Salesforce minted, which cannot be minted locally. Invoke the app without the mesh (docs/invoke.md).'
}

// ------------------------------------------------------------------ sending

export interface InvocationResult {
  duration_ms: number
  headers: Record<string, string>
  method: string
  problems: Problem[]
  response: {body: unknown; headers: Record<string, string | string[]>; status: number; text: string}
  salesforce: SalesforceHeaders
  url: string
}

/** Sends the invocation and checks the response against the spec (mismatches are problems, not errors). */
export async function sendInvocation(prepared: PreparedInvocation, identity: Identity, headerFlags: NameValue[], timeoutMs: number, io: IO): Promise<InvocationResult> {
  const {op, url} = prepared
  const salesforce = salesforceHeaders(identity, url)
  // masked wherever they could appear: the encoded headers hold the access token
  registerSecret(salesforce.headers['x-client-context'])
  registerSecret(salesforce.headers['x-request-context'])
  const base: Record<string, string> = {...salesforce.headers}
  for (const h of prepared.headerParams) base[h.name] = h.value
  if (prepared.body) base['content-type'] = prepared.contentType ?? 'application/json'
  const headers = applyHeaderFlags(base, headerFlags)
  for (const h of headerFlags) if (/^x-(client|request)-context$/.test(h.name)) registerSecret(h.value)
  // Ctrl-C while the app works: say what may have happened and exit 130. Prepended, so it runs
  // before a handler the heroku CLI installed (its telemetry exits 1 on SIGINT).
  const onSignal = () => {
    io.err(`\nInterrupted: ${op.method} ${url} was sent and the app may still complete it; look for x-request-id ${headers['x-request-id'] ?? salesforce.requestId} in its logs.\n`)
    process.exit(ExitCode.INTERRUPTED)
  }

  process.prependListener('SIGINT', onSignal)
  process.prependListener('SIGTERM', onSignal)
  const started = performance.now()
  let res
  try {
    res = await send({body: prepared.body?.text, headers, method: op.method as 'GET', timeoutMs, url})
  } catch (error) {
    if (error instanceof NetworkError) throw appUnreachable(error, url, prepared.mesh)
    throw error
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }

  const duration = Math.round(performance.now() - started)
  const text = res.body.toString('utf8')
  const type = String(res.headers['content-type'] ?? '')
  let body: unknown = text
  let parsed = false
  if (text.trim() !== '' && (isJsonType(type.split(';')[0].trim()) || /^\s*[[{]/.test(text))) {
    try {
      body = JSON.parse(text)
      parsed = true
    } catch {}
  }

  if (text === '') body = null
  const problems = prepared.validate ? await responseProblems(prepared, res.status, type, body, parsed, text) : []
  const responseHeaders: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders[k] = v
  return {duration_ms: duration, headers, method: op.method, problems, response: {body, headers: responseHeaders, status: res.status, text}, salesforce, url: url.toString()}
}

function appUnreachable(error: NetworkError, url: URL, mesh: boolean): AppLinkError {
  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (error.code === 'ECONNREFUSED') {
    return new AppLinkError(`Nothing is listening at ${url.origin} (connection refused); nothing was sent.`, {
      hints: mesh
        ? ['Start the app behind the mesh with: heroku applink:mesh -a APP -- npm start, then invoke again.', 'With --mesh the default address is the mesh\'s, http://127.0.0.1:$PORT (else 8070); give another with --url URL.']
        : local
        ? ['Start your app with: heroku local web (or npm start), then invoke again.', 'The default address is http://127.0.0.1:$APP_PORT (then $PORT, then 3000); give another with --url URL.']
        : ['Start your app (or check that it is up), then invoke again; give another address with --url URL.'],
      id: 'app_unreachable',
    })
  }

  if (error.code === 'ETIMEDOUT') {
    return new AppLinkError(`The app at ${url.origin} did not answer ${url.pathname} in time: ${error.message}.`, {hints: ['Allow more time with APPLINK_HTTP_TIMEOUT=SECONDS, or check the app\'s logs.'], id: 'timeout'})
  }

  return new AppLinkError(`The request to ${url.origin}${url.pathname} failed: ${error.message}.`, {hints: ['Check that the app is running and the address (--url) is right.'], id: 'app_unreachable'})
}

/** The spec's responses entry for a status: exact, then `2XX`, then `default`. */
function responseFor(op: Operation, status: number): {key: string; media: MediaSchema[]} | undefined {
  const keys = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default']
  for (const key of keys) if (op.responses[key]) return {key, media: op.responses[key]}
  return undefined
}

async function responseProblems(prepared: PreparedInvocation, status: number, type: string, body: unknown, parsed: boolean, text: string): Promise<Problem[]> {
  const {doc, op, specFile} = prepared
  const found = responseFor(op, status)
  const where = 'response'
  if (!found) {
    const documented = Object.keys(op.responses).join(', ') || 'none'
    return [{in: where, message: `status ${status} is not documented for ${operationName(op)} in ${specFile} (documented: ${documented})`, path: ''}]
  }

  if (found.media.length === 0) {
    return text.trim() === '' ? [] : [{in: where, message: `${specFile} documents no body for status ${found.key}, the app sent ${text.length} bytes`, path: ''}]
  }

  const media = jsonMedia(found.media)
  if (!media) return []
  if (text.trim() === '') return [{in: where, message: `expected a ${media.mediaType} body for status ${found.key}, got an empty body`, path: ''}]
  if (!parsed) return [{in: where, message: `expected ${media.mediaType} for status ${found.key}, got ${type || 'no content-type'} that is not JSON`, path: ''}]
  if (!media.schemaPointer) return []
  const check = await compileSchema(doc, media.schemaPointer, 'response')
  return check(body).map(p => ({...p, in: where}))
}

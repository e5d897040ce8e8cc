/**
 * AppLink's own rules on top of OpenAPI 3.0 (see docs/openapi-rules.md): operationIds,
 * paths and servers Salesforce can use, and the `x-sfdc` extensions (user-plus authorization,
 * Agentforce topic and actions). Also lists the operations that would be published.
 */
import {pointerSegments, toPointer} from './parse.js'
import {agentActionRules, authorizationOf, isJsonMedia, type Report, type Resolve, type Resolved, sfdcOperationRules, topicRules} from './sfdc.js'
import {type Draft, isObject} from './common.js'
import type {AgentTopic, SpecOperation} from './types.js'

export {apiNameProblem} from './sfdc.js'

export interface RulesResult {
  drafts: Draft[]
  operations: SpecOperation[]
  servers: string[]
  topic?: AgentTopic
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

/** A camelCase operationId suggestion: GET /orders/{id}/items → getOrdersItemsById. */
export function suggestOperationId(method: string, path: string): string {
  const words = path.split('/').filter(s => s && !s.startsWith('{')).flatMap(s => s.split(/[^A-Za-z0-9]+/)).filter(Boolean)
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map(m => m[1].replaceAll(/[^A-Za-z0-9]/g, ''))
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
  const id = method.toLowerCase() + words.map(w => cap(w)).join('') + (params.length > 0 ? 'By' + params.map(p => cap(p)).join('And') : '')
  return /^[A-Za-z]/.test(id) ? id : `op${cap(id)}`
}

export function applinkRules(doc: Record<string, unknown>): RulesResult {
  const drafts: Draft[] = []
  const ctx: RuleContext = {
    error: (path, message, fix) => drafts.push({fix, message, path, severity: 'error'}),
    opIds: new Map(),
    operations: [],
    reportedFlags: new Set(),
    resolve: resolver(doc),
    templates: new Map(),
    warning: (path, message, fix) => drafts.push({fix, message, path, severity: 'warning'}),
  }
  const servers = serverRules(doc, ctx.error, ctx.warning)
  const topicResult = topicRules(doc, ctx.error, ctx.warning)
  const paths = isObject(doc.paths) ? doc.paths : undefined
  for (const [path, item] of Object.entries(paths ?? {})) {
    if (path.startsWith('/') && isObject(item)) pathRules(path, item, ctx)
  }

  if (paths && ctx.operations.length === 0) {
    ctx.error('/paths', 'the spec has no operations: there is nothing to publish', 'Add at least one operation (get, post, …) under a path.')
  }

  if (topicResult && !ctx.operations.some(o => o.agentAction)) {
    ctx.error(topicResult.pointer, `agent topic '${topicResult.topic.name ?? ''}' has no actions`, 'Mark at least one operation with x-sfdc: {agent: {action: {publishAsAgentAction: true}}}.')
  }

  return {drafts, operations: ctx.operations, servers, ...(topicResult ? {topic: topicResult.topic} : {})}
}

/** What the rules of every path and operation share while one document is checked. */
interface RuleContext {
  error: Report
  /** operationId → the operation that used it first */
  opIds: Map<string, string>
  operations: SpecOperation[]
  /** agent action properties already reported (a schema can be shared by several actions) */
  reportedFlags: Set<string>
  resolve: Resolve
  /** path shape with parameter names blanked → the first path of that shape */
  templates: Map<string, string>
  warning: Report
}

/** Follows `$ref`s (local ones; broken ones are reported by ./refs.ts) to the object they name. */
function resolver(doc: Record<string, unknown>): Resolve {
  return (value, pointer) => {
    let current: Resolved = {pointer, value}
    for (let hops = 0; hops < 20 && isObject(current.value) && typeof current.value.$ref === 'string'; hops++) {
      const ref = current.value.$ref
      if (!ref.startsWith('#/')) break
      let segs: string[]
      try {
        segs = pointerSegments(decodeURIComponent(ref.slice(1)))
      } catch {
        break
      }

      let node: unknown = doc
      for (const s of segs) node = isObject(node) ? node[s] : Array.isArray(node) ? node[Number(s)] : undefined
      if (node === undefined) break
      current = {pointer: toPointer(segs), value: node}
    }

    return current
  }
}

/** A path item: its template, then each of its operations. */
function pathRules(path: string, item: Record<string, unknown>, ctx: RuleContext): void {
  const itemPtr = toPointer(['paths', path])
  if (/[?#]/.test(path)) ctx.error(itemPtr, `path '${path}' holds a query string or fragment`, 'Declare query values as parameters with in: query, and keep only the path here.')
  const shape = path.replaceAll(/\{[^}]*\}/g, '{}')
  const twin = ctx.templates.get(shape)
  if (twin) ctx.error(itemPtr, `path '${path}' is the same as '${twin}' (only parameter names differ)`, `Merge the operations into '${twin}'.`)
  else ctx.templates.set(shape, path)

  const templateNames = [...path.matchAll(/\{([^}]*)\}/g)].map(m => m[1])
  const itemParams = parameterList(item.parameters, `${itemPtr}/parameters`, ctx.resolve)
  for (const method of METHODS) {
    const op = item[method]
    if (isObject(op)) operationRules({itemParams, method, op, path, templateNames}, ctx)
  }
}

interface OperationInput {
  /** the parameters the path item declares for all its operations */
  itemParams: Map<string, ParamInfo>
  method: string
  op: Record<string, unknown>
  path: string
  /** the names in the path's {braces} */
  templateNames: string[]
}

/** One operation: listed for the report, then its operationId, description, parameters, content and x-sfdc. */
function operationRules({itemParams, method, op, path, templateNames}: OperationInput, ctx: RuleContext): void {
  const opPtr = toPointer(['paths', path, method])
  const label = `${method.toUpperCase()} ${path}`
  const x = isObject(op['x-sfdc']) ? op['x-sfdc'] : undefined
  const action = isObject(x?.agent) && isObject(x.agent.action) ? x.agent.action : undefined
  const agentAction = action?.publishAsAgentAction === true
  const operationId = typeof op.operationId === 'string' ? op.operationId : undefined
  const description = typeof op.description === 'string' && op.description.trim() ? op.description : typeof op.summary === 'string' && op.summary.trim() ? op.summary : undefined
  const authorization = authorizationOf(x)
  ctx.operations.push({
    agentAction,
    ...(authorization ? {authorization} : {}),
    ...(description ? {description} : {}),
    method: method.toUpperCase(),
    ...(operationId === undefined ? {} : {operationId}),
    path,
  })

  operationIdRules(op, opPtr, method, path, ctx)
  if (!description) {
    ctx.warning(opPtr, `${label} has no description or summary`, agentAction
      ? 'Add a description: Agentforce reads it to decide when to call this action.'
      : 'Add a description: Salesforce shows it in Flow and Apex, and Agentforce uses it to pick actions.')
  }

  pathParameterRules(op, opPtr, {itemParams, label, path, templateNames}, ctx)
  contentRules(op, opPtr, label, ctx.resolve, ctx.warning)
  sfdcOperationRules(op, opPtr, ctx.error, ctx.warning)
  if (agentAction) agentActionRules(op, opPtr, method, label, operationId ?? label, ctx.resolve, ctx.reportedFlags, ctx.error)
}

/** operationId: present, unique, an identifier. */
function operationIdRules(op: Record<string, unknown>, opPtr: string, method: string, path: string, ctx: RuleContext): void {
  const label = `${method.toUpperCase()} ${path}`
  if (op.operationId === undefined) {
    ctx.error(opPtr, `${label} has no operationId`, `Add operationId: ${suggestOperationId(method, path)} (unique in the document).`)
    return
  }

  if (typeof op.operationId !== 'string') return
  const operationId = op.operationId
  const first = ctx.opIds.get(operationId)
  if (first) ctx.error(`${opPtr}/operationId`, `operationId '${operationId}' is also used by ${first}`, 'Rename one of them: every operationId must be unique in the document.')
  else ctx.opIds.set(operationId, label)
  if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(operationId)) {
    ctx.warning(`${opPtr}/operationId`, `operationId '${operationId}' is not an identifier (letters, digits and underscores, starting with a letter)`, `Rename it, e.g. ${operationId.replaceAll(/[^A-Za-z0-9_]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^[^A-Za-z]+/, '') || suggestOperationId(method, path)}: Salesforce turns it into an action name.`)
  }
}

/** The path parameters (the item's, overridden by the operation's) and the path template agree. */
function pathParameterRules(op: Record<string, unknown>, opPtr: string, where: Omit<OperationInput, 'method' | 'op'> & {label: string}, ctx: RuleContext): void {
  const params = new Map(where.itemParams)
  for (const [key, p] of parameterList(op.parameters, `${opPtr}/parameters`, ctx.resolve)) params.set(key, p)
  const declared = [...params.values()].filter(p => p.in === 'path')
  for (const name of where.templateNames) {
    if (!declared.some(p => p.name === name)) {
      ctx.error(opPtr, `${where.label} has no path parameter '${name}'`, `Add to parameters: {name: ${name}, in: path, required: true, schema: {type: string}}.`)
    }
  }

  for (const p of declared) {
    if (!where.templateNames.includes(p.name)) ctx.error(p.pointer, `path parameter '${p.name}' does not appear in the path ${where.path}`, `Add {${p.name}} to the path, or change the parameter's 'in'.`)
  }
}

interface ParamInfo {
  in: unknown
  name: string
  pointer: string
}

function parameterList(list: unknown, pointer: string, resolve: Resolve): Map<string, ParamInfo> {
  const out = new Map<string, ParamInfo>()
  if (!Array.isArray(list)) return out
  for (const [i, raw] of list.entries()) {
    const {value} = resolve(raw, `${pointer}/${i}`)
    if (!isObject(value) || typeof value.name !== 'string') continue
    out.set(`${String(value.in)}:${value.name}`, {in: value.in, name: value.name, pointer: `${pointer}/${i}`})
  }

  return out
}

function serverRules(doc: Record<string, unknown>, error: Report, warning: Report): string[] {
  const urls: string[] = []
  if (!Array.isArray(doc.servers)) return urls
  for (const [i, server] of doc.servers.entries()) {
    if (!isObject(server) || typeof server.url !== 'string') continue
    const ptr = `/servers/${i}/url`
    let url = server.url
    const variables = isObject(server.variables) ? server.variables : {}
    for (const m of server.url.matchAll(/\{([^}]*)\}/g)) {
      const variable = variables[m[1]]
      if (!isObject(variable)) {
        error(ptr, `server URL ${server.url} uses {${m[1]}} but defines no such variable`, `Add variables: {${m[1]}: {default: …}} to this server, or write the value into the URL.`)
      } else if (variable.default !== undefined) {
        url = url.replace(m[0], String(variable.default))
      }
    }

    urls.push(url)
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) continue
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      error(ptr, `server URL ${server.url} is not a valid URL`, 'Write an absolute https:// URL, or a path such as /api.')
      continue
    }

    if (/^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|\[::1?\])$/i.test(parsed.hostname)) {
      warning(ptr, `server URL ${server.url} points at this machine; Salesforce cannot reach it`, 'Use the app\'s public URL (https://APP.herokuapp.com) or a relative path.')
    } else if (parsed.protocol === 'http:') {
      warning(ptr, `server URL ${server.url} is not https`, 'Use https: Salesforce calls the app over TLS.')
    } else if (parsed.protocol !== 'https:') {
      error(ptr, `server URL ${server.url} uses ${parsed.protocol}; Salesforce calls https URLs`, 'Use the app\'s https:// URL.')
    }
  }

  return urls
}

function contentRules(op: Record<string, unknown>, opPtr: string, label: string, resolve: Resolve, warning: Report): void {
  if (op.requestBody !== undefined) {
    const body = resolve(op.requestBody, `${opPtr}/requestBody`)
    const content = isObject(body.value) && isObject(body.value.content) ? body.value.content : undefined
    const types = Object.keys(content ?? {})
    if (types.length > 0 && !types.some(t => isJsonMedia(t))) {
      warning(`${body.pointer}/content`, `the request body of ${label} is ${types.join(', ')}, not JSON`, 'Add an application/json request body: External Services maps JSON bodies to action inputs.')
    }
  }

  if (!isObject(op.responses)) return
  for (const [code, raw] of Object.entries(op.responses)) {
    if (!/^2/.test(code)) continue
    const res = resolve(raw, toPointer([...pointerSegments(opPtr), 'responses', code]))
    const content = isObject(res.value) && isObject(res.value.content) ? res.value.content : undefined
    const types = Object.keys(content ?? {})
    if (types.length > 0 && !types.some(t => isJsonMedia(t))) {
      warning(`${res.pointer}/content`, `the ${code} response of ${label} is ${types.join(', ')}, not JSON`, 'Return application/json: External Services maps JSON responses to action outputs.')
    }
  }
}

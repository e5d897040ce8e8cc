/**
 * AppLink's own rules on top of OpenAPI 3.0 (see docs/openapi-rules.md): operationIds,
 * paths and servers Salesforce can use, and the `x-sfdc` extensions (user-plus authorization,
 * Agentforce topic and actions). Also lists the operations that would be published.
 */
import {pointerSegments, toPointer} from './parse.js'
import {closest} from './refs.js'
import {isObject} from './structure.js'
import type {AgentTopic, Diagnostic, SpecOperation} from './types.js'

/** A diagnostic before its position is known. */
export type Draft = Omit<Diagnostic, 'column' | 'line'>

export interface RulesResult {
  drafts: Draft[]
  operations: SpecOperation[]
  servers: string[]
  topic?: AgentTopic
}

export const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const

/** Salesforce API names: a letter first, then letters, digits and single underscores, no trailing underscore. */
export function apiNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty'
  if (!/^[A-Za-z]/.test(name)) return 'it must start with a letter'
  const bad = name.match(/[^A-Za-z0-9_]/)
  if (bad) return `it contains ${JSON.stringify(bad[0])}; use letters, digits and underscores`
  if (name.includes('__')) return 'it contains two underscores in a row'
  if (name.endsWith('_')) return 'it ends with an underscore'
  return undefined
}

/** A camelCase operationId suggestion: GET /orders/{id}/items → getOrdersItemsById. */
export function suggestOperationId(method: string, path: string): string {
  const words = path.split('/').filter(s => s && !s.startsWith('{')).flatMap(s => s.split(/[^A-Za-z0-9]+/)).filter(Boolean)
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map(m => m[1].replaceAll(/[^A-Za-z0-9]/g, ''))
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
  const id = method.toLowerCase() + words.map(w => cap(w)).join('') + (params.length > 0 ? 'By' + params.map(p => cap(p)).join('And') : '')
  return /^[A-Za-z]/.test(id) ? id : `op${cap(id)}`
}

interface Resolved {
  pointer: string
  value: unknown
}

export function applinkRules(doc: Record<string, unknown>): RulesResult {
  const drafts: Draft[] = []
  const operations: SpecOperation[] = []
  const error = (path: string, message: string, fix: string) => drafts.push({fix, message, path, severity: 'error'})
  const warning = (path: string, message: string, fix: string) => drafts.push({fix, message, path, severity: 'warning'})

  /** Follows `$ref`s (local ones; broken ones are reported by ./refs.ts) to the object they name. */
  const resolve = (value: unknown, pointer: string): Resolved => {
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

  const servers = serverRules(doc, error, warning)
  const topicResult = topicRules(doc, error, warning)

  const paths = isObject(doc.paths) ? doc.paths : undefined
  const opIds = new Map<string, string>()
  const templates = new Map<string, string>()
  const reportedFlags = new Set<string>()
  for (const [path, rawItem] of Object.entries(paths ?? {})) {
    if (!path.startsWith('/') || !isObject(rawItem)) continue
    const itemPtr = toPointer(['paths', path])
    if (/[?#]/.test(path)) error(itemPtr, `path '${path}' holds a query string or fragment`, 'Declare query values as parameters with in: query, and keep only the path here.')
    const shape = path.replaceAll(/\{[^}]*\}/g, '{}')
    const twin = templates.get(shape)
    if (twin) error(itemPtr, `path '${path}' is the same as '${twin}' (only parameter names differ)`, `Merge the operations into '${twin}'.`)
    else templates.set(shape, path)

    const item = rawItem
    const templateNames = [...path.matchAll(/\{([^}]*)\}/g)].map(m => m[1])
    const itemParams = parameterList(item.parameters, `${itemPtr}/parameters`, resolve)
    for (const method of METHODS) {
      const op = item[method]
      if (!isObject(op)) continue
      const opPtr = toPointer(['paths', path, method])
      const label = `${method.toUpperCase()} ${path}`
      const x = isObject(op['x-sfdc']) ? op['x-sfdc'] : undefined
      const action = isObject(x?.agent) && isObject(x.agent.action) ? x.agent.action : undefined
      const agentAction = action?.publishAsAgentAction === true
      const operationId = typeof op.operationId === 'string' ? op.operationId : undefined
      const description = typeof op.description === 'string' && op.description.trim() ? op.description : typeof op.summary === 'string' && op.summary.trim() ? op.summary : undefined
      const authorization = authorizationOf(x)
      operations.push({
        agentAction,
        ...(authorization ? {authorization} : {}),
        ...(description ? {description} : {}),
        method: method.toUpperCase(),
        ...(operationId === undefined ? {} : {operationId}),
        path,
      })

      // operationId: present, unique, an identifier
      if (op.operationId === undefined) {
        error(opPtr, `${label} has no operationId`, `Add operationId: ${suggestOperationId(method, path)} (unique in the document).`)
      } else if (operationId !== undefined) {
        const first = opIds.get(operationId)
        if (first) error(`${opPtr}/operationId`, `operationId '${operationId}' is also used by ${first}`, 'Rename one of them: every operationId must be unique in the document.')
        else opIds.set(operationId, label)
        if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(operationId)) {
          warning(`${opPtr}/operationId`, `operationId '${operationId}' is not an identifier (letters, digits and underscores, starting with a letter)`, `Rename it, e.g. ${operationId.replaceAll(/[^A-Za-z0-9_]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase()).replace(/^[^A-Za-z]+/, '') || suggestOperationId(method, path)}: Salesforce turns it into an action name.`)
        }
      }

      if (!description) {
        warning(opPtr, `${label} has no description or summary`, agentAction
          ? 'Add a description: Agentforce reads it to decide when to call this action.'
          : 'Add a description: Salesforce shows it in Flow and Apex, and Agentforce uses it to pick actions.')
      }

      // path parameters and the path template agree
      const params = new Map(itemParams)
      for (const [key, p] of parameterList(op.parameters, `${opPtr}/parameters`, resolve)) params.set(key, p)
      const declared = [...params.values()].filter(p => p.in === 'path')
      for (const name of templateNames) {
        if (!declared.some(p => p.name === name)) {
          error(opPtr, `${label} has no path parameter '${name}'`, `Add to parameters: {name: ${name}, in: path, required: true, schema: {type: string}}.`)
        }
      }

      for (const p of declared) {
        if (!templateNames.includes(p.name)) error(p.pointer, `path parameter '${p.name}' does not appear in the path ${path}`, `Add {${p.name}} to the path, or change the parameter's 'in'.`)
      }

      contentRules(op, opPtr, label, resolve, warning)
      sfdcOperationRules(op, opPtr, error, warning)
      if (agentAction) agentActionRules(op, opPtr, method, label, operationId ?? label, resolve, reportedFlags, error)
    }
  }

  if (paths && operations.length === 0) {
    error('/paths', 'the spec has no operations: there is nothing to publish', 'Add at least one operation (get, post, …) under a path.')
  }

  if (topicResult && !operations.some(o => o.agentAction)) {
    error(topicResult.pointer, `agent topic '${topicResult.topic.name ?? ''}' has no actions`, 'Mark at least one operation with x-sfdc: {agent: {action: {publishAsAgentAction: true}}}.')
  }

  return {drafts, operations, servers, ...(topicResult ? {topic: topicResult.topic} : {})}
}

type Report = (path: string, message: string, fix: string) => void

interface ParamInfo {
  in: unknown
  name: string
  pointer: string
}

function parameterList(list: unknown, pointer: string, resolve: (v: unknown, p: string) => Resolved): Map<string, ParamInfo> {
  const out = new Map<string, ParamInfo>()
  if (!Array.isArray(list)) return out
  for (const [i, raw] of list.entries()) {
    const {value} = resolve(raw, `${pointer}/${i}`)
    if (!isObject(value) || typeof value.name !== 'string') continue
    out.set(`${String(value.in)}:${value.name}`, {in: value.in, name: value.name, pointer: `${pointer}/${i}`})
  }

  return out
}

function authorizationOf(x: Record<string, unknown> | undefined): SpecOperation['authorization'] | undefined {
  const auth = isObject(x?.heroku) && isObject(x.heroku.authorization) ? x.heroku.authorization : undefined
  if (!auth) return undefined
  const out: NonNullable<SpecOperation['authorization']> = {}
  if (typeof auth.connectedApp === 'string') out.connectedApp = auth.connectedApp
  if (typeof auth.externalClientApp === 'string') out.externalClientApp = auth.externalClientApp
  if (typeof auth.permissionSet === 'string') out.permissionSet = auth.permissionSet
  return Object.keys(out).length > 0 ? out : undefined
}

function unknownKeys(obj: Record<string, unknown>, known: string[], pointer: string, where: string, report: Report): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue
    const close = closest(key, known)
    report(toPointerFrom(pointer, key), `unknown key '${key}' in ${where}`, close ? `Did you mean '${close}'?` : `Known keys: ${known.join(', ')}.`)
  }
}

function toPointerFrom(pointer: string, key: string): string {
  return `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
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

const TOPIC_FIELDS = ['name', 'classificationDescription', 'scope', 'instructions'] as const
const TOPIC_HELP: Record<(typeof TOPIC_FIELDS)[number], string> = {
  classificationDescription: 'a sentence saying which requests belong to this topic',
  instructions: 'a list of rules the agent follows in this topic',
  name: 'the topic\'s API name, in snake case (e.g. order_management)',
  scope: 'what the agent may do in this topic, and what it must not',
}

function topicRules(doc: Record<string, unknown>, error: Report, warning: Report): {pointer: string; topic: AgentTopic} | undefined {
  const x = doc['x-sfdc']
  if (x === undefined) return undefined
  if (!isObject(x)) {
    error('/x-sfdc', 'x-sfdc must be a map', 'Write it as x-sfdc: {agent: {topic: {...}}}.')
    return undefined
  }

  unknownKeys(x, ['agent'], '/x-sfdc', 'x-sfdc at the document level', warning)
  if (x.agent === undefined) return undefined
  if (!isObject(x.agent)) {
    error('/x-sfdc/agent', 'x-sfdc.agent must be a map', 'Write it as agent: {topic: {...}}.')
    return undefined
  }

  unknownKeys(x.agent, ['topic'], '/x-sfdc/agent', 'x-sfdc.agent', warning)
  const raw = x.agent.topic
  if (raw === undefined) return undefined
  const pointer = '/x-sfdc/agent/topic'
  if (!isObject(raw)) {
    error(pointer, 'x-sfdc.agent.topic must be a map', `Give the topic ${TOPIC_FIELDS.join(', ')}.`)
    return undefined
  }

  unknownKeys(raw, [...TOPIC_FIELDS], pointer, 'the agent topic', warning)
  const topic: AgentTopic = {}
  for (const field of TOPIC_FIELDS) {
    const value = raw[field]
    if (value === undefined) {
      error(pointer, `agent topic is missing '${field}'`, `Add ${field}: ${TOPIC_HELP[field]}.`)
      continue
    }

    const fieldPtr = `${pointer}/${field}`
    if (field === 'instructions') {
      const list = typeof value === 'string' ? [value] : value
      if (!Array.isArray(list) || list.length === 0 || list.some(s => typeof s !== 'string' || !s.trim())) {
        error(fieldPtr, 'agent topic instructions must be a non-empty text or list of texts', 'Write instructions as a list of sentences.')
      } else {
        topic.instructions = value as string | string[]
      }

      continue
    }

    if (typeof value !== 'string' || !value.trim()) {
      error(fieldPtr, `agent topic ${field} must be a non-empty text`, `Set ${field} to ${TOPIC_HELP[field]}.`)
      continue
    }

    topic[field] = value
    if (field === 'name') {
      const problem = apiNameProblem(value)
      if (problem) error(fieldPtr, `agent topic name '${value}' is not a Salesforce API name: ${problem}`, `Use snake case, e.g. ${value.toLowerCase().replaceAll(/[^a-z0-9]+/g, '_').replaceAll(/^_+|_+$/g, '') || 'order_management'}.`)
      else if (/[A-Z]/.test(value)) warning(fieldPtr, `agent topic name '${value}' is not in snake case`, `Snake case is recommended: ${value.replaceAll(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}.`)
    }
  }

  return {pointer, topic}
}

const AUTH_KEYS = ['connectedApp', 'externalClientApp', 'permissionSet']

function sfdcOperationRules(op: Record<string, unknown>, opPtr: string, error: Report, warning: Report): void {
  const x = op['x-sfdc']
  if (x === undefined) return
  const ptr = `${opPtr}/x-sfdc`
  if (!isObject(x)) {
    error(ptr, 'x-sfdc must be a map', 'Write it as x-sfdc: {heroku: {authorization: {...}}, agent: {action: {...}}}.')
    return
  }

  unknownKeys(x, ['agent', 'heroku', 'privacy'], ptr, 'the operation\'s x-sfdc', warning)
  if (x.heroku !== undefined) {
    if (isObject(x.heroku)) {
      unknownKeys(x.heroku, ['authorization'], `${ptr}/heroku`, 'x-sfdc.heroku', warning)
      const auth = x.heroku.authorization
      const authPtr = `${ptr}/heroku/authorization`
      if (auth !== undefined && !isObject(auth)) {
        error(authPtr, 'x-sfdc.heroku.authorization must be a map', 'Write it as authorization: {permissionSet: MyPermissionSet}.')
      } else if (isObject(auth)) {
        // a misspelled key would silently publish without user-plus permissions: an error
        unknownKeys(auth, AUTH_KEYS, authPtr, 'x-sfdc.heroku.authorization', error)
        if (!AUTH_KEYS.some(k => auth[k] !== undefined)) error(authPtr, 'x-sfdc.heroku.authorization names no connected app, external client app or permission set', 'Add permissionSet (and externalClientApp or connectedApp), or remove the authorization.')
        for (const key of AUTH_KEYS) {
          const value = auth[key]
          if (value === undefined) continue
          if (typeof value !== 'string') {
            error(`${authPtr}/${key}`, `authorization ${key} must be a Salesforce API name, not ${JSON.stringify(value)}`, `Write the ${key} API name as text.`)
            continue
          }

          const problem = apiNameProblem(value)
          if (problem) error(`${authPtr}/${key}`, `authorization ${key} '${value}' is not a Salesforce API name: ${problem}`, 'Use the API name as shown in Salesforce Setup (letters, digits, single underscores).')
        }
      }
    } else {
      error(`${ptr}/heroku`, 'x-sfdc.heroku must be a map', 'Write it as heroku: {authorization: {...}}.')
    }
  }

  if (x.agent !== undefined) {
    if (isObject(x.agent)) {
      unknownKeys(x.agent, ['action'], `${ptr}/agent`, 'x-sfdc.agent', warning)
      const action = x.agent.action
      if (action !== undefined && !isObject(action)) {
        error(`${ptr}/agent/action`, 'x-sfdc.agent.action must be a map', 'Write it as action: {publishAsAgentAction: true}.')
      } else if (isObject(action)) {
        unknownKeys(action, ['publishAsAgentAction'], `${ptr}/agent/action`, 'x-sfdc.agent.action', warning)
        if (action.publishAsAgentAction !== undefined && typeof action.publishAsAgentAction !== 'boolean') {
          error(`${ptr}/agent/action/publishAsAgentAction`, `publishAsAgentAction must be true or false, not ${JSON.stringify(action.publishAsAgentAction)}`, 'Write publishAsAgentAction: true (without quotes).')
        }
      }
    } else {
      error(`${ptr}/agent`, 'x-sfdc.agent must be a map', 'Write it as agent: {action: {publishAsAgentAction: true}}.')
    }
  }
}

const isJsonMedia = (type: string) => /^application\/([\w.-]+\+)?json\b/i.test(type) || type === '*/*'

function contentRules(op: Record<string, unknown>, opPtr: string, label: string, resolve: (v: unknown, p: string) => Resolved, warning: Report): void {
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

function jsonSchemaOf(container: unknown): unknown {
  if (!isObject(container) || !isObject(container.content)) return undefined
  const key = Object.keys(container.content).find(t => isJsonMedia(t))
  const media = key ? container.content[key] : undefined
  return isObject(media) ? media.schema : undefined
}

function jsonSchemaKey(container: unknown): string | undefined {
  if (!isObject(container) || !isObject(container.content)) return undefined
  return Object.keys(container.content).find(t => isJsonMedia(t))
}

function agentActionRules(
  op: Record<string, unknown>, opPtr: string, method: string, label: string, name: string,
  resolve: (v: unknown, p: string) => Resolved, reported: Set<string>, error: Report,
): void {
  const mark = 'x-sfdc: {agent: {action: {publishAsAgentAction: true}}}'
  // request side
  if (op.requestBody === undefined) {
    if (['patch', 'post', 'put'].includes(method)) {
      error(opPtr, `agent action ${label} has no request body; an Agentforce action needs a request schema`, 'Add requestBody with an application/json schema whose properties carry x-sfdc.agent.action.isUserInput.')
    }
  } else {
    const body = resolve(op.requestBody, `${opPtr}/requestBody`)
    const key = jsonSchemaKey(body.value)
    const schema = jsonSchemaOf(body.value)
    if (schema === undefined) {
      error(body.pointer, `agent action ${label} has no application/json request schema`, 'Give the request body content: {application/json: {schema: {...}}}.')
    } else {
      propertyFlags(toPointer([...pointerSegments(body.pointer), 'content', key ?? 'application/json', 'schema']), schema, 'request', name, resolve, reported, error)
    }
  }

  // response side: the first success response
  const responses = isObject(op.responses) ? op.responses : {}
  const success = Object.keys(responses).filter(c => /^2(\d\d|XX)$/i.test(c)).sort()
  if (success.length === 0) {
    error(`${opPtr}/responses`, `agent action ${label} has no 2xx response; an Agentforce action needs a response schema`, `Add a 200 response with an application/json schema, or remove ${mark}.`)
    return
  }

  const res = resolve(responses[success[0]], toPointer([...pointerSegments(opPtr), 'responses', success[0]]))
  const schema = jsonSchemaOf(res.value)
  if (schema === undefined) {
    error(res.pointer, `agent action ${label} has no application/json schema in its ${success[0]} response`, 'Give the response content: {application/json: {schema: {...}}}.')
    return
  }

  propertyFlags(toPointer([...pointerSegments(res.pointer), 'content', jsonSchemaKey(res.value) ?? 'application/json', 'schema']), schema, 'response', name, resolve, reported, error)
}

/** Each top-level property of an action's request (response) needs isUserInput (isDisplayable). */
function propertyFlags(
  pointer: string, schema: unknown, side: 'request' | 'response', name: string,
  resolve: (v: unknown, p: string) => Resolved, reported: Set<string>, error: Report,
): void {
  const flag = side === 'request' ? 'isUserInput' : 'isDisplayable'
  const props: Array<{name: string; pointer: string; value: unknown}> = []
  const seen = new Set<string>()
  const collect = (raw: unknown, ptr: string, depth: number) => {
    const s = resolve(raw, ptr)
    if (!isObject(s.value) || depth > 8 || seen.has(s.pointer)) return
    seen.add(s.pointer)
    if (Array.isArray(s.value.allOf)) for (const [i, part] of s.value.allOf.entries()) collect(part, `${s.pointer}/allOf/${i}`, depth + 1)
    if (s.value.items !== undefined) collect(s.value.items, `${s.pointer}/items`, depth + 1)
    if (isObject(s.value.properties)) {
      for (const [prop, value] of Object.entries(s.value.properties)) props.push({name: prop, pointer: toPointerFrom(`${s.pointer}/properties`, prop), value})
    }
  }

  collect(schema, pointer, 0)
  for (const prop of props) {
    const target = resolve(prop.value, prop.pointer)
    if (!isObject(target.value)) continue
    const key = `${target.pointer}\u0000${flag}`
    if (reported.has(key)) continue
    reported.add(key)
    const x = isObject(target.value['x-sfdc']) ? target.value['x-sfdc'] : undefined
    const action = isObject(x?.agent) && isObject(x.agent.action) ? x.agent.action : undefined
    const value = action?.[flag]
    if (value === undefined) {
      error(target.pointer, `${side} property '${prop.name}' of agent action ${name} has no x-sfdc.agent.action.${flag}`, side === 'request'
        ? 'Add x-sfdc: {agent: {action: {isUserInput: true}}} (false when the agent fills it without asking the user).'
        : 'Add x-sfdc: {agent: {action: {isDisplayable: true}}} (false to keep it from the user).')
    } else if (typeof value !== 'boolean') {
      error(`${target.pointer}/x-sfdc/agent/action/${flag}`, `${flag} of ${side} property '${prop.name}' must be true or false, not ${JSON.stringify(value)}`, `Write ${flag}: true or ${flag}: false (without quotes).`)
    }

    const privacy = isObject(x?.privacy) ? x.privacy : undefined
    if (privacy?.isPii !== undefined && typeof privacy.isPii !== 'boolean') {
      error(`${target.pointer}/x-sfdc/privacy/isPii`, `isPii of ${side} property '${prop.name}' must be true or false, not ${JSON.stringify(privacy.isPii)}`, 'Write isPii: true or isPii: false (without quotes).')
    }
  }
}

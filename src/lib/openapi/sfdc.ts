/**
 * The `x-sfdc` extensions AppLink reads (see docs/openapi-rules.md): the user-plus authorization
 * of an operation, the Agentforce topic of the document and the actions of its operations, with
 * the Salesforce API names they hold. Used by `rules.ts`.
 */
import {pointerSegments, toPointer} from './parse.js'
import {closest} from './refs.js'
import {isObject} from './common.js'
import type {AgentTopic, SpecOperation} from './types.js'

export type Report = (path: string, message: string, fix: string) => void

export interface Resolved {
  pointer: string
  value: unknown
}

/** Follows `$ref`s to the object they name. */
export type Resolve = (value: unknown, pointer: string) => Resolved

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

export const isJsonMedia = (type: string) => /^application\/([\w.-]+\+)?json\b/i.test(type) || type === '*/*'

export function authorizationOf(x: Record<string, unknown> | undefined): SpecOperation['authorization'] | undefined {
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

export function toPointerFrom(pointer: string, key: string): string {
  return `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
}

const TOPIC_FIELDS = ['name', 'classificationDescription', 'scope', 'instructions'] as const
const TOPIC_HELP: Record<(typeof TOPIC_FIELDS)[number], string> = {
  classificationDescription: 'a sentence saying which requests belong to this topic',
  instructions: 'a list of rules the agent follows in this topic',
  name: 'the topic\'s API name, in snake case (e.g. order_management)',
  scope: 'what the agent may do in this topic, and what it must not',
}

export function topicRules(doc: Record<string, unknown>, error: Report, warning: Report): {pointer: string; topic: AgentTopic} | undefined {
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

export function sfdcOperationRules(op: Record<string, unknown>, opPtr: string, error: Report, warning: Report): void {
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

export function agentActionRules(
  op: Record<string, unknown>, opPtr: string, method: string, label: string, name: string,
  resolve: Resolve, reported: Set<string>, error: Report,
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
  resolve: Resolve, reported: Set<string>, error: Report,
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

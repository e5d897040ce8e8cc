/**
 * Checking JSON values against the schemas of an OpenAPI 3.0 spec with ajv. OpenAPI 3.0 schemas
 * are a dialect of JSON Schema, so each schema is first rewritten into plain JSON Schema (draft 7):
 * `nullable: true` allows null, boolean `exclusiveMinimum`/`exclusiveMaximum` become numbers,
 * siblings of `$ref` are ignored, annotations (`example`, `xml`, `discriminator`, `x-…`) dropped,
 * and `readOnly` properties are not required in requests (`writeOnly` ones not in responses).
 * Local `$ref`s are collected into `definitions`, so recursive schemas work. Each problem names its
 * JSON path (`contact.lastName`, `items[0].name`) and what was expected.
 */
import {pointerSegments, toPointer} from '../openapi/parse.js'
import {isObject} from '../openapi/common.js'
import {type AjvError, valueAt} from '../openapi/structure.js'
import {type Doc, refTarget} from './spec.js'

export type Direction = 'request' | 'response'

export interface Problem {
  /** `request` (the body or a parameter) or `response` */
  in: string
  message: string
  /** the JSON path as people read it: `contact.lastName`; '' for the whole value */
  path: string
}

type Schema = Record<string, unknown>

const KEEP = new Set([
  'enum', 'format', 'maxItems', 'maxLength', 'maxProperties', 'minItems', 'minLength', 'minProperties',
  'multipleOf', 'pattern', 'required', 'uniqueItems',
])

/** Rewrites one OpenAPI schema (and what it refers to) into JSON Schema; refs go to `defs`. */
function convert(doc: Doc, schema: unknown, direction: Direction, defs: Record<string, unknown>): unknown {
  if (schema === true || schema === false) return schema
  if (!isObject(schema)) return {}
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref
    if (!ref.startsWith('#')) return {}
    // the whole fragment as one key of `definitions`
    const key = toPointer([ref.slice(1)]).slice(1)
    if (!(key in defs)) {
      defs[key] = {}
      defs[key] = convert(doc, valueAt(doc, refTarget(ref)), direction, defs)
    }

    return {$ref: `#/definitions${toPointer([key])}`}
  }

  const out: Schema = {}
  for (const [k, v] of Object.entries(schema)) if (KEEP.has(k)) out[k] = v
  if (schema.type !== undefined) out.type = schema.type
  if (typeof schema.maximum === 'number') {
    if (schema.exclusiveMaximum === true) out.exclusiveMaximum = schema.maximum
    else out.maximum = schema.maximum
  }

  if (typeof schema.minimum === 'number') {
    if (schema.exclusiveMinimum === true) out.exclusiveMinimum = schema.minimum
    else out.minimum = schema.minimum
  }

  const sub = (s: unknown) => convert(doc, s, direction, defs)
  if (isObject(schema.properties)) {
    const props: Schema = {}
    const skipRequired = new Set<string>()
    for (const [name, prop] of Object.entries(schema.properties)) {
      props[name] = sub(prop)
      const flag = direction === 'request' ? 'readOnly' : 'writeOnly'
      if (isObject(prop) && prop[flag] === true) skipRequired.add(name)
    }

    out.properties = props
    if (Array.isArray(out.required) && skipRequired.size > 0) out.required = out.required.filter(r => !skipRequired.has(String(r)))
  }

  if (schema.additionalProperties !== undefined) out.additionalProperties = typeof schema.additionalProperties === 'boolean' ? schema.additionalProperties : sub(schema.additionalProperties)
  if (schema.items !== undefined) out.items = sub(schema.items)
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(schema[k])) out[k] = (schema[k] as unknown[]).map(s => sub(s))
  if (schema.not !== undefined) out.not = sub(schema.not)
  if (schema.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null']
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null]
    if (out.type === undefined && (out.allOf || out.anyOf || out.oneOf || out.$ref)) return {anyOf: [{type: 'null'}, out]}
  }

  return out
}

type Validate = ((value: unknown) => boolean) & {errors?: AjvError[] | null}

type AjvInstance = {compile(schema: unknown): Validate}
let ajvPromise: Promise<AjvInstance> | undefined

/** One ajv per process, with the formats of JSON Schema and those OpenAPI adds. */
async function getAjv(): Promise<AjvInstance> {
  ajvPromise ??= (async () => {
    const [{default: Ajv}, {default: addFormats}] = await Promise.all([import('ajv'), import('ajv-formats')])
    const ajv = new (Ajv as unknown as new (o: object) => AjvInstance & {addFormat(name: string, f: unknown): void})({allErrors: true, logger: false, strict: false, unicodeRegExp: false})
    ;(addFormats as unknown as (a: unknown) => void)(ajv)
    const int = (min: number, max: number) => ({type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max})
    ajv.addFormat('int32', int(-(2 ** 31), 2 ** 31 - 1))
    ajv.addFormat('int64', {type: 'number', validate: (n: number) => Number.isInteger(n)})
    ajv.addFormat('float', {type: 'number', validate: () => true})
    ajv.addFormat('double', {type: 'number', validate: () => true})
    ajv.addFormat('byte', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/)
    ajv.addFormat('binary', true)
    ajv.addFormat('password', true)
    return ajv
  })()
  return ajvPromise
}

/** Compiles the schema at `pointer` of the spec for requests or responses. */
export async function compileSchema(doc: Doc, pointer: string, direction: Direction): Promise<(value: unknown) => Omit<Problem, 'in'>[]> {
  const defs: Record<string, unknown> = {}
  const root = convert(doc, valueAt(doc, pointer), direction, defs)
  const schema = isObject(root) ? {...root, definitions: defs} : {allOf: [root], definitions: defs}
  const validate = (await getAjv()).compile(schema)
  return value => (validate(value) ? [] : describeErrors(validate.errors ?? [], value))
}

// ------------------------------------------------------------------ messages

/** `/contact/lastName` → `contact.lastName`; `/items/0` → `items[0]`; other keys quoted. */
export function readablePath(instancePath: string): string {
  let out = ''
  for (const seg of pointerSegments(instancePath)) {
    if (/^\d+$/.test(seg)) out += `[${seg}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(seg)) out += out ? `.${seg}` : seg
    else out += `[${JSON.stringify(seg)}]`
  }

  return out
}

function join(path: string, key: string): string {
  return readablePath(`${path}${toPointer([key])}`)
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'number') return Number.isInteger(value) ? `the integer ${value}` : `the number ${value}`
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  if (typeof value === 'boolean') return `${value}`
  return typeof value === 'object' ? 'an object' : typeof value
}

const article = (t: string) => (/^[aeiou]/.test(t) ? `an ${t}` : `a ${t}`)

function expectedType(type: unknown): string {
  const list = (Array.isArray(type) ? type : [type]).map(String)
  return list.map(t => (t === 'null' ? 'null' : article(t))).join(' or ')
}

function describe(e: AjvError, value: unknown): Omit<Problem, 'in'> {
  const path = readablePath(e.instancePath)
  const got = typeOf(valueAt(value, e.instancePath))
  const p = e.params
  switch (e.keyword) {
  case 'required': {
    return {message: 'is required but missing', path: join(e.instancePath, String(p.missingProperty))}
  }

  case 'additionalProperties': {
    return {message: 'is not a property the schema allows (additionalProperties is false)', path: join(e.instancePath, String(p.additionalProperty))}
  }

  case 'type': {
    return {message: `expected ${expectedType(p.type)}, got ${got}`, path}
  }

  case 'enum': {
    const allowed = (p.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')
    return {message: `expected one of ${allowed}, got ${got}`, path}
  }

  case 'format': {
    return {message: `expected a string in format ${String(p.format)}, got ${got}`, path}
  }

  case 'minLength':
  case 'maxLength': {
    return {message: `expected ${e.keyword === 'minLength' ? 'at least' : 'at most'} ${String(p.limit)} character${p.limit === 1 ? '' : 's'}, got ${got}`, path}
  }

  case 'minItems':
  case 'maxItems': {
    return {message: `expected ${e.keyword === 'minItems' ? 'at least' : 'at most'} ${String(p.limit)} item${p.limit === 1 ? '' : 's'}, got ${(valueAt(value, e.instancePath) as unknown[]).length}`, path}
  }

  case 'minimum':
  case 'maximum':
  case 'exclusiveMinimum':
  case 'exclusiveMaximum': {
    return {message: `expected a number ${String(p.comparison)} ${String(p.limit)}, got ${got}`, path}
  }

  case 'pattern': {
    return {message: `expected a string matching ${String(p.pattern)}, got ${got}`, path}
  }

  case 'oneOf':
  case 'anyOf': {
    return {message: `expected a value matching ${e.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of the ${e.keyword} schemas, got ${got}`, path}
  }

  default: {
    return {message: `expected a value that ${e.message ?? `passes ${e.keyword}`}, got ${got}`, path}
  }
  }
}

/** One problem per error a person can act on: errors inside oneOf/anyOf branches are summed up by the branch's own error. */
function describeErrors(errors: AjvError[], value: unknown): Array<Omit<Problem, 'in'>> {
  const groups = errors.filter(e => e.keyword === 'oneOf' || e.keyword === 'anyOf').map(e => e.schemaPath)
  const seen = new Set<string>()
  const out: Array<Omit<Problem, 'in'>> = []
  for (const e of errors) {
    if (e.keyword === 'if') continue
    if (groups.some(g => e.schemaPath !== g && e.schemaPath.startsWith(`${g}/`))) continue
    const d = describe(e, value)
    const key = `${d.path}\u0000${d.message}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push(d)
  }

  return out
}

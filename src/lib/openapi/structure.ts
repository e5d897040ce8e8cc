/**
 * OpenAPI 3.0 structure: the version check (Swagger 2.0 and 3.1 are refused with a clear word),
 * then validation against the official 3.0 JSON schema with `@seriousme/openapi-schema-validator`
 * (ajv underneath; the schema compiled at build time, see scripts/gen-openapi-validator.mjs). ajv reports every failed branch of every `oneOf`;
 * `condense()` keeps the errors a person can act on.
 */
import {pointerSegments} from './parse.js'
import {type Draft, isObject} from './common.js'

export type AjvError = {
  instancePath: string
  keyword: string
  message?: string
  params: Record<string, unknown>
  schemaPath: string
}

interface OpenApiValidator {
  specification?: unknown
  validate(spec: Record<string, unknown>): Promise<{errors?: AjvError[] | string; valid: boolean}>
}

let validator: Promise<OpenApiValidator> | undefined

type CompiledSchema = ((doc: unknown) => boolean) & {errors?: AjvError[] | null}

/**
 * The OpenAPI 3.0 schema compiled at build time (scripts/gen-openapi-validator.mjs, the library's
 * own schema and ajv options), or undefined when this copy has none (running from src/).
 */
async function precompiled(): Promise<CompiledSchema | undefined> {
  try {
    const {createRequire} = await import('node:module')
    return createRequire(import.meta.url)('./oas30-validator.cjs') as CompiledSchema
  } catch {
    return undefined
  }
}

/** One validator per process: the precompiled schema, else the library (which compiles it once). */
function getValidator(): Promise<OpenApiValidator> {
  validator ??= precompiled().then(async compiled => {
    if (compiled) {
      return {
        // what the library's validate() answers for a 3.0 document; its $ref check is ./refs.ts's job
        async validate(doc: Record<string, unknown>) {
          const valid = compiled(doc)
          return valid ? {valid} : {errors: compiled.errors ?? [], valid}
        },
      }
    }

    const m = await import('@seriousme/openapi-schema-validator')
    return new m.Validator({allErrors: true}) as unknown as OpenApiValidator
  })
  return validator
}

/** The version check; returns drafts when the document is not OpenAPI 3.0 (checking stops there). */
export function versionDrafts(doc: unknown): Draft[] {
  if (!isObject(doc)) {
    return [{fix: 'An OpenAPI document is a map with openapi, info and paths at the top.', message: `the document is ${Array.isArray(doc) ? 'a list' : doc === null ? 'empty' : `a ${typeof doc}`}, not an OpenAPI object`, path: '', severity: 'error'}]
  }

  if (doc.swagger !== undefined) {
    return [{
      fix: 'Convert it to OpenAPI 3.0 (for example with swagger2openapi or the Swagger Editor), then publish the 3.0 file.',
      message: `this is a Swagger ${String(doc.swagger)} document; AppLink takes OpenAPI 3.0`,
      path: '/swagger',
      severity: 'error',
    }]
  }

  const v = doc.openapi
  if (v === undefined) {
    return [{fix: 'Add openapi: "3.0.3" at the top of the document.', message: 'no openapi field: AppLink takes OpenAPI 3.0 documents', path: '', severity: 'error'}]
  }

  if (typeof v !== 'string') {
    return [{fix: 'Quote the version: openapi: "3.0.3".', message: `openapi must be a string such as "3.0.3", not the ${typeof v} ${JSON.stringify(v)}`, path: '/openapi', severity: 'error'}]
  }

  if (/^3\.0\.\d+$/.test(v)) return []
  if (/^3\.[1-9]/.test(v) || /^[4-9]/.test(v)) {
    return [{
      fix: 'Set openapi: "3.0.3" and replace 3.1-only constructs (type lists such as [string, "null"], examples in schemas, const) with their 3.0 forms (nullable: true, example).',
      message: `this is an OpenAPI ${v} document; AppLink takes OpenAPI 3.0`,
      path: '/openapi',
      severity: 'error',
    }]
  }

  return [{fix: 'Set openapi: "3.0.3".', message: `openapi ${JSON.stringify(v)} is not an OpenAPI 3.0.x version`, path: '/openapi', severity: 'error'}]
}

/** Validates against the OpenAPI 3.0 schema; one draft per actionable problem. */
export async function schemaDrafts(doc: Record<string, unknown>): Promise<Draft[]> {
  const v = await getValidator()
  let result
  try {
    result = await v.validate(doc)
  } finally {
    // the validator keeps the last document; let it go
    v.specification = undefined
  }

  // a string error is the library's own $ref check, which ./refs.ts does in full
  if (result.valid || !Array.isArray(result.errors)) return []
  return condense(result.errors, doc).map(e => toDraft(e, doc))
}

/** The node at a JSON pointer in `doc`, or undefined. */
export function valueAt(doc: unknown, pointer: string): unknown {
  let node = doc
  for (const seg of pointerSegments(pointer)) {
    if (Array.isArray(node)) node = node[Number(seg)]
    else if (isObject(node)) node = node[seg]
    else return undefined
  }

  return node
}

const BRANCH = /\/(?:oneOf|anyOf)\/(\d+)(?=\/|$)/g

/** The innermost oneOf/anyOf branch an error came from: `<schemaPath up to oneOf>` and the index. */
function innermostBranch(schemaPath: string): {group: string; index: number} | undefined {
  let last: RegExpExecArray | undefined
  for (const m of schemaPath.matchAll(BRANCH)) last = m
  if (!last) return undefined
  const group = schemaPath.slice(0, last.index + last[0].indexOf('/', 1))
  return {group, index: Number(last[1])}
}

/**
 * Keeps the errors worth showing:
 * - an object with `$ref` is judged as a Reference only; other objects never as a Reference;
 * - a oneOf branch whose discriminating value (an enum) does not match is ruled out when another
 *   branch matched it; when every branch failed on the same enum, one merged enum error remains;
 * - "must match exactly one schema in oneOf" goes when a more precise error explains it.
 */
export function condense(errors: AjvError[], doc: unknown): AjvError[] {
  let kept = withoutReferenceNoise(errors, doc)
  const {drop, merged} = settleBranches(kept)
  kept = [...kept.filter(e => !drop.has(e)), ...merged]
  // a oneOf/anyOf summary is noise when a more precise error sits at or under it
  kept = kept.filter(e => {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') return true
    return !kept.some(o => o !== e && o.keyword !== 'oneOf' && o.keyword !== 'anyOf' && (o.instancePath === e.instancePath || o.instancePath.startsWith(e.instancePath + '/')))
  })
  // one error per place and reason
  const seen = new Set<string>()
  return kept.filter(e => {
    const key = `${e.instancePath}\u0000${e.keyword}\u0000${JSON.stringify(e.params)}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** An object with `$ref` is judged as a Reference only; other objects never as a Reference. */
function withoutReferenceNoise(errors: AjvError[], doc: unknown): AjvError[] {
  const isRefObject = (path: string) => {
    const value = valueAt(doc, path)
    return isObject(value) && '$ref' in value
  }

  const fromReference = (e: AjvError) => e.schemaPath.includes('/definitions/Reference/') || e.schemaPath.startsWith('#/definitions/Reference')
  return errors.filter(e => {
    if (fromReference(e)) return isRefObject(e.instancePath) || isRefObject(e.instancePath.replace(/\/\$ref$/, ''))
    // inside an object that has $ref, only the Reference shape matters
    for (let p = e.instancePath; ; p = p.slice(0, p.lastIndexOf('/'))) {
      if (isRefObject(p) && e.keyword !== 'oneOf') return false
      if (p === '') break
    }

    return true
  })
}

/**
 * The branch errors of each oneOf/anyOf, grouped by the oneOf they belong to (its schema path and
 * where it applied), settled: the errors to drop, and the merged errors that replace them.
 */
function settleBranches(kept: AjvError[]): {drop: Set<AjvError>; merged: AjvError[]} {
  const groups = new Map<string, Map<number, AjvError[]>>()
  for (const e of kept) {
    const b = innermostBranch(e.schemaPath)
    if (!b) continue
    const summary = kept.find(s => (s.keyword === 'oneOf' || s.keyword === 'anyOf') && s.schemaPath === b.group && e.instancePath.startsWith(s.instancePath))
    const key = `${summary?.instancePath ?? e.instancePath}\u0000${b.group}`
    const branches = groups.get(key) ?? new Map<number, AjvError[]>()
    branches.set(b.index, [...(branches.get(b.index) ?? []), e])
    groups.set(key, branches)
  }

  const drop = new Set<AjvError>()
  const merged: AjvError[] = []
  for (const branches of groups.values()) merged.push(...settleGroup([...branches.values()], drop))
  return {drop, merged}
}

/** One oneOf's branches (their errors each); adds what goes to `drop`, returns what replaces it. */
function settleGroup(list: AjvError[][], drop: Set<AjvError>): AjvError[] {
  const discriminated = list.filter(errs => errs.some(e => e.keyword === 'enum'))
  if (discriminated.length === 0) {
    // every branch failed only on required fields: "needs one of a, b"
    const onlyRequired = list.length > 1 && list.every(errs => errs.every(e => e.keyword === 'required'))
    if (!onlyRequired) return []
    const all = list.flat()
    for (const e of all) drop.add(e)
    const names = [...new Set(all.map(e => String(e.params.missingProperty)))]
    return [{instancePath: all[0].instancePath, keyword: 'requiredOneOf', params: {names}, schemaPath: ''}]
  }

  // another branch got past the discriminator: the others are not what the author meant
  for (const errs of discriminated) for (const e of errs) drop.add(e)
  if (discriminated.length < list.length) return []
  // every branch failed on its discriminator: one enum error listing every allowed value
  const byPath = new Map<string, AjvError>()
  for (const e of discriminated.flat().filter(e => e.keyword === 'enum')) {
    const prev = byPath.get(e.instancePath)
    const values = [...((prev?.params.allowedValues as unknown[]) ?? []), ...(e.params.allowedValues as unknown[])]
    byPath.set(e.instancePath, {...e, params: {allowedValues: [...new Set(values)]}})
  }

  return [...byPath.values()]
}

function lastSegment(pointer: string): string {
  const segs = pointerSegments(pointer)
  return segs.at(-1) ?? 'the document'
}

const HTTP_METHODS = new Set(['delete', 'get', 'head', 'options', 'patch', 'post', 'put', 'trace'])

/** A pointer for people: `GET /orders parameters[0].schema`, `components.schemas.Order`. */
export function describe(pointer: string, doc?: unknown): string {
  const segs = pointerSegments(pointer)
  if (segs.length === 0) return 'the document'
  // list items as [n] (known from the document when given, else any number)
  const inList: boolean[] = []
  let node = doc
  for (const seg of segs) {
    inList.push(doc === undefined ? /^\d+$/.test(seg) : Array.isArray(node))
    node = Array.isArray(node) ? node[Number(seg)] : isObject(node) ? node[seg] : undefined
  }

  const join = (from: number) => segs.slice(from).map((s, i) => inList[from + i] ? `[${s}]` : i === 0 ? s : `.${s}`).join('')
  if (segs[0] === 'paths' && segs.length >= 2) {
    const op = segs.length >= 3 && HTTP_METHODS.has(segs[2])
    const head = op ? `${segs[2].toUpperCase()} ${segs[1]}` : `path ${segs[1]}`
    const from = op ? 3 : 2
    return segs.length > from ? `${head} ${join(from)}` : head
  }

  return join(0)
}

function parentOf(pointer: string): string {
  return pointer.slice(0, Math.max(0, pointer.lastIndexOf('/')))
}

function toDraft(e: AjvError, doc: unknown): Draft {
  const where = describe(e.instancePath, doc)
  const name = lastSegment(e.instancePath)
  const p = e.params
  switch (e.keyword) {
    case 'required': {
      return {fix: `Add '${String(p.missingProperty)}' to ${where}.`, message: `${where} is missing the required field '${String(p.missingProperty)}'`, path: e.instancePath, severity: 'error'}
    }

    case 'requiredOneOf': {
      const names = (p.names as string[]).map(n => `'${n}'`)
      return {fix: `Add ${names.join(' or ')} to ${where}.`, message: `${where} needs one of ${names.join(', ')}`, path: e.instancePath, severity: 'error'}
    }

    case 'additionalProperties': {
      return additionalPropertyDraft(e, where)
    }

    case 'enum': {
      return enumDraft(e, doc)
    }

    case 'type': {
      const actual = valueAt(doc, e.instancePath)
      const kind = Array.isArray(actual) ? 'a list' : actual === null ? 'null' : isObject(actual) ? 'a map' : `the ${typeof actual} ${JSON.stringify(actual)}`
      return {fix: `Make ${name} ${article(String(p.type))}.`, message: `${name} in ${where} must be ${article(String(p.type))}, not ${kind}`, path: e.instancePath, severity: 'error'}
    }

    case 'oneOf':
    case 'anyOf': {
      return {fix: 'Compare it with the OpenAPI 3.0 specification for this object.', message: `${where} does not match ${e.keyword === 'oneOf' && Array.isArray(p.passingSchemas) ? 'exactly one' : 'any'} of the shapes OpenAPI 3.0 allows here`, path: e.instancePath, severity: 'error'}
    }

    case 'pattern': {
      return {fix: `Make it match ${String(p.pattern)}.`, message: `${name} ${JSON.stringify(valueAt(doc, e.instancePath))} does not have the expected form`, path: e.instancePath, severity: 'error'}
    }

    case 'format': {
      return {fix: `Write a valid ${String(p.format)}.`, message: `${name} ${JSON.stringify(valueAt(doc, e.instancePath))} is not a valid ${String(p.format)}`, path: e.instancePath, severity: 'error'}
    }

    case 'not': {
      return {fix: 'Keep only one of the conflicting fields.', message: `${where} combines fields that OpenAPI 3.0 does not allow together`, path: e.instancePath, severity: 'error'}
    }

    default: {
      return {fix: 'Compare it with the OpenAPI 3.0 specification for this object.', message: `${where} ${e.message ?? 'is not valid'}`, path: e.instancePath, severity: 'error'}
    }
  }
}

function additionalPropertyDraft(e: AjvError, where: string): Draft {
  const key = String(e.params.additionalProperty)
  const path = `${e.instancePath}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`
  if (e.instancePath === '/paths') {
    return {fix: `Start the path with a slash: /${key}.`, message: `path '${key}' must start with '/'`, path, severity: 'error'}
  }

  return {fix: `Remove '${key}' (or rename it: extensions start with 'x-').`, message: `'${key}' is not allowed in ${where}`, path, severity: 'error'}
}

function enumDraft(e: AjvError, doc: unknown): Draft {
  const name = lastSegment(e.instancePath)
  const allowed = (e.params.allowedValues as unknown[]).map(v => JSON.stringify(v)).join(', ')
  const value = valueAt(doc, e.instancePath)
  const message = `${name} of ${describe(parentOf(e.instancePath), doc)} is ${JSON.stringify(value)}; allowed: ${allowed}`
  if (name === 'in' && (value === 'body' || value === 'formData')) {
    return {fix: `OpenAPI 3.0 has no in: ${value} (that is Swagger 2.0): describe the body in the operation's requestBody instead.`, message, path: e.instancePath, severity: 'error'}
  }

  return {fix: `Use one of ${allowed}.`, message, path: e.instancePath, severity: 'error'}
}

function article(type: string): string {
  if (type === 'array') return 'a list'
  if (type === 'object') return 'a map'
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`
}

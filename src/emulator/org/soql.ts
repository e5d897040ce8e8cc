/**
 * SOQL over an emulated org's records. The query is parsed by `@jetstreamapp/soql-parser-js`, then
 * checked against the org's schema and evaluated here. What the engine does not evaluate is refused
 * with MALFORMED_QUERY naming it, so a query never gets a wrong answer.
 *
 * The parser gives WHERE as a right-leaning chain with parenthesis counts on its conditions; it is
 * turned back into tokens and parsed again with SOQL's precedence (NOT, then AND, then OR).
 */
import {parseQuery, type Query, type Subquery, type WhereClause} from '@jetstreamapp/soql-parser-js'

import {invalidField, malformedQuery, SfError, unsupported} from './errors.js'
import {normalizeId} from './ids.js'
import {API_PATH, recordsOf} from './records.js'
import {childRelationship, type FieldDef, type ObjectDef, requireObject} from './schema.js'
import type {OrgData, SObjectRecord} from './types.js'
import {compareOrdered, compareValues, dateLiteralRange, isDate, likeToRegExp, parseDateTime} from './values.js'

type Row = Record<string, unknown>

/** A field reached from an object, through zero or more parent relationships. */
interface FieldPath {
  field: FieldDef
  /** the reference fields followed, with the object each leads to */
  hops: Array<{def: ObjectDef; via: FieldDef}>
  text: string
}

type Matcher = (record: SObjectRecord) => boolean

/** Lookups of one query: records by id and children by parent, indexed on first use. */
class Index {
  private readonly byId = new Map<string, Map<string, SObjectRecord>>()
  private readonly byParent = new Map<string, Map<unknown, SObjectRecord[]>>()
  constructor(private readonly org: OrgData) {}

  children(object: string, field: string, parentId: string): SObjectRecord[] {
    const key = `${object}.${field}`
    let groups = this.byParent.get(key)
    if (!groups) {
      groups = new Map()
      for (const r of recordsOf(this.org, object)) {
        const list = groups.get(r[field])
        if (list) list.push(r)
        else groups.set(r[field], [r])
      }

      this.byParent.set(key, groups)
    }

    return groups.get(parentId) ?? []
  }

  record(object: string, id: string): SObjectRecord | undefined {
    let records = this.byId.get(object)
    if (!records) {
      records = new Map(recordsOf(this.org, object).map(r => [r.Id, r]))
      this.byId.set(object, records)
    }

    return records.get(id)
  }
}

interface Plan {
  count: boolean
  def: ObjectDef
  index: Index
  limit?: number
  offset: number
  order: Array<{desc: boolean; nullsFirst: boolean; path: FieldPath}>
  select: Array<{kind: 'field'; path: FieldPath} | {child: ChildPlan; kind: 'child'}>
  where?: Matcher
}

interface ChildPlan {
  field: string
  name: string
  plan: Plan
}

export interface SoqlResult {
  records: Row[]
  totalSize: number
}

const TOP_LEVEL_KEYS = new Set(['fields', 'limit', 'offset', 'orderBy', 'sObject', 'where', 'withSecurityEnforced'])
const SUBQUERY_KEYS = new Set(['fields', 'limit', 'offset', 'orderBy', 'relationshipName', 'where'])

function checkClauses(query: object, allowed: Set<string>): void {
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || allowed.has(key)) continue
    const names: Record<string, string> = {
      for: 'FOR VIEW / FOR UPDATE', groupBy: 'GROUP BY', having: 'HAVING', sObjectAlias: 'An alias on the FROM object', sObjectPrefix: 'A prefixed relationship in a subquery',
      update: 'UPDATE TRACKING / VIEWSTAT', usingScope: 'USING SCOPE', withAccessLevel: 'WITH USER_MODE / SYSTEM_MODE', withDataCategory: 'WITH DATA CATEGORY',
    }
    throw unsupported(Object.hasOwn(names, key) ? names[key] : `The clause "${key}"`)
  }
}

function parse(soql: string): Query {
  if (soql.trim() === '') throw malformedQuery('The query is empty: send a SOQL query in the q parameter.')
  try {
    return parseQuery(soql)
  } catch (error) {
    const first = String((error as Error).message).split('\n')[0]
    throw malformedQuery(`The query could not be parsed: ${first}`)
  }
}

/** Resolves `a.b.Field` from `def`; the object's own name may prefix a field (`Account.Name` FROM Account). */
function resolvePath(org: OrgData, def: ObjectDef, text: string, allowPrefix = true): FieldPath {
  let parts = text.split('.')
  if (allowPrefix && parts.length > 1 && parts[0].toLowerCase() === def.name.toLowerCase() && !def.relationships.has(parts[0].toLowerCase())) parts = parts.slice(1)
  const hops: FieldPath['hops'] = []
  let current = def
  for (const rel of parts.slice(0, -1)) {
    const via = current.relationships.get(rel.toLowerCase())
    if (!via || !via.references) throw invalidField(`Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`)
    current = requireObject(org, via.references)
    hops.push({def: current, via})
  }

  const name = parts.at(-1)!
  const field = current.fields.get(name.toLowerCase())
  if (!field) {
    throw invalidField(`No such column '${name}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`)
  }

  return {field, hops, text}
}

function valueAt(index: Index, record: SObjectRecord, path: FieldPath): unknown {
  let current: SObjectRecord | undefined = record
  for (const hop of path.hops) {
    const id: unknown = current[hop.via.name]
    current = typeof id === 'string' ? index.record(hop.def.name, id) : undefined
    if (!current) return null
  }

  return current[path.field.name] ?? null
}

// --- WHERE ---

type Token = '(' | ')' | 'AND' | 'NOT' | 'OR' | {condition: any}

function tokens(where: WhereClause, out: Token[] = []): Token[] {
  const node = where as any
  const left = node.left
  if (left) {
    for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(')
    if (left.field !== undefined || left.fn !== undefined) out.push({condition: left})
    for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')')
  }

  if (node.operator) out.push(node.operator)
  if (node.right) tokens(node.right, out)
  return out
}

/** Precedence parse of the token list: OR of ANDs of (NOT)* primaries. */
function parseTokens(list: Token[], compile: (c: any) => Matcher): Matcher {
  let i = 0
  const peek = () => list[i]
  const primary = (): Matcher => {
    const t = list[i++]
    if (t === 'NOT') {
      const inner = primary()
      return r => !inner(r)
    }

    if (t === '(') {
      const inner = or()
      if (list[i++] !== ')') throw malformedQuery('Unbalanced parentheses in WHERE.')
      return inner
    }

    if (t && typeof t === 'object') return compile(t.condition)
    throw malformedQuery('The WHERE clause could not be understood.')
  }

  const and = (): Matcher => {
    const parts = [primary()]
    while (peek() === 'AND') {
      i++
      parts.push(primary())
    }

    return parts.length === 1 ? parts[0] : r => parts.every(p => p(r))
  }

  const or = (): Matcher => {
    const parts = [and()]
    while (peek() === 'OR') {
      i++
      parts.push(and())
    }

    return parts.length === 1 ? parts[0] : r => parts.some(p => p(r))
  }

  // the parser's tree loses a NOT in `NOT NOT NOT a` and in `NOT (NOT (NOT a))`: refuse what it cannot have meant
  if (list.some((t, k) => t === 'NOT' && list[k + 1] === 'NOT')) throw malformedQuery('NOT directly followed by NOT is not supported: write NOT (NOT …).')
  if (list.filter(t => t === '(').length !== list.filter(t => t === ')').length) throw unsupported('This nesting of NOT inside parentheses')
  const m = or()
  if (i !== list.length) throw malformedQuery('The WHERE clause could not be understood.')
  return m
}

const NUMERIC = new Set(['currency', 'double', 'int', 'percent'])
const TEXT = new Set(['email', 'id', 'phone', 'picklist', 'reference', 'string', 'textarea', 'url'])

function unquote(value: string): string {
  const inner = value.slice(1, -1)
  return inner.replaceAll(/\\(.)/g, (_m, c: string) => ({b: '\b', f: '\f', n: '\n', r: '\r', t: '\t'})[c as 'b'] ?? c)
}

type Literal = {kind: 'null'} | {kind: 'range'; range: [number, number]} | {kind: 'value'; value: unknown}

function typeMismatch(field: FieldDef, expected: string): SfError {
  return invalidField(`value of filter criterion for field '${field.name}' must be of type ${expected} and should not be enclosed in quotes`)
}

/** A literal of a condition, checked against the field's type. */
function literal(field: FieldDef, type: string, raw: string, now: number): Literal {
  if (type === 'NULL') return {kind: 'null'}
  const ft = field.type
  if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
    if (ft !== 'date' && ft !== 'datetime') throw typeMismatch(field, ft)
    const range = dateLiteralRange(raw, now)
    if (!range) throw unsupported(`The date literal ${raw}`)
    return {kind: 'range', range}
  }

  if (type === 'STRING') {
    if (!TEXT.has(ft)) throw typeMismatch(field, ft)
    const text = unquote(raw)
    if (ft === 'id' || ft === 'reference') return {kind: 'value', value: normalizeId(text) ?? text}
    return {kind: 'value', value: text}
  }

  if (type === 'INTEGER' || type === 'DECIMAL') {
    if (!NUMERIC.has(ft)) throw typeMismatch(field, ft)
    return {kind: 'value', value: Number(raw)}
  }

  if (type === 'BOOLEAN') {
    if (ft !== 'boolean') throw typeMismatch(field, ft)
    return {kind: 'value', value: raw.toUpperCase() === 'TRUE'}
  }

  if (type === 'DATE') {
    if (ft === 'date') return {kind: 'value', value: raw}
    throw typeMismatch(field, ft)
  }

  if (type === 'DATETIME') {
    if (ft !== 'datetime') throw typeMismatch(field, ft)
    return {kind: 'value', value: parseDateTime(raw)}
  }

  throw unsupported(`A ${type.toLowerCase().replaceAll('_', ' ')} value`)
}

/** A stored value in the form literals of its field compare with. */
function comparable(field: FieldDef, value: unknown): unknown {
  if (value === null || value === undefined) return null
  if (field.type === 'datetime' && typeof value === 'string') return parseDateTime(value) ?? null
  return value
}

function inRange(field: FieldDef, value: unknown, range: [number, number], op: string): boolean {
  if (value === null) return op === '!='
  const t = field.type === 'date' ? (isDate(String(value)) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN) : Number(value)
  switch (op) {
    case '=': return t >= range[0] && t < range[1]
    case '!=': return !(t >= range[0] && t < range[1])
    case '<': return t < range[0]
    case '<=': return t < range[1]
    case '>': return t >= range[1]
    case '>=': return t >= range[0]
    default: throw unsupported(`The operator ${op} with a date literal`)
  }
}

function equal(field: FieldDef, a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b
  if (field.type === 'id' || field.type === 'reference') return a === b
  return compareValues(a, b) === 0
}

function compileCondition(org: OrgData, index: Index, def: ObjectDef, c: any, now: number): Matcher {
  if (c.fn) throw unsupported('A function in WHERE')
  const path = resolvePath(org, def, c.field)
  const {field} = path
  const op = String(c.operator).toUpperCase() === '<>' ? '!=' : String(c.operator).toUpperCase()
  const get = (r: SObjectRecord) => comparable(field, valueAt(index, r, path))
  if (op === 'INCLUDES' || op === 'EXCLUDES') throw unsupported(`${op} (multi-select picklists)`)
  if (op === 'IN' || op === 'NOT IN') {
    let values: unknown[]
    if (c.valueQuery) {
      values = semiJoinValues(org, index, c.valueQuery, now)
    } else {
      const raw: string[] = Array.isArray(c.value) ? c.value : [c.value]
      const types: string[] = Array.isArray(c.literalType) ? c.literalType : raw.map(() => c.literalType)
      values = raw.map((v, i) => {
        const lit = literal(field, types[i], v, now)
        if (lit.kind === 'range') throw unsupported('A date literal inside IN')
        return lit.kind === 'null' ? null : lit.value
      })
    }

    const negate = op === 'NOT IN'
    return r => {
      const v = get(r)
      const found = values.some(x => equal(field, v, x))
      return negate ? !found : found
    }
  }

  if (Array.isArray(c.value)) throw malformedQuery(`The operator ${op} takes one value, not a list.`)
  const lit = literal(field, String(c.literalType), String(c.value), now)
  if (op === 'LIKE') {
    if (lit.kind !== 'value' || typeof lit.value !== 'string' || !TEXT.has(field.type)) throw invalidField(`invalid operator on field ${field.name}: LIKE needs a quoted text pattern`)
    const re = likeToRegExp(lit.value)
    return r => {
      const v = get(r)
      return typeof v === 'string' && re.test(v)
    }
  }

  if (lit.kind === 'range') return r => inRange(field, get(r), lit.range, op)
  const target = lit.kind === 'null' ? null : lit.value
  switch (op) {
    case '=': return r => equal(field, get(r), target)
    case '!=': return r => !equal(field, get(r), target)
    case '<':
    case '<=':
    case '>':
    case '>=': {
      if (target === null) return () => false
      return r => {
        const v = get(r)
        if (v === null) return false
        const d = compareValues(v, target)
        return op === '<' ? d < 0 : op === '<=' ? d <= 0 : op === '>' ? d > 0 : d >= 0
      }
    }

    default: throw unsupported(`The operator ${op}`)
  }
}

function semiJoinValues(org: OrgData, index: Index, query: Query, now: number): unknown[] {
  checkClauses(query, TOP_LEVEL_KEYS)
  const def = requireObject(org, query.sObject ?? '')
  const fields = query.fields ?? []
  if (fields.length !== 1 || (fields[0].type !== 'Field' && fields[0].type !== 'FieldRelationship')) throw malformedQuery('A semi-join subquery selects exactly one field.')
  const f = fields[0] as any
  const path = resolvePath(org, def, f.type === 'Field' ? f.field : f.rawValue ?? [...f.relationships, f.field].join('.'))
  if (path.field.type !== 'id' && path.field.type !== 'reference') throw malformedQuery('A semi-join subquery must select an Id or a reference field.')
  const plan = compile(org, index, def, {...query, fields: []} as Query, now, true)
  return select(org, plan).map(r => valueAt(index, r, path)).filter(v => v !== null)
}

// --- the query ---

function compile(org: OrgData, index: Index, def: ObjectDef, query: Query | Subquery, now: number, bare = false): Plan {
  const plan: Plan = {count: false, def, index, offset: query.offset ?? 0, order: [], select: []}
  if (query.limit !== undefined) plan.limit = query.limit
  for (const f of bare ? [] : query.fields ?? []) {
    const field = f as any
    switch (field.type) {
      case 'Field': {
        if (field.alias) throw unsupported('A field alias')
        plan.select.push({kind: 'field', path: resolvePath(org, def, field.field)})
        break
      }

      case 'FieldRelationship': {
        if (field.alias) throw unsupported('A field alias')
        plan.select.push({kind: 'field', path: resolvePath(org, def, [...field.relationships, field.field].join('.'))})
        break
      }

      case 'FieldSubquery': {
        if ('relationshipName' in query) throw malformedQuery('Nested child subqueries are not allowed.')
        const sub = field.subquery as Subquery
        checkClauses(sub, SUBQUERY_KEYS)
        const rel = childRelationship(org, def, sub.relationshipName)
        if (!rel) throw new SfError(400, 'INVALID_TYPE', `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`)
        plan.select.push({child: {field: rel.field, name: rel.name, plan: compile(org, index, requireObject(org, rel.object), sub, now)}, kind: 'child'})
        break
      }

      case 'FieldFunctionExpression': {
        if (String(field.functionName).toUpperCase() === 'COUNT' && (field.parameters ?? []).length === 0 && !field.alias) {
          if ((query.fields ?? []).length !== 1 || 'relationshipName' in query) throw malformedQuery('COUNT() must be the only item in the SELECT list.')
          plan.count = true
          break
        }

        throw unsupported(`${field.rawValue ?? field.functionName} (aggregate and other functions; only COUNT() is)`)
      }

      default: throw unsupported(field.type === 'FieldTypeof' ? 'TYPEOF' : `The select item ${field.rawValue ?? field.type}`)
    }
  }

  if (!bare && plan.select.length === 0 && !plan.count) throw malformedQuery('The SELECT list is empty.')
  if (query.where) plan.where = parseTokens(tokens(query.where), c => compileCondition(org, index, def, c, now))
  const orderBy = query.orderBy === undefined ? [] : Array.isArray(query.orderBy) ? query.orderBy : [query.orderBy]
  if (plan.count && orderBy.length > 0) throw malformedQuery('ORDER BY cannot be used with COUNT().')
  for (const o of orderBy as any[]) {
    if (o.fn) throw unsupported('A function in ORDER BY')
    const desc = String(o.order ?? 'ASC').toUpperCase() === 'DESC'
    const nullsFirst = o.nulls === undefined ? !desc : String(o.nulls).toUpperCase() === 'FIRST'
    plan.order.push({desc, nullsFirst, path: resolvePath(org, def, o.field)})
  }

  return plan
}

function select(org: OrgData, plan: Plan, candidates?: SObjectRecord[]): SObjectRecord[] {
  let rows = (candidates ?? recordsOf(org, plan.def.name)).filter(r => !plan.where || plan.where(r))
  if (plan.order.length > 0) {
    const keyed = rows.map((r, i) => ({i, keys: plan.order.map(o => valueAt(plan.index, r, o.path)), r}))
    keyed.sort((a, b) => compareOrdered(plan.order, a, b))
    rows = keyed.map(k => k.r)
  }

  const end = plan.limit === undefined ? undefined : plan.offset + plan.limit
  return rows.slice(plan.offset, end)
}

function attributes(def: ObjectDef, id: string, version: string): Row {
  return {type: def.name, url: `${API_PATH(version)}/sobjects/${def.name}/${id}`}
}

function shape(org: OrgData, plan: Plan, record: SObjectRecord, version: string): Row {
  const out: Row = {attributes: attributes(plan.def, record.Id, version)}
  for (const item of plan.select) {
    if (item.kind === 'child') {
      const children = plan.index.children(item.child.plan.def.name, item.child.field, record.Id)
      const rows = select(org, item.child.plan, children)
      out[item.child.name] = rows.length === 0 ? null : {done: true, records: rows.map(r => shape(org, item.child.plan, r, version)), totalSize: rows.length}
      continue
    }

    const {path} = item
    let target = out
    let current: SObjectRecord | undefined = record
    for (const hop of path.hops) {
      const name = hop.via.relationshipName!
      const id: unknown = current?.[hop.via.name]
      current = typeof id === 'string' ? plan.index.record(hop.def.name, id) : undefined
      if (!current) {
        if (!Object.hasOwn(target, name)) target[name] = null
        break
      }

      const existing = target[name]
      const nested: Row = existing && typeof existing === 'object' ? existing as Row : {attributes: attributes(hop.def, current.Id, version)}
      target[name] = nested
      target = nested
    }

    if (current) target[path.field.name] = current[path.field.name] ?? null
  }

  return out
}

/** Runs a SOQL query over the org: every matching record, shaped as the REST API answers them. */
export function runSoql(org: OrgData, soql: string, version: string, now = Date.now()): SoqlResult {
  const query = parse(soql)
  checkClauses(query, TOP_LEVEL_KEYS)
  const def = requireObject(org, query.sObject ?? '')
  const plan = compile(org, new Index(org), def, query, now)
  const rows = select(org, plan)
  if (plan.count) return {records: [], totalSize: rows.length}
  return {records: rows.map(r => shape(org, plan, r, version)), totalSize: rows.length}
}

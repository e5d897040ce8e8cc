/**
 * The WHERE clause of a SOQL query, compiled to a record matcher.
 *
 * The parser gives WHERE as a right-leaning chain with parenthesis counts on its conditions; it is
 * turned back into tokens and parsed again with SOQL's precedence (NOT, then AND, then OR).
 */
import type {Query, WhereClause} from '@jetstreamapp/soql-parser-js'

import {invalidField, malformedQuery, SfError, unsupported} from './errors.js'
import {normalizeId} from './ids.js'
import type {FieldDef, ObjectDef} from './schema.js'
import {type Index, resolvePath, valueAt} from './soql-paths.js'
import type {OrgData, SObjectRecord} from './types.js'
import {compareValues, dateLiteralRange, isDate, likeToRegExp, parseDateTime} from './values.js'

export type Matcher = (record: SObjectRecord) => boolean

/** What a condition is compiled against; `semiJoin` runs the subquery of `Id IN (SELECT …)`. */
export interface WhereScope {
  def: ObjectDef
  index: Index
  now: number
  org: OrgData
  semiJoin(query: Query): unknown[]
}

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
const TEXT = new Set(['base64', 'combobox', 'email', 'id', 'multipicklist', 'phone', 'picklist', 'reference', 'string', 'textarea', 'url'])

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

type Getter = (record: SObjectRecord) => unknown

function compileCondition(scope: WhereScope, c: any): Matcher {
  if (c.fn) throw unsupported('A function in WHERE')
  const path = resolvePath(scope.org, scope.def, c.field)
  const {field} = path
  const op = String(c.operator).toUpperCase() === '<>' ? '!=' : String(c.operator).toUpperCase()
  const get = (r: SObjectRecord) => comparable(field, valueAt(scope.index, r, path))
  if (op === 'INCLUDES' || op === 'EXCLUDES') throw unsupported(`${op} (multi-select picklists)`)
  if (op === 'IN' || op === 'NOT IN') return compileIn(scope, c, field, get, op === 'NOT IN')
  if (Array.isArray(c.value)) throw malformedQuery(`The operator ${op} takes one value, not a list.`)
  const lit = literal(field, String(c.literalType), String(c.value), scope.now)
  if (op === 'LIKE') return compileLike(field, lit, get)
  if (lit.kind === 'range') return r => inRange(field, get(r), lit.range, op)
  return compileComparison(field, op, lit.kind === 'null' ? null : lit.value, get)
}

/** `field IN (…)` / `NOT IN`, over literals or the values of a semi-join subquery. */
function compileIn(scope: WhereScope, c: any, field: FieldDef, get: Getter, negate: boolean): Matcher {
  let values: unknown[]
  if (c.valueQuery) {
    values = scope.semiJoin(c.valueQuery)
  } else {
    const raw: string[] = Array.isArray(c.value) ? c.value : [c.value]
    const types: string[] = Array.isArray(c.literalType) ? c.literalType : raw.map(() => c.literalType)
    values = raw.map((v, i) => {
      const lit = literal(field, types[i], v, scope.now)
      if (lit.kind === 'range') throw unsupported('A date literal inside IN')
      return lit.kind === 'null' ? null : lit.value
    })
  }

  return r => {
    const v = get(r)
    const found = values.some(x => equal(field, v, x))
    return negate ? !found : found
  }
}

function compileLike(field: FieldDef, lit: Literal, get: Getter): Matcher {
  if (lit.kind !== 'value' || typeof lit.value !== 'string' || !TEXT.has(field.type)) throw invalidField(`invalid operator on field ${field.name}: LIKE needs a quoted text pattern`)
  const re = likeToRegExp(lit.value)
  return r => {
    const v = get(r)
    return typeof v === 'string' && re.test(v)
  }
}

function compileComparison(field: FieldDef, op: string, target: unknown, get: Getter): Matcher {
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

/** The WHERE clause as one matcher; a condition the engine does not evaluate is refused. */
export function compileWhere(where: WhereClause, scope: WhereScope): Matcher {
  return parseTokens(tokens(where), c => compileCondition(scope, c))
}

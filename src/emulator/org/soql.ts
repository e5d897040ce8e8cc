/**
 * SOQL over an emulated org's records. The query is parsed by `@jetstreamapp/soql-parser-js`, then
 * checked against the org's schema and evaluated here. What the engine does not evaluate is refused
 * with MALFORMED_QUERY naming it, so a query never gets a wrong answer.
 *
 * Field paths are in `soql-paths.ts`, WHERE in `soql-where.ts`; this file checks the clauses,
 * builds the plan (SELECT, subqueries, ORDER BY, LIMIT/OFFSET), runs it and shapes the records.
 */
import {parseQuery, type Query, type Subquery} from '@jetstreamapp/soql-parser-js'

import {malformedQuery, SfError, unsupported} from './errors.js'
import {API_PATH, recordsOf} from './records.js'
import {childRelationship, type ObjectDef, requireObject} from './schema.js'
import {type FieldPath, hopObject, Index, resolvePath, valueAt} from './soql-paths.js'
import {compileWhere, type Matcher} from './soql-where.js'
import type {OrgData, SObjectRecord} from './types.js'
import {compareOrdered} from './values.js'

type Row = Record<string, unknown>


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
  if (query.where) plan.where = compileWhere(query.where, {def, index, now, org, semiJoin: q => semiJoinValues(org, index, q, now)})
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
      const object = typeof id === 'string' ? hopObject(org, hop, id) : hop.def.name
      current = typeof id === 'string' ? plan.index.record(object, id) : undefined
      if (!current) {
        if (!Object.hasOwn(target, name)) target[name] = null
        break
      }

      const existing = target[name]
      const nested: Row = existing && typeof existing === 'object' ? existing as Row : {attributes: attributes(object === hop.def.name ? hop.def : requireObject(org, object), current.Id, version)}
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

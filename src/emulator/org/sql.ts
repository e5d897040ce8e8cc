/**
 * Data Cloud SQL over the rows ingested into an emulated org. The query is parsed by
 * `pgsql-ast-parser` (PostgreSQL's grammar, close to Data Cloud's ANSI SQL; loaded on the first
 * query), then evaluated here: one table, column lists with aliases, `*`, COUNT/SUM/MIN/MAX/AVG over
 * the whole result, WHERE with comparisons, LIKE, IN, IS [NOT] NULL, BETWEEN, AND/OR/NOT (SQL's
 * three-valued logic), ORDER BY, LIMIT and OFFSET. Anything else is refused with a message naming it.
 */
import {createRequire} from 'node:module'
import type {Expr, SelectedColumn, SelectFromStatement, Statement} from 'pgsql-ast-parser'

import {SfError} from './errors.js'
import {compareOrdered, compareValues, likeToRegExp} from './values.js'

type Row = Record<string, unknown>

export interface SqlResult {
  columns: string[]
  rows: unknown[][]
}

/** A parsed query and its text: names are read from the text, as written (the parser lowercases them). */
interface Query {
  ast: SelectFromStatement
  sql: string
}

const sqlError = (message: string) => new SfError(400, 'INVALID_ARGUMENT', message)
const notSupported = (what: string) => sqlError(`${what} is not supported by the AppLink emulator's Data Cloud SQL engine. Supported: SELECT columns, *, aliases and COUNT/SUM/MIN/MAX/AVG from one table, WHERE, ORDER BY, LIMIT and OFFSET.`)

let parse: ((sql: string, options: {locationTracking: boolean}) => Statement[]) | undefined

function parseSql(sql: string): Query {
  if (!parse) {
    const require = createRequire(import.meta.url)
    parse = (require('pgsql-ast-parser') as {parse: typeof parse}).parse
  }

  let statements: Statement[]
  try {
    statements = parse!(sql, {locationTracking: true})
  } catch (error) {
    throw sqlError(`The SQL could not be parsed: ${String((error as Error).message).split('\n')[0].replace(/:$/, '')}.`)
  }

  if (statements.length > 1) throw notSupported('More than one statement')
  const [ast] = statements
  if (ast?.type !== 'select') throw notSupported(`A ${ast?.type === 'union' || ast?.type === 'union all' ? 'UNION' : String(ast?.type ?? 'non-SELECT').toUpperCase()} statement`)
  return {ast, sql}
}

/** A name as the query wrote it: the text of the node, its last dotted part, without quotes. */
function written(q: Query, node: {_location?: {end: number; start: number}; name: string}): string {
  if (!node._location) return node.name
  const text = q.sql.slice(node._location.start, node._location.end)
  const last = /(?:^|\.)("(?:[^"]|"")*"|[^."]*)$/.exec(text)?.[1] ?? text
  return last.startsWith('"') ? last.slice(1, -1).replaceAll('""', '"') : last
}

/** A row's value of a column: exact name first, then case-insensitively. */
function lookup(row: Row, name: string): unknown {
  if (Object.hasOwn(row, name)) return row[name]
  const lower = name.toLowerCase()
  const key = Object.keys(row).find(k => k.toLowerCase() === lower)
  return key === undefined ? null : row[key]
}

function truth(v: unknown): boolean | null {
  return v === null || v === undefined ? null : Boolean(v)
}

const isStar = (expr: Expr): boolean => expr.type === 'ref' && expr.name === '*'

function evaluate(q: Query, expr: Expr, row: Row): unknown {
  switch (expr.type) {
    case 'ref': {
      if (isStar(expr)) throw notSupported('* together with other columns')
      return lookup(row, written(q, expr)) ?? null
    }

    case 'integer':
    case 'numeric': return Number(expr.value)
    case 'string': return String(expr.value)
    case 'boolean': return Boolean(expr.value)
    case 'null': return null
    case 'unary': return unary(q, expr, row)
    case 'binary': return binary(q, expr, row)
    case 'ternary': {
      const [v, lo, hi] = [expr.value, expr.lo, expr.hi].map(e => evaluate(q, e, row))
      if (v === null || lo === null || hi === null) return null
      const inside = compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0
      return expr.op === 'BETWEEN' ? inside : !inside
    }

    case 'call': throw notSupported(`The function ${expr.function.name.toUpperCase()}`)
    default: throw notSupported(`The expression ${expr.type}`)
  }
}

function unary(q: Query, expr: Extract<Expr, {type: 'unary'}>, row: Row): unknown {
  const v = evaluate(q, expr.operand, row)
  switch (expr.op) {
    case 'NOT': {
      const t = truth(v)
      return t === null ? null : !t
    }

    case 'IS NULL': return v === null
    case 'IS NOT NULL': return v !== null
    case '-': return v === null ? null : -Number(v)
    case '+': return v === null ? null : Number(v)
    default: throw notSupported(`The operator ${expr.op}`)
  }
}

function binary(q: Query, expr: Extract<Expr, {type: 'binary'}>, row: Row): unknown {
  const op = expr.op
  if (op === 'AND' || op === 'OR') {
    const a = truth(evaluate(q, expr.left, row))
    const b = truth(evaluate(q, expr.right, row))
    if (op === 'AND') return a === false || b === false ? false : a === null || b === null ? null : true
    return a === true || b === true ? true : a === null || b === null ? null : false
  }

  if (op === 'IN' || op === 'NOT IN') {
    if (expr.right.type !== 'list') throw notSupported('IN with a subquery')
    const left = evaluate(q, expr.left, row)
    const values = expr.right.expressions.map(v => evaluate(q, v, row))
    if (left === null) return null
    const found = values.some(x => x !== null && compareValues(left, x) === 0)
    return op === 'IN' ? found : !found
  }

  const left = evaluate(q, expr.left, row)
  const right = evaluate(q, expr.right, row)
  if (left === null || right === null) return null
  switch (op) {
    case '=': return same(left, right)
    case '!=': return !same(left, right)
    case '<': return compareValues(left, right) < 0
    case '<=': return compareValues(left, right) <= 0
    case '>': return compareValues(left, right) > 0
    case '>=': return compareValues(left, right) >= 0
    case 'LIKE': return likeToRegExp(String(right)).test(String(left))
    case 'ILIKE': return likeToRegExp(String(right).toLowerCase()).test(String(left).toLowerCase())
    case 'NOT LIKE': return !likeToRegExp(String(right)).test(String(left))
    case 'NOT ILIKE': return !likeToRegExp(String(right).toLowerCase()).test(String(left).toLowerCase())
    default: throw notSupported(`The operator ${op}`)
  }
}

/** SQL equality: strings case-sensitively, numbers by value. */
function same(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a === b : compareValues(a, b) === 0
}

const AGGREGATES = new Set(['AVG', 'COUNT', 'MAX', 'MIN', 'SUM'])

type Call = Extract<Expr, {type: 'call'}>

function aggregateName(call: Call): string {
  const name = call.function.name.toUpperCase()
  if (!AGGREGATES.has(name)) throw notSupported(`The function ${name}`)
  if (call.distinct) throw notSupported(`${name}(DISTINCT …)`)
  if (call.args.length !== 1) throw notSupported(`${name} with ${call.args.length} arguments`)
  if (isStar(call.args[0]) && name !== 'COUNT') throw notSupported(`${name}(*)`)
  return name
}

function aggregate(q: Query, call: Call, rows: Row[]): unknown {
  const name = aggregateName(call)
  if (isStar(call.args[0])) return rows.length
  const values = rows.map(r => evaluate(q, call.args[0], r)).filter(v => v !== null)
  switch (name) {
    case 'COUNT': return values.length
    case 'SUM': return values.length === 0 ? null : values.reduce((s: number, v) => s + Number(v), 0)
    case 'AVG': return values.length === 0 ? null : values.reduce((s: number, v) => s + Number(v), 0) / values.length
    case 'MIN': return values.length === 0 ? null : values.reduce((m, v) => (compareValues(v, m) < 0 ? v : m))
    default: return values.length === 0 ? null : values.reduce((m, v) => (compareValues(v, m) > 0 ? v : m))
  }
}

function isAggregate(c: SelectedColumn): c is SelectedColumn & {expr: Call} {
  return c.expr.type === 'call' && AGGREGATES.has(c.expr.function.name.toUpperCase())
}

function limitOf(ast: SelectFromStatement): {limit?: number; offset: number} {
  const limit = ast.limit?.limit ? Number((ast.limit.limit as {value: number}).value) : undefined
  const offset = ast.limit?.offset ? Number((ast.limit.offset as {value: number}).value) : 0
  return {limit, offset}
}

/** Evaluates every expression once on an empty row, so that an unsupported one is refused even when no row would reach it. */
function checkExpressions(q: Query, columns: SelectedColumn[]): void {
  const empty: Row = {}
  if (q.ast.where) evaluate(q, q.ast.where, empty)
  for (const c of columns) {
    if (isAggregate(c)) {
      aggregateName(c.expr)
      if (!isStar(c.expr.args[0])) evaluate(q, c.expr.args[0], empty)
    } else if (!isStar(c.expr)) {
      evaluate(q, c.expr, empty)
    }
  }

  for (const o of q.ast.orderBy ?? []) evaluate(q, o.by, empty)
}

/** The one table a query reads, as written. */
function tableOf(q: Query): string {
  const from = q.ast.from ?? []
  const [only] = from
  if (from.length !== 1 || only.type !== 'table' || only.join) throw notSupported('A query over other than exactly one table (joins, subqueries)')
  return written(q, only.name)
}

function refuseClauses(ast: SelectFromStatement): void {
  if (ast.groupBy) throw notSupported('GROUP BY')
  if (ast.having) throw notSupported('HAVING')
  if (ast.distinct && ast.distinct !== 'all') throw notSupported('DISTINCT')
  if (!ast.columns) throw notSupported('A SELECT without columns')
}

/** Runs a SELECT over `tables` (table name → rows, looked up case-insensitively). */
export function runSql(sql: string, tables: Record<string, Row[]>): SqlResult {
  const q = parseSql(sql)
  refuseClauses(q.ast)
  const tableName = tableOf(q)
  const key = Object.keys(tables).find(k => k === tableName) ?? Object.keys(tables).find(k => k.toLowerCase() === tableName.toLowerCase())
  if (key === undefined) throw sqlError(`Table ${JSON.stringify(tableName)} does not exist in this Data Cloud org: ingest rows with POST /api/v1/ingest/sources/{source}/${tableName} first.`)
  const columns = q.ast.columns!
  checkExpressions(q, columns)
  let rows = tables[key]
  if (q.ast.where) rows = rows.filter(r => truth(evaluate(q, q.ast.where!, r)) === true)
  if (columns.some(c => isAggregate(c))) {
    const names = columns.map((c, i) => {
      if (!isAggregate(c)) throw notSupported('Mixing aggregates with plain columns (without GROUP BY)')
      const name = c.expr.function.name.toLowerCase()
      return c.alias ? written(q, c.alias) : i === 0 && columns.length === 1 ? name : `${name}${i}`
    })
    return {columns: names, rows: [columns.map(c => aggregate(q, c.expr as Call, rows))]}
  }

  if (q.ast.orderBy) {
    const order = q.ast.orderBy.map(o => {
      const name = o.by.type === 'ref' ? written(q, o.by) : undefined
      const alias = name === undefined ? undefined : columns.find(c => c.alias && written(q, c.alias) === name)
      const desc = o.order === 'DESC'
      return {desc, expr: alias ? alias.expr : o.by, nullsFirst: o.nulls ? o.nulls === 'FIRST' : desc}
    })
    rows = rows.map((r, i) => ({i, keys: order.map(o => evaluate(q, o.expr, r)), r})).sort((a, b) => compareOrdered(order, a, b)).map(k => k.r)
  }

  const {limit, offset} = limitOf(q.ast)
  rows = rows.slice(offset, limit === undefined ? undefined : offset + limit)
  if (columns.length === 1 && isStar(columns[0].expr)) {
    const names = [...new Set(tables[key].flatMap(r => Object.keys(r)))]
    return {columns: names, rows: rows.map(r => names.map(n => (Object.hasOwn(r, n) ? r[n] : null)))}
  }

  const names = columns.map(c => {
    if (c.alias) return written(q, c.alias)
    if (c.expr.type === 'ref') return written(q, c.expr)
    return 'value' in c.expr ? String(c.expr.value) : 'expr'
  })
  return {columns: names, rows: rows.map(r => columns.map(c => evaluate(q, c.expr, r)))}
}

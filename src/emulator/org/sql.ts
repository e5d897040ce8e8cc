/**
 * Data Cloud SQL over the rows ingested into an emulated org. The query is parsed by
 * `node-sql-parser` (PostgreSQL dialect, close to Data Cloud's ANSI SQL), then evaluated here:
 * one table, column lists with aliases, `*`, COUNT/SUM/MIN/MAX/AVG over the whole result, WHERE
 * with comparisons, LIKE, IN, IS [NOT] NULL, BETWEEN, AND/OR/NOT (SQL's three-valued logic),
 * ORDER BY, LIMIT and OFFSET. Anything else is refused with a message naming it.
 */
import {createRequire} from 'node:module'

import {SfError} from './errors.js'
import {compareOrdered, compareValues, likeToRegExp} from './values.js'

type Row = Record<string, unknown>

export interface SqlResult {
  columns: string[]
  rows: unknown[][]
}

const sqlError = (message: string) => new SfError(400, 'INVALID_ARGUMENT', message)
const notSupported = (what: string) => sqlError(`${what} is not supported by the AppLink emulator's Data Cloud SQL engine. Supported: SELECT columns, *, aliases and COUNT/SUM/MIN/MAX/AVG from one table, WHERE, ORDER BY, LIMIT and OFFSET.`)

let parser: {astify(sql: string, options: object): unknown} | undefined

function parseSql(sql: string): any {
  if (!parser) {
    const require = createRequire(import.meta.url)
    const {Parser} = require('node-sql-parser/build/postgresql.js')
    parser = new Parser()
  }

  let ast: any
  try {
    ast = parser!.astify(sql, {database: 'postgresql'})
  } catch (error) {
    throw sqlError(`The SQL could not be parsed: ${String((error as Error).message).split('\n')[0]}`)
  }

  if (Array.isArray(ast)) {
    if (ast.length !== 1) throw notSupported('More than one statement')
    ast = ast[0]
  }

  if (ast?.type !== 'select') throw notSupported(`A ${String(ast?.type ?? 'non-SELECT').toUpperCase()} statement`)
  return ast
}

function columnName(ref: any): string {
  const c = ref.column
  if (typeof c === 'string') return c
  return String(c?.expr?.value ?? '')
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

function evaluate(expr: any, row: Row): unknown {
  switch (expr?.type) {
    case 'column_ref': return lookup(row, columnName(expr)) ?? null
    case 'number': return Number(expr.value)
    case 'single_quote_string':
    case 'string': return String(expr.value)
    case 'bool': return Boolean(expr.value)
    case 'null': return null
    case 'unary_expr': {
      if (String(expr.operator).toUpperCase() !== 'NOT') throw notSupported(`The operator ${expr.operator}`)
      const v = truth(evaluate(expr.expr, row))
      return v === null ? null : !v
    }

    case 'binary_expr': return binary(expr, row)
    case 'function': {
      const name = String(expr.name?.name?.[0]?.value ?? '').toUpperCase()
      // `NOT (a = 1)` arrives as a call of NOT
      if (name === 'NOT' && expr.args?.value?.length === 1) {
        const v = truth(evaluate(expr.args.value[0], row))
        return v === null ? null : !v
      }

      throw notSupported(`The function ${name || '(unnamed)'}`)
    }

    default: throw notSupported(`The expression ${expr?.type ?? 'given'}`)
  }
}

function binary(expr: any, row: Row): unknown {
  const op = String(expr.operator).toUpperCase()
  if (op === 'AND' || op === 'OR') {
    const a = truth(evaluate(expr.left, row))
    const b = truth(evaluate(expr.right, row))
    if (op === 'AND') return a === false || b === false ? false : a === null || b === null ? null : true
    return a === true || b === true ? true : a === null || b === null ? null : false
  }

  const left = evaluate(expr.left, row)
  if (op === 'IS' || op === 'IS NOT') {
    if (expr.right?.type !== 'null') throw notSupported(`${op} with a value other than NULL`)
    return op === 'IS' ? left === null : left !== null
  }

  if (op === 'IN' || op === 'NOT IN') {
    if (expr.right?.type !== 'expr_list' || (expr.right.value as any[]).some(v => v?.ast)) throw notSupported('IN with a subquery')
    if (left === null) return null
    const found = (expr.right.value as any[]).some(v => {
      const x = evaluate(v, row)
      return x !== null && compareValues(left, x) === 0
    })
    return op === 'IN' ? found : !found
  }

  if (op === 'BETWEEN' || op === 'NOT BETWEEN') {
    const [lo, hi] = (expr.right?.value ?? []).map((v: any) => evaluate(v, row))
    if (left === null || lo === null || hi === null) return null
    const inside = compareValues(left, lo) >= 0 && compareValues(left, hi) <= 0
    return op === 'BETWEEN' ? inside : !inside
  }

  const right = evaluate(expr.right, row)
  if (left === null || right === null) return null
  switch (op) {
    case '=': return same(left, right)
    case '!=':
    case '<>': return !same(left, right)
    case '<': return compareValues(left, right) < 0
    case '<=': return compareValues(left, right) <= 0
    case '>': return compareValues(left, right) > 0
    case '>=': return compareValues(left, right) >= 0
    case 'LIKE':
    case 'ILIKE': return likeToRegExp(String(right)).test(String(left))
    case 'NOT LIKE': return !likeToRegExp(String(right)).test(String(left))
    default: throw notSupported(`The operator ${op}`)
  }
}

/** SQL equality: strings case-sensitively, numbers by value. */
function same(a: unknown, b: unknown): boolean {
  return typeof a === 'string' && typeof b === 'string' ? a === b : compareValues(a, b) === 0
}

const AGGREGATES = new Set(['AVG', 'COUNT', 'MAX', 'MIN', 'SUM'])

function aggregate(name: string, args: any, rows: Row[]): unknown {
  if (args?.distinct) throw notSupported(`${name}(DISTINCT …)`)
  const star = args?.expr?.type === 'star'
  if (name === 'COUNT' && star) return rows.length
  if (star) throw notSupported(`${name}(*)`)
  const values = rows.map(r => evaluate(args.expr, r)).filter(v => v !== null)
  switch (name) {
    case 'COUNT': return values.length
    case 'SUM': return values.length === 0 ? null : values.reduce((s: number, v) => s + Number(v), 0)
    case 'AVG': return values.length === 0 ? null : values.reduce((s: number, v) => s + Number(v), 0) / values.length
    case 'MIN': return values.length === 0 ? null : values.reduce((m, v) => (compareValues(v, m) < 0 ? v : m))
    default: return values.length === 0 ? null : values.reduce((m, v) => (compareValues(v, m) > 0 ? v : m))
  }
}

function limitOf(ast: any): {limit?: number; offset: number} {
  const values = (ast.limit?.value ?? []).map((v: any) => Number(v.value))
  if (values.length === 0) return {offset: 0}
  if (ast.limit.seperator === 'offset') return {limit: values[0], offset: values[1]}
  if (ast.limit.seperator === ',') return {limit: values[1], offset: values[0]}
  return {limit: values[0], offset: 0}
}

/** Evaluates every expression once on an empty row, so that an unsupported one is refused even when no row would reach it. */
function checkExpressions(ast: any, columns: any[]): void {
  const empty: Row = {}
  if (ast.where) evaluate(ast.where, empty)
  for (const c of columns) {
    if (c.expr?.type === 'aggr_func') {
      if (c.expr.args?.expr && c.expr.args.expr.type !== 'star') evaluate(c.expr.args.expr, empty)
    } else if (!(c.expr?.type === 'column_ref' && c.expr.column === '*')) {
      evaluate(c.expr, empty)
    }
  }

  for (const o of ast.orderby ?? []) if (!(o.expr?.type === 'column_ref')) evaluate(o.expr, empty)
}

/** Runs a SELECT over `tables` (table name → rows, looked up case-insensitively). */
export function runSql(sql: string, tables: Record<string, Row[]>): SqlResult {
  const ast = parseSql(sql)
  for (const key of ['with', 'groupby', 'having', 'window']) if (ast[key]) throw notSupported(key === 'groupby' ? 'GROUP BY' : key.toUpperCase())
  if (ast.distinct?.type) throw notSupported('DISTINCT')
  if (!Array.isArray(ast.from) || ast.from.length !== 1 || ast.from[0].join || ast.from[0].expr) throw notSupported('A query over other than exactly one table (joins, subqueries)')
  const tableName = String(ast.from[0].table)
  const key = Object.keys(tables).find(k => k === tableName) ?? Object.keys(tables).find(k => k.toLowerCase() === tableName.toLowerCase())
  if (key === undefined) throw sqlError(`Table ${JSON.stringify(tableName)} does not exist in this Data Cloud org: ingest rows with POST /api/v1/ingest/sources/{source}/${tableName} first.`)
  const columns: any[] = ast.columns
  checkExpressions(ast, columns)
  let rows = tables[key]
  if (ast.where) rows = rows.filter(r => truth(evaluate(ast.where, r)) === true)
  const aggregated = columns.some(c => c.expr?.type === 'aggr_func')
  if (aggregated) {
    const names = columns.map((c, i) => {
      if (c.expr?.type !== 'aggr_func') throw notSupported('Mixing aggregates with plain columns (without GROUP BY)')
      const name = String(c.expr.name).toUpperCase()
      if (!AGGREGATES.has(name)) throw notSupported(`The function ${name}`)
      return c.as ?? (i === 0 && columns.length === 1 ? name.toLowerCase() : `${name.toLowerCase()}${i}`)
    })
    return {columns: names, rows: [columns.map(c => aggregate(String(c.expr.name).toUpperCase(), c.expr.args, rows))]}
  }

  if (ast.orderby) {
    const order = (ast.orderby as any[]).map(o => {
      const alias = o.expr?.type === 'column_ref' ? columns.find(c => c.as && c.as === columnName(o.expr)) : undefined
      return {desc: String(o.type).toUpperCase() === 'DESC', expr: alias ? alias.expr : o.expr, nullsFirst: o.nulls ? /FIRST/i.test(o.nulls) : String(o.type).toUpperCase() === 'DESC'}
    })
    rows = rows.map((r, i) => ({i, keys: order.map(o => evaluate(o.expr, r)), r})).sort((a, b) => compareOrdered(order, a, b)).map(k => k.r)
  }

  const {limit, offset} = limitOf(ast)
  rows = rows.slice(offset, limit === undefined ? undefined : offset + limit)
  const star = columns.length === 1 && columns[0].expr?.type === 'column_ref' && columns[0].expr.column === '*'
  if (star) {
    const names = [...new Set(tables[key].flatMap(r => Object.keys(r)))]
    return {columns: names, rows: rows.map(r => names.map(n => (Object.hasOwn(r, n) ? r[n] : null)))}
  }

  const names = columns.map(c => {
    if (c.expr?.type === 'column_ref' && c.expr.column === '*') throw notSupported('* together with other columns')
    return c.as ?? (c.expr?.type === 'column_ref' ? columnName(c.expr) : String(c.expr?.value ?? 'expr'))
  })
  return {columns: names, rows: rows.map(r => columns.map(c => evaluate(c.expr, r)))}
}

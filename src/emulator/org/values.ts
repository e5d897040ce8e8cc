/**
 * Value rules shared by SOQL and the Data Cloud SQL engine: comparison (strings case-insensitively,
 * as SOQL does), LIKE patterns, Salesforce date formats and date literals (in UTC).
 */

/** Salesforce's datetime format: `2024-05-01T12:30:00.000+0000`. */
export function sfDateTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000')
}

export function sfDate(date: Date): string {
  return date.toISOString().slice(0, 10)
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})$/

export function isDate(value: string): boolean {
  return DATE_RE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))
}

/** A datetime string (ISO 8601 or Salesforce's form) as epoch ms, or undefined. */
export function parseDateTime(value: string): number | undefined {
  if (!DATETIME_RE.test(value)) return undefined
  const t = Date.parse(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'))
  return Number.isNaN(t) ? undefined : t
}

/** Total order for sorting and comparison: numbers, then strings case-insensitively. Nulls are handled by callers. */
/**
 * ORDER BY over rows whose sort keys were computed once (`keys[k]` for `order[k]`): nulls first or
 * last as asked, then ascending or descending; ties keep the rows' original order (`i`).
 */
export function compareOrdered(order: ReadonlyArray<{desc: boolean; nullsFirst: boolean}>, a: {i: number; keys: unknown[]}, b: {i: number; keys: unknown[]}): number {
  for (const [k, o] of order.entries()) {
    const x = a.keys[k]
    const y = b.keys[k]
    if (x === null && y === null) continue
    if (x === null) return o.nullsFirst ? -1 : 1
    if (y === null) return o.nullsFirst ? 1 : -1
    const d = compareValues(x, y)
    if (d !== 0) return o.desc ? -d : d
  }

  return a.i - b.i
}

export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  const x = String(a).toLowerCase()
  const y = String(b).toLowerCase()
  return x < y ? -1 : x > y ? 1 : 0
}

/** SQL LIKE with `%` and `_` (and `\` escaping them), case-insensitive. */
export function likeToRegExp(pattern: string): RegExp {
  let source = ''
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\' && i + 1 < pattern.length) source += pattern[++i].replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
    else if (c === '%') source += '[\\s\\S]*'
    else if (c === '_') source += '[\\s\\S]'
    else source += c.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
  }

  return new RegExp(`^${source}$`, 'i')
}

const DAY = 86_400_000

function startOfDay(t: number): number {
  return Math.floor(t / DAY) * DAY
}

function startOfWeek(t: number): number {
  // Salesforce weeks start on Sunday (en_US locale)
  const day = startOfDay(t)
  return day - new Date(day).getUTCDay() * DAY
}

function monthStart(t: number, add = 0): number {
  const d = new Date(t)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + add, 1)
}

function yearStart(t: number, add = 0): number {
  return Date.UTC(new Date(t).getUTCFullYear() + add, 0, 1)
}

/**
 * The [start, end) range in epoch ms of a date literal (`TODAY`, `LAST_N_DAYS:7` …) at `now`, or
 * undefined when the literal is not one the emulator knows.
 */
export function dateLiteralRange(literal: string, now = Date.now()): [number, number] | undefined {
  const [name, nText] = literal.toUpperCase().split(':')
  const n = nText === undefined ? undefined : Number(nText)
  const today = startOfDay(now)
  const week = startOfWeek(now)
  const fixed: Record<string, [number, number]> = {
    LAST_90_DAYS: [today - 90 * DAY, today + DAY],
    LAST_MONTH: [monthStart(now, -1), monthStart(now)],
    LAST_WEEK: [week - 7 * DAY, week],
    LAST_YEAR: [yearStart(now, -1), yearStart(now)],
    NEXT_90_DAYS: [today + DAY, today + 91 * DAY],
    NEXT_MONTH: [monthStart(now, 1), monthStart(now, 2)],
    NEXT_WEEK: [week + 7 * DAY, week + 14 * DAY],
    NEXT_YEAR: [yearStart(now, 1), yearStart(now, 2)],
    THIS_MONTH: [monthStart(now), monthStart(now, 1)],
    THIS_WEEK: [week, week + 7 * DAY],
    THIS_YEAR: [yearStart(now), yearStart(now, 1)],
    TODAY: [today, today + DAY],
    TOMORROW: [today + DAY, today + 2 * DAY],
    YESTERDAY: [today - DAY, today],
  }
  if (n === undefined) return Object.hasOwn(fixed, name) ? fixed[name] : undefined
  if (!Number.isInteger(n) || n < 0) return undefined
  const withN: Record<string, [number, number]> = {
    LAST_N_DAYS: [today - n * DAY, today + DAY],
    LAST_N_MONTHS: [monthStart(now, -n), monthStart(now)],
    LAST_N_WEEKS: [week - 7 * n * DAY, week],
    LAST_N_YEARS: [yearStart(now, -n), yearStart(now)],
    N_DAYS_AGO: [today - n * DAY, today - (n - 1) * DAY],
    NEXT_N_DAYS: [today + DAY, today + (n + 1) * DAY],
    NEXT_N_MONTHS: [monthStart(now, 1), monthStart(now, n + 1)],
    NEXT_N_WEEKS: [week + 7 * DAY, week + 7 * (n + 1) * DAY],
    NEXT_N_YEARS: [yearStart(now, 1), yearStart(now, n + 1)],
  }
  return Object.hasOwn(withN, name) ? withN[name] : undefined
}

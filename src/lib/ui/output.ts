/**
 * Human output in the Heroku CLI's style: a styled header and a table for lists, key/value blocks
 * for one resource, failed statuses highlighted with a hint. Colours come from `@heroku-cli/color`
 * (chalk, loaded on first use): hux's table pulls in a React renderer (~0.2 s, ~25 MiB) for what is a
 * few padded columns, so headers, key/value blocks and tables are laid out here, in the same shape hux
 * prints them.
 */
import {stripVTControlCharacters} from 'node:util'

import type {IO} from './io.js'
import {forTerminal} from './terminal-text.js'
import type {ApiError, Authorization, Connection} from '../api/types.js'
import {orgTypeLabel} from '../api/types.js'

type Paint = (text: string) => string

/** The Heroku CLI's semantic colours, and the plain ones JSON is coloured with. */
export interface Colors {
  cyan: Paint
  failure: Paint
  green: Paint
  label: Paint
  magenta: Paint
  success: Paint
  warning: Paint
  yellow: Paint
}

let colorModule: Colors | undefined
/**
 * The colours, loaded once. Off when stdout is not a terminal (chalk's own check), with
 * `FORCE_COLOR=0` or `--no-color`, and with `NO_COLOR` set (https://no-color.org), as in the CLI.
 */
export async function colors(): Promise<Colors> {
  if (colorModule) return colorModule
  const {color} = await import('@heroku-cli/color')
  const off = (process.env.NO_COLOR ?? '') !== ''
  const paint = (style: Paint): Paint => (off ? (text: string) => text : (text: string) => style(text))
  colorModule = {
    cyan: paint(color.cyan),
    failure: paint(color.red),
    green: paint(color.green),
    label: paint(color.bold),
    magenta: paint(color.magenta),
    success: paint(color.green),
    warning: paint(color.yellow),
    yellow: paint(color.yellow),
  }
  return colorModule
}

const FAILED = new Set(['creation_failed', 'disconnected', 'failed'])
const OK = new Set(['authorized', 'connected', 'created'])

/** Colours a status: failures red, success green, anything pending yellow (plain until colours are loaded). */
export function statusText(status: string): string {
  const color = colorModule
  if (!color) return status
  if (FAILED.has(status)) return color.failure(status)
  if (OK.has(status)) return color.success(status)
  return color.warning(status)
}

export function isFailedStatus(status: string): boolean {
  return FAILED.has(status)
}

export function orgKindOf(type: string | undefined): 'datacloud' | 'salesforce' {
  return type === 'DataCloudOrg' || type === 'DatacloudOrg' ? 'datacloud' : 'salesforce'
}

function errorText(error?: ApiError): string | undefined {
  return error ? `${error.message}${error.id ? ` (${error.id})` : ''}` : undefined
}

/** Key/value rows of a connection or an authorization, in display order, its name first; undefined values are left out. */
function recordRows(name: [string, string | undefined], r: Authorization | Connection): Record<string, string | undefined> {
  return {
    [name[0]]: name[1],
    Error: errorText(r.error),
    ID: r.id,
    'Instance URL': r.org?.instance_url,
    Method: r.connection_method,
    'Org ID': r.org?.id,
    Status: r.status,
    Type: orgTypeLabel(r.org?.type),
    Username: r.org?.username,
    'Created Date': r.created_at,
    'Created By': r.created_by,
    'Last Modified': r.last_modified_at,
    'Last Modified By': r.last_modified_by,
  }
}

export function connectionRows(c: Connection): Record<string, string | undefined> {
  return recordRows(['Connection Name', c.org?.connection_name], c)
}

export function authorizationRows(a: Authorization): Record<string, string | undefined> {
  return recordRows(['Developer Name', a.org?.developer_name], a)
}

const width = (text: string) => stripVTControlCharacters(text).length
const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)))

function header(io: IO, color: Colors, text: string): void {
  io.out(`${color.label('=== ')}${color.label(forTerminal(text, {oneLine: true}))}\n\n`)
}

/** Prints `rows` on the IO's stdout as an aligned key/value block (status coloured), values left out when empty. */
export async function printInfo(io: IO, title: string, rows: Record<string, string | undefined>): Promise<void> {
  const color = await colors()
  header(io, color, title)
  // values come from the service: control characters are shown, never sent to the terminal
  const shown = Object.entries(rows).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '').map(([k, v]): [string, string] => [k, forTerminal(String(v), {oneLine: true})])
  const keyWidth = Math.max(0, ...shown.map(([k]) => k.length)) + 2
  const lines = shown.map(([k, v]) => {
    const value = k === 'Status' ? statusText(v) : k === 'Error' ? color.failure(v) : v
    return `${color.label(k)}:${' '.repeat(keyWidth - k.length - 1)}${value}`
  })
  io.out(lines.join('\n') + '\n')
}

export interface Column<T> {
  get: (row: T) => string | undefined
  header: string
  /** colours the cell (e.g. statusText), applied after its control characters are neutralised */
  style?: (text: string) => string
}

/**
 * A styled header, then a table (or a plain line when empty). On a terminal the table fits its
 * width (see `layoutTable`); piped, every value is printed whole, for scripts.
 */
export async function printTable<T extends object>(io: IO, title: string, rows: T[], columns: Column<T>[], empty: string): Promise<void> {
  const color = await colors()
  header(io, color, title)
  if (rows.length === 0) {
    io.out(`${empty}\n`)
    return
  }

  const maxWidth = io.columns
  // cells come from the service: control characters are shown, never sent to the terminal
  const cells = rows.map(r => columns.map(c => {
    const text = forTerminal(String(c.get(r) ?? '').replaceAll(/\s*\n\s*/g, ' '), {oneLine: true})
    return c.style ? c.style(text) : text
  }))
  io.out(layoutTable(columns.map(c => c.header), cells, {label: color.label, maxWidth}))
}

const ELLIPSIS = '…'
const GAP = 3
const INDENT = 2

/** `text` cut to `to` visible characters, the last one an ellipsis (colours dropped when it is cut). */
function truncate(text: string, to: number): string {
  if (width(text) <= to) return text
  const plain = stripVTControlCharacters(text)
  return to <= 1 ? ELLIPSIS.slice(0, to) : plain.slice(0, to - 1).trimEnd() + ELLIPSIS
}

/**
 * Lays out a table like the Heroku CLI's: a header line, a rule under it, one line per row.
 * Columns that are empty in every row are left out (an Error column with no error takes no room).
 * With `maxWidth` (a terminal's width) the widest columns give up room until the table fits, and
 * cells too long for their column end with an ellipsis; headers are never cut. The rule spans the
 * header line, so one long value never stretches it.
 */
export function layoutTable(headers: string[], rows: string[][], options: {label?: (text: string) => string; maxWidth?: number} = {}): string {
  const label = options.label ?? ((text: string) => text)
  const keep = headers.map((_, i) => rows.some(r => (r[i] ?? '') !== ''))
  const heads = headers.filter((_, i) => keep[i])
  const cells = rows.map(r => r.filter((_, i) => keep[i]))
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map(row => width(row[i] ?? ''))))
  if (options.maxWidth !== undefined) {
    // the line's width: indent + columns + gaps, and one column left free so the terminal never wraps
    const room = options.maxWidth - 1 - INDENT - GAP * (widths.length - 1)
    let total = widths.reduce((a, b) => a + b, 0)
    while (total > room) {
      // shrink the widest column that can still give a character up (down to its header's width)
      let widest = -1
      for (const [i, w] of widths.entries()) if (w > heads[i].length && (widest === -1 || w > widths[widest])) widest = i
      if (widest === -1) break
      widths[widest]--
      total--
    }
  }

  const line = (values: string[]) => (' '.repeat(INDENT) + values.map((v, i) => pad(truncate(v, widths[i]), widths[i])).join(' '.repeat(GAP))).trimEnd()
  const headerLine = (' '.repeat(INDENT) + heads.map((h, i) => pad(label(h), widths[i])).join(' '.repeat(GAP))).trimEnd()
  const out = [
    headerLine,
    ' ' + '─'.repeat(width(headerLine) - 1),
    ...cells.map(row => line(row)),
  ]
  return out.join('\n') + '\n'
}

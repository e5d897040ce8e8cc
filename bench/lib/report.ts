/** The bench's result rows and their rendering as a text table and a Markdown table. */
import type {Stats} from './measure.js'

export type Unit = 'MiB' | 'ms' | 'rounds' | 's'

/** A figure of one plugin: measured, or not available (with the reason). */
export type Figure =
  | {cpu?: number; kind: 'measured'; stats: Stats}
  | {kind: 'na'; reason: string}

export interface Row {
  metric: string
  unit: Unit
  ours: Figure
  official: Figure
  /** human text of the goal, e.g. `≤ 0.7× official` */
  goal: string
  /** true/false when the goal could be checked, undefined when it could not */
  pass?: boolean
  /** a figure for context, without a goal */
  info?: boolean
  /** ours ÷ official when both exist */
  ratio?: number
}

const fmt = (v: number, unit: Unit) => unit === 's' || unit === 'ms' ? v.toFixed(2) : v.toFixed(0)

export function figureText(f: Figure, unit: Unit): string {
  if (f.kind === 'na') return 'n/a'
  const {max, median, min} = f.stats
  if (min === max) return `${fmt(median, unit)}`
  return `${fmt(median, unit)} (${fmt(min, unit)}–${fmt(max, unit)})`
}

export function figureValue(f: Figure): number | undefined {
  return f.kind === 'measured' ? f.stats.median : undefined
}

function resultText(row: Row): string {
  if (row.info) return '—'
  if (row.pass === undefined) return '?'
  return row.pass ? 'pass' : 'FAIL'
}

/** ours ÷ official of the medians, and of the mean CPU seconds when both are known (steadier under load) */
function ratioText(row: Row): string {
  if (row.ratio === undefined) return ''
  const [o, f] = [row.ours, row.official].map(x => x.kind === 'measured' ? x.cpu : undefined)
  return o !== undefined && f !== undefined && f > 0 ? `${row.ratio.toFixed(2)}× (CPU ${(o / f).toFixed(2)}×)` : `${row.ratio.toFixed(2)}×`
}

function cells(row: Row): string[] {
  return [
    `${row.metric} [${row.unit}]`,
    figureText(row.ours, row.unit),
    figureText(row.official, row.unit),
    ratioText(row),
    [row.ours, row.official].map(f => f.kind === 'measured' && f.cpu !== undefined ? f.cpu.toFixed(2) : '').filter(Boolean).join(' / '),
    row.goal,
    resultText(row),
  ]
}

const HEADERS = ['Metric', 'Ours: median (min–max)', 'Official: median (min–max)', 'Ratio', 'Ours / official: CPU s', 'Goal', 'Result']

/**
 * Footnotes: each distinct n/a reason once, with the metrics it applies to.
 * Reasons already given in the header (`known`, e.g. why the official plugin is missing) are skipped.
 */
export function notes(rows: Row[], known: string[] = []): string[] {
  const out = new Map<string, string[]>()
  for (const r of rows) {
    for (const [who, f] of [['ours', r.ours], ['official', r.official]] as const) {
      let text: string | undefined
      if (f.kind === 'na' && !known.includes(f.reason)) text = `${who}: n/a: ${f.reason}`
      if (!text) continue
      const metrics = out.get(text) ?? []
      if (!metrics.includes(r.metric)) metrics.push(r.metric)
      out.set(text, metrics)
    }
  }

  return [...out].map(([text, metrics]) => `${text} [${metrics.join('; ')}]`)
}

export function textTable(rows: Row[]): string {
  const table = [HEADERS, ...rows.map(r => cells(r))]
  const widths = HEADERS.map((_, i) => Math.max(...table.map(r => r[i].length)))
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()
  return [line(table[0]), widths.map(w => '-'.repeat(w)).join('  '), ...table.slice(1).map(r => line(r))].join('\n')
}

export function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replaceAll('|', '\\|')
  return [
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map(() => '---').join(' | ')} |`,
    ...rows.map(r => `| ${cells(r).map(c => esc(c)).join(' | ')} |`),
  ].join('\n')
}

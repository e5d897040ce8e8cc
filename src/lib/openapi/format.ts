/**
 * The human form of a spec report: one line per problem, `file:line:column  severity  reason`,
 * its fix on the next line, then a summary. Plain text (no colour codes) so logs and pull-request
 * annotations read the same as a terminal.
 */
import type {Diagnostic, SpecReport} from './types.js'

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** "2 errors, 1 warning" */
export function summaryLine(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter(d => d.severity === 'error').length
  return `${plural(errors, 'error')}, ${plural(diagnostics.length - errors, 'warning')}`
}

export interface FormatOptions {
  /** show at most this many warnings (errors are always all shown), then say how many were left out */
  maxWarnings?: number
}

export function diagnosticLines(report: SpecReport, options: FormatOptions = {}): string[] {
  const lines: string[] = []
  let warnings = 0
  for (const d of report.diagnostics) {
    if (d.severity === 'warning' && ++warnings > (options.maxWarnings ?? Number.POSITIVE_INFINITY)) continue
    const where = d.line > 0 ? `${report.file}:${d.line}:${d.column}` : report.file
    lines.push(`${where}  ${d.severity}  ${d.message}`)
    if (d.fix) lines.push(`  fix: ${d.fix}`)
  }

  const hidden = warnings - (options.maxWarnings ?? warnings)
  if (hidden > 0) lines.push(`… and ${plural(hidden, 'more warning')} (see them all with: heroku applink:spec:validate ${report.file})`)
  return lines
}

/** What the spec holds, e.g. "4 operations, 2 Agentforce actions, topic order_management". */
export function contentsLine(report: SpecReport): string {
  const actions = report.operations.filter(o => o.agentAction).length
  const parts = [plural(report.operations.length, 'operation')]
  if (actions > 0) parts.push(plural(actions, 'Agentforce action'))
  if (report.topic?.name) parts.push(`topic ${report.topic.name}`)
  return parts.join(', ')
}

/** The whole report for people: problems, then the summary. */
export function formatReport(report: SpecReport, options: FormatOptions = {}): string {
  const lines = diagnosticLines(report, options)
  if (lines.length > 0) lines.push('')
  lines.push(report.ok
    ? `${report.file}: ${summaryLine(report.diagnostics)} (${contentsLine(report)})`
    : `${report.file}: ${summaryLine(report.diagnostics)}`)
  return lines.join('\n') + '\n'
}

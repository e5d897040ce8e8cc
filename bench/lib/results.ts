/**
 * The end of a bench run: the header (machine, load, versions, goals), the table on stdout, and
 * the files: last-run.md and results.json in the work folder, and with --write-docs the table in
 * docs/performance.md.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import {cpus, loadavg, release, totalmem} from 'node:os'
import {join} from 'node:path'

import {markdownTable, notes, type Row, textTable} from './report.js'
import {flowRuns, log, opts, repo, runs, warmup, work} from './options.js'
import type {Target} from './targets.js'

export interface RunInfo {
  /** the load average when the bench started */
  loadAtStart: number[]
  serverName: string
  /** Date.now() when the bench started */
  started: number
}

function headerLines(rows: Row[], targets: Target[], info: RunInfo): string[] {
  const [ours, official] = targets
  const heroku = JSON.parse(readFileSync(join(repo, 'node_modules', 'heroku', 'package.json'), 'utf8')).version
  const load = (l: number[]) => l.map(x => x.toFixed(1)).join(' / ')
  const header: string[] = [
    `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Linux ${release()} · load average (1 / 5 / 15 min) ${load(info.loadAtStart)} at the start, ${load(loadavg())} at the end`,
    `heroku ${heroku}, node ${process.version} · ${runs} runs per command after ${warmup} warm-up (OAuth flows: ${flowRuns}), the plugins alternating · local server: ${info.serverName}`,
    `ours: ${ours.inst?.plugin ?? 'n/a'} · official: ${official.inst?.plugin ?? `n/a (${official.missing})`}`,
  ]
  const checked = rows.filter(r => r.pass !== undefined)
  header.push(`goals: ${checked.filter(r => r.pass).length} of ${checked.length} checked figures pass${checked.some(r => !r.pass) ? ` (failing: ${[...new Set(checked.filter(r => !r.pass).map(r => `${r.metric} [${r.unit}]`))].join('; ')})` : ''}`)
  return header
}

/** Replaces the table between the bench markers of docs/performance.md with `md`. */
function writeDocs(md: string): void {
  const doc = join(repo, 'docs', 'performance.md')
  const start = '<!-- bench:table:start -->'
  const end = '<!-- bench:table:end -->'
  const current = existsSync(doc) ? readFileSync(doc, 'utf8') : ''
  const i = current.indexOf(start)
  const j = current.indexOf(end)
  if (i === -1 || j === -1) throw new Error(`${doc} has no ${start} … ${end} markers`)
  writeFileSync(doc, `${current.slice(0, i + start.length)}\n${md}${current.slice(j)}`)
  log(`updated ${doc}`)
}

export function report(rows: Row[], targets: Target[], info: RunInfo): void {
  const [ours, official] = targets
  const header = headerLines(rows, targets, info)
  const footnotes = notes(rows, [official.missing ?? '', ours.missing ?? ''].filter(Boolean))
  const text = [...header, '', textTable(rows), '', ...footnotes.map(n => `* ${n}`)].join('\n')
  process.stdout.write(`${text}\n\n[bench] done in ${Math.round((Date.now() - info.started) / 1000)} s\n`)

  const md = [...header.map(h => `${h}  `), '', markdownTable(rows), '', ...footnotes.map(n => `- ${n}`), ''].join('\n')
  writeFileSync(join(work, 'last-run.md'), md)
  writeFileSync(join(work, 'results.json'), JSON.stringify({header, rows}, null, 2))
  log(`wrote ${join(work, 'last-run.md')} and results.json`)
  if (opts['write-docs']) writeDocs(md)
}

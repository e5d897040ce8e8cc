/**
 * The plugins the bench measures (ours, and the official one with --official), the probe run that
 * must behave before a command is timed, the timing itself, and the rows that compare the two.
 */
import {join} from 'node:path'

import {type Env, hyperfine, type TimedCommand, run, type RunResult, stats} from './measure.js'
import {type Figure, figureValue, type Row, type Unit} from './report.js'
import type {Backend} from './backend.js'
import type {Installed} from './stage.js'
import {GOAL, log, runDir, runs, warmup} from './options.js'

export interface Target {
  inst?: Installed
  key: 'official' | 'ours'
  /** why this plugin is not measured */
  missing?: string
  /** how the command is run, for the log (default: heroku) */
  via?: string
}

export const na = (reason: string): Figure => ({kind: 'na', reason})
export const measured = (values: number[]): Figure => ({kind: 'measured', stats: stats(values)})
export const firstLine = (r: RunResult) => ((r.stderr.trim() || r.stdout.trim()).split('\n').find(l => l.trim() && !l.includes('Warning:')) ?? `exit ${r.code}`).trim().slice(0, 160)

export function argv(t: Target, args: string[]): string[] {
  return [...(t.inst as Installed).cli, ...args]
}

/** The installed plugin run as its own CLI (`node <plugin>/bin/run.js`), without heroku around it. */
export function ownCli(t: Target): Target {
  const inst = t.inst as Installed
  return {...t, inst: {...inst, cli: [process.execPath, join(inst.root as string, 'bin', 'run.js')]}, via: './bin/run.js'}
}

export function envOf(t: Target, server?: Backend, extra: Env = {}): Env {
  return {...(t.inst as Installed).env, ...server?.env, ...extra}
}

export interface Expect {
  /** the exit code; `nonzero` for any failure */
  code?: number | 'nonzero'
  stdout?: RegExp
  /** checked against the server's log after the probe */
  requests?: (server: Backend) => string | undefined
}

const exitOk = (expect: Expect, code: number) => expect.code === 'nonzero' ? code !== 0 : code === (expect.code ?? 0)

/** One run that must behave as expected before a command is timed; returns why not, or undefined. */
export async function probe(t: Target, args: string[], expect: Expect, server?: Backend, extra: Env = {}): Promise<string | undefined> {
  if (!t.inst) return t.missing ?? 'not installed'
  server?.clearLog()
  const r = await run(argv(t, args)[0], argv(t, args).slice(1), {cwd: runDir, env: envOf(t, server, extra), timeoutMs: 60_000})
  if (!exitOk(expect, r.code)) return `exit ${r.code} (expected ${expect.code ?? 0}): ${firstLine(r)}`
  if (expect.stdout && !expect.stdout.test(r.stdout)) return `unexpected output: ${firstLine(r)}`
  if (expect.requests && server) return expect.requests(server)
  return undefined
}

export interface Measured {
  rss: Figure
  time: Figure
}

/**
 * Wall time (hyperfine) and peak RSS (GNU time) of `heroku ARGS` for each plugin, from the same
 * runs, the plugins alternating. A plugin whose probe run misbehaves is `n/a` with the reason.
 */
export async function measureCommand(targets: Target[], args: string[] | ((t: Target) => string[]), expects: Expect | ((t: Target) => Expect), server?: Backend, extra: Env = {}): Promise<Record<Target['key'], Measured>> {
  const argsOf = (t: Target) => typeof args === 'function' ? args(t) : args
  const expectOf = (t: Target) => typeof expects === 'function' ? expects(t) : expects
  const out = {} as Record<Target['key'], Measured>
  const ok: Target[] = []
  for (const t of targets) {
    const problem = await probe(t, argsOf(t), expectOf(t), server, extra)
    if (problem) {
      if (t.inst) log(`${t.key}: ${t.via ?? 'heroku'} ${argsOf(t).join(' ')}: n/a: ${problem}`)
      out[t.key] = {rss: na(problem), time: na(problem)}
    } else {
      ok.push(t)
    }
  }

  if (ok.length === 0) return out
  log(`timing: ${ok[0].via ?? 'heroku'} ${argsOf(ok[0]).join(' ')} (${ok.map(t => t.key).join(', ')})`)
  const commands: TimedCommand[] = ok.map(t => ({argv: argv(t, argsOf(t)), env: envOf(t, server, extra), name: t.key}))
  const timings = await hyperfine(commands, {cwd: runDir, runs, warmup})
  for (const [i, t] of ok.entries()) {
    const bad = timings[i].exitCodes.filter(c => !exitOk(expectOf(t), c))
    out[t.key] = bad.length > 0
      ? {rss: na(`exit codes ${bad.join(',')} while timing`), time: na(`exit codes ${bad.join(',')} while timing`)}
      : {rss: {kind: 'measured', stats: timings[i].mib}, time: {cpu: timings[i].cpu, kind: 'measured', stats: timings[i].seconds}}
  }

  return out
}

export function ratioRow(metric: string, ours: Figure, official: Figure, maxRatio: number): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  const ratio = o !== undefined && f !== undefined ? o / f : undefined
  return {goal: `≤ ${maxRatio}× official`, metric, official, ours, pass: ratio === undefined ? undefined : ratio <= maxRatio, ratio, unit: 's'}
}

function memRow(metric: string, ours: Figure, official: Figure): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  return {goal: '≤ official', metric, official, ours, pass: o === undefined || f === undefined ? undefined : o <= f, ratio: o !== undefined && f !== undefined ? o / f : undefined, unit: 'MiB'}
}

export function limitRow(metric: string, unit: Unit, ours: Figure, official: Figure, max: number, goal?: string): Row {
  const o = figureValue(ours)
  const f = figureValue(official)
  return {goal: goal ?? `≤ ${max} ${unit}`, metric, official, ours, pass: o === undefined ? undefined : o <= max, ratio: o !== undefined && f !== undefined ? o / f : undefined, unit}
}

/** The two rows of a command measured against the official plugin: time ≤ 0.7×, memory ≤ official. */
export function comparedRows(metric: string, m: Record<Target['key'], Measured>): Row[] {
  return [ratioRow(metric, m.ours.time, m.official.time, GOAL.ratio), memRow(metric, m.ours.rss, m.official.rss)]
}

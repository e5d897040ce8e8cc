/**
 * Measuring tools: hyperfine (wall time, --export-json), GNU time (peak RSS) and plain Node timing
 * of a child process. Every child runs without a terminal (stdin ignored) and is killed after a
 * hard limit, so a hanging command fails the bench instead of stalling it.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

export type Env = Record<string, string | undefined>

export interface Stats {
  max: number
  median: number
  min: number
  n: number
}

export function stats(values: number[]): Stats {
  const v = [...values].sort((a, b) => a - b)
  if (v.length === 0) return {max: Number.NaN, median: Number.NaN, min: Number.NaN, n: 0}
  const mid = Math.floor(v.length / 2)
  const median = v.length % 2 === 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2
  return {max: v.at(-1) as number, median, min: v[0], n: v.length}
}

export interface RunResult {
  code: number
  /** ms from spawn to exit, on performance.now()'s clock */
  elapsedMs: number
  /** performance.now() at exit */
  exitAt: number
  /** performance.now() at spawn */
  startAt: number
  stderr: string
  stdout: string
}

/** Runs `cmd args` to completion without a TTY; kills it after `timeoutMs`. */
export function run(cmd: string, args: string[], options: {cwd?: string; env: Env; timeoutMs?: number}): Promise<RunResult> {
  const env = Object.fromEntries(Object.entries(options.env).filter(([, v]) => v !== undefined)) as Record<string, string>
  return new Promise(resolve => {
    const startAt = performance.now()
    const child = spawn(cmd, args, {cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', d => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', d => {
      stderr += d
    })
    const timer = setTimeout(() => {
      stderr += `\n[bench: killed after ${(options.timeoutMs ?? 120_000) / 1000} s]`
      child.kill('SIGKILL')
    }, options.timeoutMs ?? 120_000)
    // 'exit' is the process's end; 'close' may come later, once its pipes are drained
    let exitAt = 0
    child.on('exit', () => {
      exitAt = performance.now()
    })
    child.on('close', code => {
      clearTimeout(timer)
      exitAt ||= performance.now()
      resolve({code: code ?? 137, elapsedMs: exitAt - startAt, exitAt, startAt, stderr, stdout})
    })
    child.on('error', error => {
      clearTimeout(timer)
      resolve({code: 127, elapsedMs: 0, exitAt: performance.now(), startAt, stderr: String(error), stdout})
    })
  })
}

/** Quotes an argument for hyperfine's command line (it splits commands like a shell would). */
export function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`
}

export interface TimedCommand {
  /** a label for the table */
  name: string
  argv: string[]
  env: Env
}

export interface Timing {
  /** mean CPU time (user + system) per run, in s: less sensitive than wall time to other load */
  cpu: number
  exitCodes: number[]
  seconds: Stats
}

/**
 * Times each command with hyperfine (-N: no intermediate shell; each command gets its environment
 * through `env -i`). The commands are interleaved: one hyperfine call per round runs each command
 * once (the first round after `warmup` runs), so a change in the machine's load hits all alike.
 */
export async function hyperfine(commands: TimedCommand[], options: {cwd: string; runs: number; warmup: number}): Promise<Timing[]> {
  const dir = mkdtempSync(join(tmpdir(), 'applink-bench-hf-'))
  const out = join(dir, 'result.json')
  const acc = commands.map(() => ({cpu: [] as number[], exitCodes: [] as number[], times: [] as number[]}))
  try {
    for (let round = 0; round < options.runs; round++) {
      const args = ['-N', '--style', 'none', '--runs', '1', '--warmup', String(round === 0 ? options.warmup : 0), '-i', '--export-json', out]
      for (const c of commands) {
        args.push('-n', c.name)
        const envArgs = Object.entries(c.env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`)
        args.push(['env', '-i', ...envArgs, ...c.argv].map(a => shellQuote(a)).join(' '))
      }

      const res = await run('hyperfine', args, {cwd: options.cwd, env: process.env, timeoutMs: 10 * 60_000})
      if (res.code !== 0) throw new Error(`hyperfine failed (exit ${res.code}): ${res.stderr.trim()}`)
      const json = JSON.parse(readFileSync(out, 'utf8')) as {results: {exit_codes: number[]; system: number; times: number[]; user: number}[]}
      for (const [i, r] of json.results.entries()) {
        acc[i].times.push(...r.times)
        acc[i].exitCodes.push(...r.exit_codes)
        acc[i].cpu.push(r.user + r.system)
      }
    }

    return acc.map(a => ({cpu: a.cpu.reduce((x, y) => x + y, 0) / a.cpu.length, exitCodes: a.exitCodes, seconds: stats(a.times)}))
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

/** Peak resident set size (MiB) of `argv` over `runs` runs, from GNU time's %M. */
export async function peakRss(argv: string[], options: {cwd: string; env: Env; runs: number}): Promise<{codes: number[]; mib: Stats}> {
  const values: number[] = []
  const codes: number[] = []
  for (let i = 0; i < options.runs; i++) {
    const res = await run('/usr/bin/time', ['-f', 'bench-peak-rss-kb=%M', ...argv], {cwd: options.cwd, env: options.env})
    const match = /bench-peak-rss-kb=(\d+)/.exec(res.stderr)
    codes.push(res.code)
    if (match) values.push(Number(match[1]) / 1024)
  }

  return {codes, mib: stats(values)}
}

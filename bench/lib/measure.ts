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

/**
 * Runs `cmd args` to completion without a TTY; kills it after `timeoutMs`. `input` is written to
 * its stdin (then closed); without it stdin is /dev/null.
 */
export function run(cmd: string, args: string[], options: {cwd?: string; env: Env; input?: string; timeoutMs?: number}): Promise<RunResult> {
  const env = Object.fromEntries(Object.entries(options.env).filter(([, v]) => v !== undefined)) as Record<string, string>
  return new Promise(resolve => {
    const startAt = performance.now()
    const child = spawn(cmd, args, {cwd: options.cwd, env, stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']})
    if (child.stdin) {
      child.stdin.on('error', () => {})
      child.stdin.end(options.input)
    }

    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', d => {
      stdout += d
    })
    child.stderr?.setEncoding('utf8').on('data', d => {
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
  /** peak resident set size of each run, in MiB (GNU time's %M) */
  mib: Stats
  seconds: Stats
}

/**
 * Times the commands with hyperfine (-N: no intermediate shell; each command gets its environment
 * through `env -i`) and takes the peak RSS of the same runs with GNU time (`/usr/bin/time -f %M`,
 * a millisecond of its own, alike for every command). The commands alternate: each round runs
 * every command once, in the opposite order of the round before, so a change in the machine's
 * load hits all alike and none always runs first. `warmup` untimed runs of each come before.
 */
export async function hyperfine(commands: TimedCommand[], options: {cwd: string; runs: number; warmup: number}): Promise<Timing[]> {
  const dir = mkdtempSync(join(tmpdir(), 'applink-bench-hf-'))
  const out = join(dir, 'result.json')
  const rssFile = (i: number) => join(dir, `rss-${i}.txt`)
  const acc = commands.map(() => ({cpu: [] as number[], exitCodes: [] as number[], times: [] as number[]}))
  const envArgs = (c: TimedCommand) => Object.entries(c.env).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v}`)
  try {
    for (let w = 0; w < options.warmup; w++) {
      for (const c of commands) await run('env', ['-i', ...envArgs(c), ...c.argv], {cwd: options.cwd, env: process.env})
    }

    for (let round = 0; round < options.runs; round++) {
      const order = commands.map((_, i) => i)
      if (round % 2 === 1) order.reverse()
      const args = ['-N', '--style', 'none', '--runs', '1', '-i', '--export-json', out]
      for (const i of order) {
        const c = commands[i]
        args.push('-n', c.name, ['/usr/bin/time', '-a', '-o', rssFile(i), '-f', '%M', 'env', '-i', ...envArgs(c), ...c.argv].map(a => shellQuote(a)).join(' '))
      }

      const res = await run('hyperfine', args, {cwd: options.cwd, env: process.env, timeoutMs: 10 * 60_000})
      if (res.code !== 0) throw new Error(`hyperfine failed (exit ${res.code}): ${res.stderr.trim()}`)
      const json = JSON.parse(readFileSync(out, 'utf8')) as {results: {exit_codes: number[]; system: number; times: number[]; user: number}[]}
      for (const [k, r] of json.results.entries()) {
        const a = acc[order[k]]
        a.times.push(...r.times)
        a.exitCodes.push(...r.exit_codes)
        a.cpu.push(r.user + r.system)
      }
    }

    return acc.map((a, i) => {
      // GNU time adds a "Command exited with non-zero status N" line before the figure: keep the figures
      const kb = readFileSync(rssFile(i), 'utf8').split('\n').filter(l => /^\d+$/.test(l.trim())).map(Number)
      return {cpu: a.cpu.reduce((x, y) => x + y, 0) / a.cpu.length, exitCodes: a.exitCodes, mib: stats(kb.map(k => k / 1024)), seconds: stats(a.times)}
    })
  } finally {
    rmSync(dir, {force: true, recursive: true})
  }
}

/**
 * The real `heroku` CLI (with the staged plugin) on a real pseudo-terminal (`@lydell/node-pty`):
 * stdin, stdout and stderr are one TTY, as in a terminal window. `write('\u0003')` is a real Ctrl-C:
 * in raw mode the program reads it as a key, otherwise the terminal sends SIGINT to the program.
 */
import * as pty from '@lydell/node-pty'

import {stripAnsi} from '../../../scripts/lib/heroku-env.mjs'
import type {Stage} from './cli.js'

export interface PtyResult {
  code: number
  /** everything the terminal showed, ANSI escapes removed, CRLF as LF */
  text: string
}

export interface PtyHandle {
  done: Promise<PtyResult>
  /** the screen so far, as `PtyResult.text` */
  readonly text: string
  kill(signal: NodeJS.Signals): void
  /** resolves with the first match of `re` in the output; rejects on exit or after `timeoutMs` */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>
  write(data: string): void
}

const running = new Set<pty.IPty>()

process.on('exit', () => {
  for (const p of running) {
    try {
      p.kill('SIGKILL')
    } catch {}
  }
})

function clean(raw: string): string {
  return stripAnsi(raw).replaceAll('\r\n', '\n')
}

/** Starts `heroku ...args` on a terminal of 120×30. `env` entries set to undefined are removed. */
export function herokuOnTerminal(stage: Stage, args: string[], env: Record<string, string | undefined> = {}): PtyHandle {
  // a person at a terminal: CI unset (the CI that runs the tests sets it)
  const merged: Record<string, string | undefined> = {...stage.env, CI: undefined, TERM: 'xterm-256color', ...env}
  const childEnv: Record<string, string> = {}
  for (const [k, v] of Object.entries(merged)) if (v !== undefined) childEnv[k] = v
  const p = pty.spawn(stage.node, [stage.bin, ...args], {cols: 120, cwd: stage.cwd, env: childEnv, name: 'xterm-256color', rows: 30})
  running.add(p)
  let raw = ''
  let exited = false
  const watchers = new Set<() => void>()
  p.onData(d => {
    raw += d
    for (const w of watchers) w()
  })
  const done = new Promise<PtyResult>(resolve => {
    p.onExit(({exitCode}) => {
      exited = true
      running.delete(p)
      for (const w of watchers) w()
      resolve({code: exitCode, text: clean(raw)})
    })
  })
  return {
    done,
    kill(signal) {
      p.kill(signal)
    },
    get text() {
      return clean(raw)
    },
    waitFor(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const finish = () => {
          clearTimeout(timer)
          watchers.delete(check)
        }

        const check = () => {
          const m = re.exec(clean(raw))
          if (m) {
            finish()
            resolve(m)
          } else if (exited) {
            finish()
            reject(new Error(`heroku ${args.join(' ')} exited before showing ${re}:\n${clean(raw)}`))
          }
        }

        const timer = setTimeout(() => {
          finish()
          reject(new Error(`heroku ${args.join(' ')} did not show ${re} within ${timeoutMs / 1000} s:\n${clean(raw)}`))
        }, timeoutMs)
        watchers.add(check)
        check()
      })
    },
    write(data) {
      p.write(data)
    },
  }
}

/**
 * Mocha hooks that fix what the command sees as its terminal, so a test gives the same result in
 * CI and when run by hand in a terminal: `asPipe()` (no TTY: never prompt, plain progress lines) or
 * `asTerminal()` (stdin and stderr are TTYs, CI unset; type answers with `keys().write(...)`).
 */
import {PassThrough} from 'node:stream'

function swap(stdin: PassThrough, stderrTTY: boolean, ci: string | undefined): () => void {
  const saved = {ci: process.env.CI, stderrTTY: process.stderr.isTTY, stdin: Object.getOwnPropertyDescriptor(process, 'stdin')!}
  Object.defineProperty(process, 'stdin', {configurable: true, enumerable: saved.stdin.enumerable, get: () => stdin})
  process.stderr.isTTY = stderrTTY
  if (ci === undefined) delete process.env.CI
  else process.env.CI = ci
  return () => {
    Object.defineProperty(process, 'stdin', saved.stdin)
    process.stderr.isTTY = saved.stderrTTY
    if (saved.ci === undefined) delete process.env.CI
    else process.env.CI = saved.ci
  }
}

export function asPipe(): void {
  let restore: () => void
  beforeEach(() => {
    const stdin = new PassThrough()
    stdin.end()
    restore = swap(stdin, false, process.env.CI)
  })
  afterEach(() => restore())
}

export function asTerminal(): {keys: () => PassThrough} {
  let restore: () => void
  let stdin: PassThrough
  beforeEach(() => {
    stdin = Object.assign(new PassThrough(), {isTTY: true})
    restore = swap(stdin, true, undefined)
  })
  afterEach(() => restore())
  return {keys: () => stdin}
}

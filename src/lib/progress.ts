/**
 * One-line progress on stderr around a single request: `Disconnecting … from my-app... done`.
 * On a terminal the label shows while the request runs; piped or in CI the whole line is written
 * once the answer is in (so logs never hold half a line); nothing at all with --json.
 */
import {forTerminal} from './terminal-text.js'

export interface StepOptions<T> {
  /** the word after `...` on success; defaults to `done` */
  done?: (result: T) => string
  /** true with --json: print nothing */
  quiet?: boolean
}

export async function step<T>(text: string, fn: () => Promise<T>, options: StepOptions<T> = {}): Promise<T> {
  if (options.quiet) return fn()
  const label = forTerminal(text, {oneLine: true})
  const live = Boolean(process.stderr.isTTY) && !process.env.CI
  if (live) process.stderr.write(`${label}...`)
  let result: T
  try {
    result = await fn()
  } catch (error) {
    process.stderr.write(live ? ' failed\n' : `${label}... failed\n`)
    throw error
  }

  const done = forTerminal(options.done?.(result) ?? 'done', {oneLine: true})
  process.stderr.write(live ? ` ${done}\n` : `${label}... ${done}\n`)
  return result
}

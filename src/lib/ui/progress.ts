/**
 * One-line progress on stderr around a single request: `Disconnecting … from my-app... done`.
 * On a terminal the label shows while the request runs; piped or in CI the whole line is written
 * once the answer is in (so logs never hold half a line); nothing at all with --json.
 */
import type {AppLinkError} from '../api/errors.js'
import {interrupts} from './interrupt.js'
import type {IO} from './io.js'
import {forTerminal} from './terminal-text.js'

export interface StepOptions<T> {
  /** the command's streams: the line goes to its stderr, live when `io.liveProgress` */
  io: IO
  /** the word after `...` on success; defaults to `done` */
  done?: (result: T) => string
  /** true with --json: print nothing */
  quiet?: boolean
  /** what Ctrl-C / SIGTERM during the step says (the line is ended first) */
  interrupted?: () => AppLinkError
}

export async function step<T>(text: string, fn: () => Promise<T>, options: StepOptions<T>): Promise<T> {
  const label = forTerminal(text, {oneLine: true})
  const {interrupted, io} = options
  const live = !options.quiet && io.liveProgress
  const release = interrupted && interrupts.onInterrupt(() => {
    if (!options.quiet) io.err(live ? ' interrupted\n' : `${label}... interrupted\n`)
    return interrupted()
  })
  if (options.quiet) {
    try {
      return await fn()
    } finally {
      release?.()
    }
  }

  if (live) io.err(`${label}...`)
  let result: T
  try {
    result = await fn()
  } catch (error) {
    io.err(live ? ' failed\n' : `${label}... failed\n`)
    throw error
  } finally {
    release?.()
  }

  const done = forTerminal(options.done?.(result) ?? 'done', {oneLine: true})
  io.err(live ? ` ${done}\n` : `${label}... ${done}\n`)
  return result
}

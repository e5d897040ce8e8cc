/**
 * What the flow runner (flow.ts) talks to: progress on stderr, keys, the browser, the clock and
 * signals, all through `FlowIO`, so tests hand in fakes and never really wait. `flowIO` builds the
 * real one from the command's IO (src/lib/ui/io.ts).
 */
import type {AppLinkError} from '../api/errors.js'
import type {IO} from '../ui/io.js'
import type {KeyAnswer, KeyInput} from '../ui/keypress.js'
import {forTerminal} from '../ui/terminal-text.js'
import {sleep} from '../api/retry.js'
import {nextPollDelay, pollIntervalOverride} from './flow-timing.js'

/** Progress on stderr: a spinner, or plain lines. */
export interface Progress {
  start(action: string, status: string): void
  update(status: string): void
  stop(status: string): void
  /** a message on a line of its own, without breaking the spinner */
  note(text: string): void
}

export interface FlowIO {
  /** a person is at a terminal (stdin and stderr are TTYs, CI unset) */
  interactive: boolean
  /** writes to stderr */
  write(text: string): void
  now(): number
  /** waits `ms`, returning early when `signal` aborts */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  /** the delay before the next poll; see nextPollDelay */
  schedule(elapsedMs: number, previousMs: number): number
  waitForKey(signal: AbortSignal): Promise<KeyAnswer>
  /** true when the browser was (probably) opened */
  openUrl(url: string, app?: string): Promise<boolean>
  progress: Progress
  /**
   * Runs `handler` synchronously on Ctrl-C / SIGTERM until the returned function is called; what it
   * returns is shown and the process exits with its code (see src/lib/ui/interrupt.ts).
   */
  onInterrupt(handler: () => AppLinkError): () => void
  /** polls in a row that may fail with a network error or 5xx before the runner gives up */
  maxFailures: number
}

/** Plain lines for logs and pipes: one per status change, never one per poll. */
export function lineProgress(write: (text: string) => void): Progress {
  let action = ''
  let last: string | undefined
  const line = (status: string) => {
    if (status === last) return
    last = status
    write(`${action}: ${status}\n`)
  }

  return {
    note: text => write(`${text}\n`),
    start(a, status) {
      action = a
      last = undefined
      line(status)
    },
    stop: line,
    update: line,
  }
}

async function spinnerProgress(io: IO): Promise<Progress> {
  const {ux} = await import('../ui/oclif.js')
  return {
    note(text) {
      if (ux.action.running) ux.action.pause(() => io.err(`${forTerminal(text)}\n`))
      else io.err(`${forTerminal(text)}\n`)
    },
    start: (action, status) => ux.action.start(forTerminal(action, {oneLine: true}), forTerminal(status, {oneLine: true})),
    stop: status => ux.action.stop(forTerminal(status, {oneLine: true})),
    update(status) {
      ux.action.status = forTerminal(status, {oneLine: true})
    },
  }
}

/** The real terminal (the command's IO: its stderr, its stdin, its spinner decision), clock, browser and signals. */
export async function flowIO(io: IO): Promise<FlowIO> {
  const [{waitForKey}, {openBrowser}, {interrupts}] = await Promise.all([import('../ui/keypress.js'), import('../ui/browser.js'), import('../ui/interrupt.js')])
  // statuses, messages and the login URL come from the service: no control characters reach the terminal
  const write = (text: string) => {
    io.err(forTerminal(text))
  }

  const fixed = pollIntervalOverride()
  return {
    interactive: io.interactive,
    maxFailures: 3,
    now: () => Date.now(),
    onInterrupt: handler => interrupts.onInterrupt(handler),
    openUrl: openBrowser,
    progress: io.spinner ? await spinnerProgress(io) : lineProgress(write),
    schedule: fixed ? () => fixed : nextPollDelay,
    sleep,
    waitForKey: signal => waitForKey(io.stdin as KeyInput, signal),
    write,
  }
}

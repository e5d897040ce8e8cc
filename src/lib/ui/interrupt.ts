/**
 * Ctrl-C and SIGTERM, handled the same under `../bin/run.js` and under the `heroku` CLI.
 *
 * The heroku CLI (11.x, with telemetry on, which is its default) listens for SIGINT and SIGTERM
 * itself and calls `process.exit(1)` at once. Nothing asynchronous that a command starts after the
 * signal (an await, a timer, an error travelling to `catch()`) would ever run. So:
 * - our listener goes first (`prependListener`) and does all its work synchronously: the handler on
 *   top of the stack puts the terminal back, ends its progress line and returns what to say (an
 *   AppLinkError, which the command renders: text on stderr, or JSON on stdout with --json) or just
 *   an exit code (the emulator, which stops quietly);
 * - the process exits with that code (130 for an interrupted command) whoever calls
 *   `process.exit`: an `exit` listener puts it back when another listener exits with another code;
 * - the other listeners still run (the CLI records the interrupt as it does for its own commands).
 *   When ours is the only one, it exits straight away; otherwise it exits on the next turn of the
 *   event loop if no other listener did.
 * A second signal exits at once.
 */
import {AppLinkError, ExitCode} from '../api/errors.js'
import {createIO, type IO} from './io.js'

/** Runs synchronously on SIGINT / SIGTERM: cleans up, then returns the error to show or the exit code. */
export type InterruptHandler = (signal: NodeJS.Signals) => AppLinkError | number

/** The slice of `process` the guard uses (a fake in tests). */
export interface SignalTarget {
  exitCode?: number | string | null
  exit(code: number): void
  listenerCount(event: string): number
  on(event: string, fn: () => void): unknown
  prependListener(event: string, fn: (signal: NodeJS.Signals) => void): unknown
}

export interface InterruptGuard {
  /** true once a signal was handled: the process is on its way out, nothing more should be printed */
  readonly interrupted: boolean
  /** Puts `handler` on top until the returned function is called. Installs the listeners on first use. */
  onInterrupt(handler: InterruptHandler): () => void
  /** How an AppLinkError returned by a handler is shown (the command's own error rendering). */
  setRenderer(render: (error: AppLinkError) => void): void
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']

export function interruptedError(message = 'Interrupted.', hints: string[] = []): AppLinkError {
  return new AppLinkError(message, {exitCode: ExitCode.INTERRUPTED, hints, id: 'interrupted'})
}

/**
 * True for the error of an inquirer prompt that Ctrl-C closed (in raw mode the key reaches the
 * prompt, not the signal handlers): ours, or one of the Heroku CLI's client (login, two-factor).
 */
export function isPromptInterrupted(error: unknown): boolean {
  const name = (error as Error | undefined)?.name
  return name === 'ExitPromptError' || name === 'AbortPromptError'
}

/** What the top handler answers (the generic interruption when there is none; 130 when it throws). */
function outcomeOf(handlers: InterruptHandler[], signal: NodeJS.Signals): AppLinkError | number {
  try {
    const top = handlers.at(-1)
    return top ? top(signal) : interruptedError()
  } catch {
    return ExitCode.INTERRUPTED
  }
}

/** Exits with `code` (at once, or on the next turn when other listeners of `signal` may exit first), and keeps it if one does. */
function exitWith(target: SignalTarget, signal: NodeJS.Signals, code: number, defer: (fn: () => void) => void): void {
  target.exitCode = code
  target.on('exit', () => {
    target.exitCode = code
  })
  if (target.listenerCount(signal) <= 1) target.exit(code)
  else defer(() => target.exit(code))
}

/** `io` shows a returned error until a command sets its own renderer (`setRenderer`). */
export function createInterruptGuard(target: SignalTarget, defer: (fn: () => void) => void = fn => setImmediate(fn), io: () => IO = () => createIO()): InterruptGuard {
  const handlers: InterruptHandler[] = []
  let render = (error: AppLinkError) => {
    io().err(`Error: ${error.message}\n${error.hints.map(h => `  › ${h}\n`).join('')}`)
  }

  let installed = false
  let code: number | undefined

  const onSignal = (signal: NodeJS.Signals) => {
    if (code !== undefined) {
      // a second Ctrl-C: no more waiting for anything
      target.exit(code)
      return
    }

    const outcome = outcomeOf(handlers, signal)
    if (typeof outcome === 'number') {
      code = outcome
    } else {
      code = outcome.exitCode
      try {
        render(outcome)
      } catch {}
    }

    exitWith(target, signal, code, defer)
  }

  return {
    get interrupted() {
      return code !== undefined
    },
    onInterrupt(handler) {
      if (!installed) {
        installed = true
        for (const signal of SIGNALS) target.prependListener(signal, onSignal)
      }

      handlers.push(handler)
      return () => {
        const i = handlers.lastIndexOf(handler)
        if (i !== -1) handlers.splice(i, 1)
      }
    },
    setRenderer(r) {
      render = r
    },
  }
}

/** The guard of this process. */
export const interrupts: InterruptGuard = createInterruptGuard(process as unknown as SignalTarget)

/** The slice of `process` `holdSignals` uses (a fake in tests). */
export interface SignalOwner {
  // EventEmitter's listeners() says Function[]; they are put back with on() as they were
  listeners(event: string): any[]
  on(event: string, fn: (...args: any[]) => void): unknown
  removeAllListeners(event: string): unknown
  removeListener(event: string, fn: (...args: any[]) => void): unknown
}

/**
 * Takes SIGINT and SIGTERM over until the returned function is called: `handler` gets each one and
 * nobody else does. The other listeners (the guard above, the heroku CLI's own, which exit at once)
 * are set aside and put back, in their order, on release. For a command that must go on after a
 * signal: `applink:emulator:exec` forwards it to the command it runs, waits for that to end, then
 * stops the emulator and exits with the code it chose (the CLI's telemetry does not record it).
 */
export function holdSignals(handler: (signal: NodeJS.Signals) => void, owner: SignalOwner = process): () => void {
  const saved = SIGNALS.map(signal => ({listeners: owner.listeners(signal), signal}))
  for (const signal of SIGNALS) {
    owner.removeAllListeners(signal)
    owner.on(signal, handler)
  }

  let released = false
  return () => {
    if (released) return
    released = true
    for (const {listeners, signal} of saved) {
      owner.removeListener(signal, handler)
      for (const listener of listeners) owner.on(signal, listener)
    }
  }
}

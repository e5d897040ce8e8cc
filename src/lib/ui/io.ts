/**
 * The one owner of the process's streams, made once per command (`AppLinkCommand.init` sets
 * `this.io`) and handed to whatever writes or asks. It decides once, when it is made:
 * - whether stdin, stdout and stderr are terminals, and whether we run in CI (`CI` set);
 * - `interactive`: a person can answer (stdin and stderr are terminals, CI unset): prompts and key waits;
 * - `liveProgress`: a line may be drawn on stderr and finished later (a step label, an upload's percent);
 * - `spinner`: oclif's spinner may run (the same test, and a TERM that can redraw a line);
 * - `columns`: the width a table on stdout must fit, or undefined when stdout is piped (values whole).
 * Colour is left to the Heroku CLI's colour module, which honours NO_COLOR, FORCE_COLOR and HEROKU_THEME.
 *
 * Every string written through it has the secrets this process registered (src/lib/api/redact.ts)
 * masked. Nothing else in src/commands or src/lib touches `process.stdout` / `process.stderr` or
 * asks whether a stream is a terminal (`npm run lint` refuses it). Writes are synchronous for pipes,
 * files and terminals, as Node makes them: the interrupt guard relies on that to print before the
 * heroku CLI's own signal handler exits.
 */
import {maskKnownSecrets, redactText} from '../api/redact.js'
import {forTerminal} from './terminal-text.js'

/** A readable stream as the IO sees it: a real `process.stdin` or a fake in tests. */
export type InStream = NodeJS.ReadableStream & {isRaw?: boolean; isTTY?: boolean; setRawMode?: (mode: boolean) => unknown}
/** A writable stream as the IO sees it; `columns` when it is a terminal. */
export type OutStream = NodeJS.WritableStream & {columns?: number; isTTY?: boolean}

export interface Streams {
  env: NodeJS.ProcessEnv
  stderr: OutStream
  /** a function to read it only when asked for: touching `process.stdin` opens it */
  stdin: (() => InStream) | InStream
  stdout: OutStream
}

/** True when `stream` is a terminal: the one place that asks. */
export function isTerminal(stream: {isTTY?: boolean} | undefined): boolean {
  return Boolean(stream?.isTTY)
}

export class IO {
  readonly ci: boolean
  /** a progress line may stay open on stderr while work runs (terminal, not CI) */
  readonly liveProgress: boolean
  /** oclif's spinner may run: `liveProgress` and a TERM that can redraw a line */
  readonly spinner: boolean
  readonly stderrIsTTY: boolean
  readonly stdoutIsTTY: boolean
  private input?: {isTTY: boolean; stream: InStream}
  private readonly openStdin: () => InStream
  private readonly stderr: OutStream
  private readonly stdout: OutStream

  constructor(streams: Streams) {
    const {stdin} = streams
    this.openStdin = typeof stdin === 'function' ? stdin : () => stdin
    this.stdout = streams.stdout
    this.stderr = streams.stderr
    this.stdoutIsTTY = isTerminal(streams.stdout)
    this.stderrIsTTY = isTerminal(streams.stderr)
    this.ci = Boolean(streams.env.CI)
    this.liveProgress = this.stderrIsTTY && !this.ci
    // the same test as oclif's spinner makes when @oclif/core/ux is first loaded
    this.spinner = this.liveProgress && !['dumb', 'emacs-color'].includes(streams.env.TERM ?? '')
  }

  /** stdin, opened on first use (and whether it is a terminal, decided then, once) */
  get stdin(): InStream {
    return this.opened().stream
  }

  get stdinIsTTY(): boolean {
    return this.opened().isTTY
  }

  /** a person can answer prompts: stdin and stderr are terminals and CI is unset */
  get interactive(): boolean {
    return this.stderrIsTTY && !this.ci && this.stdinIsTTY
  }

  private opened(): {isTTY: boolean; stream: InStream} {
    if (!this.input) {
      const stream = this.openStdin()
      this.input = {isTTY: isTerminal(stream), stream}
    }

    return this.input
  }

  /** The width a table on stdout must fit (80 when a terminal does not say), or undefined when piped. */
  get columns(): number | undefined {
    return this.stdoutIsTTY ? this.stdout.columns || 80 : undefined
  }

  /** The stream prompts draw on (stderr, so stdout keeps only results). */
  get promptOutput(): OutStream {
    return this.stderr
  }

  /** Writes `text` to stdout as it is (registered secrets masked). */
  out(text: string): void {
    this.stdout.write(maskKnownSecrets(text))
  }

  /** Writes `text` to stderr as it is (registered secrets masked). */
  err(text: string): void {
    this.stderr.write(maskKnownSecrets(text))
  }

  /** A line (or lines) for people on stderr: control characters shown as escapes, a newline added when missing. */
  note(text: string): void {
    this.err(forTerminal(text.endsWith('\n') ? text : `${text}\n`))
  }

  /** `Warning: …` on stderr. */
  warn(text: string): void {
    this.err(`Warning: ${text}\n`)
  }

  /** A line that may quote a service's failure (which can echo a credential back): redacted like an error. */
  noteRedacted(text: string): void {
    this.err(`${forTerminal(redactText(text))}\n`)
  }
}

/** The IO of this process (or of the streams given, e.g. fakes in tests). */
export function createIO(streams: Partial<Streams> = {}): IO {
  return new IO({env: process.env, stderr: process.stderr, stdin: () => process.stdin, stdout: process.stdout, ...streams})
}

/**
 * NODE_DEBUG=http (or net, tls…) makes Node print each request's options, headers included, on
 * the real stderr, past any IO. With it set the base command calls this: everything later written
 * to stderr, by anyone, passes through `redactText` first, so tokens (the Heroku token's
 * `Bearer …`, registered secrets such as an org access token) are masked there too.
 */
let stderrRedacted = false
export function redactProcessStderr(): void {
  if (stderrRedacted) return
  stderrRedacted = true
  const write = process.stderr.write.bind(process.stderr) as (chunk: unknown, ...rest: unknown[]) => boolean
  process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? redactText(chunk) : Buffer.isBuffer(chunk) ? redactText(chunk.toString('utf8')) : chunk, ...rest)) as typeof process.stderr.write
}

/**
 * The one error type of the plugin. Every failure a user can meet (bad input, a refused request,
 * a failed OAuth flow, a timeout) is an AppLinkError: it carries a stable `id`, a message written
 * for people, optional next steps, and the exit code. The base command renders it as text or,
 * with --json, as `{"error": {...}}` on stdout.
 */

/** Exit codes, documented in README.md. */
export const ExitCode = {
  /** the service refused the request, or the flow ended failed/disconnected */
  FAILED: 1,
  /** invalid input: names, flags, files, specs; nothing was sent */
  INVALID_INPUT: 2,
  /** waited past --wait-timeout; the operation may still complete */
  TIMEOUT: 3,
  /** stopped by Ctrl-C / SIGTERM */
  INTERRUPTED: 130,
} as const

export interface AppLinkErrorOptions {
  /** machine-readable id: the service's error id, or one of ours (`invalid_name`, `network_error`, …) */
  id: string
  /** HTTP status when the error came from a response */
  status?: number
  /** next steps, e.g. commands to run */
  hints?: string[]
  exitCode?: number
  /** the request that failed, as `METHOD path` (never a full URL with credentials) */
  request?: string
  /**
   * Whether the request reached the service: false only when it certainly did not (connection
   * refused, name not resolved), so nothing was created or deleted. Unset when no request failed.
   */
  sent?: boolean
  cause?: unknown
}

export class AppLinkError extends Error {
  readonly id: string
  readonly status?: number
  readonly hints: string[]
  readonly exitCode: number
  readonly request?: string
  /** see AppLinkErrorOptions.sent; never part of the JSON form */
  readonly sent?: boolean

  constructor(message: string, options: AppLinkErrorOptions) {
    super(message)
    this.name = 'AppLinkError'
    this.id = options.id
    this.status = options.status
    this.hints = options.hints ?? []
    this.exitCode = options.exitCode ?? ExitCode.FAILED
    this.request = options.request
    this.sent = options.sent
  }

  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {id: this.id, message: this.message}
    if (this.status !== undefined) out.status = this.status
    if (this.request) out.request = this.request
    if (this.hints.length > 0) out.hints = this.hints
    out.exit_code = this.exitCode
    return out
  }
}

/** Bad input found before anything was sent. */
export function invalidInput(id: string, message: string, hints: string[] = []): AppLinkError {
  return new AppLinkError(message, {exitCode: ExitCode.INVALID_INPUT, hints, id})
}

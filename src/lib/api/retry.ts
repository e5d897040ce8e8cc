/**
 * The one retry policy of the plugin, used for the AppLink API (`applink-client.ts`) and the Heroku
 * Platform API (`platform-resilience.ts`, and the fast client's network retries in `platform.ts`):
 * which failures are worth sending a request again for, and how long to wait first. Also the
 * helpers every transport shares: the backoff, the Retry-After parser, the HTML-body check and a sleep.
 *
 * - A GET is repeated after a transient network failure (reset, timeout, refused, EAI_AGAIN…)
 *   and after a transient status (429, 502, 503, 504), honouring Retry-After up to 30 s.
 * - Anything else (POST, DELETE…) is repeated only when the request certainly never reached the
 *   server (`sent: false`); a status answer always means it did, so it is never repeated.
 * See docs/applink-api.md ("Retries") for what the user sees.
 */

/** Statuses after which a GET is worth repeating: rate limited, or a gateway in trouble. */
export const TRANSIENT_STATUS: ReadonlySet<number> = new Set([429, 502, 503, 504])

/** Network failure codes after which a request is worth repeating (when it is safe to). */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(['EAI_AGAIN', 'ECONNABORTED', 'ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETDOWN', 'ENETUNREACH', 'EPIPE', 'ETIMEDOUT'])

/** Retry-After longer than this is not waited for: the error says when to try again. */
export const MAX_RETRY_AFTER_MS = 30_000

/** Retries after the first attempt, unless a caller says otherwise. */
export const DEFAULT_RETRIES = 3

/** What one attempt ended with: a status (with its headers), or a network failure. */
export type Outcome =
  | {code: string; sent: boolean}
  | {headers?: Record<string, string | string[] | undefined>; status: number}

/**
 * How long to wait before attempt `attempt + 1`, or undefined when the request must not be sent
 * again: the answer is final, the method is not safe to repeat, or `maxAttempts` is reached.
 */
export function retryDelay(method: string, outcome: Outcome, attempt: number, maxAttempts: number): number | undefined {
  if (attempt >= maxAttempts) return undefined
  if ('code' in outcome) {
    // a GET is safe to repeat; anything else only when it certainly never reached the server
    const resendable = method === 'GET' || !outcome.sent
    return resendable && TRANSIENT_CODES.has(outcome.code) ? backoffMs(attempt) : undefined
  }

  if (method !== 'GET' || !TRANSIENT_STATUS.has(outcome.status)) return undefined
  const asked = retryAfterMs(outcome.headers?.['retry-after'])
  if (asked === undefined) return backoffMs(attempt)
  return asked <= MAX_RETRY_AFTER_MS ? asked : undefined
}

/** Capped exponential backoff with jitter: ~0.25 s, 0.5 s, 1 s … at most 4 s (each between half and all of it). */
export function backoffMs(attempt: number): number {
  const cap = Math.min(4000, 250 * 2 ** (Math.max(1, attempt) - 1))
  return Math.round(cap / 2 + Math.random() * (cap / 2))
}

/** A Retry-After header in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value || !value.trim()) return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Math.round(Number(value) * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** True when a response body is an HTML page (a proxy's, a gateway's or a login portal's), not JSON. */
export function looksLikeHtml(text: string): boolean {
  return /^\s*<(!doctype|html|head|body)/i.test(text)
}

/** Waits `ms`; with a `signal`, returns early (without an error) when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>(resolve => {
    if (signal?.aborted) {
      resolve()
      return
    }

    const onAbort = () => {
      clearTimeout(timer)
      resolve()
    }

    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, {once: true})
  })
}

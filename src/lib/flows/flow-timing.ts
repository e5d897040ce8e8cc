/**
 * Time in the flows that wait (see flow.ts): the poll schedule, `--wait-timeout`, how a duration
 * reads in messages. (The sleep an interrupt cuts short is `api/retry.ts`'s, given the signal.)
 */
import {invalidInput} from '../api/errors.js'

export const DEFAULT_WAIT_TIMEOUT_S = 600

/**
 * The poll schedule: every 0.4 s for the first 10 s (a login usually ends within seconds, and the
 * command must exit within half a second of it: the interval plus a status request), every 1 s
 * until 60 s, then ×1.5 per poll up to every 5 s.
 */
export function nextPollDelay(elapsedMs: number, previousMs: number): number {
  if (elapsedMs < 10_000) return 400
  if (elapsedMs < 60_000) return 1000
  return Math.min(5000, Math.round(Math.max(1000, previousMs) * 1.5))
}

/** `APPLINK_POLL_INTERVAL_MS`: a fixed poll interval instead of the schedule (tests, tuning). */
export function pollIntervalOverride(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const ms = Number(env.APPLINK_POLL_INTERVAL_MS)
  return env.APPLINK_POLL_INTERVAL_MS && Number.isFinite(ms) && ms > 0 ? ms : undefined
}

/** `--wait-timeout SECONDS` (or APPLINK_WAIT_TIMEOUT) in ms; a positive number, default 10 minutes. */
export function waitTimeoutMs(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_WAIT_TIMEOUT_S * 1000
  const seconds = Number(value)
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(seconds > 0)) {
    throw invalidInput('invalid_wait_timeout', `Invalid --wait-timeout ${JSON.stringify(value)}: use a number of seconds greater than 0.`, [
      `E.g. --wait-timeout 900 to wait 15 minutes (the default is ${DEFAULT_WAIT_TIMEOUT_S}; APPLINK_WAIT_TIMEOUT sets it too).`,
    ])
  }

  return Math.round(seconds * 1000)
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  if (total < 60) return `${ms < 1000 ? ms / 1000 : total} second${total === 1 ? '' : 's'}`
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  return `${minutes} minute${minutes === 1 ? '' : 's'}${seconds ? ` ${seconds} second${seconds === 1 ? '' : 's'}` : ''}`
}

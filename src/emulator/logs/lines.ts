/**
 * One log line as Logplex keeps it and `heroku logs` prints it (docs/emulator.md, "Logs"):
 * `{time, source, dyno, message}`, shown as `<time> <source>[<dyno>]: <message>`, with the time in
 * RFC 3339 with microseconds and `+00:00`. Also the checks of lines posted to the ingestion route.
 */
import {badRequest} from '../http/reply.js'
import {typeName} from '../http/util.js'

/** What a field holds, for an error message: "missing", or its JSON type. */
const what = (value: unknown) => (value === undefined ? 'missing' : typeName(value))

export type LogSource = 'app' | 'heroku'

export interface LogLine {
  dyno: string
  message: string
  source: LogSource
  /** e.g. 2026-12-07T22:23:22.209776+00:00 */
  time: string
}

/** A stored line with its event id (the SSE `id:`, what Last-Event-ID resumes after). */
export interface StoredLine extends LogLine {
  id: number
}

/** Lines one ingestion call may carry, and the bytes of one message before it is split (as Heroku does). */
export const MAX_LINES_PER_POST = 500
export const MAX_MESSAGE_BYTES = 10_000

/** A dyno name as the CLI's colouring reads it: `web.1`, `heroku-applink`, `api`, `web-7b9c-xk2p`. */
const DYNO = /^[\w.-]{1,64}$/
/** An ISO time with an optional fraction and a Z or ±hh:mm offset. */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/i

/** The line as `heroku logs` prints it. */
export function formatLine(line: LogLine): string {
  return `${line.time} ${line.source}[${line.dyno}]: ${line.message}`
}

/** Microseconds since the epoch as Logplex writes a time: `2026-12-07T22:23:22.209776+00:00`. */
export function formatTime(micros: number): string {
  const ms = Math.floor(micros / 1000)
  const fraction = String(Math.floor(micros) % 1_000_000).padStart(6, '0')
  return `${new Date(ms).toISOString().slice(0, 19)}.${fraction}+00:00`
}

/** Now, in microseconds (performance's clock keeps the digits below the millisecond). */
export function nowMicros(): number {
  return Math.floor((performance.timeOrigin + performance.now()) * 1000)
}

/** An ISO time of any offset and precision, as Logplex writes it (UTC, microseconds); undefined if it is not one. */
export function normalizeTime(text: string): string | undefined {
  const m = ISO_TIME.exec(text)
  if (!m) return undefined
  const [, base, fraction = '', zone] = m
  const ms = Date.parse(`${base}${zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`)
  if (Number.isNaN(ms)) return undefined
  return formatTime(ms * 1000 + Number(fraction.padEnd(6, '0').slice(0, 6)))
}

/**
 * A message as the lines Logplex keeps: one per line of text (empty lines dropped, but an empty
 * message is kept as one empty line), each cut into pieces of at most MAX_MESSAGE_BYTES bytes
 * without splitting a character. Control characters other than tab are shown as escapes (`\x1b`),
 * so a line never breaks the event stream nor the terminal it is printed on.
 */
export function splitMessage(message: string): string[] {
  const texts = message.split(/\r?\n|\r/).filter((t, i, all) => t !== '' || all.length === 1)
  const out: string[] = []
  for (const text of texts) {
    // eslint-disable-next-line no-control-regex
    const shown = text.replaceAll(/[\u0000-\u0008\u000A-\u001F\u007F]/g, c => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    let piece = ''
    let bytes = 0
    for (const char of shown) {
      const size = Buffer.byteLength(char)
      if (bytes + size > MAX_MESSAGE_BYTES) {
        out.push(piece)
        piece = ''
        bytes = 0
      }

      piece += char
      bytes += size
    }

    out.push(piece)
  }

  return out
}

/**
 * The body of `POST /__emulator/apps/{app}/log-lines`, checked: `{"lines": [{source, dyno, message,
 * time?}]}`, 1 to MAX_LINES_PER_POST lines. A bad field is 400 `bad_request` naming it. `now` gives
 * the time of a line that has none.
 */
export function parseIngested(body: unknown, now: () => string): LogLine[] {
  const fail = (message: string) => badRequest(message, 'bad_request')
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw fail(`The body must be a JSON object {"lines": [...]}, not ${what(body)}.`)
  const {lines} = body as {lines?: unknown}
  if (!Array.isArray(lines)) throw fail(`lines must be an array of {source, dyno, message, time?}, not ${what(lines)}.`)
  if (lines.length === 0 || lines.length > MAX_LINES_PER_POST) throw fail(`lines must hold 1 to ${MAX_LINES_PER_POST} lines; it holds ${lines.length}. Send more in several calls.`)
  const out: LogLine[] = []
  for (const [i, raw] of lines.entries()) {
    const field = (name: string) => `lines[${i}].${name}`
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw fail(`lines[${i}] must be an object {source, dyno, message, time?}, not ${what(raw)}.`)
    const {dyno, message, source, time} = raw as Record<string, unknown>
    if (source !== 'app' && source !== 'heroku') throw fail(`${field('source')} must be "app" or "heroku", not ${JSON.stringify(source) ?? 'missing'}.`)
    if (typeof dyno !== 'string' || !DYNO.test(dyno)) throw fail(`${field('dyno')} must be a dyno name such as "web.1" (letters, digits, ".", "-" and "_", at most 64), not ${JSON.stringify(dyno) ?? 'missing'}.`)
    if (typeof message !== 'string') throw fail(`${field('message')} must be a string, not ${what(message)}.`)
    let at: string | undefined
    if (time !== undefined && time !== null) {
      at = typeof time === 'string' ? normalizeTime(time) : undefined
      if (!at) throw fail(`${field('time')} must be an ISO 8601 time such as "2026-12-07T22:23:22.209776+00:00", not ${JSON.stringify(time)}.`)
    }

    const when = at ?? now()
    for (const piece of splitMessage(message)) out.push({dyno, message: piece, source, time: when})
  }

  return out
}

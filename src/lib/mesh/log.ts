/**
 * The mesh's log lines, in the production mesh's formats (docs/mesh.md, "Log lines"): Go `slog`
 * text lines on stderr (`time=… level=INFO msg=… app=… source=heroku-applink-service-mesh
 * request-id=…`), and chi's access line on stdout. Every line also goes to `onLine` (the copy to
 * the emulator's log store). The level is `GO_LOG` (debug, info, warn, error; info by default).
 */
export type Level = 'DEBUG' | 'ERROR' | 'INFO' | 'WARN'

const ORDER: Record<Level, number> = {DEBUG: 0, ERROR: 3, INFO: 1, WARN: 2}
export const SOURCE = 'heroku-applink-service-mesh'

/** Where lines are written: the command's IO (stdout for access lines, stderr for the rest). */
export interface LogWriter {
  err(text: string): void
  out(text: string): void
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** RFC 3339 with milliseconds and the local offset (`Z` in UTC), as slog writes `time=`. */
export function slogTime(date: Date): string {
  const offset = -date.getTimezoneOffset()
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}${zone}`
}

/** A value as slog's text handler writes it: bare, or quoted when empty or holding a space, `=`, `"` or a control character. */
export function slogValue(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value === '' || /[\s="\u0000-\u001F\u007F]/.test(value) ? JSON.stringify(value) : value
}

/** A duration as Go prints one: `512ns`, `12.5µs`, `69.478122ms`, `1.2s`. */
export function goDuration(nanoseconds: bigint | number): string {
  const ns = Number(nanoseconds)
  const trim = (v: number, unit: string) => `${String(Number(v.toFixed(6)))}${unit}`
  if (ns < 1000) return `${ns}ns`
  if (ns < 1e6) return trim(ns / 1e3, 'µs')
  if (ns < 1e9) return trim(ns / 1e6, 'ms')
  return trim(ns / 1e9, 's')
}

export interface MeshLogOptions {
  /** `HEROKU_APP_NAME`, else `local` */
  app: string
  level: Level
  /** every line written, without its newline: stdout (access lines) or stderr */
  onLine?: (line: string) => void
  writer: LogWriter
}

/** `GO_LOG` as a level: debug, info, warn or error (any case); info otherwise. */
export function levelOf(value: string | undefined): Level {
  const v = (value ?? '').trim().toUpperCase()
  if (v === 'WARNING') return 'WARN'
  return v === 'DEBUG' || v === 'WARN' || v === 'ERROR' ? v : 'INFO'
}

export class MeshLog {
  readonly level: Level

  constructor(private readonly options: MeshLogOptions) {
    this.level = options.level
  }

  enabled(level: Level): boolean {
    return ORDER[level] >= ORDER[this.level]
  }

  /**
   * One slog line: `time`, `level`, `msg`, then `app` and `source` (unless `bare`), `request-id`
   * when there is one, then `attrs` in order.
   */
  line(level: Level, msg: string, requestId?: string, attrs: [string, number | string][] = [], bare = false): void {
    if (!this.enabled(level)) return
    const parts = [`time=${slogTime(new Date())}`, `level=${level}`, `msg=${slogValue(msg)}`]
    if (!bare) parts.push(`app=${slogValue(this.options.app)}`, `source=${SOURCE}`)
    if (requestId !== undefined) parts.push(`request-id=${slogValue(requestId)}`)
    for (const [k, v] of attrs) parts.push(`${k}=${slogValue(String(v))}`)
    this.write('err', parts.join(' '))
  }

  debug(msg: string, requestId?: string, attrs?: [string, number | string][]): void {
    this.line('DEBUG', msg, requestId, attrs)
  }

  info(msg: string, requestId?: string, attrs?: [string, number | string][]): void {
    this.line('INFO', msg, requestId, attrs)
  }

  warn(msg: string, requestId?: string, attrs?: [string, number | string][]): void {
    this.line('WARN', msg, requestId, attrs)
  }

  error(msg: string, requestId?: string, attrs?: [string, number | string][]): void {
    this.line('ERROR', msg, requestId, attrs)
  }

  /** chi's access line on stdout: `2024/09/30 15:58:07 [id] "POST http://host/path HTTP/1.1" from ip:port - 201 12B in 1.2ms`. */
  access(entry: {bytes: number; durationNs: bigint; host: string; httpVersion: string; method: string; remote: string; requestId: string; status: number; url: string}): void {
    const d = new Date()
    const stamp = `${d.getFullYear()}/${pad(d.getMonth() + 1)}/${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
    this.write('out', `${stamp} [${entry.requestId}] "${entry.method} http://${entry.host}${entry.url} HTTP/${entry.httpVersion}" from ${entry.remote} - ${entry.status} ${entry.bytes}B in ${goDuration(entry.durationNs)}`)
  }

  /** A line of the mesh's own that is not a slog line (the child's exit, as production prints it on stdout). */
  plain(stream: 'err' | 'out', text: string): void {
    this.write(stream, text)
  }

  private write(stream: 'err' | 'out', text: string): void {
    this.options.writer[stream](`${text}\n`)
    this.options.onLine?.(text)
  }
}

/**
 * Scripted answers for the integration tests, served by the emulator (the one fake backend,
 * src/emulator/http/faults.ts): each instance is an emulator on 127.0.0.1 (port 0) with an empty store
 * and fault injection on, so that it answers the routes a test declares, in order, and records
 * every request it receives (method, path, headers, body). A request no declared route answered is
 * left to the emulator (which, knowing no app and no token, refuses it) and listed in `unexpected`.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {Faults, type RecordedRequest} from '../../../src/emulator/http/faults.js'
import {type Emulator, startEmulator} from '../../../src/emulator/server/server.js'

export type Recorded = RecordedRequest

export interface Reply {
  body?: unknown
  headers?: Record<string, string>
  status?: number
}

type Handler = (req: Recorded) => Reply

export class ScriptedServer {
  /** the rules and the log, for a fault a reply cannot express (a reset, a stall) */
  readonly faults: Faults

  private constructor(private readonly emu: Emulator, faults: Faults, private readonly dataDir: string) {
    this.faults = faults
  }

  static async start(): Promise<ScriptedServer> {
    const dataDir = mkdtempSync(join(tmpdir(), 'applink-scripted-'))
    const faults = new Faults()
    return new ScriptedServer(await startEmulator({dataDir, faults, port: 0}), faults, dataDir)
  }

  get url(): string {
    return this.emu.url
  }

  /** every request received, in order */
  get requests(): Recorded[] {
    return this.faults.requests
  }

  /** requests that no declared route answered */
  get unexpected(): Recorded[] {
    return this.faults.requests.filter(r => r.fault === undefined)
  }

  /** Answers METHOD path (exact, or a pattern) `times` times (routes declared for the same request are used in order). */
  on(method: string, path: RegExp | string, reply: Handler | Reply, times = 1): this {
    const handler = typeof reply === 'function' ? reply : () => reply
    this.faults.add(method, path, {reply: r => handler(r)}, {times})
    return this
  }

  /** Like `on`, for every matching request. */
  always(method: string, path: RegExp | string, reply: Handler | Reply): this {
    return this.on(method, path, reply, Number.POSITIVE_INFINITY)
  }

  /** Routes declared with a finite count that were never used up. */
  pending(): string[] {
    return this.faults.pending().map(r => `${r.method} ${String(r.path)}`)
  }

  /** Forgets routes and recordings, keeping the server up. */
  reset(): void {
    this.faults.clear()
  }

  async close(): Promise<void> {
    await this.emu.close()
    rmSync(this.dataDir, {force: true, maxRetries: 3, recursive: true})
  }
}

export interface Part {
  body: Buffer
  contentType?: string
  filename?: string
  name: string
}

/** Splits a multipart/form-data body into its parts (enough of RFC 7578 for what the plugin sends). */
export function parseMultipart(body: Buffer, contentType: string): Part[] {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType)
  if (!match) throw new Error(`no boundary in content-type ${contentType}`)
  const delimiter = Buffer.from(`--${match[1] ?? match[2]}`)
  const parts: Part[] = []
  let start = body.indexOf(delimiter)
  if (start < 0) throw new Error('multipart body has no boundary line')
  while (true) {
    const afterDelimiter = start + delimiter.length
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') break
    const headerStart = afterDelimiter + 2 // CRLF
    const headerEnd = body.indexOf('\r\n\r\n', headerStart)
    const next = body.indexOf(delimiter, headerEnd)
    if (headerEnd < 0 || next < 0) throw new Error('truncated multipart body')
    const headers = body.subarray(headerStart, headerEnd).toString('utf8')
    const content = body.subarray(headerEnd + 4, next - 2) // drop the CRLF before the delimiter
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headers)?.[1] ?? ''
    parts.push({
      body: content,
      contentType: /content-type:\s*([^\r\n]*)/i.exec(headers)?.[1]?.trim(),
      filename: /filename="([^"]*)"/i.exec(disposition)?.[1],
      name: /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '',
    })
    start = next
  }

  return parts
}

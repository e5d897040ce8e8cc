/**
 * Fault injection and the request log, for tests and the bench (docs/faults.md). Off unless the
 * emulator is started with a `Faults` object (the `faults` option of `startEmulator`, or
 * APPLINK_EMULATOR_FAULTS=1 in its environment): then every request is recorded (method, path,
 * headers, body, start and end time), and rules chosen by method and path (exact, or a pattern)
 * replace or spoil the answer, once, N times or always:
 *
 *   const faults = new Faults()
 *   const emu = await startEmulator({dataDir, faults})
 *   faults.add('GET', /\/connections$/, 'reset')                       // the next one
 *   faults.add('POST', '/apps/x/addons', {status: 503}, {times: 2})
 *   faults.add('*', /^\/apps\//, {delayMs: 200}, {times: Infinity})   // every Platform API call
 *   faults.seen('GET', /\/connections$/)                               // what arrived
 *
 * Only with faults on, `/__emulator/faults` lets a test in another process do the same over HTTP:
 * GET (rules and log), POST (add a rule), DELETE (forget rules and log).
 */
import type {IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse} from 'node:http'
import {performance} from 'node:perf_hooks'

export type FaultKind =
  /** 200, JSON cut off mid-document (a complete response whose body does not parse) */
  | 'bad-json'
  /** 200 with no body at all */
  | 'empty'
  /** 200 text/html page, e.g. a captive portal or a proxy's page */
  | 'html'
  /** 502 text/html page from a gateway */
  | 'html-502'
  /** close the connection without answering */
  | 'reset'
  /** never answer (until the client gives up or the emulator closes) */
  | 'stall'
  /** send the headers and half a body, then nothing */
  | 'stall-body'
  /** send the headers, then one byte every 0.3 s, never finishing (an idle timeout never fires) */
  | 'trickle'
  /** a Content-Length that promises more than is sent, then close */
  | 'truncated'
  /** 200 JSON of the wrong shape: a string where a resource or list belongs */
  | 'wrong-shape'

/** What the emulator itself answered, for a rule with `processed: true`. */
export interface Answer {
  body: Buffer
  /** the body parsed as JSON, when it is JSON */
  json?: unknown
  status: number
}

/** Answer `status` with `body` (JSON unless a string; by default `{id: "fault", message}`). */
export interface StatusFault {
  body?: ((request: RecordedRequest, answer?: Answer) => unknown) | unknown
  headers?: Record<string, string>
  status: number
}

/** An answer built from the request (and, with `processed`, from the emulator's answer). */
export interface ReplyFault {
  reply(request: RecordedRequest, answer?: Answer): {body?: unknown; headers?: Record<string, string>; status?: number}
}

/** Hold the request `delayMs`, then let the emulator answer it as usual. */
export interface DelayFault {
  delayMs: number
}

export type Fault = DelayFault | FaultKind | ReplyFault | StatusFault

export interface FaultRule {
  fault: Fault
  /** `*` for any method */
  method: string
  /** the path without query string, exactly, or a pattern */
  path: RegExp | string
  /** let the emulator handle the request first, then spoil its answer (the ambiguous case) */
  processed: boolean
  /** matching requests left to fault (Infinity: all) */
  times: number
}

export interface RecordedRequest {
  body: Buffer
  /** performance.timeOrigin + performance.now() when the answer ended (or the socket closed) */
  end?: number
  /** the fault served, if any */
  fault?: string
  headers: IncomingHttpHeaders
  /** the body parsed as JSON, when it is JSON */
  json?: unknown
  method: string
  path: string
  /** the query string without `?` */
  query: string
  /** performance.timeOrigin + performance.now() when the request arrived */
  start: number
  status?: number
}

export const CONTROL_PATH = '/__emulator/faults'

const HTML = '<!DOCTYPE html><html><head><title>Bad Gateway</title></head><body><h1>Application Error</h1></body></html>'
const PARTIAL = '{"id": "c0c0c0c0", "status": "connected", "org": {"connection_'
const clock = () => performance.timeOrigin + performance.now()

export class Faults {
  readonly requests: RecordedRequest[] = []
  readonly rules: FaultRule[] = []

  /** The next `times` (default 1) requests matching METHOD path get `fault`. */
  add(method: string, path: RegExp | string, fault: Fault, options: {processed?: boolean; times?: number} = {}): FaultRule {
    const rule = {fault, method: method.toUpperCase(), path, processed: options.processed ?? false, times: options.times ?? 1}
    this.rules.push(rule)
    return rule
  }

  /** Like `add`, for every matching request. */
  always(method: string, path: RegExp | string, fault: Fault, options: {processed?: boolean} = {}): FaultRule {
    return this.add(method, path, fault, {...options, times: Number.POSITIVE_INFINITY})
  }

  /** Forgets rules and the log. */
  clear(): void {
    this.rules.length = 0
    this.requests.length = 0
  }

  /** Rules with a finite count that were not used up. */
  pending(): FaultRule[] {
    return this.rules.filter(r => r.times > 0 && Number.isFinite(r.times))
  }

  /** Recorded requests, optionally only METHOD (and a path or pattern). */
  seen(method?: string, path?: RegExp | string): RecordedRequest[] {
    return this.requests.filter(r => (!method || r.method === method.toUpperCase()) && (!path || matches(path, r.path)))
  }

  /** The first rule left for this request, used up by one. */
  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find(r => r.times > 0 && (r.method === '*' || r.method === method) && matches(r.path, path))
    if (rule) rule.times--
    return rule
  }
}

/** A Faults object when APPLINK_EMULATOR_FAULTS=1 (an emulator started by a test in another process). */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Faults | undefined {
  return env.APPLINK_EMULATOR_FAULTS === '1' ? new Faults() : undefined
}

function matches(pattern: RegExp | string, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path)
}

function parseJson(body: Buffer, type: unknown): unknown {
  if (body.length === 0 || !/json/i.test(String(type ?? ''))) return undefined
  try {
    return JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
}

/** Starts the log entry of a request; its body is recorded as it is read (by the emulator or the fault). */
function record(faults: Faults, req: IncomingMessage, res: ServerResponse): RecordedRequest {
  const [path, query = ''] = (req.url ?? '/').split('?', 2)
  const entry: RecordedRequest = {body: Buffer.alloc(0), headers: req.headers, method: (req.method ?? 'GET').toUpperCase(), path, query, start: clock()}
  faults.requests.push(entry)
  const chunks: Buffer[] = []
  const emit = req.emit.bind(req)
  req.emit = ((event: string, ...args: unknown[]) => {
    if (event === 'data') chunks.push(Buffer.from(args[0] as Buffer))
    if (event === 'end') {
      entry.body = Buffer.concat(chunks)
      entry.json = parseJson(entry.body, req.headers['content-type'])
    }

    return emit(event, ...args)
  }) as typeof req.emit
  res.on('close', () => {
    entry.end = clock()
    entry.status = res.headersSent ? res.statusCode : undefined
  })
  return entry
}

/** Wraps the emulator's request listener: records every request and applies the rules (none without `faults`). */
export function withFaults(faults: Faults | undefined, listener: RequestListener): RequestListener {
  if (!faults) return listener
  return (req, res) => {
    if ((req.url ?? '').split('?')[0] === CONTROL_PATH) {
      control(faults, req, res)
      return
    }

    const entry = record(faults, req, res)
    const rule = faults.take(entry.method, entry.path)
    if (!rule) {
      listener(req, res)
      return
    }

    const {fault} = rule
    entry.fault = describeFault(fault)
    if (typeof fault === 'object' && 'delayMs' in fault) {
      const timer = setTimeout(() => listener(req, res), fault.delayMs)
      res.on('close', () => clearTimeout(timer))
      return
    }

    if (rule.processed) {
      capture(res, answer => spoil(fault, entry, res, answer))
      listener(req, res)
      return
    }

    // the fault replaces the answer: take the whole request first, as a server would
    req.on('error', () => {})
    req.on('end', () => spoil(fault, entry, res))
    req.resume()
  }
}

function describeFault(fault: Fault): string {
  if (typeof fault === 'string') return fault
  if ('delayMs' in fault) return `delay ${fault.delayMs} ms`
  return 'reply' in fault ? 'reply' : `status ${fault.status}`
}

/** Holds back what the emulator writes; `done` gets it once the answer is complete. */
function capture(res: ServerResponse, done: (answer: Answer) => void): void {
  const {end, write, writeHead} = res
  const chunks: Buffer[] = []
  let status = 200
  const keep = (chunk: unknown) => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk))
  }

  res.writeHead = ((code: number) => {
    status = code
    return res
  }) as typeof res.writeHead
  res.write = ((chunk: unknown) => {
    keep(chunk)
    return true
  }) as typeof res.write
  res.end = ((chunk?: unknown) => {
    keep(chunk)
    Object.assign(res, {end, write, writeHead})
    const body = Buffer.concat(chunks)
    done({body, json: parseJson(body, 'json'), status})
    return res
  }) as typeof res.end
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {'content-type': 'application/json', ...headers})
  res.end(text)
}

/** A status or reply fault: its status, headers and body (JSON unless a string). */
function reply(fault: ReplyFault | StatusFault, entry: RecordedRequest, res: ServerResponse, answer?: Answer): void {
  const {body, headers, status = 200} = 'reply' in fault ? fault.reply(entry, answer) : {...fault, body: typeof fault.body === 'function' ? fault.body(entry, answer) : fault.body}
  const text = body === undefined ? ('reply' in fault ? '' : JSON.stringify({id: 'fault', message: `injected HTTP ${status}`})) : (typeof body === 'string' ? body : JSON.stringify(body))
  send(res, status, text, headers)
}

/** Answers with the fault in place of (or on top of) what the emulator would answer. */
function spoil(fault: Fault, entry: RecordedRequest, res: ServerResponse, answer?: Answer): void {
  if (typeof fault === 'object') {
    if (!('delayMs' in fault)) reply(fault, entry, res, answer)
    return
  }

  switch (fault) {
  case 'reset': {
    res.socket?.destroy()
    return
  }

  case 'stall': {
    // answer nothing: the client gives up, or closing the emulator drops the socket
    return
  }

  case 'stall-body': {
    res.writeHead(200, {'content-length': '200', 'content-type': 'application/json'})
    res.write('{"id": "c0c0c0c0", "status": "conn')
    return
  }

  case 'trickle': {
    res.writeHead(200, {'content-type': 'application/json'})
    const timer = setInterval(() => res.write(' '), 300)
    res.on('close', () => clearInterval(timer))
    return
  }

  case 'truncated': {
    const text = answer && answer.body.length > 1 ? answer.body.subarray(0, Math.floor(answer.body.length / 2)) : PARTIAL
    res.writeHead(200, {'content-length': String(text.length + 500), 'content-type': 'application/json'})
    res.write(text)
    setTimeout(() => res.socket?.destroy(), 10)
    return
  }

  case 'bad-json': {
    send(res, 200, PARTIAL)
    return
  }

  case 'empty': {
    send(res, 200, '')
    return
  }

  case 'html':
  case 'html-502': {
    res.writeHead(fault === 'html' ? 200 : 502, {'content-type': 'text/html; charset=utf-8'})
    res.end(HTML)
    return
  }

  case 'wrong-shape': {
    send(res, 200, JSON.stringify('ok'))
  }
  }
}

/** The log entry as JSON: the body as text. */
function entryJson(r: RecordedRequest): Record<string, unknown> {
  return {...r, body: r.body.toString('utf8')}
}

/**
 * `/__emulator/faults`: GET → `{rules, requests}`; POST `{method, path | pattern, fault, times,
 * processed}` (times `null` for always; `pattern` a regular expression source) → 201 the rule;
 * DELETE → 204, rules and log forgotten.
 */
function control(faults: Faults, req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    try {
      if (req.method === 'GET') {
        send(res, 200, JSON.stringify({requests: faults.requests.map(r => entryJson(r)), rules: faults.rules.map(r => ({...r, path: String(r.path)}))}))
      } else if (req.method === 'DELETE') {
        faults.clear()
        res.writeHead(204).end()
      } else if (req.method === 'POST') {
        const b = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {fault: Fault; method?: string; path?: string; pattern?: string; processed?: boolean; times?: null | number}
        if (typeof b.path !== 'string' && typeof b.pattern !== 'string') throw new TypeError('give "path" (exact) or "pattern" (a regular expression)')
        if (b.fault === undefined) throw new TypeError('give "fault"')
        const rule = faults.add(b.method ?? '*', b.path ?? new RegExp(b.pattern as string), b.fault, {processed: b.processed, times: b.times === null ? Number.POSITIVE_INFINITY : b.times})
        send(res, 201, JSON.stringify({...rule, path: String(rule.path), times: Number.isFinite(rule.times) ? rule.times : null}))
      } else {
        send(res, 405, JSON.stringify({id: 'method_not_allowed', message: `${req.method} is not allowed on ${CONTROL_PATH}; use GET, POST or DELETE.`}))
      }
    } catch (error) {
      send(res, 400, JSON.stringify({id: 'invalid_params', message: `Bad fault rule: ${(error as Error).message}.`}))
    }
  })
}

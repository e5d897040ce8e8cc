/**
 * What `applink:invoke` shows. People: the status line (stderr, or stdout before the headers with
 * -i), the body on stdout (JSON pretty-printed, coloured on a terminal), then schema warnings on
 * stderr. Scripts (--json): one document `{request, response, problems}`. In both, the access
 * token is masked, and the context headers (base64 JSON holding it) are shown decoded with the
 * token replaced.
 */
import {STATUS_CODES} from 'node:http'

import type {IO} from '../ui/io.js'
import {colors} from '../ui/output.js'
import {maskKnownSecrets, REDACTED, redactHeaders} from '../api/redact.js'
import type {InvocationResult} from './invoke.js'
import {problemLine} from './invoke.js'
import type {Problem} from './schema.js'

const CONTEXT_SECRET_FIELDS: Record<string, string> = {'x-client-context': 'accessToken', 'x-request-context': 'auth'}

/** A context header's JSON with its token masked, or undefined when it is not base64 JSON. */
export function decodeContext(name: string, value: string): Record<string, unknown> | undefined {
  try {
    const decoded = JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as unknown
    if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) return undefined
    const out: Record<string, unknown> = {...decoded}
    const field = CONTEXT_SECRET_FIELDS[name]
    if (field && out[field]) out[field] = REDACTED
    return JSON.parse(maskKnownSecrets(JSON.stringify(out)))
  } catch {
    return undefined
  }
}

export interface InvokeDocument {
  problems: Problem[]
  request: {body?: unknown; decoded_headers: Record<string, unknown>; headers: Record<string, unknown>; method: string; url: string}
  response: {body: unknown; duration_ms: number; headers: Record<string, unknown>; status: number}
}

/** The --json document, every secret masked. */
export function invokeDocument(result: InvocationResult, sentBody: unknown): InvokeDocument {
  const decoded: Record<string, unknown> = {}
  for (const name of Object.keys(CONTEXT_SECRET_FIELDS)) {
    const value = result.headers[name]
    const d = value ? decodeContext(name, value) : undefined
    if (d) decoded[name] = d
  }

  const doc: InvokeDocument = {
    problems: result.problems,
    request: {
      ...(sentBody === undefined ? {} : {body: sentBody}),
      decoded_headers: decoded,
      headers: redactHeaders(result.headers),
      method: result.method,
      url: result.url,
    },
    response: {body: result.response.body, duration_ms: result.duration_ms, headers: redactHeaders(result.response.headers), status: result.response.status},
  }
  return JSON.parse(maskKnownSecrets(JSON.stringify(doc)))
}

export function statusLine(status: number): string {
  return `${status} ${STATUS_CODES[status] ?? ''}`.trim()
}

/** JSON with colours for a terminal: keys, strings, numbers and literals each in their colour. */
async function colourJson(text: string): Promise<string> {
  const color = await colors()
  return text.replaceAll(/("(?:[^"\\]|\\.)*")(\s*:)?|\b(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\b|\b(true|false|null)\b/g, (m, str: string | undefined, colon: string | undefined, num: string | undefined, lit: string | undefined) => {
    if (str) return colon ? `${color.cyan(str)}${colon}` : color.green(str)
    if (num) return color.yellow(num)
    if (lit) return color.magenta(lit)
    return m
  })
}

/** The body as people read it: JSON pretty-printed (coloured on a terminal), text as it came. */
export async function bodyText(result: InvocationResult, tty: boolean): Promise<string> {
  const {body, text} = result.response
  if (text === '') return ''
  const pretty = typeof body === 'string' ? text : JSON.stringify(body, null, 2)
  const masked = maskKnownSecrets(pretty)
  const out = tty && typeof body !== 'string' ? await colourJson(masked) : masked
  return out.endsWith('\n') ? out : `${out}\n`
}

/** The human output: writes to the streams given. */
export async function printInvocation(result: InvocationResult, options: {include: boolean; io: IO}): Promise<void> {
  const {include, io} = options
  const status = statusLine(result.response.status)
  const timing = `${result.method} ${result.url} (${result.duration_ms} ms)`
  if (include) {
    const lines = [`HTTP/1.1 ${status}`]
    for (const [k, v] of Object.entries(redactHeaders(result.response.headers))) {
      for (const one of Array.isArray(v) ? v : [v]) lines.push(`${k}: ${String(one)}`)
    }

    io.out(`${lines.join('\n')}\n\n`)
    io.err(`${timing}\n`)
  } else {
    io.err(`${status}  ${timing}\n`)
  }

  io.out(await bodyText(result, io.stdoutIsTTY))
  for (const p of result.problems) io.warn(problemLine(p))
}

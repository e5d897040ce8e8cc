/**
 * The emulator's one set of HTTP reply helpers, used by every route (the Platform and AppLink
 * routes, the login pages, the dashboard and the emulated org in org/): JSON answers, the
 * `{id, message}` error, HTML pages, the bearer token and form bodies of a request. It imports
 * nothing from the rest of the emulator, so any module may use it.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'

/** An error answered as JSON `{id, message}` with `status` (and `extra` fields beside them). */
export class HttpError extends Error {
  readonly extra?: Record<string, unknown>
  readonly id: string
  readonly status: number

  constructor(status: number, id: string, message: string, extra?: Record<string, unknown>) {
    super(message)
    this.name = 'HttpError'
    this.status = status
    this.id = id
    this.extra = extra
  }
}

export const badRequest = (message: string, id = 'invalid_params') => new HttpError(400, id, message)
export const notFound = (message: string, id = 'not_found', extra?: Record<string, unknown>) => new HttpError(404, id, message, extra)
export const conflict = (message: string) => new HttpError(409, 'conflict', message)

/** The content type of the AppLink and Platform answers. */
const JSON_TYPE = 'application/json; charset=utf-8'
/** The content type Salesforce answers with (the emulated org's routes). */
const SALESFORCE_JSON_TYPE = 'application/json;charset=UTF-8'

/** Answers `body` as JSON; `headers` add to (or replace) the usual ones. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {'cache-control': 'no-store', 'content-length': String(Buffer.byteLength(text)), 'content-type': JSON_TYPE, ...headers})
  res.end(text)
}

/** Answers as the emulated org does: JSON in Salesforce's content type, or no body at all. */
export function sendSalesforce(res: ServerResponse, status: number, body?: unknown): void {
  if (body === undefined) {
    res.writeHead(status, {'cache-control': 'no-store'})
    res.end()
    return
  }

  sendJson(res, status, body, {'content-type': SALESFORCE_JSON_TYPE})
}

/** Answers the error `{id, message, ...extra}`. */
export function sendError(res: ServerResponse, status: number, id: string, message: string, extra?: Record<string, unknown>): void {
  sendJson(res, status, {id, message, ...extra})
}

/** Answers an HTML page that may load nothing and post forms only to the emulator. */
export function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(html)),
    'content-security-policy': 'default-src \'none\'; style-src \'unsafe-inline\'; form-action \'self\'',
    'content-type': 'text/html; charset=utf-8',
  })
  res.end(html)
}

/** The token of `Authorization: {scheme} TOKEN` for one of `schemes`, or '' without one. */
export function bearerToken(req: IncomingMessage, schemes: readonly string[] = ['Bearer']): string {
  const m = new RegExp(`^(?:${schemes.join('|')})\\s+(\\S+)\\s*$`, 'i').exec(String(req.headers.authorization ?? ''))
  return m ? m[1] : ''
}

/** The fields of a form a browser posted (415 for another content type); `what` names the form. */
export async function formFields(req: IncomingMessage, body: () => Promise<Buffer>, what: string): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()
  if (type !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'unsupported_media_type', `Send the ${what} as application/x-www-form-urlencoded.`)
  return new URLSearchParams((await body()).toString('utf8'))
}

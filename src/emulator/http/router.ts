/**
 * The emulator's router: routes by method and path pattern (`/apps/:app`), each with a body limit,
 * and what a handler gets (`Ctx`: the request, its path parameters, its body read up to the limit,
 * the shared state). Route files register on it; only server/server.ts creates one.
 */
import type {IncomingMessage, ServerResponse} from 'node:http'

import {badRequest, HttpError} from './reply.js'
import type {EmulatorState} from './state.js'

/** Request body limits. */
export const JSON_LIMIT = 1024 * 1024
export const PUBLISH_LIMIT = 25 * 1024 * 1024
/** the login and SSO forms */
export const FORM_LIMIT = 64 * 1024

/** What a route handler gets. */
export interface Ctx {
  emu: EmulatorState
  /** the request's path parameters, decoded */
  params: Record<string, string>
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** the raw body, at most the route's limit (413 past it) */
  body(): Promise<Buffer>
  /** the body parsed as JSON (400 on malformed JSON, 415 on another content type) */
  json(): Promise<unknown>
}

export type Handler = (ctx: Ctx) => Promise<void> | void

interface Route {
  handler: Handler
  keys: string[]
  limit: number
  method: string
  pattern: RegExp
}

/** The client went away before its request body was complete: its doing, not the emulator's. */
export class ClientGone extends Error {}

export class Router {
  private readonly routes: Route[] = []

  add(method: string, path: string, handler: Handler, options: {limit?: number} = {}): void {
    const keys: string[] = []
    const source = path.split('/').map(part => {
      if (part.startsWith(':')) {
        keys.push(part.slice(1))
        return '([^/]+)'
      }

      return part.replaceAll(/[.*+?^${}()|[\]\\]/g, String.raw`\$&`)
    }).join('/')
    this.routes.push({handler, keys, limit: options.limit ?? JSON_LIMIT, method, pattern: new RegExp(`^${source}/?$`)})
  }

  get(path: string, handler: Handler): void {
    this.add('GET', path, handler)
  }

  post(path: string, handler: Handler, options?: {limit?: number}): void {
    this.add('POST', path, handler, options)
  }

  patch(path: string, handler: Handler): void {
    this.add('PATCH', path, handler)
  }

  delete(path: string, handler: Handler): void {
    this.add('DELETE', path, handler)
  }

  match(method: string, pathname: string): {params: Record<string, string>; route: Route} | {allowed: string[]} | undefined {
    const allowed: string[] = []
    for (const route of this.routes) {
      const m = route.pattern.exec(pathname)
      if (!m) continue
      if (route.method !== method) {
        allowed.push(route.method)
        continue
      }

      const params: Record<string, string> = {}
      for (const [i, key] of route.keys.entries()) {
        try {
          params[key] = decodeURIComponent(m[i + 1])
        } catch {
          throw badRequest(`The path segment ${JSON.stringify(m[i + 1])} is not valid percent-encoding.`)
        }
      }

      return {params, route}
    }

    return allowed.length > 0 ? {allowed} : undefined
  }

  /** Finds the route of a request (404 / 405 without one) and runs its handler. */
  async dispatch(emu: EmulatorState, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', emu.origin)
    const method = (req.method ?? 'GET').toUpperCase()
    const found = this.match(method === 'HEAD' ? 'GET' : method, url.pathname)
    if (!found) throw new HttpError(404, 'not_found', `The emulator has no route for ${method} ${url.pathname}.`)
    if ('allowed' in found) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${url.pathname}; use ${[...new Set(found.allowed)].join(' or ')}.`)
    // a body declared over the limit is refused before anything of it is read
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > found.route.limit) throw tooLarge(found.route.limit)
    let bodyPromise: Promise<Buffer> | undefined
    const body = () => {
      bodyPromise ??= readBody(req, found.route.limit)
      return bodyPromise
    }

    await found.route.handler({body, emu, json: () => parseJson(req, body), params: found.params, req, res, url})
  }
}

async function parseJson(req: IncomingMessage, body: () => Promise<Buffer>): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '')
  const raw = await body()
  if (type && !isJsonType(type)) throw new HttpError(415, 'unsupported_media_type', `Send the request body as JSON (content-type application/json), not ${type.split(';')[0]}.`)
  const text = raw.toString('utf8')
  if (text.trim() === '') throw badRequest('The request body is empty: send a JSON object.')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw badRequest(`The request body is not valid JSON: ${(error as Error).message}.`)
  }
}

function tooLarge(limit: number): HttpError {
  return new HttpError(413, 'request_too_large', `The request body is larger than the limit of ${formatBytes(limit)}.`)
}

/** Reads a body up to `limit` bytes; past it (a chunked body), drains what the client still sends, then fails with 413. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      if (over) {
        // keep reading (and dropping) so the client gets the answer, up to a bound
        if (size > limit * 4) {
          req.pause()
          reject(tooLarge(limit))
        }

        return
      }

      chunks.push(chunk)
    })
    req.on('end', () => (over ? reject(tooLarge(limit)) : resolve(Buffer.concat(chunks))))
    req.on('error', error => reject(req.readableAborted || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? new ClientGone(error.message) : error))
    // gone before the end of the body, possibly before this was called: it will never end
    const gone = () => {
      if (!req.complete) reject(new ClientGone('the client closed the connection'))
    }

    if (req.destroyed) gone()
    else req.on('close', gone)
  })
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${Math.round(n / 1024)} KB`
}

function isJsonType(type: string): boolean {
  const base = type.split(';')[0].trim().toLowerCase()
  return base === 'application/json' || base.endsWith('+json')
}

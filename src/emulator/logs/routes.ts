/**
 * The routes of logs:
 * - `POST /apps/{app}/log-sessions` (Platform API, the emulator's API key): a session for
 *   `heroku logs` with the Cedar body `{dyno, lines, tail, source}`; 201 `{id, logplex_url,
 *   created_at, updated_at}`, the URL on the emulator;
 * - `GET {logplex_url}` (`/logplex/sessions/{id}`, the id is its only credential): the lines as
 *   Server-Sent Events (`id: N`, `data: LINE`), resumed after `Last-Event-ID`; without `tail` the
 *   stream ends after the history, with it it stays open with the new lines and a comment every
 *   `keepAliveMs`; 404 for a session it does not know (or one that expired);
 * - `POST /__emulator/apps/{app}/log-lines` (an emulator extension, the API key): lines written by
 *   local tools (the local mesh), 202 `{}`.
 */
import type {ServerResponse} from 'node:http'

import {notFound, sendJson} from '../http/reply.js'
import type {Ctx, Router} from '../http/router.js'
import {asObject, typeName} from '../http/util.js'
import {requireApiKey, unprocessable} from '../platform/apps.js'
import {requireApp} from '../platform/model.js'
import {type LogSession, logBook, matches, MAX_LINES} from './book.js'
import {formatLine, formatTime, nowMicros, parseIngested, type StoredLine} from './lines.js'

export interface LogRouteOptions {
  /** how often an open `--tail` stream gets a comment line (default 15 s) */
  keepAliveMs?: number
}

/** The Cedar session body: `lines` (default 100, at most MAX_LINES), `tail`, `dyno`, `source`. */
function sessionOptions(body: Record<string, unknown>): {dyno?: string; lines: number; source?: string; tail: boolean} {
  const text = (field: string): string | undefined => {
    const value = body[field]
    if (value === undefined || value === null || value === '') return undefined
    if (typeof value !== 'string') throw unprocessable(`${field} must be a string, not ${typeName(value)}.`)
    return value
  }

  const {lines = 100, tail = false} = body
  if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 0) throw unprocessable(`lines must be a whole number of lines, not ${JSON.stringify(lines)}.`)
  if (typeof tail !== 'boolean') throw unprocessable(`tail must be true or false, not ${typeName(tail)}.`)
  return {dyno: text('dyno'), lines: Math.min(lines, MAX_LINES), source: text('source'), tail}
}

function event(line: StoredLine): string {
  return `id: ${line.id}\ndata: ${formatLine(line)}\n\n`
}

/** Streams a session: its history, then (tail) new lines and keep-alive comments until the client goes. */
function stream(ctx: Ctx, session: LogSession, keepAliveMs: number): void {
  const book = logBook(ctx.emu.store)
  const res: ServerResponse = ctx.res
  const lastId = Number.parseInt(String(ctx.req.headers['last-event-id'] ?? ''), 10)
  const after = Number.isSafeInteger(lastId) && lastId >= 0 ? lastId : undefined
  res.writeHead(200, {'cache-control': 'no-cache', 'content-type': 'text/event-stream; charset=utf-8'})
  const history = book.history(session.appId, session, session.lines, after)
  if (!session.tail) {
    res.end(history.map(line => event(line)).join(''))
    return
  }

  res.write(history.map(line => event(line)).join(''))
  res.flushHeaders()
  const stop = book.listen(session.appId, line => {
    if (matches(line, session)) res.write(event(line))
  })
  const timer = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs)
  timer.unref()
  res.on('close', () => {
    clearInterval(timer)
    stop()
  })
}

export function registerLogRoutes(router: Router, options: LogRouteOptions = {}): void {
  const keepAliveMs = options.keepAliveMs ?? 15_000
  router.post('/apps/:app/log-sessions', async ctx => {
    requireApiKey(ctx)
    const app = requireApp(ctx.emu.store.data, ctx.params.app)
    const raw = await ctx.body()
    const body = raw.length === 0 ? {} : asObject(await ctx.json())
    const session = logBook(ctx.emu.store).openSession(app.id, sessionOptions(body))
    const t = formatTime(nowMicros()).replace(/\.\d+\+00:00$/, 'Z')
    sendJson(ctx.res, 201, {created_at: t, id: session.id, logplex_url: `${ctx.emu.origin}/logplex/sessions/${session.id}`, updated_at: t})
  })

  router.get('/logplex/sessions/:id', ctx => {
    const session = logBook(ctx.emu.store).readSession(ctx.params.id)
    if (!session) throw notFound('No such log session: it expired (5 minutes unused) or was never opened. Run heroku logs again.')
    if (!ctx.emu.store.data.apps.some(a => a.id === session.appId)) throw notFound('The app of this log session was destroyed.')
    stream(ctx, session, keepAliveMs)
  })

  router.post('/__emulator/apps/:app/log-lines', async ctx => {
    requireApiKey(ctx)
    const app = requireApp(ctx.emu.store.data, ctx.params.app)
    const lines = parseIngested(await ctx.json(), () => formatTime(nowMicros()))
    logBook(ctx.emu.store).add(app.id, lines)
    sendJson(ctx.res, 202, {})
  })
}

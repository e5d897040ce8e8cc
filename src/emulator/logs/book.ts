/**
 * The log book: per app, the latest MAX_LINES lines (as Logplex keeps them), each with an event id
 * that grows across the emulator's run; who listens for new lines (`heroku logs --tail`); the log
 * sessions the Platform API handed out; and the last release written as a line per app. Kept in
 * memory only: lines and sessions are gone when the emulator stops.
 */
import {randomBytes} from 'node:crypto'

import type {LogLine, StoredLine} from './lines.js'

export const MAX_LINES = 1500
/** A session not yet read lasts 5 minutes; once read, an hour (as the Platform API's do). */
const UNUSED_MS = 5 * 60_000
const CONNECTED_MS = 60 * 60_000
const MAX_SESSIONS = 1000

/** What a session (and its stream) shows: `dyno` is a dyno (`web.1`) or a process type (`web`). */
export interface LogFilter {
  dyno?: string
  source?: string
}

export interface LogSession extends LogFilter {
  appId: string
  expiresAt: number
  id: string
  lines: number
  read: boolean
  tail: boolean
}

type Listener = (line: StoredLine) => void

/** True when `line` passes the filter: source exactly; dyno exactly, or as its process type (`web` → `web.1`, `web-7b9c-xk2p`). */
export function matches(line: LogLine, filter: LogFilter): boolean {
  if (filter.source && line.source !== filter.source) return false
  if (filter.dyno && line.dyno !== filter.dyno && !line.dyno.startsWith(`${filter.dyno}.`) && !line.dyno.startsWith(`${filter.dyno}-`)) return false
  return true
}

export class LogBook {
  /** the release each app's log has a line for (apps there at start: their current one) */
  readonly releases = new Map<string, number>()
  private readonly byApp = new Map<string, StoredLine[]>()
  private readonly listeners = new Map<string, Set<Listener>>()
  private lastId = 0
  private readonly sessions = new Map<string, LogSession>()

  /** Adds lines to an app's log (the oldest beyond MAX_LINES dropped) and hands them to its listeners. */
  add(appId: string, lines: LogLine[]): void {
    let log = this.byApp.get(appId)
    if (!log) {
      log = []
      this.byApp.set(appId, log)
    }

    const added = lines.map(line => ({...line, id: ++this.lastId}))
    log.push(...added)
    if (log.length > MAX_LINES) log.splice(0, log.length - MAX_LINES)
    for (const listener of this.listeners.get(appId) ?? []) for (const line of added) listener(line)
  }

  /** Lines of an app that pass `filter`: those after event id `after` when given, else the latest `count`. */
  history(appId: string, filter: LogFilter, count: number, after?: number): StoredLine[] {
    const log = (this.byApp.get(appId) ?? []).filter(line => matches(line, filter))
    if (after !== undefined) return log.filter(line => line.id > after)
    return count > 0 ? log.slice(-count) : []
  }

  /** Calls `listener` with each new line of the app until the returned function is called. */
  listen(appId: string, listener: Listener): () => void {
    let set = this.listeners.get(appId)
    if (!set) {
      set = new Set()
      this.listeners.set(appId, set)
    }

    set.add(listener)
    return () => set.delete(listener)
  }

  /** Forgets an app's lines (the app was destroyed). */
  forget(appId: string): void {
    this.byApp.delete(appId)
    this.releases.delete(appId)
  }

  /** A new session of an app; its id is the secret in the stream's URL. */
  openSession(appId: string, options: {dyno?: string; lines: number; source?: string; tail: boolean}): LogSession {
    const now = Date.now()
    for (const [id, s] of this.sessions) if (s.expiresAt < now) this.sessions.delete(id)
    if (this.sessions.size >= MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!)
    const session: LogSession = {...options, appId, expiresAt: now + UNUSED_MS, id: randomBytes(16).toString('hex'), read: false}
    this.sessions.set(session.id, session)
    return session
  }

  /** The session of a stream's URL, still valid; reading it the first time keeps it for an hour. */
  readSession(id: string): LogSession | undefined {
    const session = this.sessions.get(id)
    if (!session || session.expiresAt < Date.now()) return undefined
    if (!session.read) {
      session.read = true
      session.expiresAt = Date.now() + CONNECTED_MS
    }

    return session
  }
}

const books = new WeakMap<object, LogBook>()

/** The log book of an emulator (keyed by its store: one per running emulator). */
export function logBook(store: object): LogBook {
  let book = books.get(store)
  if (!book) {
    book = new LogBook()
    books.set(store, book)
  }

  return book
}

/**
 * The emulator's persistent state: one JSON file (`data.json`) in the data directory, with a
 * `version` field. Every change is written whole to a temporary file, flushed to disk and renamed
 * over the old file, so a crash at any moment leaves either the old or the new store, never a
 * half-written one. Writes are serialised in this process, and a lock file (holding the pid) keeps
 * a second emulator off the same directory.
 */
import {randomBytes, randomUUID} from 'node:crypto'
import {closeSync, constants as fsConstants, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync} from 'node:fs'
import {open, rename, unlink} from 'node:fs/promises'
import {join} from 'node:path'

import {StoreError, takeLock} from './lock.js'
import type {StoreData} from './records.js'

export {LOCK_FILE, StoreError} from './lock.js'

/** The store format written by this version. Bump it and add a migration when the shape changes. */
export const STORE_VERSION = 3
export const STORE_FILE = 'data.json'

export function emptyStore(previous?: Partial<StoreData>): StoreData {
  return {
    account: previous?.account ?? {email: 'developer@emulator.local', id: randomUUID()},
    addons: [],
    api_key: previous?.api_key ?? `emu-${randomBytes(18).toString('hex')}`,
    apps: [],
    attachments: [],
    authorizations: [],
    connections: [],
    created_at: new Date().toISOString(),
    data_action_targets: [],
    orgs: [],
    publications: [],
    sso_secret: previous?.sso_secret ?? randomBytes(24).toString('hex'),
    version: STORE_VERSION,
  }
}

const COLLECTIONS = ['addons', 'apps', 'attachments', 'authorizations', 'connections', 'data_action_targets', 'orgs', 'publications'] as const

/** Version 2 → 3: the edition of an org of version 2, from the My Domain URL its links carry. */
function editionOfV2(instanceUrl: string): string {
  if (/\.sandbox\.my\.salesforce\.com$/i.test(instanceUrl)) return 'sandbox'
  if (/\.scratch\.my\.salesforce\.com$/i.test(instanceUrl)) return 'scratch'
  return 'production'
}

/**
 * Version 2 → 3: an org is decided by who logs in, no longer by the link's name. Each org keeps its
 * id, name and records, and gets what version 3 keeps of it: its My Domain URL (from a connection or
 * authorization that reaches it; orgs of version 2 were named after one), its edition, and whether a
 * Data Cloud link reached it.
 */
function orgsToV3(data: Record<string, unknown>): void {
  const links = [data.connections, data.authorizations].flatMap(l => (Array.isArray(l) ? l : [])) as Array<{kind?: string; name?: string; org?: {id?: string; instance_url?: string}}>
  for (const org of (Array.isArray(data.orgs) ? data.orgs : []) as Array<Record<string, unknown>>) {
    if (!org || typeof org !== 'object') continue
    const own = links.filter(l => l?.org?.id === org.id)
    const url = own.find(l => typeof l.org?.instance_url === 'string')?.org?.instance_url ?? `https://${String(org.name).toLowerCase().replaceAll('_', '-')}.my.salesforce.com`
    org.instance_url ??= url
    org.edition ??= editionOfV2(url)
    org.data_cloud ??= own.some(l => l.kind === 'datacloud')
  }
}

/**
 * Upgrades a parsed store to STORE_VERSION, or explains why it cannot. Each step takes version N
 * to N+1. Version 2 added the emulated orgs (`orgs`, filled from the connections and authorizations
 * when the emulator starts). Version 3 decides an org by who logs in (orgsToV3). A store that lacks
 * a collection (written before that collection existed) gets an empty one.
 */
export function migrate(raw: unknown, file: string): StoreData {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new StoreError(`The emulator store ${file} does not hold a JSON object. Move it away, or start with --reset to empty it.`)
  }

  const data = raw as Record<string, unknown>
  const version = data.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new StoreError(`The emulator store ${file} has no valid "version" field (found ${JSON.stringify(version)}), so its format is unknown. Move it away, or start with --reset to empty it.`)
  }

  if (version > STORE_VERSION) {
    throw new StoreError(`The emulator store ${file} was written by a newer emulator (store version ${version}; this one reads up to ${STORE_VERSION}). Update the plugin, or use another --data-dir.`)
  }

  if (data.version === 1) {
    data.orgs ??= []
    data.version = 2
  }

  if (data.version === 2) {
    orgsToV3(data)
    data.version = 3
  }

  for (const key of COLLECTIONS) {
    if (data[key] === undefined) data[key] = []
    if (!Array.isArray(data[key])) throw new StoreError(`The emulator store ${file} is damaged: "${key}" is not a list. Move it away, or start with --reset to empty it.`)
  }

  const filled = {...emptyStore(data as Partial<StoreData>), ...data, version: STORE_VERSION} as StoreData
  return filled
}

export interface OpenStoreOptions {
  /** start from an empty store (the old file is replaced; the API key is kept when readable) */
  reset?: boolean
}

/** The store file's text, or undefined when there is none yet. */
function readStoreText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreError(`Cannot read the emulator store ${file}: ${(error as Error).message}`)
    return undefined
  }
}

/** The data of a store file's text (emptied with --reset, migrated when older), and whether it must be written back. */
function loadStore(file: string, text: string | undefined, options: OpenStoreOptions): {data: StoreData; needsWrite: boolean; wasReset: boolean} {
  if (options.reset) {
    let previous: Partial<StoreData> | undefined
    try {
      previous = text === undefined ? undefined : JSON.parse(text)
    } catch {}

    const kept = previous && typeof previous === 'object' ? {account: previous.account, api_key: previous.api_key, sso_secret: previous.sso_secret} : undefined
    return {data: emptyStore(kept), needsWrite: true, wasReset: text !== undefined}
  }

  if (text === undefined) return {data: emptyStore(), needsWrite: true, wasReset: false}
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new StoreError(`The emulator store ${file} is not valid JSON (${(error as Error).message}). It was left as it is: move it away, or start with --reset to empty it.`)
  }

  // a store without a collection is rewritten with it (after migrate has checked the rest)
  const incomplete = raw !== null && typeof raw === 'object' && COLLECTIONS.some(k => (raw as Record<string, unknown>)[k] === undefined)
  // read before migrate(), which upgrades `raw` in place
  const oldVersion = (raw as {version?: unknown} | null)?.version
  const data = migrate(raw, file)
  // keep the file as the older version wrote it, next to the migrated one
  if (oldVersion !== STORE_VERSION) writeFileSync(`${file}.v${oldVersion}.bak`, text, {mode: 0o600})
  return {data, needsWrite: incomplete || oldVersion !== STORE_VERSION, wasReset: false}
}

export class Store {
  data: StoreData
  readonly dir: string
  readonly file: string
  /** true when --reset emptied an existing store */
  readonly wasReset: boolean
  private closed = false
  /** changes applied in memory, and how many of them are on disk (see closeSync) */
  private changes = 0
  private readonly lockPath: string
  private saved = 0
  private queued?: Promise<void>
  private tail: Promise<void> = Promise.resolve()

  private constructor(dir: string, data: StoreData, lockPath: string, wasReset: boolean) {
    this.dir = dir
    this.file = join(dir, STORE_FILE)
    this.data = data
    this.lockPath = lockPath
    this.wasReset = wasReset
  }

  /** Opens (or creates) the store in `dir` and takes its lock. Throws StoreError with a clear message. */
  static open(dir: string, options: OpenStoreOptions = {}): Store {
    try {
      mkdirSync(dir, {recursive: true})
    } catch (error) {
      throw new StoreError(`Cannot create the data directory ${dir}: ${(error as Error).message}`)
    }

    const lockPath = takeLock(dir)
    try {
      const file = join(dir, STORE_FILE)
      // temporary files of a write that was interrupted: the store itself is intact
      for (const name of readdirSync(dir)) if (name.startsWith(`${STORE_FILE}.`) && name.endsWith('.tmp')) unlinkSync(join(dir, name))
      const {data, needsWrite, wasReset} = loadStore(file, readStoreText(file), options)
      const store = new Store(dir, data, lockPath, wasReset)
      if (needsWrite) store.writeSync()
      return store
    } catch (error) {
      try {
        unlinkSync(lockPath)
      } catch {}

      throw error
    }
  }

  /**
   * Applies `change` to the in-memory state, then resolves once a write that includes it is on disk.
   * `change` must validate before it mutates: a throw leaves nothing half-applied only if it has not
   * touched the data yet.
   */
  async update<T>(change: (data: StoreData) => T): Promise<T> {
    const result = change(this.data)
    this.changes++
    await this.flush()
    return result
  }

  /** Writes the current state; concurrent callers share a write that has not started yet. */
  flush(): Promise<void> {
    if (this.queued) return this.queued
    const next = this.tail.then(() => {
      this.queued = undefined
      return this.writeAsync()
    })
    this.queued = next
    this.tail = next.catch(() => {})
    return next
  }

  /** Waits for pending writes and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.tail
    try {
      unlinkSync(this.lockPath)
    } catch {}
  }

  /**
   * Releases the lock at once, for a process that exits now (Ctrl-C under the heroku CLI leaves no
   * time for anything asynchronous): changes not on disk yet are written synchronously first.
   */
  closeSync(): void {
    if (this.closed) return
    this.closed = true
    try {
      if (this.saved < this.changes) this.writeSync()
    } finally {
      try {
        unlinkSync(this.lockPath)
      } catch {}
    }
  }

  private tmpName(): string {
    return `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`
  }

  private async writeAsync(): Promise<void> {
    const upTo = this.changes
    const text = JSON.stringify(this.data, null, 2) + '\n'
    const tmp = this.tmpName()
    const handle = await open(tmp, 'w', 0o600)
    try {
      await handle.writeFile(text)
      await handle.sync()
    } finally {
      await handle.close()
    }

    try {
      await rename(tmp, this.file)
    } catch (error) {
      await unlink(tmp).catch(() => {})
      throw error
    }

    this.saved = Math.max(this.saved, upTo)
    syncDir(this.dir)
  }

  private writeSync(): void {
    const upTo = this.changes
    const text = JSON.stringify(this.data, null, 2) + '\n'
    const tmp = this.tmpName()
    const fd = openSync(tmp, 'w', 0o600)
    try {
      writeSync(fd, text)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }

    renameSync(tmp, this.file)
    this.saved = Math.max(this.saved, upTo)
    syncDir(this.dir)
  }
}

/** Makes a rename durable (best effort: not every platform can fsync a directory). */
function syncDir(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, fsConstants.O_RDONLY)
    fsyncSync(fd)
  } catch {} finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * The emulator's persistent state: one JSON file (`data.json`) in the data directory, with a
 * `version` field. Every change is written whole to a temporary file, flushed to disk and renamed
 * over the old file, so a crash at any moment leaves either the old or the new store, never a
 * half-written one. Writes are serialised in this process, and a lock file (holding the pid) keeps
 * a second emulator off the same directory.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, constants as fsConstants, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync} from 'node:fs'
import {open, rename, unlink} from 'node:fs/promises'
import {join} from 'node:path'

import type {OrgData} from './org/types.js'
import {newId} from './util.js'

/** The store format written by this version. Bump it and add a migration when the shape changes. */
export const STORE_VERSION = 2
export const STORE_FILE = 'data.json'
export const LOCK_FILE = 'emulator.lock'

export interface ApiErrorBody {
  id: string
  message: string
}

export interface Audit {
  created_at: string
  created_by: string
  last_modified_at: string
  last_modified_by: string
}

export interface AppRecord {
  config_vars: Record<string, string>
  created_at: string
  id: string
  name: string
  region: string
  /** the latest release number; config changes and attachments add releases */
  release: number
  stack: string
  updated_at: string
}

export interface AddonRecord {
  /** the app that owns (bills) the add-on */
  app_id: string
  created_at: string
  id: string
  name: string
  plan: string
  service: string
  /** the AppLink bearer token of this add-on (`{ATTACHMENT}_TOKEN`) */
  token: string
  updated_at: string
}

export interface AttachmentRecord {
  addon_id: string
  app_id: string
  created_at: string
  id: string
  name: string
  updated_at: string
}

export type OrgKind = 'datacloud' | 'salesforce'

export interface OrgRecord {
  id?: string
  instance_url?: string
  type: string
  user_id?: string
  username?: string
}

/** What connections and authorizations both hold. */
interface OrgLinkRecord extends Audit {
  addon_id: string
  alias?: string
  app_id: string
  client_id?: string
  connection_method: 'JWT' | 'OAuth'
  created_via_app: string
  error?: ApiErrorBody
  id: string
  kind: OrgKind
  login_url?: string
  name: string
  org: OrgRecord
  /** the OAuth state while the login is pending (the redirect_uri is built from it) */
  state?: string
  status: string
}

export type ConnectionRecord = OrgLinkRecord

export interface AuthorizationRecord extends OrgLinkRecord {
  access_token?: string
  api_version: string
  app_name: string
}

export interface PublishedOperation {
  agent_action: boolean
  description?: string
  method: string
  operation_id?: string
  path: string
}

export interface PublicationRecord extends Audit {
  addon_id: string
  agent_actions: string[]
  app_uuid: string
  authorization_connected_app_name?: string
  authorization_external_client_app_name?: string
  authorization_permission_set_name?: string
  client_name: string
  connection_id: string
  connection_name: string
  created_via_app: string
  esr_id: string
  esr_name: string
  files: string[]
  id: string
  operations: PublishedOperation[]
  org_id?: string
  spec_title?: string
  spec_version?: string
  topic?: string
}

export interface DataActionTargetRecord extends Audit {
  addon_id: string
  api_name: string
  app_id: string
  connection_id: string
  error?: ApiErrorBody
  id: string
  label: string
  status: string
  target_endpoint: string
  type: string
}

export interface StoreData {
  account: {email: string; id: string}
  addons: AddonRecord[]
  /** the Platform API key the emulator accepts (printed as HEROKU_API_KEY) */
  api_key: string
  apps: AppRecord[]
  attachments: AttachmentRecord[]
  authorizations: AuthorizationRecord[]
  connections: ConnectionRecord[]
  created_at: string
  data_action_targets: DataActionTargetRecord[]
  /** the emulated Salesforce orgs: records, sessions, Data Cloud rows (src/emulator/org/) */
  orgs: OrgData[]
  publications: PublicationRecord[]
  /** signs the add-on SSO tokens */
  sso_secret: string
  version: number
}

/** A problem with the data directory that stops the emulator from starting; shown as is. */
export class StoreError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'StoreError'
  }
}

export function emptyStore(previous?: Partial<StoreData>): StoreData {
  return {
    account: previous?.account ?? {email: 'developer@emulator.local', id: newId()},
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

/**
 * Upgrades a parsed store to STORE_VERSION, or explains why it cannot. Each step takes version N
 * to N+1. Version 2 added the emulated orgs (`orgs`, filled from the connections and authorizations
 * when the emulator starts). A store that lacks a collection (written before that collection
 * existed) gets an empty one.
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

  for (const key of COLLECTIONS) {
    if (data[key] === undefined) data[key] = []
    if (!Array.isArray(data[key])) throw new StoreError(`The emulator store ${file} is damaged: "${key}" is not a list. Move it away, or start with --reset to empty it.`)
  }

  const filled = {...emptyStore(data as Partial<StoreData>), ...data, version: STORE_VERSION} as StoreData
  return filled
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function readPid(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

/**
 * Takes the data directory's lock file, or says which process holds it. The file is created whole
 * (written aside, then hard-linked into place, which fails if it exists), so a reader never sees it
 * empty; a lock whose pid is gone is taken over.
 */
function takeLock(dir: string): string {
  const path = join(dir, LOCK_FILE)
  const mine = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
  writeFileSync(mine, `${process.pid}\n`)
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, path)
        return path
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }

      const text = readPid(path)
      const pid = Number.parseInt(text ?? '', 10)
      if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
        throw new StoreError(`Another emulator (pid ${pid}) is already using ${dir}. Stop it first, or give this one another --data-dir.`)
      }

      // a stale lock from a process that died: take it over, unless it changed meanwhile
      if (readPid(path) === text) {
        try {
          unlinkSync(path)
        } catch {}
      }
    }
  } finally {
    unlinkSync(mine)
  }

  throw new StoreError(`Could not take the lock file ${path}.`)
}

export interface OpenStoreOptions {
  /** start from an empty store (the old file is replaced; the API key is kept when readable) */
  reset?: boolean
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
      let text: string | undefined
      try {
        text = readFileSync(file, 'utf8')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new StoreError(`Cannot read the emulator store ${file}: ${(error as Error).message}`)
      }

      let data: StoreData
      let wasReset = false
      let needsWrite = text === undefined || Boolean(options.reset)
      if (options.reset) {
        let previous: Partial<StoreData> | undefined
        try {
          previous = text === undefined ? undefined : JSON.parse(text)
        } catch {}

        data = emptyStore(previous && typeof previous === 'object' ? {account: previous.account, api_key: previous.api_key, sso_secret: previous.sso_secret} : undefined)
        wasReset = text !== undefined
      } else if (text === undefined) {
        data = emptyStore()
      } else {
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
        data = migrate(raw, file)
        needsWrite ||= incomplete
        if (oldVersion !== STORE_VERSION) {
          // keep the file as the older version wrote it, next to the migrated one
          writeFileSync(`${file}.v${oldVersion}.bak`, text, {mode: 0o600})
          needsWrite = true
        }
      }

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

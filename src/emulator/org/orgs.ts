/**
 * The emulated orgs in the store: each created (and seeded) the first time a login reaches it
 * (logins.ts decides which org a login reaches), with a User record for each user who logged in,
 * and the access tokens (sessions) it accepts. Things kept in memory only (query cursors, the seed
 * of this run) hang off the store object.
 */
import {randomBytes} from 'node:crypto'

import {createRecord, findRecord} from './records.js'
import {applySeed, blankOrg, defaultSeed, type OrgSeed} from './seed.js'
import type {OrgData, OrgEdition, OrgSession} from './types.js'

/** How long an access token works: Salesforce's default session timeout, two hours. */
export const SESSION_TTL_MS = 2 * 60 * 60 * 1000

/** The part of the store this module uses. */
export interface OrgStoreData {
  orgs: OrgData[]
}

export interface Cursor {
  createdAt: number
  orgId: string
  records: Record<string, unknown>[]
  totalSize: number
}

export interface Batch {
  createdAt: number
  metadata: Record<string, unknown>
  orgId: string
  queryId: string
  rows: unknown[][]
}

interface Runtime {
  /** Data Cloud query batches not yet fetched */
  batches: Map<string, Batch>
  cursors: Map<string, Cursor>
  seed?: OrgSeed
}

const runtimes = new WeakMap<object, Runtime>()

/** What this run keeps in memory for a store (query cursors, the seed). */
export function runtime(store: object): Runtime {
  let r = runtimes.get(store)
  if (!r) {
    r = {batches: new Map(), cursors: new Map()}
    runtimes.set(store, r)
  }

  return r
}

export function findOrg(data: OrgStoreData, id: string | undefined): OrgData | undefined {
  return id ? data.orgs.find(o => o.id === id) : undefined
}

export interface OrgUser {
  id: string
  username: string
}

function userFields(username: string): Record<string, unknown> {
  const local = username.split('@')[0] ?? username
  const words = local.split(/[._-]+/).filter(Boolean).map(w => w[0].toUpperCase() + w.slice(1))
  const last = words.length > 1 ? words.pop()! : (words[0] ?? 'User')
  return {Alias: local.slice(0, 8), Email: username, FirstName: words.length > 0 && words[0] !== last ? words.join(' ') : null, LastName: last, Username: username}
}

/** Makes sure the user exists in the org, with the id the login gave it. */
export function ensureUser(org: OrgData, user: OrgUser): void {
  if (findRecord(org, 'User', user.id)) return
  const id = createRecord(org, 'User', userFields(user.username), user.id)
  const record = findRecord(org, 'User', id)!
  record.Id = user.id
  record.CreatedById = user.id
  record.LastModifiedById = user.id
}

/** What a new org is made of. */
export interface NewOrg {
  data_cloud: boolean
  edition: OrgEdition
  id: string
  instance_url: string
  name: string
}

/**
 * The org with this id, created and seeded when it is new, with `user` among its users.
 * Call inside a store update.
 */
export function ensureOrg(data: OrgStoreData, store: object, org: NewOrg, user: OrgUser): OrgData {
  let found = findOrg(data, org.id)
  if (!found) {
    found = blankOrg(org.id, org.name, org.instance_url, org.edition)
    found.data_cloud = org.data_cloud
    ensureUser(found, user)
    applySeed(found, runtime(store).seed ?? defaultSeed(), user.id)
    data.orgs.push(found)
  } else {
    ensureUser(found, user)
    if (org.data_cloud) found.data_cloud = true
  }

  return found
}

/** A new access token for a user of the org (`{org id}!{random}`, like Salesforce's). */
export function issueSession(org: OrgData, userId: string, now = Date.now()): string {
  const token = `${org.id}!${randomBytes(30).toString('hex')}`
  org.sessions = org.sessions.filter(s => Date.parse(s.expires_at) > now)
  org.sessions.push({expires_at: new Date(now + SESSION_TTL_MS).toISOString(), token, user_id: userId})
  return token
}

/** The org and session of an access token, when it is one this emulator issued and it has not expired. */
export function findSession(data: OrgStoreData, token: string, now = Date.now()): {org: OrgData; session: OrgSession} | undefined {
  if (!token) return undefined
  const orgId = token.split('!')[0]
  const org = findOrg(data, orgId)
  const session = org?.sessions.find(s => s.token === token)
  if (!org || !session || Date.parse(session.expires_at) <= now) return undefined
  return {org, session}
}

/**
 * What an existing connection or authorization is, read back from the service before acting on
 * it: which kind of org it belongs to (a name is unique across both kinds, and the DELETE endpoints
 * do not check the kind), whether it still waits for a login. `RECORDS` holds what differs between
 * a connection and an authorization (its name, its requests, its ready status), so the removal and
 * JWT paths have one branch-free body; the commands suggested are built in `ui/hints.ts`.
 *
 * - Removal: `*:disconnect` and `*:authorizations:remove` read the record first; one of the other
 *   kind is refused (exit 2, nothing deleted) with the command that removes it.
 * - Resume: when a create answers 409 (the name is taken), the record is read back. One of the same
 *   kind still waiting for a login (`connecting`, `authorizing`) is picked up: the flow opens or
 *   prints its `redirect_uri` again and goes on waiting. Anything else is a conflict error naming
 *   the command that removes it.
 */
import {randomUUID} from 'node:crypto'

import type {AppLinkClient, JwtParams} from '../api/applink-client.js'
import {AppLinkError, invalidInput} from '../api/errors.js'
import {type CommandTarget, infoCommand, type RecordKind, removeCommand} from '../ui/hints.js'
import {type OrgKind, orgKindLabel} from '../api/types.js'

export type {RecordKind} from '../ui/hints.js'

/** What the commands do differently per kind of record: the one table the removal and JWT paths read. */
export interface RecordSpec {
  /** the positional argument that names it */
  arg: 'connection_name' | 'developer_name'
  /** how the name rules call the name */
  nameKind: 'connection name' | 'developer name'
  /** the status of a record that is ready */
  ready: string
  /** how removal is called: `disconnect` or `remove`, and its progress line's first word */
  verb: 'disconnect' | 'remove'
  doing: 'Disconnecting' | 'Removing'
  /** the JWT bearer-flow create (docs/applink-api.md §2) */
  createJwt(client: AppLinkClient, org: OrgKind, name: string, params: JwtParams & {alias: string}): Promise<unknown>
  /** the alias sent when none is given: an authorization's is what the app's SDK fetches it by */
  defaultAlias(name: string): string
  get(client: AppLinkClient, name: string): Promise<unknown>
  remove(client: AppLinkClient, name: string): Promise<unknown>
  /** the answer to show when a DELETE answered with an empty body: shaped like the record */
  removed(name: string): unknown
}

export const RECORDS: Record<RecordKind, RecordSpec> = {
  authorization: {
    arg: 'developer_name',
    createJwt: (client, org, name, params) => client.createJwtAuthorization(org, {...params, developer_name: name}),
    defaultAlias: name => `applink:${name}`,
    doing: 'Removing',
    get: (client, name) => client.getAuthorization(name),
    nameKind: 'developer name',
    ready: 'authorized',
    remove: (client, name) => client.deleteAuthorization(name),
    removed: name => ({org: {developer_name: name}}),
    verb: 'remove',
  },
  connection: {
    arg: 'connection_name',
    // only Salesforce orgs connect with JWT
    createJwt: (client, _org, name, params) => client.createJwtConnection({...params, connection_name: name}),
    // contract: a connection's alias is a fresh random UUID
    defaultAlias: () => randomUUID(),
    doing: 'Disconnecting',
    get: (client, name) => client.getConnection(name),
    nameKind: 'connection name',
    ready: 'connected',
    remove: (client, name) => client.deleteConnection(name),
    removed: name => ({org: {connection_name: name}}),
    verb: 'disconnect',
  },
}

/**
 * The org kind of a record from its `org.type` (`SalesforceOrg`, `DataCloudOrg`, also seen as
 * `DatacloudOrg`), or undefined when the type is missing or one we do not know.
 */
export function orgKindOf(record: unknown): OrgKind | undefined {
  const type = (record as {org?: {type?: unknown}} | undefined)?.org?.type
  if (typeof type !== 'string') return undefined
  const t = type.toLowerCase()
  if (t === 'salesforceorg') return 'salesforce'
  if (t === 'datacloudorg') return 'datacloud'
  return undefined
}

function statusOf(record: unknown): string {
  const status = (record as {status?: unknown} | undefined)?.status
  return typeof status === 'string' && status ? status : 'unknown'
}

export interface KindCheck {
  kind: RecordKind
  /** the kind the command acts on */
  org: OrgKind
  name: string
  target: CommandTarget
  verb: 'disconnect' | 'remove'
}

/**
 * Refuses, before anything is deleted, a record of the other org kind (exit 2), naming the command
 * for it. A record whose type is missing or unknown passes: the kind cannot be told apart then.
 */
export function assertOrgKind(record: unknown, c: KindCheck): void {
  const actual = orgKindOf(record)
  if (!actual || actual === c.org) return
  const done = c.verb === 'disconnect' ? 'disconnected' : 'removed'
  throw invalidInput('wrong_org_kind', `${c.name} is a ${orgKindLabel(actual)} ${c.kind}, not a ${orgKindLabel(c.org)} one. Nothing was ${done}.`, [
    `To ${c.verb} it, run: ${removeCommand(c.kind, actual, c.name, c.target)}`,
  ])
}

export interface Resume<T> {
  kind: RecordKind
  /** the kind the command creates */
  org: OrgKind
  name: string
  target: CommandTarget
  /** reads the record by name */
  lookup: () => Promise<T>
  isPending: (status: string) => boolean
  /** tells the user: the command's `io.noteRedacted` */
  note: (text: string) => void
}

export function isConflict(error: unknown): error is AppLinkError {
  return error instanceof AppLinkError && (error.status === 409 || error.id === 'conflict')
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

/**
 * Sends the create; when the name is taken (409), reads the record back and either returns it (same
 * kind, still waiting for a login: the caller goes on with it) or throws a conflict error that
 * names what is there and the command that removes it.
 */
export async function createOrResume<T extends {redirect_uri?: string; status: string}>(create: () => Promise<T>, r: Resume<T>): Promise<T> {
  try {
    return await create()
  } catch (error) {
    if (!isConflict(error)) throw error
    let found: T
    try {
      found = await r.lookup()
    } catch {
      // it cannot be read back: the service's own answer is all there is
      throw error
    }

    const org = orgKindOf(found) ?? r.org
    const status = statusOf(found)
    const what = `${orgKindLabel(org)} ${r.kind} ${r.name}`
    const remove = removeCommand(r.kind, org, r.name, r.target)
    const conflict = (message: string, hints: string[]) => new AppLinkError(message, {hints, id: error.id, request: error.request, status: error.status})
    if (org !== r.org) {
      throw conflict(`The name ${r.name} is taken on app ${r.target.app} by a ${what.replace(` ${r.name}`, '')} (status ${status}).`, [
        'Choose another name.',
        `Or remove that ${r.kind} first with: ${remove}`,
      ])
    }

    if (!r.isPending(status)) {
      throw conflict(`${capitalize(what)} already exists on app ${r.target.app} (status ${status}).`, [
        `See it with: ${infoCommand(r.kind, r.name, r.target)}`,
        `To start over, remove it first with: ${remove}`,
      ])
    }

    const {note} = r
    note(`${capitalize(what)} is already waiting for a login (status ${status}): picking it up instead of starting another.`)
    if (!found.redirect_uri) {
      note(`Its login URL cannot be read back from the AppLink service: if its login page is still open in a browser, finish there. To start over instead, stop this with Ctrl-C and run: ${remove}`)
    }

    return found
  }
}

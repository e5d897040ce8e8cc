/**
 * Connections and authorizations (docs/applink-api.md §2, §3): both link an add-on to a Salesforce
 * or Data Cloud org, by an OAuth login (pending until the login page is answered) or by JWT
 * (finished at once). One create handler serves the four create routes and one delete handler the
 * two delete routes; `LINKS` holds what differs between the two resources.
 */
import {createPrivateKey} from 'node:crypto'

import {type Caller, authenticate} from './caller.js'
import {conflict, HttpError, sendJson} from '../http/reply.js'
import {audit, requireConnection} from '../platform/model.js'
import {validName} from './names.js'
import {API_VERSION, defaultEdition, linkedOrg, startOauth} from '../login/oauth.js'
import {linkOrg, logIn, refreshToken} from '../org/index.js'
import type {AuthorizationRecord, ConnectionRecord, OrgKind, OrgRecord, StoreData} from '../store/records.js'
import {ORG_TYPE} from '../store/records.js'
import {authorizationJson, connectionJson, requireAuthorization} from './resources.js'
import type {Ctx} from '../http/router.js'
import {asObject, newId, optionalString, requiredString, validLoginUrl} from '../http/util.js'

type LinkRecord = AuthorizationRecord | ConnectionRecord
type Method = 'JWT' | 'OAuth'

/** What differs between connections and authorizations. */
interface Link<R extends LinkRecord> {
  /** the status a finished login reaches */
  done: string
  /** the body field holding the name */
  field: 'connection_name' | 'developer_name'
  /** the fields only this resource has */
  fields(caller: Caller): Partial<AuthorizationRecord>
  /** answered by DELETE */
  gone: string
  json(ctx: Ctx, record: R): Record<string, unknown>
  list(data: StoreData): R[]
  /** the store change of a DELETE */
  remove(data: StoreData, record: R): void
  /** the record a path names (404 when none) */
  require(data: StoreData, caller: Caller, ref: string): R
  /** after the record is stored: its org (and token) when finished */
  settle(data: StoreData, ctx: Ctx, record: R): void
  /** the status while an OAuth login is pending */
  pending: string
  /** whether an alias may name only one record of the add-on */
  uniqueAlias: boolean
  /** how messages name the resource */
  what: string
}

/** `a connection`, `an authorization`: the resource with its article, for the start of a sentence. */
function aOne(what: string): string {
  return `${/^[aeiou]/i.test(what) ? 'An' : 'A'} ${what}`
}

const CONNECTION: Link<ConnectionRecord> = {
  done: 'connected',
  field: 'connection_name',
  fields: () => ({}),
  gone: 'disconnecting',
  json: connectionJson,
  list: data => data.connections,
  remove(data, c) {
    data.connections = data.connections.filter(x => x.id !== c.id)
    data.publications = data.publications.filter(p => p.connection_id !== c.id)
    data.data_action_targets = data.data_action_targets.filter(t => t.connection_id !== c.id)
  },
  require: (data, caller, ref) => requireConnection(data, caller.addon, ref),
  settle(data, ctx, c) {
    if (c.status === 'connected') linkOrg(data, ctx.emu.store, c)
  },
  pending: 'connecting',
  uniqueAlias: false,
  what: 'connection',
}

const AUTHORIZATION: Link<AuthorizationRecord> = {
  done: 'authorized',
  field: 'developer_name',
  fields: caller => ({access_token: undefined, api_version: API_VERSION, app_name: caller.app.name}),
  gone: 'disconnected',
  json: (ctx, a) => authorizationJson(ctx, a),
  list: data => data.authorizations,
  remove(data, a) {
    data.authorizations = data.authorizations.filter(x => x.id !== a.id)
  },
  require: (data, caller, ref) => requireAuthorization(data, caller.addon, ref),
  settle(data, ctx, a) {
    refreshToken(data, ctx.emu.store, a)
  },
  pending: 'authorizing',
  uniqueAlias: true,
  what: 'authorization',
}

export const LINKS = {authorization: AUTHORIZATION, connection: CONNECTION}

/** The org kind of a create path (`/connections/{kind}`), or 404. */
function orgKind(value: string): OrgKind {
  if (value === 'salesforce' || value === 'datacloud') return value
  throw new HttpError(404, 'not_found', `Unknown org kind ${JSON.stringify(value)}: use salesforce or datacloud.`)
}

/** True when `pem` parses as an RSA private key. */
function isRsaPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa'
  } catch {
    return false
  }
}

interface LinkRequest {
  alias?: string
  clientId?: string
  /** JWT only: whether the key is one */
  keyOk: boolean
  loginUrl?: string
  name: string
  username?: string
}

function readRequest(body: Record<string, unknown>, field: string, method: Method): LinkRequest {
  const name = validName(body, field)
  if (method === 'OAuth') return {keyOk: true, loginUrl: validLoginUrl(body), name}
  const clientId = requiredString(body, 'client_id')
  const username = requiredString(body, 'username')
  const key = requiredString(body, 'jwt_private_key')
  const loginUrl = validLoginUrl(body)
  const alias = optionalString(body, 'alias')
  return {alias, clientId, keyOk: isRsaPrivateKey(key), loginUrl, name, username}
}

const JWT_FAILED = {id: 'authentication_failed', message: 'JWT bearer authentication failed: jwt_private_key is not an RSA private key in PEM format.'}
/** a record of the same name in one of these may be replaced by a new one */
const FINISHED = new Set(['disconnected', 'failed'])

/** The org and user a JWT login reaches: its username decides, as an OAuth login's does. */
function jwtOrg(ctx: Ctx, data: StoreData, kind: OrgKind, input: LinkRequest): OrgRecord {
  const login = logIn(data, ctx.emu.store, {dataCloud: kind === 'datacloud', edition: defaultEdition(input.loginUrl), username: input.username!})
  return linkedOrg(login, kind)
}

/** The record a create makes: pending an OAuth login, or finished by JWT. */
function newRecord(link: Link<LinkRecord>, ctx: Ctx, data: StoreData, caller: Caller, id: string, kind: OrgKind, method: Method, input: LinkRequest): LinkRecord {
  const jwt = method === 'JWT'
  return {
    ...audit(data, caller.app),
    ...link.fields(caller),
    addon_id: caller.addon.id,
    alias: input.alias,
    app_id: caller.app.id,
    client_id: input.clientId,
    connection_method: method,
    error: input.keyOk ? undefined : JWT_FAILED,
    id,
    kind,
    login_url: input.loginUrl,
    name: input.name,
    org: jwt && input.keyOk ? jwtOrg(ctx, data, kind, input) : {type: ORG_TYPE[kind], ...(jwt ? {username: input.username} : {})},
    state: undefined,
    status: jwt ? (input.keyOk ? link.done : 'failed') : link.pending,
  } as LinkRecord
}

/**
 * POST …/connections/{kind}[/jwt], …/authorizations/{kind}[/jwt]: the new record, with AppLink's
 * status (docs/applink-api.md §3): 202 for an OAuth create, whose login is still to come, 201 for a
 * JWT create, finished (or failed) at once.
 */
export async function createLink(ctx: Ctx, link: Link<LinkRecord>, method: Method, kindParam: string): Promise<void> {
  const kind = orgKind(kindParam)
  const caller = authenticate(ctx)
  const input = readRequest(asObject(await ctx.json()), link.field, method)
  const record = await ctx.emu.store.update(data => {
    const list = link.list(data)
    const old = list.find(r => r.addon_id === caller.addon.id && r.name === input.name)
    if (old && !FINISHED.has(old.status)) throw conflict(`${aOne(link.what)} named ${old.name} already exists on this add-on (status ${old.status}). Remove it first, or choose another name.`)
    if (link.uniqueAlias && input.alias && list.some(r => r.addon_id === caller.addon.id && r.alias === input.alias && r.id !== old?.id)) {
      throw conflict(`Another ${link.what} on this add-on already has the alias ${input.alias}.`)
    }

    const fresh = newRecord(link, ctx, data, caller, old?.id ?? newId(), kind, method, input)
    if (method === 'OAuth') startOauth(ctx.emu, fresh)
    const stored = old ? Object.assign(old, fresh) : fresh
    if (!old) list.push(stored)
    link.settle(data, ctx, stored)
    return stored
  })
  sendJson(ctx.res, method === 'OAuth' ? 202 : 201, link.json(ctx, record))
}

/** DELETE …/connections/{name}, …/authorizations/{name}: the record as it was, with the status it goes to. */
export async function deleteLink(ctx: Ctx, link: Link<LinkRecord>): Promise<void> {
  const caller = authenticate(ctx)
  const {store} = ctx.emu
  const record = link.require(store.data, caller, ctx.params.name)
  const json: Record<string, unknown> = {...link.json(ctx, record), status: link.gone}
  delete json.redirect_uri
  await store.update(data => link.remove(data, record))
  sendJson(ctx.res, 200, json)
}

/**
 * The AppLink API (docs/applink-api.md §2–§5): connections, authorizations, data action targets and
 * publications of one add-on. Every request needs `Authorization: Bearer {that add-on's token}`
 * (401 otherwise) and `x-app-uuid` naming an app the add-on is attached to (400 when missing, 403
 * when it is another app). `x-addon-sso`, when sent, must be an SSO payload this emulator issued
 * for the add-on (403 otherwise); apps using the AppLink SDK do not send it.
 */
import {createPrivateKey, timingSafeEqual} from 'node:crypto'

import {nameProblem} from '../lib/api/names.js'
import {attachmentsOfAddon, ORG_TYPE, requireConnected, requireConnection, ssoToken, touch, webUrl} from './model.js'
import {API_VERSION, orgFor, startOauth} from './oauth.js'
import {linkOrg, refreshToken} from './org/index.js'
import {handlePublish, publicationJson} from './publish.js'
import {type Ctx, type EmulatorState, PUBLISH_LIMIT, type Router, sendJson} from './server.js'
import type {AddonRecord, AppRecord, AuthorizationRecord, ConnectionRecord, DataActionTargetRecord, OrgKind, StoreData} from './store.js'
import {asObject, badRequest, conflict, HttpError, newId, now, optionalString, requiredString} from './util.js'

const FINISHED_CONNECTION = new Set(['disconnected', 'failed'])
const FINISHED_AUTHORIZATION = new Set(['disconnected', 'failed'])

/** The add-on and calling app of an authenticated AppLink request. */
export interface Caller {
  addon: AddonRecord
  app: AppRecord
}

function bearer(ctx: Ctx): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(String(ctx.req.headers.authorization ?? ''))
  return m ? m[1] : ''
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Checks the bearer token, x-app-uuid and x-addon-sso of a request to /addons/{addon}/…. */
export function authenticate(ctx: Ctx): Caller {
  const {data} = ctx.emu.store
  const addon = data.addons.find(a => a.id === ctx.params.addon)
  const token = bearer(ctx)
  if (!addon || !token || !sameSecret(token, addon.token)) {
    throw new HttpError(401, 'unauthorized', token ? 'Invalid credentials provided: the bearer token is not this add-on\'s token.' : 'No credentials provided: send the add-on\'s token as "Authorization: Bearer TOKEN".')
  }

  const appId = String(ctx.req.headers['x-app-uuid'] ?? '')
  if (!appId) throw badRequest('The x-app-uuid header is required: the id of the app the add-on is attached to.')
  const attachedApps = new Set(attachmentsOfAddon(data, addon.id).map(a => a.app_id))
  const app = data.apps.find(a => a.id === appId)
  if (!app || !attachedApps.has(app.id)) throw new HttpError(403, 'forbidden', `The app in x-app-uuid (${appId}) is not attached to this add-on.`)
  const sso = ctx.req.headers['x-addon-sso']
  if (sso !== undefined) checkSso(data, addon, String(sso))
  return {addon, app}
}

function checkSso(data: StoreData, addon: AddonRecord, header: string): void {
  let payload: {params?: {id?: unknown; timestamp?: unknown; token?: unknown}} | undefined
  try {
    payload = JSON.parse(Buffer.from(header, 'base64').toString('utf8'))
  } catch {}

  const params = payload?.params
  const valid = params && params.id === addon.id && typeof params.timestamp === 'string' && typeof params.token === 'string'
    && sameSecret(params.token, ssoToken(data, addon.id, params.timestamp))
  if (!valid) throw new HttpError(403, 'forbidden', 'The x-addon-sso header is not an SSO payload of this add-on: send the base64 of the JSON that GET /apps/{app}/addons/{addon}/sso returned.')
}

function audit(data: StoreData, app: AppRecord): {created_at: string; created_by: string; created_via_app: string; last_modified_at: string; last_modified_by: string} {
  const t = now()
  return {created_at: t, created_by: data.account.email, created_via_app: app.name, last_modified_at: t, last_modified_by: data.account.email}
}

/** A valid name, or 400 saying which rule it breaks. */
function validName(body: Record<string, unknown>, field: string): string {
  const name = requiredString(body, field)
  const problem = nameProblem(name)
  if (problem) throw badRequest(`Invalid ${field} ${JSON.stringify(name)}: ${problem}. Names have 3 to 30 characters, start with a letter, end with a letter or digit, and hold only letters, digits and single underscores.`)
  return name
}

function validLoginUrl(body: Record<string, unknown>): string | undefined {
  const value = optionalString(body, 'login_url')
  if (value === undefined || value === '') return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw badRequest(`login_url ${JSON.stringify(value)} is not a URL.`)
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badRequest(`login_url must be an https URL, not ${url.protocol}.`)
  return value
}

// --- JSON shapes ---

export function connectionJson(ctx: {emu: EmulatorState}, c: ConnectionRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    addon_id: c.addon_id,
    app_id: c.app_id,
    connection_method: c.connection_method,
    created_at: c.created_at,
    created_by: c.created_by,
    created_via_app: c.created_via_app,
    id: c.id,
    last_modified_at: c.last_modified_at,
    last_modified_by: c.last_modified_by,
    org: {connection_name: c.name, ...c.org, ...(c.org.instance_url ? {instance_url: ctx.emu.origin} : {})},
    status: c.status,
  }
  if (c.state && c.status === 'connecting') out.redirect_uri = `${ctx.emu.origin}/oauth/login?state=${c.state}`
  if (c.error) out.error = c.error
  return out
}

export function authorizationJson(ctx: {emu: EmulatorState}, a: AuthorizationRecord, withToken = false): Record<string, unknown> {
  // the emulated org is served by the emulator itself
  const org: Record<string, unknown> = {api_version: a.api_version, developer_name: a.name, ...a.org, ...(a.org.instance_url ? {instance_url: ctx.emu.origin} : {})}
  if (withToken && a.status === 'authorized' && a.access_token) {
    org.user_auth = {access_token: a.access_token, user_id: a.org.user_id, username: a.org.username}
  }

  const out: Record<string, unknown> = {
    addon_id: a.addon_id,
    app_name: a.app_name,
    connection_method: a.connection_method,
    created_at: a.created_at,
    created_by: a.created_by,
    created_via_app: a.created_via_app,
    id: a.id,
    last_modified_at: a.last_modified_at,
    last_modified_by: a.last_modified_by,
    org,
    status: a.status,
  }
  if (a.alias) out.alias = a.alias
  if (a.state && a.status === 'authorizing') out.redirect_uri = `${ctx.emu.origin}/oauth/login?state=${a.state}`
  if (a.error) out.error = a.error
  return out
}

export function targetJson(data: StoreData, t: DataActionTargetRecord, origin: string): Record<string, unknown> {
  const app = data.apps.find(a => a.id === t.app_id)
  const conn = data.connections.find(c => c.id === t.connection_id)
  const out: Record<string, unknown> = {
    api_name: t.api_name,
    created_at: t.created_at,
    created_by: t.created_by,
    heroku_app: {id: t.app_id, name: app?.name, url: app ? webUrl(app) : undefined},
    id: t.id,
    label: t.label,
    last_modified_at: t.last_modified_at,
    last_modified_by: t.last_modified_by,
    org: conn ? {connection_name: conn.name, id: conn.org.id, instance_url: conn.org.instance_url ? origin : undefined, type: conn.org.type} : {},
    status: t.status,
    target_endpoint: t.target_endpoint,
    type: t.type,
  }
  if (t.error) out.error = t.error
  return out
}

// --- lookups ---

function byCreation<T extends {created_at: string}>(list: T[]): T[] {
  return [...list].sort((a, b) => a.created_at.localeCompare(b.created_at))
}

function findAuthorization(data: StoreData, addon: AddonRecord, ref: string): AuthorizationRecord | undefined {
  return data.authorizations.find(a => a.addon_id === addon.id && (a.name === ref || a.id === ref))
    ?? data.authorizations.find(a => a.addon_id === addon.id && a.alias === ref)
}

function requireAuthorization(data: StoreData, addon: AddonRecord, ref: string): AuthorizationRecord {
  const a = findAuthorization(data, addon, ref)
  if (!a) throw new HttpError(404, 'record_not_found', `Couldn't find an authorization with developer name or id ${JSON.stringify(ref)} on this add-on.`)
  return a
}

// --- connections ---

function orgKind(value: string): OrgKind {
  if (value === 'salesforce' || value === 'datacloud') return value
  throw new HttpError(404, 'not_found', `Unknown org kind ${JSON.stringify(value)}: use salesforce or datacloud.`)
}

/** Finds a record of the same name that may be replaced (failed or disconnected), or refuses with 409. */
function reusable<T extends {name: string; status: string}>(existing: T | undefined, finished: Set<string>, what: string): T | undefined {
  if (!existing) return undefined
  if (!finished.has(existing.status)) throw conflict(`A ${what} named ${existing.name} already exists on this add-on (status ${existing.status}). Remove it first, or choose another name.`)
  return existing
}

async function createConnection(ctx: Ctx, kindParam: string): Promise<void> {
  const kind = orgKind(kindParam)
  const caller = authenticate(ctx)
  const body = asObject(await ctx.json())
  const name = validName(body, 'connection_name')
  const loginUrl = validLoginUrl(body)
  const {store} = ctx.emu
  const record = await store.update(data => {
    const old = reusable(data.connections.find(c => c.addon_id === caller.addon.id && c.name === name), FINISHED_CONNECTION, 'connection')
    const record: ConnectionRecord = {
      ...audit(data, caller.app),
      addon_id: caller.addon.id,
      app_id: caller.app.id,
      connection_method: 'OAuth',
      id: old?.id ?? newId(),
      kind,
      login_url: loginUrl,
      name,
      org: {type: ORG_TYPE[kind]},
      state: undefined,
      status: 'connecting',
    }
    startOauth(ctx.emu, record)
    if (old) Object.assign(old, record, {error: undefined})
    else data.connections.push(record)
    return old ?? record
  })
  sendJson(ctx.res, 201, connectionJson(ctx, record))
}

/** True when `pem` parses as an RSA private key. */
function isRsaPrivateKey(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa'
  } catch {
    return false
  }
}

function jwtFields(body: Record<string, unknown>): {alias?: string; clientId: string; keyOk: boolean; loginUrl?: string; username: string} {
  const clientId = requiredString(body, 'client_id')
  const username = requiredString(body, 'username')
  const key = requiredString(body, 'jwt_private_key')
  const loginUrl = validLoginUrl(body)
  const alias = optionalString(body, 'alias')
  return {alias, clientId, keyOk: isRsaPrivateKey(key), loginUrl, username}
}

const JWT_FAILED = {id: 'authentication_failed', message: 'JWT bearer authentication failed: jwt_private_key is not an RSA private key in PEM format.'}

async function createJwtConnection(ctx: Ctx): Promise<void> {
  const caller = authenticate(ctx)
  const body = asObject(await ctx.json())
  const name = validName(body, 'connection_name')
  const jwt = jwtFields(body)
  const record = await ctx.emu.store.update(data => {
    const old = reusable(data.connections.find(c => c.addon_id === caller.addon.id && c.name === name), FINISHED_CONNECTION, 'connection')
    const record: ConnectionRecord = {
      ...audit(data, caller.app),
      addon_id: caller.addon.id,
      alias: jwt.alias,
      app_id: caller.app.id,
      client_id: jwt.clientId,
      connection_method: 'JWT',
      error: jwt.keyOk ? undefined : JWT_FAILED,
      id: old?.id ?? newId(),
      kind: 'salesforce',
      login_url: jwt.loginUrl,
      name,
      org: jwt.keyOk ? orgFor(name, 'salesforce', jwt.username, jwt.loginUrl) : {type: ORG_TYPE.salesforce, username: jwt.username},
      status: jwt.keyOk ? 'connected' : 'failed',
    }
    if (old) Object.assign(old, record)
    else data.connections.push(record)
    if (record.status === 'connected') linkOrg(data, ctx.emu.store, old ?? record)
    return old ?? record
  })
  sendJson(ctx.res, 201, connectionJson(ctx, record))
}

async function deleteConnection(ctx: Ctx): Promise<void> {
  const caller = authenticate(ctx)
  const {store} = ctx.emu
  const c = requireConnection(store.data, caller.addon, ctx.params.name)
  const json: Record<string, unknown> = {...connectionJson(ctx, c), status: 'disconnecting'}
  delete json.redirect_uri
  await store.update(data => {
    data.connections = data.connections.filter(x => x.id !== c.id)
    data.publications = data.publications.filter(p => p.connection_id !== c.id)
    data.data_action_targets = data.data_action_targets.filter(t => t.connection_id !== c.id)
  })
  sendJson(ctx.res, 200, json)
}

// --- authorizations ---

async function createAuthorization(ctx: Ctx, kindParam: string): Promise<void> {
  const kind = orgKind(kindParam)
  const caller = authenticate(ctx)
  const body = asObject(await ctx.json())
  const name = validName(body, 'developer_name')
  const loginUrl = validLoginUrl(body)
  const record = await ctx.emu.store.update(data => {
    const old = reusable(data.authorizations.find(a => a.addon_id === caller.addon.id && a.name === name), FINISHED_AUTHORIZATION, 'authorization')
    const record: AuthorizationRecord = {
      ...audit(data, caller.app),
      addon_id: caller.addon.id,
      api_version: API_VERSION,
      app_id: caller.app.id,
      app_name: caller.app.name,
      connection_method: 'OAuth',
      id: old?.id ?? newId(),
      kind,
      login_url: loginUrl,
      name,
      org: {type: ORG_TYPE[kind]},
      status: 'authorizing',
    }
    startOauth(ctx.emu, record)
    if (old) Object.assign(old, record, {access_token: undefined, alias: undefined, error: undefined})
    else data.authorizations.push(record)
    return old ?? record
  })
  sendJson(ctx.res, 201, authorizationJson(ctx, record))
}

async function createJwtAuthorization(ctx: Ctx, kindParam: string): Promise<void> {
  const kind = orgKind(kindParam)
  const caller = authenticate(ctx)
  const body = asObject(await ctx.json())
  const name = validName(body, 'developer_name')
  const jwt = jwtFields(body)
  const record = await ctx.emu.store.update(data => {
    const old = reusable(data.authorizations.find(a => a.addon_id === caller.addon.id && a.name === name), FINISHED_AUTHORIZATION, 'authorization')
    if (jwt.alias && data.authorizations.some(a => a.addon_id === caller.addon.id && a.alias === jwt.alias && a.id !== old?.id)) {
      throw conflict(`Another authorization on this add-on already has the alias ${jwt.alias}.`)
    }

    const record: AuthorizationRecord = {
      ...audit(data, caller.app),
      addon_id: caller.addon.id,
      alias: jwt.alias,
      api_version: API_VERSION,
      app_id: caller.app.id,
      app_name: caller.app.name,
      client_id: jwt.clientId,
      connection_method: 'JWT',
      error: jwt.keyOk ? undefined : JWT_FAILED,
      id: old?.id ?? newId(),
      kind,
      login_url: jwt.loginUrl,
      name,
      org: jwt.keyOk ? orgFor(name, kind, jwt.username, jwt.loginUrl) : {type: ORG_TYPE[kind], username: jwt.username},
      status: jwt.keyOk ? 'authorized' : 'failed',
    }
    if (old) Object.assign(old, record, {access_token: undefined})
    else data.authorizations.push(record)
    refreshToken(data, ctx.emu.store, old ?? record)
    return old ?? record
  })
  sendJson(ctx.res, 201, authorizationJson(ctx, record))
}

async function deleteAuthorization(ctx: Ctx): Promise<void> {
  const caller = authenticate(ctx)
  const {store} = ctx.emu
  const a = requireAuthorization(store.data, caller.addon, ctx.params.name)
  const json: Record<string, unknown> = {...authorizationJson(ctx, a), status: 'disconnected'}
  delete json.redirect_uri
  await store.update(data => {
    data.authorizations = data.authorizations.filter(x => x.id !== a.id)
  })
  sendJson(ctx.res, 200, json)
}

// --- data action targets ---

const TARGET_TYPES = new Set(['webhook'])

async function createTarget(ctx: Ctx): Promise<void> {
  const caller = authenticate(ctx)
  const body = asObject(await ctx.json())
  const apiName = validName(body, 'api_name')
  const label = requiredString(body, 'label')
  if (label.length > 80) throw badRequest(`label has ${label.length} characters; use at most 80.`)
  const endpoint = requiredString(body, 'target_endpoint')
  if (!endpoint.startsWith('/') && !/^https?:\/\/[^/]/.test(endpoint)) throw badRequest(`target_endpoint ${JSON.stringify(endpoint)} must be a path on the app (starting with /) or an http(s) URL.`)
  const type = requiredString(body, 'type')
  if (!TARGET_TYPES.has(type.toLowerCase())) throw badRequest(`type ${JSON.stringify(type)} is not supported: use webhook.`)
  const {store} = ctx.emu
  const target = await store.update(data => {
    const conn = requireConnected(data, caller.addon, ctx.params.name, 'datacloud')
    if (data.data_action_targets.some(t => t.connection_id === conn.id && t.api_name === apiName)) {
      throw conflict(`A data action target with API name ${apiName} already exists on ${conn.name}.`)
    }

    const t: DataActionTargetRecord = {
      ...audit(data, caller.app),
      addon_id: caller.addon.id,
      api_name: apiName,
      app_id: caller.app.id,
      connection_id: conn.id,
      id: newId(),
      label,
      status: 'pending',
      target_endpoint: endpoint,
      type,
    }
    data.data_action_targets.push(t)
    return t
  })
  scheduleTarget(ctx.emu, target.id)
  sendJson(ctx.res, 201, targetJson(store.data, target, ctx.emu.origin))
}

/** Moves a data action target along pending → creating → created. */
function scheduleTarget(emu: EmulatorState, id: string): void {
  const step = Math.max(1, Math.round(emu.dataActionTargetMs / 2))
  emu.schedule(step, async () => {
    const next: Record<string, string> = {creating: 'created', generating_signing_key: 'creating', pending: 'creating'}
    const t = emu.store.data.data_action_targets.find(x => x.id === id)
    if (!t || !next[t.status]) return
    await emu.store.update(data => {
      t.status = next[t.status]
      touch(data, t)
    })
    if (t.status !== 'created') scheduleTarget(emu, id)
  })
}

/** After a restart: carries on with data action targets that were still being created. */
export function resumeTargets(emu: EmulatorState): void {
  for (const t of emu.store.data.data_action_targets) if (!['created', 'creation_failed'].includes(t.status)) scheduleTarget(emu, t.id)
}

function targetsOf(data: StoreData, conn: ConnectionRecord): DataActionTargetRecord[] {
  return byCreation(data.data_action_targets.filter(t => t.connection_id === conn.id))
}

/** The Data Cloud connection a data action target route names (404 when it is not one). */
function dataCloudConnection(data: StoreData, addon: AddonRecord, name: string): ConnectionRecord {
  const conn = requireConnection(data, addon, name)
  if (conn.kind !== 'datacloud') throw new HttpError(404, 'record_not_found', `${conn.name} is not a Data Cloud org connection.`)
  return conn
}

export function registerApplinkRoutes(router: Router): void {
  const base = '/addons/:addon'
  const read = (path: string, handler: (ctx: Ctx, caller: Caller, data: StoreData) => void) => {
    router.get(`${base}${path}`, ctx => handler(ctx, authenticate(ctx), ctx.emu.store.data))
  }

  read('/connections', (ctx, caller, data) => {
    sendJson(ctx.res, 200, byCreation(data.connections.filter(c => c.addon_id === caller.addon.id)).map(c => connectionJson(ctx, c)))
  })
  read('/connections/:name', (ctx, caller, data) => sendJson(ctx.res, 200, connectionJson(ctx, requireConnection(data, caller.addon, ctx.params.name))))
  router.post(`${base}/connections/salesforce/jwt`, ctx => createJwtConnection(ctx))
  router.post(`${base}/connections/:kind`, ctx => createConnection(ctx, ctx.params.kind))
  router.delete(`${base}/connections/:name`, ctx => deleteConnection(ctx))

  read('/authorizations', (ctx, caller, data) => {
    sendJson(ctx.res, 200, byCreation(data.authorizations.filter(a => a.addon_id === caller.addon.id)).map(a => authorizationJson(ctx, a)))
  })
  router.get(`${base}/authorizations/:name`, async ctx => {
    const caller = authenticate(ctx)
    const {store} = ctx.emu
    const a = requireAuthorization(store.data, caller.addon, ctx.params.name)
    // the token read here works against the emulated org: an expired one is replaced, as AppLink refreshes it
    if (refreshToken(store.data, store, a)) await store.flush()
    sendJson(ctx.res, 200, authorizationJson(ctx, a, true))
  })
  router.post(`${base}/authorizations/:kind/jwt`, ctx => createJwtAuthorization(ctx, ctx.params.kind))
  router.post(`${base}/authorizations/:kind`, ctx => createAuthorization(ctx, ctx.params.kind))
  router.delete(`${base}/authorizations/:name`, ctx => deleteAuthorization(ctx))

  read('/connections/datacloud/:name/data_action_targets', (ctx, caller, data) => {
    sendJson(ctx.res, 200, targetsOf(data, dataCloudConnection(data, caller.addon, ctx.params.name)).map(t => targetJson(data, t, ctx.emu.origin)))
  })
  read('/connections/datacloud/:name/data_action_targets/:api', (ctx, caller, data) => {
    const conn = dataCloudConnection(data, caller.addon, ctx.params.name)
    const t = targetsOf(data, conn).find(x => x.api_name === ctx.params.api || x.id === ctx.params.api)
    if (!t) throw new HttpError(404, 'record_not_found', `Couldn't find a data action target named ${JSON.stringify(ctx.params.api)} on ${conn.name}.`)
    sendJson(ctx.res, 200, targetJson(data, t, ctx.emu.origin))
  })
  router.post(`${base}/connections/datacloud/:name/data_action_targets`, ctx => createTarget(ctx))

  router.post(`${base}/connections/salesforce/:name/apps`, ctx => handlePublish(ctx, authenticate(ctx)), {limit: PUBLISH_LIMIT})
  read('/connections/salesforce/:name/apps/:app', (ctx, caller, data) => {
    const conn = requireConnection(data, caller.addon, ctx.params.name)
    const list = byCreation(data.publications.filter(p => p.connection_id === conn.id && p.app_uuid === ctx.params.app))
    sendJson(ctx.res, 200, list.map(p => publicationJson(p)))
  })
}

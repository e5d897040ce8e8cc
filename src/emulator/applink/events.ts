/**
 * Data action events (docs/events.md, docs/applink-api.md §6). Each data action target has a
 * signing key (made while it is `generating_signing_key`, kept in the store, never answered, shown
 * or logged). Two routes use it:
 *
 * - `POST /addons/{addon}/data_action_targets/authenticate`, the service mesh's check of a data
 *   action request: bearer = the add-on's token, body `{api_name, org_id, signature, payload}`.
 *   200 `{}` when `signature` is the base64 HMAC-SHA256 of `payload` with the key of the add-on's
 *   created target `api_name` on `org_id`, and that org's Data Cloud connection is `connected`;
 *   401 otherwise (the mesh answers 401 and 403 alike, with 403 Forbidden). Each call is logged.
 * - `POST /addons/{addon}/data_action_targets/{api_name}/events`, an emulator extension that plays
 *   Data Cloud for `applink:events:trigger`: it builds an event (from given values, or from a row
 *   of the org's emulated Data Cloud), or takes the caller's payload, keeps it for resends, and
 *   answers the body with its signature; the caller delivers it.
 */
import {createHmac, randomBytes, randomUUID} from 'node:crypto'

import {authenticate} from './caller.js'
import {badRequest, bearerToken, conflict, HttpError, sendJson} from '../http/reply.js'
import type {Ctx, Router} from '../http/router.js'
import {asObject, optionalString, sameSecret, typeName} from '../http/util.js'
import {normalizeId} from '../org/ids.js'
import type {AddonRecord, ConnectionRecord, DataActionTargetRecord, SentEventRecord, StoreData} from '../store/records.js'

/** How many built events a target keeps for --resend and --duplicate. */
export const EVENTS_KEPT = 50
/** ReplayId grows by this much per new event, leaving room below the newest for out-of-order ones. */
export const REPLAY_STEP = 100

/** A new signing key: 32 random bytes, base64url. The HMAC key is the text of it. */
export function newSigningKey(): string {
  return randomBytes(32).toString('base64url')
}

/** `x-signature`: base64 of the HMAC-SHA256 of the payload's UTF-8 bytes with the key. */
export function signPayload(key: string, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('base64')
}

// ------------------------------------------------------------------ the mesh's check

function text(body: Record<string, unknown>, name: string): string {
  const v = Object.hasOwn(body, name) ? body[name] : undefined
  return typeof v === 'string' ? v : ''
}

async function authenticateEvent(ctx: Ctx): Promise<void> {
  const {data} = ctx.emu.store
  const requestId = String(ctx.req.headers.request_id ?? ctx.req.headers['request-id'] ?? ctx.req.headers['x-request-id'] ?? '-')
  const log = (status: number, what: string) => ctx.emu.log(`mesh ${requestId}: ${what} (${status})`, 'request')
  const addon = data.addons.find(a => a.id === ctx.params.addon)
  const token = bearerToken(ctx.req)
  if (!addon || !token || !sameSecret(token, addon.token)) {
    log(401, 'data action target authentication refused: the bearer token is not this add-on\'s HEROKU_APPLINK_TOKEN')
    throw new HttpError(401, 'unauthorized', 'Invalid credentials provided: send the add-on\'s HEROKU_APPLINK_TOKEN as "Authorization: Bearer TOKEN".')
  }

  let body: Record<string, unknown>
  try {
    body = asObject(await ctx.json())
    if (typeof body.payload !== 'string') throw badRequest(`payload must be the request body as a string, not ${typeName(body.payload)}.`)
  } catch (error) {
    if (error instanceof HttpError && error.status === 400) log(400, `data action target authentication refused: ${error.message}`)
    throw error
  }

  const apiName = text(body, 'api_name')
  const rawOrg = text(body, 'org_id')
  const payload = body.payload as string
  ctx.emu.log(`mesh ${requestId}: authenticating data action target '${apiName}' request from org ${rawOrg || '-'} with payload length ${Buffer.byteLength(payload)}`, 'request')
  const reason = refusal(data, addon, apiName, rawOrg, text(body, 'signature'), payload)
  if (reason) {
    log(401, `data action target request refused: ${reason}`)
    throw new HttpError(401, 'unauthorized', `Data action target request not authenticated: ${reason}.`)
  }

  log(200, `authenticated data action target '${apiName}' request from org ${normalizeId(rawOrg)}`)
  sendJson(ctx.res, 200, {})
}

/** Why a data action request is refused, or undefined when it is good. Never names the key. */
function refusal(data: StoreData, addon: AddonRecord, apiName: string, rawOrg: string, signature: string, payload: string): string | undefined {
  const orgId = normalizeId(rawOrg)
  if (!orgId) return `org_id ${JSON.stringify(rawOrg)} is not an org id`
  const conns = data.connections.filter(c => c.addon_id === addon.id && c.kind === 'datacloud' && c.status === 'connected' && c.org.id === orgId)
  if (conns.length === 0) return `org ${orgId} is not a Data Cloud org connected to this add-on`
  const targets = data.data_action_targets.filter(t => t.api_name === apiName && conns.some(c => c.id === t.connection_id))
  if (targets.length === 0) return `there is no data action target '${apiName}' on org ${orgId}`
  const keyed = targets.filter(t => t.status === 'created' && t.signing_key)
  if (keyed.length === 0) return `data action target '${apiName}' is ${targets[0].status}, not created: it has no signing key yet`
  if (!signature) return 'the signature is missing'
  if (!keyed.some(t => sameSecret(signature, signPayload(t.signing_key!, payload)))) return `the signature is not the payload's signature with the key of data action target '${apiName}'`
  return undefined
}

// ------------------------------------------------------------------ the emulated Data Cloud

interface BuiltEvent {
  conn: ConnectionRecord
  kind: 'duplicate' | 'new' | 'out_of_order' | 'payload' | 'resend'
  sent: SentEventRecord
  target: DataActionTargetRecord
}

function findTarget(data: StoreData, addon: AddonRecord, ref: string, connectionName: string | undefined): {conn: ConnectionRecord; target: DataActionTargetRecord} {
  const conns = data.connections.filter(c => c.addon_id === addon.id && c.kind === 'datacloud' && (!connectionName || c.name === connectionName || c.id === connectionName))
  if (connectionName && conns.length === 0) throw new HttpError(404, 'record_not_found', `Couldn't find a Data Cloud connection named ${JSON.stringify(connectionName)} on this add-on.`)
  const found = data.data_action_targets.filter(t => (t.api_name === ref || t.id === ref) && conns.some(c => c.id === t.connection_id))
  if (found.length === 0) throw new HttpError(404, 'record_not_found', `Couldn't find a data action target named ${JSON.stringify(ref)}${connectionName ? ` on ${connectionName}` : ' on this add-on'}.`)
  if (found.length > 1) throw conflict(`${found.length} Data Cloud connections have a data action target named ${ref}: name the connection (connection_name).`)
  return {conn: conns.find(c => c.id === found[0].connection_id)!, target: found[0]}
}

const asText = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** The field values of PayloadCurrentValue: the caller's, else a sample record. */
function values(body: Record<string, unknown>): Record<string, unknown> {
  const v = body.values
  if (v === undefined) return {Id__c: randomUUID(), Name__c: 'Emulated record'}
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw badRequest(`values must be an object of field values, not ${typeName(v)}.`)
  return {...v}
}

function schemaOf(object: string, current: Record<string, unknown>): string {
  const type = (v: unknown) => (typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string')
  return JSON.stringify({fields: Object.entries(current).map(([name, v]) => ({name, type: type(v)})), name: object, type: 'record'})
}

/** A new event for the target, as Data Cloud sends it (docs/events.md): one event, objects for the values. */
function envelope(target: DataActionTargetRecord, event: {current: Record<string, unknown>; object: string; publishedAt: number; replayId: number; uuid: string}): string {
  const published = new Date(event.publishedAt).toISOString()
  return JSON.stringify({
    count: 1,
    creationDateTime: new Date().toISOString(),
    events: [{
      ActionDeveloperName: target.api_name,
      EventCreationDateTime: new Date(event.publishedAt - 5).toISOString(),
      EventPrompt: 'INSERT',
      EventPublishDateTime: published,
      EventSchemaVersion: 1,
      EventType: 'CDCEvent',
      EventUuid: event.uuid,
      Offset: event.replayId,
      PayloadCurrentValue: event.current,
      PayloadMetadata: {ChangeEventHeader: {changedFields: Object.keys(event.current), commitTimestamp: event.publishedAt, commitVersion: event.replayId}},
      PayloadPrevValue: null,
      PayloadSchema: null,
      ReplayId: String(event.replayId),
      SourceObjectDeveloperName: event.object,
    }],
    schemas: [{schema: schemaOf(event.object, event.current), schemaId: target.api_name}],
  })
}

const NAME = /^[A-Za-z]\w{0,79}$/

/** When an event kept in the history was published (its first event's EventPublishDateTime). */
function publishedAtOf(sent: SentEventRecord): number {
  try {
    const at = Date.parse((JSON.parse(sent.payload) as {events: Array<{EventPublishDateTime: string}>}).events[0].EventPublishDateTime)
    if (Number.isFinite(at)) return at
  } catch {}

  return Date.parse(sent.sent_at)
}

function lastOf<T>(list: T[], test: (item: T) => boolean): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (test(list[i])) return list[i]
  return undefined
}

/** The fields a Data Cloud row is found by, in this order. */
export const ROW_ID_FIELDS = ['Id', 'id', 'Id__c']

/** The row of the org's Data Cloud whose id field is `id` (in `object` only, when given). */
function findRow(rows: Record<string, Array<Record<string, unknown>>>, id: string, object: string | undefined): {object: string; values: Record<string, unknown>} {
  const found: Array<{object: string; values: Record<string, unknown>}> = []
  for (const [name, list] of Object.entries(rows)) {
    if (object !== undefined && name !== object) continue
    for (const row of list) {
      const field = ROW_ID_FIELDS.find(f => Object.hasOwn(row, f))
      if (field && String(row[field]) === id) found.push({object: name, values: {...row}})
    }
  }

  const where = object === undefined ? 'the Data Cloud of this org' : `Data Cloud object ${object}`
  if (found.length === 0) throw new HttpError(404, 'record_not_found', `No row of ${where} has ${ROW_ID_FIELDS.join(', ')} = ${JSON.stringify(id)}: ingest it first (POST {instance_url}/api/v1/ingest/sources/{source}/{object}).`)
  if (new Set(found.map(f => f.object)).size > 1) throw conflict(`Rows of ${[...new Set(found.map(f => f.object))].join(' and ')} have the id ${JSON.stringify(id)}: name the object (object).`)
  return found.at(-1)!
}

/** The event a trigger asks for; changes the target's history (call inside a store update). */
function buildEvent(target: DataActionTargetRecord, body: Record<string, unknown>, rows: Record<string, Array<Record<string, unknown>>>): Pick<BuiltEvent, 'kind' | 'sent'> {
  const history = target.events ?? []
  const resend = optionalString(body, 'resend')
  if (resend) {
    const sent = lastOf(history, e => e.event_uuid === resend)
    if (!sent) throw new HttpError(404, 'record_not_found', `No event ${resend} was sent to ${target.api_name} (the last ${EVENTS_KEPT} are kept).`)
    return {kind: 'resend', sent}
  }

  const now = Date.now()
  const record = (sent: SentEventRecord) => {
    target.events = [...history, sent].slice(-EVENTS_KEPT)
    return sent
  }

  if (typeof body.payload === 'string') {
    let first: Record<string, unknown> = {}
    try {
      first = (JSON.parse(body.payload) as {events?: Array<Record<string, unknown>>}).events?.[0] ?? {}
    } catch {}

    return {kind: 'payload', sent: record({event_uuid: asText(first.EventUuid) ?? '', payload: body.payload, replay_id: Number(first.ReplayId) || 0, sent_at: new Date(now).toISOString()})}
  }

  if (body.duplicate === true) {
    const last = lastOf(history, e => Boolean(e.event_uuid))
    let parsed: Record<string, unknown> | undefined
    try {
      parsed = last ? JSON.parse(last.payload) : undefined
    } catch {}

    if (!last || !parsed || typeof parsed !== 'object') throw conflict(`No event to duplicate: send one to ${target.api_name} first.`)
    // the same events, in a new delivery
    const payload = JSON.stringify({...parsed, creationDateTime: new Date(now).toISOString()})
    return {kind: 'duplicate', sent: record({...last, payload, sent_at: new Date(now).toISOString()})}
  }

  const given = optionalString(body, 'object')
  if (given !== undefined && !NAME.test(given)) throw badRequest(`object ${JSON.stringify(given)} is not an object API name: letters, digits and underscores, a letter first (e.g. Account_Home__dlm).`)
  const fromRecord = optionalString(body, 'from_record')
  const row = fromRecord === undefined ? undefined : findRow(rows, fromRecord, given)
  const object = row?.object ?? given ?? 'Emulated_Record__dlm'
  const current = row ? {...row.values, ...(body.values === undefined ? {} : values(body))} : values(body)
  if (body.out_of_order === true) {
    // older than the newest event sent, and older than every one sent after it
    const newest = history.reduce<SentEventRecord | undefined>((a, e) => (e.replay_id > 0 && (!a || e.replay_id >= a.replay_id) ? e : a), undefined)
    if (!newest) throw conflict(`No event to send out of order after: send one to ${target.api_name} first.`)
    const later = history.slice(history.lastIndexOf(newest)).filter(e => e.replay_id > 0)
    const replayId = Math.min(...later.map(e => e.replay_id)) - 1
    const publishedAt = publishedAtOf(newest) - (newest.replay_id - replayId) * 1000
    const uuid = randomUUID()
    return {kind: 'out_of_order', sent: record({event_uuid: uuid, payload: envelope(target, {current, object, publishedAt, replayId, uuid}), replay_id: replayId, sent_at: new Date(now).toISOString()})}
  }

  const replayId = (target.replay_id ?? 0) + REPLAY_STEP
  target.replay_id = replayId
  const uuid = randomUUID()
  return {kind: 'new', sent: record({event_uuid: uuid, payload: envelope(target, {current, object, publishedAt: now, replayId, uuid}), replay_id: replayId, sent_at: new Date(now).toISOString()})}
}

/** The path Data Cloud posts to: the target's endpoint (the path of an absolute one) with `?orgId=&apiName=`. */
export function deliveryPath(target: DataActionTargetRecord, orgId: string): string {
  const url = new URL(target.target_endpoint, 'http://app.invalid')
  url.searchParams.set('orgId', orgId)
  url.searchParams.set('apiName', target.api_name)
  return `${url.pathname}${url.search}`
}

async function triggerEvent(ctx: Ctx): Promise<void> {
  const caller = authenticate(ctx)
  const body = asObject(await ctx.json())
  for (const flag of ['duplicate', 'out_of_order'] as const) {
    if (body[flag] !== undefined && typeof body[flag] !== 'boolean') throw badRequest(`${flag} must be true or false, not ${typeName(body[flag])}.`)
  }

  const built = await ctx.emu.store.update((data): BuiltEvent => {
    const {conn, target} = findTarget(data, caller.addon, ctx.params.api, optionalString(body, 'connection_name'))
    if (conn.status !== 'connected') throw conflict(`The connection ${conn.name} is ${conn.status}, not connected: Data Cloud sends no events for it.`)
    if (target.status !== 'created' || !target.signing_key) throw conflict(`The data action target ${target.api_name} is ${target.status}, not created: Data Cloud sends events only to a created target.`)
    const rows = data.orgs.find(o => o.id === conn.org.id)?.datacloud ?? {}
    return {conn, target, ...buildEvent(target, body, rows)}
  })
  const {conn, kind, sent, target} = built
  const orgId = conn.org.id ?? ''
  ctx.emu.log(`data cloud: ${kind === 'resend' ? 'resending' : 'sending'} event ${sent.event_uuid || '-'} (${kind}) to data action target ${target.api_name} of org ${orgId}`, 'request')
  sendJson(ctx.res, 200, {
    api_name: target.api_name,
    connection_name: conn.name,
    event_uuid: sent.event_uuid || null,
    kind,
    org_id: orgId,
    path: deliveryPath(target, orgId),
    payload: sent.payload,
    replay_id: sent.replay_id || null,
    signature: signPayload(target.signing_key!, sent.payload),
  })
}

export function registerEventRoutes(router: Router): void {
  router.post('/addons/:addon/data_action_targets/authenticate', authenticateEvent)
  router.post('/addons/:addon/data_action_targets/:api/events', triggerEvent)
}

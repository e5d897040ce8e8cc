/**
 * The AppLink API routes of one add-on (docs/applink-api.md §2–§6), under `/addons/{addon}`:
 * connections, authorizations, data action targets (with their events) and publications. Every one authenticates the
 * caller first (caller.ts).
 */
import {type Caller, authenticate} from './caller.js'
import {HttpError, sendJson} from '../http/reply.js'
import {createLink, deleteLink, LINKS} from './links.js'
import {requireConnection} from '../platform/model.js'
import {refreshToken} from '../org/index.js'
import {handlePublish, publicationJson} from './publish.js'
import type {StoreData} from '../store/records.js'
import {authorizationJson, byCreation, connectionJson, dataCloudConnection, requireAuthorization, targetJson, targetsOf} from './resources.js'
import {type Ctx, PUBLISH_LIMIT, type Router} from '../http/router.js'
import {createTarget} from './targets.js'
import {registerEventRoutes} from './events.js'

const BASE = '/addons/:addon'

/** A GET route of the add-on: the handler gets the authenticated caller and the store's data. */
function reader(router: Router) {
  return (path: string, handler: (ctx: Ctx, caller: Caller, data: StoreData) => void) => {
    router.get(`${BASE}${path}`, ctx => handler(ctx, authenticate(ctx), ctx.emu.store.data))
  }
}

function registerLinkRoutes(router: Router): void {
  const read = reader(router)
  read('/connections', (ctx, caller, data) => {
    sendJson(ctx.res, 200, byCreation(data.connections.filter(c => c.addon_id === caller.addon.id)).map(c => connectionJson(ctx, c)))
  })
  read('/connections/:name', (ctx, caller, data) => sendJson(ctx.res, 200, connectionJson(ctx, requireConnection(data, caller.addon, ctx.params.name))))
  router.post(`${BASE}/connections/salesforce/jwt`, ctx => createLink(ctx, LINKS.connection, 'JWT', 'salesforce'))
  router.post(`${BASE}/connections/:kind`, ctx => createLink(ctx, LINKS.connection, 'OAuth', ctx.params.kind))
  router.delete(`${BASE}/connections/:name`, ctx => deleteLink(ctx, LINKS.connection))

  read('/authorizations', (ctx, caller, data) => {
    sendJson(ctx.res, 200, byCreation(data.authorizations.filter(a => a.addon_id === caller.addon.id)).map(a => authorizationJson(ctx, a)))
  })
  router.get(`${BASE}/authorizations/:name`, async ctx => {
    const caller = authenticate(ctx)
    const {store} = ctx.emu
    const a = requireAuthorization(store.data, caller.addon, ctx.params.name)
    // the token read here works against the emulated org: an expired one is replaced, as AppLink refreshes it
    if (refreshToken(store.data, store, a)) await store.flush()
    sendJson(ctx.res, 200, authorizationJson(ctx, a, true))
  })
  router.post(`${BASE}/authorizations/:kind/jwt`, ctx => createLink(ctx, LINKS.authorization, 'JWT', ctx.params.kind))
  router.post(`${BASE}/authorizations/:kind`, ctx => createLink(ctx, LINKS.authorization, 'OAuth', ctx.params.kind))
  router.delete(`${BASE}/authorizations/:name`, ctx => deleteLink(ctx, LINKS.authorization))
}

function registerTargetRoutes(router: Router): void {
  const read = reader(router)
  read('/connections/datacloud/:name/data_action_targets', (ctx, caller, data) => {
    sendJson(ctx.res, 200, targetsOf(data, dataCloudConnection(data, caller.addon, ctx.params.name)).map(t => targetJson(data, t, ctx.emu.origin)))
  })
  read('/connections/datacloud/:name/data_action_targets/:api', (ctx, caller, data) => {
    const conn = dataCloudConnection(data, caller.addon, ctx.params.name)
    const t = targetsOf(data, conn).find(x => x.api_name === ctx.params.api || x.id === ctx.params.api)
    if (!t) throw new HttpError(404, 'record_not_found', `Couldn't find a data action target named ${JSON.stringify(ctx.params.api)} on ${conn.name}.`)
    sendJson(ctx.res, 200, targetJson(data, t, ctx.emu.origin))
  })
  router.post(`${BASE}/connections/datacloud/:name/data_action_targets`, ctx => createTarget(ctx))
  // the mesh's signature check, and the emulated Data Cloud's events (events.ts)
  registerEventRoutes(router)
}

function registerPublicationRoutes(router: Router): void {
  router.post(`${BASE}/connections/salesforce/:name/apps`, ctx => handlePublish(ctx, authenticate(ctx)), {limit: PUBLISH_LIMIT})
  reader(router)('/connections/salesforce/:name/apps/:app', (ctx, caller, data) => {
    const conn = requireConnection(data, caller.addon, ctx.params.name)
    const list = byCreation(data.publications.filter(p => p.connection_id === conn.id && p.app_uuid === ctx.params.app))
    sendJson(ctx.res, 200, list.map(p => publicationJson(p)))
  })
}

/** Registers the AppLink routes, in the order they are matched. */
export function registerApplinkRoutes(router: Router): void {
  registerLinkRoutes(router)
  registerTargetRoutes(router)
  registerPublicationRoutes(router)
}

/**
 * `POST {HEROKU_APPLINK_API_URL}/invocations/authentication`, the call the AppLink service mesh
 * makes for every invocation it receives. Bearer: the add-on's token (401 otherwise). Body:
 * `{org_domain_url, core_jwt_token, org_id, app_uuid}`. 200 when `core_jwt_token` is an unexpired
 * access token this emulator issued for a user of `org_id`, and that org is connected to the add-on
 * (a `connected` connection, as the hosted mesh requires: an authorization alone is not enough);
 * 403 otherwise. Each call is logged.
 */
import {timingSafeEqual} from 'node:crypto'

import {sendSalesforce} from '../../http/reply.js'
import {accessToken, type OrgCtx, type RouteTable} from '../http.js'
import {normalizeId} from '../ids.js'
import {findSession} from '../orgs.js'

function same(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

function field(body: Record<string, unknown>, name: string): string {
  const v = Object.hasOwn(body, name) ? body[name] : undefined
  return typeof v === 'string' ? v : ''
}

/** The app of `app_uuid` when it is one, else the app that owns the add-on, for the fix a message names. */
function appName(data: Record<string, unknown>, addon: {app_id?: string}, appUuid: string): string {
  const apps = data.apps as Array<{id: string; name: string}>
  return (apps.find(a => a.id === appUuid) ?? apps.find(a => a.id === addon.app_id))?.name ?? 'APP'
}

async function authenticateInvocation(ctx: OrgCtx): Promise<void> {
  const {data} = ctx.emu.store
  const requestId = String(ctx.req.headers['request_id'] ?? ctx.req.headers['request-id'] ?? ctx.req.headers['x-request-id'] ?? '-')
  const log = (status: number, what: string) => ctx.emu.log(`mesh ${requestId}: ${what} (${status})`, 'request')
  const addon = (data.addons as Array<{app_id: string; id: string; token: string}>).find(a => a.id === ctx.params.addon)
  const token = accessToken(ctx.req)
  if (!addon || !token || !same(token, addon.token)) {
    log(401, 'invocation authentication refused: the bearer token is not this add-on\'s HEROKU_APPLINK_TOKEN')
    sendSalesforce(ctx.res, 401, {id: 'unauthorized', message: 'Invalid credentials provided: send the add-on\'s HEROKU_APPLINK_TOKEN as "Authorization: Bearer TOKEN".'})
    return
  }

  let body: unknown
  try {
    body = JSON.parse((await ctx.body()).toString('utf8'))
  } catch {}

  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    log(400, 'invocation authentication refused: the body is not a JSON object')
    sendSalesforce(ctx.res, 400, {id: 'invalid_params', message: 'Send {"org_domain_url", "core_jwt_token", "org_id", "app_uuid"} as a JSON object.'})
    return
  }

  const b = body as Record<string, unknown>
  const orgId = normalizeId(field(b, 'org_id'))
  const appUuid = field(b, 'app_uuid')
  ctx.emu.log(`mesh ${requestId}: authenticating invocation for org ${orgId ?? field(b, 'org_id')} app ${appUuid || '-'}`, 'request')
  const session = findSession(data, field(b, 'core_jwt_token'))
  const forbid = (reason: string) => {
    log(403, `invocation forbidden: ${reason}`)
    sendSalesforce(ctx.res, 403, {id: 'forbidden', message: `Invocation not authenticated: ${reason}.`})
  }

  if (!session) return forbid('core_jwt_token is not a valid, unexpired access token of an emulated org')
  if (!orgId || session.org.id !== orgId) return forbid(`core_jwt_token belongs to org ${session.org.id}, not to org_id ${field(b, 'org_id') || '(missing)'}`)
  type Link = {addon_id: string; name: string; org: {id?: string}; status: string}
  const connected = (data.connections as Link[]).some(c => c.addon_id === addon.id && c.status === 'connected' && c.org.id === orgId)
  if (!connected) {
    const authorization = (data.authorizations as Link[]).find(a => a.addon_id === addon.id && a.status === 'authorized' && a.org.id === orgId)
    if (!authorization) return forbid(`org ${orgId} is not connected to this add-on`)
    return forbid(`org ${orgId} is not connected to this add-on: it has only the authorization ${authorization.name}, and invocations need a connection. Connect the org with "heroku salesforce:connect CONNECTION_NAME -a ${appName(data, addon, appUuid)}", logging in as one of its users`)
  }

  log(200, `authenticated invocation for org ${orgId} user ${session.session.user_id}`)
  sendSalesforce(ctx.res, 200, {org_id: orgId, status: 'authenticated', user_id: session.session.user_id})
}

export function registerMeshRoutes(router: RouteTable): void {
  router.add('POST', '/addons/:addon/invocations/authentication', authenticateInvocation)
}

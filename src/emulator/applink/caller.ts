/**
 * Who calls the AppLink API (docs/applink-api.md §2): every request to `/addons/{addon}/…` needs
 * `Authorization: Bearer {that add-on's token}` (401 otherwise) and `x-app-uuid` naming an app the
 * add-on is attached to (400 when missing, 403 when it is another app). `x-addon-sso`, when sent,
 * must be an SSO payload this emulator issued for the add-on (403 otherwise); apps using the
 * AppLink SDK do not send it.
 */
import {badRequest, bearerToken, HttpError} from '../http/reply.js'
import {attachmentsOfAddon, ssoToken} from '../platform/model.js'
import type {AddonRecord, AppRecord, StoreData} from '../store/records.js'
import type {Ctx} from '../http/router.js'
import {sameSecret} from '../http/util.js'

/** The add-on and calling app of an authenticated AppLink request. */
export interface Caller {
  addon: AddonRecord
  app: AppRecord
}

/** Checks the bearer token, x-app-uuid and x-addon-sso of a request to /addons/{addon}/…. */
export function authenticate(ctx: Ctx): Caller {
  const {data} = ctx.emu.store
  const addon = data.addons.find(a => a.id === ctx.params.addon)
  const token = bearerToken(ctx.req)
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

/**
 * The Heroku Platform API routes for add-ons, attachments and the add-on service catalogue: enough
 * for the real `heroku` CLI's addons:create heroku-applink, addons, addons:info, addons:destroy,
 * addons:attach and addons:detach. Every route requires the emulator's API key as a bearer token.
 */
import {badRequest, HttpError, sendJson} from '../http/reply.js'
import {
  addonJson, addonNotFound, addonsOfApp, APPLINK_SERVICE_ID, applinkServices, appNotFound, attachmentJson, attachmentNotFound,
  attachmentsOfAddon, attachmentsOfApp, bumpRelease, findAddon, findApp, removeAddon, requireApp, ssoToken,
} from './model.js'
import {addonOnApp, attachmentName, createAddon, keyedRoute, newAttachment, resolveAddons, unprocessable} from './apps.js'
import type {StoreData} from '../store/records.js'
import type {Ctx, Router} from '../http/router.js'
import {asObject, optionalString, requiredString, typeName} from '../http/util.js'

/**
 * An add-on or app named in a body: its name or id as a string, or `{"name": …}` / `{"id": …}`
 * (the id wins when both are given). 400 naming the field when it is missing or of another type.
 */
function reference(body: Record<string, unknown>, field: 'addon' | 'app', placeholder: string): string {
  const value = body[field]
  const shape = `{"name": ${placeholder}} or {"id": ID}`
  if (value === undefined || value === null) throw badRequest(`${field} is required, as ${shape}.`)
  if (typeof value === 'string') return requiredString(body, field)
  if (typeof value !== 'object' || Array.isArray(value)) throw badRequest(`${field} must be an object such as ${shape}, not ${typeName(value)}.`)
  const ref = value as Record<string, unknown>
  for (const key of ['id', 'name']) {
    if (ref[key] !== undefined && ref[key] !== null && typeof ref[key] !== 'string') throw badRequest(`${field}.${key} must be a string, not ${typeName(ref[key])}.`)
  }

  const key = (ref.id || ref.name) as string | undefined
  if (!key) throw badRequest(`${field} needs a name or an id, as ${shape}.`)
  return key
}

/** POST /addon-attachments: attaches an add-on to another app (or again under another name). */
async function attach(ctx: Ctx): Promise<void> {
  const body = asObject(await ctx.json())
  const addonKey = reference(body, 'addon', 'ADDON')
  const appKey = reference(body, 'app', 'APP')
  const wanted = optionalString(body, 'name')
  const att = await ctx.emu.store.update(data => {
    const addon = findAddon(data, addonKey)
    if (!addon) throw addonNotFound()
    const app = requireApp(data, appKey)
    if (attachmentsOfApp(data, app.id).some(a => a.addon_id === addon.id) && wanted === undefined) {
      throw unprocessable(`${addon.name} is already attached to ${app.name}; give another attachment name with --as.`)
    }

    const record = newAttachment(addon, app, attachmentName(data, app, addon.service, wanted))
    data.attachments.push(record)
    bumpRelease(app)
    return record
  })
  sendJson(ctx.res, 201, attachmentJson(ctx.emu.store.data, att))
}

/** DELETE /addon-attachments/{id}: any attachment but the owning one. */
async function detach(ctx: Ctx, data: StoreData): Promise<void> {
  const att = data.attachments.find(a => a.id === ctx.params.id)
  if (!att) throw attachmentNotFound()
  const addon = data.addons.find(a => a.id === att.addon_id)
  if (addon && addon.app_id === att.app_id && attachmentsOfAddon(data, addon.id).filter(a => a.app_id === addon.app_id).length === 1) {
    throw unprocessable(`${att.name} is the owning attachment of ${addon.name}; destroy the add-on instead.`)
  }

  const json = attachmentJson(data, att)
  await ctx.emu.store.update(d => {
    d.attachments = d.attachments.filter(a => a.id !== att.id)
    const app = d.apps.find(a => a.id === att.app_id)
    if (app) bumpRelease(app)
  })
  sendJson(ctx.res, 200, json)
}

function registerAddonsOfApps(router: Router): void {
  const route = keyedRoute(router)
  route('GET', '/addons', (ctx, data) => sendJson(ctx.res, 200, data.addons.map(a => addonJson(data, a))))
  route('GET', '/addons/:addon', (ctx, data) => {
    const addon = findAddon(data, ctx.params.addon)
    if (!addon) throw addonNotFound()
    sendJson(ctx.res, 200, addonJson(data, addon))
  })
  route('GET', '/addons/:addon/addon-attachments', (ctx, data) => {
    const addon = findAddon(data, ctx.params.addon)
    if (!addon) throw addonNotFound()
    sendJson(ctx.res, 200, attachmentsOfAddon(data, addon.id).map(a => attachmentJson(data, a, {configVars: '', plan: true})))
  })
  route('GET', '/apps/:app/addons', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, addonsOfApp(data, app.id).map(a => addonJson(data, a)))
  })
  route('GET', '/apps/:app/addons/:addon', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, addonJson(data, addonOnApp(data, app, ctx.params.addon)))
  })
  route('POST', '/apps/:app/addons', async (ctx, data) => {
    requireApp(data, ctx.params.app)
    await createAddon(ctx, ctx.params.app)
  })
  route('DELETE', '/apps/:app/addons/:addon', async (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    const addon = addonOnApp(data, app, ctx.params.addon)
    if (addon.app_id !== app.id) throw unprocessable(`${addon.name} belongs to another app; detach it from ${app.name} instead.`)
    const json = {...addonJson(data, addon), state: 'deprovisioned'}
    await ctx.emu.store.update(d => removeAddon(d, addon.id))
    sendJson(ctx.res, 200, json)
  })
  route('GET', '/apps/:app/addons/:addon/sso', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    const addon = addonOnApp(data, app, ctx.params.addon)
    const timestamp = String(Math.floor(Date.now() / 1000))
    const nav = Buffer.from(JSON.stringify({addon: addon.name, appname: app.name})).toString('base64')
    sendJson(ctx.res, 200, {
      action: `${ctx.emu.origin}/sso/login`,
      method: 'POST',
      params: {app: app.name, email: data.account.email, id: addon.id, 'nav-data': nav, timestamp, token: ssoToken(data, addon.id, timestamp)},
    })
  })
  route('POST', '/actions/addons/resolve', async (ctx, data) => {
    const body = asObject(await ctx.json())
    const ref = requiredString(body, 'addon')
    const matches = resolveAddons(data, ref, optionalString(body, 'app'), optionalString(body, 'addon_service'))
    sendJson(ctx.res, 200, matches.map(a => addonJson(data, a)))
  })

}

function registerAttachments(router: Router): void {
  const route = keyedRoute(router)
  route('GET', '/addon-attachments', (ctx, data) => sendJson(ctx.res, 200, data.attachments.map(a => attachmentJson(data, a))))
  route('GET', '/addon-attachments/:id', (ctx, data) => {
    const att = data.attachments.find(a => a.id === ctx.params.id)
    if (!att) throw attachmentNotFound()
    sendJson(ctx.res, 200, attachmentJson(data, att))
  })
  route('GET', '/apps/:app/addon-attachments', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, attachmentsOfApp(data, app.id).map(a => attachmentJson(data, a)))
  })
  route('GET', '/apps/:app/addon-attachments/:att', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    const att = attachmentsOfApp(data, app.id).find(a => a.id === ctx.params.att || a.name === ctx.params.att)
    if (!att) throw attachmentNotFound()
    sendJson(ctx.res, 200, attachmentJson(data, att))
  })
  route('POST', '/actions/addon-attachments/resolve', async (ctx, data) => {
    const body = asObject(await ctx.json())
    const ref = requiredString(body, 'addon_attachment')
    const appRef = optionalString(body, 'app')
    const service = optionalString(body, 'addon_service')
    const app = appRef === undefined ? undefined : findApp(data, appRef)
    if (appRef !== undefined && !app) throw appNotFound()
    let matches = (app ? attachmentsOfApp(data, app.id) : data.attachments).filter(a => a.id === ref || a.name === ref)
    if (service !== undefined) matches = matches.filter(a => data.addons.find(x => x.id === a.addon_id)?.service === service)
    if (matches.length === 0) throw attachmentNotFound()
    sendJson(ctx.res, 200, matches.map(a => attachmentJson(data, a, {configVars: '', plan: true})))
  })
  route('POST', '/addon-attachments', attach)
  route('DELETE', '/addon-attachments/:id', detach)
}

export function registerAddonRoutes(router: Router): void {
  registerAddonsOfApps(router)
  registerAttachments(router)
  const route = keyedRoute(router)
  // the add-on service catalogue, for `heroku addons:services` / `addons:plans`
  route('GET', '/addon-services', ctx => sendJson(ctx.res, 200, applinkServices().map(name => ({human_name: 'Heroku AppLink', id: APPLINK_SERVICE_ID, name, state: 'ga'}))))
  route('GET', '/addon-services/:service', ctx => {
    if (!applinkServices().includes(ctx.params.service)) throw new HttpError(404, 'not_found', 'Couldn\'t find that add-on service.', {resource: 'addon_service'})
    sendJson(ctx.res, 200, {human_name: 'Heroku AppLink', id: APPLINK_SERVICE_ID, name: ctx.params.service, state: 'ga'})
  })}

/**
 * The Heroku Platform API subset that AppLink work needs, enough for the real `heroku` CLI's
 * apps:create, apps, apps:info, apps:destroy, addons:create heroku-applink, addons, addons:destroy,
 * addons:attach and config. Every route requires the emulator's API key as a bearer token.
 */
import {timingSafeEqual} from 'node:crypto'

import {
  addonJson, addonNotFound, addonsOfApp, APPLINK_SERVICE_ID, applinkServices, appJson, attachmentJson, attachmentsOfAddon,
  attachmentsOfApp, bumpRelease, configVars, DEFAULT_PLAN, findAddon, findApp, removeAddon, requireApp, ssoToken,
} from './model.js'
import {type Ctx, type Router, sendJson} from './server.js'
import type {AddonRecord, AppRecord, AttachmentRecord, StoreData} from './store.js'
import {asObject, badRequest, generatedName, HttpError, newId, newToken, now, optionalString, typeName} from './util.js'

const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/
const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/
const ADDON_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{2,60}$/
const COLORS = ['AMBER', 'AQUA', 'BLACK', 'BLUE', 'BRONZE', 'COBALT', 'CRIMSON', 'GOLD', 'GRAY', 'GREEN', 'IVORY', 'JADE', 'OLIVE', 'ONYX', 'ORANGE', 'PINK', 'PURPLE', 'RED', 'SILVER', 'TEAL', 'WHITE', 'YELLOW']

function unprocessable(message: string, id = 'invalid_params'): HttpError {
  return new HttpError(422, id, message)
}

/** Accepts `Authorization: Bearer KEY` (and Basic with KEY as password, as netrc-based clients send). */
export function requireApiKey(ctx: Ctx): void {
  const header = String(ctx.req.headers.authorization ?? '')
  let presented = ''
  const bearer = /^Bearer\s+(.+)$/i.exec(header)
  if (bearer) presented = bearer[1].trim()
  const basic = /^Basic\s+(.+)$/i.exec(header)
  if (basic) presented = Buffer.from(basic[1], 'base64').toString('utf8').split(':').slice(1).join(':')
  const expected = Buffer.from(ctx.emu.store.data.api_key)
  const given = Buffer.from(presented)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HttpError(401, 'unauthorized', presented
      ? 'Invalid credentials provided: this is not the emulator\'s API key (see the HEROKU_API_KEY line it printed at start).'
      : 'No credentials: send the emulator\'s API key as "Authorization: Bearer KEY".')
  }
}

function account(data: StoreData): Record<string, unknown> {
  return {
    allow_tracking: false, beta: false, created_at: data.created_at, email: data.account.email, federated: false, id: data.account.id,
    last_login: data.created_at, name: 'Emulator Developer', two_factor_authentication: false, updated_at: data.created_at, verified: true,
  }
}

function nameTaken(data: StoreData, name: string): boolean {
  return data.apps.some(a => a.name === name)
}

function createApp(ctx: Ctx, body: Record<string, unknown>): Promise<AppRecord> {
  const name = optionalString(body, 'name')
  const region = optionalString(body, 'region') ?? 'us'
  const stack = optionalString(body, 'stack') ?? 'heroku-24'
  if (name !== undefined && !APP_NAME.test(name)) {
    throw unprocessable(`Name must start with a letter, end with a letter or digit, have 3 to 30 characters and can only contain lowercase letters, digits, and dashes (got ${JSON.stringify(name)}).`)
  }

  if (!['eu', 'us'].includes(region)) throw unprocessable(`Couldn't find that region: ${region}. The emulator knows us and eu.`, 'not_found')
  return ctx.emu.store.update(data => {
    if (name !== undefined && nameTaken(data, name)) throw unprocessable(`Name ${name} is already taken`)
    let chosen = name
    while (!chosen || nameTaken(data, chosen)) chosen = generatedName()
    const t = now()
    const app: AppRecord = {config_vars: {}, created_at: t, id: newId(), name: chosen, region, release: 1, stack, updated_at: t}
    data.apps.push(app)
    return app
  })
}

function destroyApp(data: StoreData, app: AppRecord): void {
  for (const addon of data.addons.filter(a => a.app_id === app.id)) removeAddon(data, addon.id)
  data.attachments = data.attachments.filter(a => a.app_id !== app.id)
  // AppLink records made from this app stay with their add-on; publications of the app go with it
  data.publications = data.publications.filter(p => p.app_uuid !== app.id)
  data.apps = data.apps.filter(a => a.id !== app.id)
}

/** `heroku-applink`, `heroku-applink:base`, `{name: ...}` → [service, plan], or 404 for another service. */
function parsePlan(plan: unknown): [string, string] {
  let text: string | undefined
  if (typeof plan === 'string') text = plan
  else if (plan && typeof plan === 'object' && typeof (plan as {name?: unknown}).name === 'string') text = (plan as {name: string}).name
  if (!text) throw badRequest(`plan is required, as {"name": "${applinkServices()[0]}"}; got ${typeName(plan)}.`)
  const [service, planName = DEFAULT_PLAN] = text.split(':')
  if (!applinkServices().includes(service)) {
    throw new HttpError(404, 'not_found', `Couldn't find either the add-on service or the add-on plan of "${text}". The emulator provides only ${applinkServices().join(' and ')}.`, {resource: 'addon_plan'})
  }

  if (planName !== DEFAULT_PLAN) throw new HttpError(404, 'not_found', `Couldn't find the add-on plan "${text}". The emulator has only ${service}:${DEFAULT_PLAN}.`, {resource: 'addon_plan'})
  return [service, planName]
}

/** A free attachment name on the app: the wanted one, else HEROKU_APPLINK, else HEROKU_APPLINK_{COLOR}. */
function attachmentName(data: StoreData, app: AppRecord, service: string, wanted?: string): string {
  const used = new Set(attachmentsOfApp(data, app.id).map(a => a.name))
  if (wanted !== undefined) {
    if (!ATTACHMENT_NAME.test(wanted)) throw unprocessable(`Attachment name ${JSON.stringify(wanted)} must start with a letter and hold only uppercase letters, digits and underscores.`)
    if (used.has(wanted)) throw unprocessable(`Attachment name ${wanted} is already used on ${app.name}; choose another with --as.`)
    return wanted
  }

  const base = service.toUpperCase().replaceAll('-', '_')
  if (!used.has(base)) return base
  for (const color of COLORS) if (!used.has(`${base}_${color}`)) return `${base}_${color}`
  return `${base}_${newToken(3).toUpperCase()}`
}

function newAttachment(addon: AddonRecord, app: AppRecord, name: string): AttachmentRecord {
  const t = now()
  return {addon_id: addon.id, app_id: app.id, created_at: t, id: newId(), name, updated_at: t}
}

async function createAddon(ctx: Ctx, appRef: string): Promise<void> {
  const body = asObject(await ctx.json())
  const [service, plan] = parsePlan(body.plan)
  const attachment = body.attachment === undefined || body.attachment === null ? {} : asObject(body.attachment)
  const wantedAttachment = optionalString(attachment, 'name')
  const wantedName = optionalString(body, 'name')
  if (wantedName !== undefined && !ADDON_NAME.test(wantedName)) throw unprocessable(`Add-on name ${JSON.stringify(wantedName)} must start with a letter and hold 3 to 61 letters, digits, dashes or underscores.`)
  if (body.config !== undefined && body.config !== null && (typeof body.config !== 'object' || Array.isArray(body.config))) throw badRequest(`config must be an object, not ${typeName(body.config)}.`)
  const addon = await ctx.emu.store.update(data => {
    const app = requireApp(data, appRef)
    const name = attachmentName(data, app, service, wantedAttachment)
    if (wantedName !== undefined && findAddon(data, wantedName)) throw unprocessable(`Add-on name ${wantedName} is already taken.`)
    let addonName = wantedName
    while (!addonName || findAddon(data, addonName)) addonName = generatedName('applink').replace(/-[a-z]+-(\d+)$/, '-$1')
    const t = now()
    const record: AddonRecord = {app_id: app.id, created_at: t, id: newId(), name: addonName, plan, service, token: newToken(), updated_at: t}
    data.addons.push(record)
    data.attachments.push(newAttachment(record, app, name))
    bumpRelease(app)
    return record
  })
  sendJson(ctx.res, 201, addonJson(ctx.emu.store.data, addon))
}

/** The add-on named by a path segment, which must be on (owned by or attached to) the app. */
function addonOnApp(data: StoreData, app: AppRecord, ref: string): AddonRecord {
  const byAttachment = attachmentsOfApp(data, app.id).find(a => a.name === ref)
  const addon = byAttachment ? data.addons.find(a => a.id === byAttachment.addon_id) : findAddon(data, ref)
  if (!addon || !addonsOfApp(data, app.id).some(a => a.id === addon.id)) throw addonNotFound()
  return addon
}

/** `POST /actions/addons/resolve`: add-ons matching an id, a name, an attachment name or a service slug. */
function resolveAddons(data: StoreData, ref: string, appRef?: null | string, service?: null | string): AddonRecord[] {
  let matches: AddonRecord[]
  const direct = findAddon(data, ref)
  if (appRef) {
    const app = findApp(data, appRef)
    if (!app) throw new HttpError(404, 'not_found', 'Couldn\'t find that app.', {resource: 'app'})
    const onApp = addonsOfApp(data, app.id)
    const byAttachment = attachmentsOfApp(data, app.id).filter(a => a.name === ref).map(a => a.addon_id)
    matches = onApp.filter(a => a.id === ref || a.name === ref || byAttachment.includes(a.id) || a.service === ref || `${a.service}:${a.plan}` === ref)
    if (matches.length === 0 && direct) matches = [direct]
  } else {
    matches = direct ? [direct] : []
  }

  if (service) matches = matches.filter(a => a.service === service)
  if (matches.length === 0) throw addonNotFound()
  return matches
}

function releasesJson(data: StoreData, app: AppRecord, range: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (let v = 1; v <= app.release; v++) {
    out.push({created_at: app.updated_at, current: v === app.release, description: v === 1 ? 'Initial release' : 'Update config', id: newId(), status: 'succeeded', updated_at: app.updated_at, user: data.account, version: v})
  }

  if (/order=desc/i.test(range)) out.reverse()
  const max = /max=(\d+)/i.exec(range)
  return max ? out.slice(0, Number(max[1])) : out
}

export function registerPlatformRoutes(router: Router): void {
  /** Registers a Platform route that requires the API key. */
  const route = (method: string, path: string, handler: (ctx: Ctx, data: StoreData) => Promise<void> | void) => {
    router.add(method, path, async ctx => {
      requireApiKey(ctx)
      await handler(ctx, ctx.emu.store.data)
    })
  }

  route('GET', '/account', (ctx, data) => sendJson(ctx.res, 200, account(data)))

  // apps
  const listApps = (ctx: Ctx, data: StoreData) => sendJson(ctx.res, 200, data.apps.map(a => appJson(data, a)))
  route('GET', '/apps', listApps)
  route('GET', '/users/~/apps', listApps)
  route('POST', '/apps', async ctx => {
    const raw = await ctx.body()
    const body = raw.length === 0 ? {} : asObject(await ctx.json())
    const app = await createApp(ctx, body)
    sendJson(ctx.res, 201, appJson(ctx.emu.store.data, app))
  })
  route('GET', '/apps/:app', (ctx, data) => sendJson(ctx.res, 200, appJson(data, requireApp(data, ctx.params.app))))
  route('DELETE', '/apps/:app', async (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    const json = appJson(data, app)
    await ctx.emu.store.update(d => destroyApp(d, app))
    sendJson(ctx.res, 200, json)
  })
  route('GET', '/apps/:app/dynos', (ctx, data) => {
    requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, [])
  })
  route('GET', '/apps/:app/collaborators', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, [{app: {id: app.id, name: app.name}, created_at: app.created_at, id: newId(), permissions: [], role: 'owner', updated_at: app.updated_at, user: data.account}])
  })
  route('GET', '/apps/:app/pipeline-couplings', (ctx, data) => {
    requireApp(data, ctx.params.app)
    throw new HttpError(404, 'not_found', 'Couldn\'t find that pipeline coupling.', {resource: 'pipeline_coupling'})
  })
  route('GET', '/apps/:app/releases', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, releasesJson(data, app, String(ctx.req.headers.range ?? '')))
  })

  // config vars
  route('GET', '/apps/:app/config-vars', (ctx, data) => sendJson(ctx.res, 200, configVars(data, ctx.emu.origin, requireApp(data, ctx.params.app))))
  route('PATCH', '/apps/:app/config-vars', async (ctx, data) => {
    requireApp(data, ctx.params.app)
    const body = asObject(await ctx.json())
    for (const [key, value] of Object.entries(body)) {
      if (value !== null && typeof value !== 'string') throw unprocessable(`Config var ${key} must be a string or null, not ${typeName(value)}.`)
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw unprocessable(`Config var name ${JSON.stringify(key)} may hold only letters, digits and underscores.`)
    }

    const vars = await ctx.emu.store.update(d => {
      const app = requireApp(d, ctx.params.app)
      const owned = new Set(attachmentsOfApp(d, app.id).flatMap(a => [`${a.name}_API_URL`, `${a.name}_TOKEN`]))
      const refused = Object.keys(body).filter(k => owned.has(k))
      if (refused.length > 0) throw unprocessable(`${refused.join(', ')} ${refused.length === 1 ? 'is' : 'are'} set by an add-on attachment and cannot be changed.`)
      for (const [key, value] of Object.entries(body)) {
        // defineProperty, not assignment: a var named __proto__ is stored like any other
        if (value === null) delete app.config_vars[key]
        else Object.defineProperty(app.config_vars, key, {configurable: true, enumerable: true, value, writable: true})
      }

      bumpRelease(app)
      return configVars(d, ctx.emu.origin, app)
    })
    sendJson(ctx.res, 200, vars)
  })

  // add-ons
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
    const ref = body.addon
    if (typeof ref !== 'string' || ref === '') throw badRequest('addon is required.')
    const matches = resolveAddons(data, ref, body.app as null | string | undefined, body.addon_service as null | string | undefined)
    sendJson(ctx.res, 200, matches.map(a => addonJson(data, a)))
  })

  // attachments
  route('GET', '/addon-attachments', (ctx, data) => sendJson(ctx.res, 200, data.attachments.map(a => attachmentJson(data, a))))
  route('GET', '/addon-attachments/:id', (ctx, data) => {
    const att = data.attachments.find(a => a.id === ctx.params.id)
    if (!att) throw new HttpError(404, 'not_found', 'Couldn\'t find that add-on attachment.', {resource: 'add_on attachment'})
    sendJson(ctx.res, 200, attachmentJson(data, att))
  })
  route('GET', '/apps/:app/addon-attachments', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    sendJson(ctx.res, 200, attachmentsOfApp(data, app.id).map(a => attachmentJson(data, a)))
  })
  route('GET', '/apps/:app/addon-attachments/:att', (ctx, data) => {
    const app = requireApp(data, ctx.params.app)
    const att = attachmentsOfApp(data, app.id).find(a => a.id === ctx.params.att || a.name === ctx.params.att)
    if (!att) throw new HttpError(404, 'not_found', 'Couldn\'t find that add-on attachment.', {resource: 'add_on attachment'})
    sendJson(ctx.res, 200, attachmentJson(data, att))
  })
  route('POST', '/actions/addon-attachments/resolve', async (ctx, data) => {
    const body = asObject(await ctx.json())
    const ref = body.addon_attachment
    if (typeof ref !== 'string' || ref === '') throw badRequest('addon_attachment is required.')
    const app = typeof body.app === 'string' ? findApp(data, body.app) : undefined
    if (typeof body.app === 'string' && !app) throw new HttpError(404, 'not_found', 'Couldn\'t find that app.', {resource: 'app'})
    let matches = (app ? attachmentsOfApp(data, app.id) : data.attachments).filter(a => a.id === ref || a.name === ref)
    if (typeof body.addon_service === 'string') matches = matches.filter(a => data.addons.find(x => x.id === a.addon_id)?.service === body.addon_service)
    if (matches.length === 0) throw new HttpError(404, 'not_found', 'Couldn\'t find that add-on attachment.', {resource: 'add_on attachment'})
    sendJson(ctx.res, 200, matches.map(a => attachmentJson(data, a, {configVars: '', plan: true})))
  })
  route('POST', '/addon-attachments', async ctx => {
    const body = asObject(await ctx.json())
    const addonRef = body.addon && typeof body.addon === 'object' ? (body.addon as {id?: unknown; name?: unknown}) : {name: body.addon}
    const appRef = body.app && typeof body.app === 'object' ? (body.app as {id?: unknown; name?: unknown}) : {name: body.app}
    const addonKey = typeof addonRef.id === 'string' ? addonRef.id : addonRef.name
    const appKey = typeof appRef.id === 'string' ? appRef.id : appRef.name
    if (typeof addonKey !== 'string' || !addonKey) throw badRequest('addon is required, as {"name": ADDON} or {"id": ID}.')
    if (typeof appKey !== 'string' || !appKey) throw badRequest('app is required, as {"name": APP} or {"id": ID}.')
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
  })
  route('DELETE', '/addon-attachments/:id', async (ctx, data) => {
    const att = data.attachments.find(a => a.id === ctx.params.id)
    if (!att) throw new HttpError(404, 'not_found', 'Couldn\'t find that add-on attachment.', {resource: 'add_on attachment'})
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
  })

  // the add-on service catalogue, for `heroku addons:services` / `addons:plans`
  route('GET', '/addon-services', ctx => sendJson(ctx.res, 200, applinkServices().map(name => ({human_name: 'Heroku AppLink', id: APPLINK_SERVICE_ID, name, state: 'ga'}))))
  route('GET', '/addon-services/:service', ctx => {
    if (!applinkServices().includes(ctx.params.service)) throw new HttpError(404, 'not_found', 'Couldn\'t find that add-on service.', {resource: 'addon_service'})
    sendJson(ctx.res, 200, {human_name: 'Heroku AppLink', id: APPLINK_SERVICE_ID, name: ctx.params.service, state: 'ga'})
  })
}

/**
 * What the Platform API routes (routes.ts, addon-routes.ts) do: the API key check, apps
 * created and destroyed, add-on plans and attachment names, the add-on resolver. The lookups and
 * JSON shapes they answer with are in model.ts.
 */
import {badRequest, HttpError, sendJson} from '../http/reply.js'
import {addonJson, addonNotFound, addonsOfApp, applinkServices, appNotFound, attachmentsOfApp, bumpRelease, DEFAULT_PLAN, findAddon, findApp, removeAddon, requireApp} from './model.js'
import type {AddonRecord, AppRecord, AttachmentRecord, StoreData} from '../store/records.js'
import type {Ctx, Router} from '../http/router.js'
import {asObject, generatedName, newId, newToken, now, optionalString, sameSecret, typeName} from '../http/util.js'

const APP_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/
const ATTACHMENT_NAME = /^[A-Z][A-Z0-9_]*$/
const ADDON_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{2,60}$/
const COLORS = ['AMBER', 'AQUA', 'BLACK', 'BLUE', 'BRONZE', 'COBALT', 'CRIMSON', 'GOLD', 'GRAY', 'GREEN', 'IVORY', 'JADE', 'OLIVE', 'ONYX', 'ORANGE', 'PINK', 'PURPLE', 'RED', 'SILVER', 'TEAL', 'WHITE', 'YELLOW']

export function unprocessable(message: string, id = 'invalid_params'): HttpError {
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
  if (!sameSecret(presented, ctx.emu.store.data.api_key)) {
    throw new HttpError(401, 'unauthorized', presented
      ? 'Invalid credentials provided: this is not the emulator\'s API key (see the HEROKU_API_KEY line it printed at start).'
      : 'No credentials: send the emulator\'s API key as "Authorization: Bearer KEY".')
  }
}

export function account(data: StoreData): Record<string, unknown> {
  return {
    allow_tracking: false, beta: false, created_at: data.created_at, email: data.account.email, federated: false, id: data.account.id,
    last_login: data.created_at, name: 'Emulator Developer', two_factor_authentication: false, updated_at: data.created_at, verified: true,
  }
}

function nameTaken(data: StoreData, name: string): boolean {
  return data.apps.some(a => a.name === name)
}

export function createApp(ctx: Ctx, body: Record<string, unknown>): Promise<AppRecord> {
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

export function destroyApp(data: StoreData, app: AppRecord): void {
  for (const addon of data.addons.filter(a => a.app_id === app.id)) removeAddon(data, addon.id)
  data.attachments = data.attachments.filter(a => a.app_id !== app.id)
  // AppLink records made from this app stay with their add-on; publications of the app go with it
  data.publications = data.publications.filter(p => p.app_uuid !== app.id)
  data.apps = data.apps.filter(a => a.id !== app.id)
}

/** `heroku-applink`, `heroku-applink:base`, `{name: ...}` → [service, plan], or 404 for another service. */
function parsePlan(plan: unknown): [string, string] {
  const example = `{"name": "${applinkServices()[0]}"}`
  const nested = plan !== null && typeof plan === 'object' && !Array.isArray(plan)
  const field = nested ? 'plan.name' : 'plan'
  const text = nested ? (plan as {name?: unknown}).name : plan
  if (text === undefined || text === null || text === '') throw badRequest(`${field} is required, as ${example}.`)
  if (typeof text !== 'string') {
    throw badRequest(nested ? `plan.name must be a string, not ${typeName(text)}.` : `plan must be an object such as ${example} (or the plan's name as a string), not ${typeName(text)}.`)
  }

  const [service, planName = DEFAULT_PLAN] = text.split(':')
  if (!applinkServices().includes(service)) {
    throw new HttpError(404, 'not_found', `Couldn't find either the add-on service or the add-on plan of "${text}". The emulator provides only ${applinkServices().join(' and ')}.`, {resource: 'addon_plan'})
  }

  if (planName !== DEFAULT_PLAN) throw new HttpError(404, 'not_found', `Couldn't find the add-on plan "${text}". The emulator has only ${service}:${DEFAULT_PLAN}.`, {resource: 'addon_plan'})
  return [service, planName]
}

/** A free attachment name on the app: the wanted one, else HEROKU_APPLINK, else HEROKU_APPLINK_{COLOR}. */
export function attachmentName(data: StoreData, app: AppRecord, service: string, wanted?: string): string {
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

export function newAttachment(addon: AddonRecord, app: AppRecord, name: string): AttachmentRecord {
  const t = now()
  return {addon_id: addon.id, app_id: app.id, created_at: t, id: newId(), name, updated_at: t}
}

export async function createAddon(ctx: Ctx, appRef: string): Promise<void> {
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
export function addonOnApp(data: StoreData, app: AppRecord, ref: string): AddonRecord {
  const byAttachment = attachmentsOfApp(data, app.id).find(a => a.name === ref)
  const addon = byAttachment ? data.addons.find(a => a.id === byAttachment.addon_id) : findAddon(data, ref)
  if (!addon || !addonsOfApp(data, app.id).some(a => a.id === addon.id)) throw addonNotFound()
  return addon
}

/** `POST /actions/addons/resolve`: add-ons matching an id, a name, an attachment name or a service slug. */
export function resolveAddons(data: StoreData, ref: string, appRef?: null | string, service?: null | string): AddonRecord[] {
  let matches: AddonRecord[]
  const direct = findAddon(data, ref)
  if (appRef) {
    const app = findApp(data, appRef)
    if (!app) throw appNotFound()
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

export function releasesJson(data: StoreData, app: AppRecord, range: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = []
  for (let v = 1; v <= app.release; v++) {
    out.push({created_at: app.updated_at, current: v === app.release, description: v === 1 ? 'Initial release' : 'Update config', id: newId(), status: 'succeeded', updated_at: app.updated_at, user: data.account, version: v})
  }

  if (/order=desc/i.test(range)) out.reverse()
  const max = /max=(\d+)/i.exec(range)
  return max ? out.slice(0, Number(max[1])) : out
}

/** A Platform route: it requires the API key, and its handler gets the store's data. */
export function keyedRoute(router: Router) {
  return (method: string, path: string, handler: (ctx: Ctx, data: StoreData) => Promise<void> | void) => {
    router.add(method, path, async ctx => {
      requireApiKey(ctx)
      await handler(ctx, ctx.emu.store.data)
    })
  }
}

/**
 * Lookups and JSON shapes of the emulator's Platform API resources (apps, add-ons, attachments),
 * shared by the Platform routes, the AppLink routes and the dashboard. Config vars that an add-on
 * attachment sets (`{ATTACHMENT}_API_URL`, `{ATTACHMENT}_TOKEN`) are derived from the attachments
 * with the emulator's current origin, so they stay right when the port changes between runs.
 */
import {createHmac} from 'node:crypto'

import {badRequest, conflict, HttpError} from '../http/reply.js'
import type {AddonRecord, AppRecord, AttachmentRecord, ConnectionRecord, OrgKind, StoreData} from '../store/records.js'
import {now} from '../http/util.js'

export const APPLINK_SERVICE = 'heroku-applink'
export const APPLINK_SERVICE_ID = '4c2f9ca2-5a5e-4d43-a5a5-1a4f8b5b6c01'
export const DEFAULT_PLAN = 'base'
const REGION = {id: '59accabd-516d-4f0e-83e6-6e3757701145', name: 'us'}
const STACK = {id: 'a9b7e1a8-6a3a-4f5e-9a61-2f6c1d3c2b24', name: 'heroku-24'}

/** The add-on service slugs the emulator provisions: heroku-applink and $HEROKU_APPLINK_ADDON. */
export function applinkServices(): string[] {
  const extra = process.env.HEROKU_APPLINK_ADDON
  return extra && extra !== APPLINK_SERVICE ? [APPLINK_SERVICE, extra] : [APPLINK_SERVICE]
}

export function appNotFound(): HttpError {
  return new HttpError(404, 'not_found', 'Couldn\'t find that app.', {resource: 'app'})
}

export function addonNotFound(): HttpError {
  return new HttpError(404, 'not_found', 'Couldn\'t find that add-on.', {resource: 'add_on'})
}

export function attachmentNotFound(): HttpError {
  return new HttpError(404, 'not_found', 'Couldn\'t find that add-on attachment.', {resource: 'add_on attachment'})
}

export function findApp(data: StoreData, nameOrId: string): AppRecord | undefined {
  return data.apps.find(a => a.id === nameOrId || a.name === nameOrId)
}

export function requireApp(data: StoreData, nameOrId: string): AppRecord {
  const app = findApp(data, nameOrId)
  if (!app) throw appNotFound()
  return app
}

export function findAddon(data: StoreData, nameOrId: string): AddonRecord | undefined {
  return data.addons.find(a => a.id === nameOrId || a.name === nameOrId)
}

export function attachmentsOfApp(data: StoreData, appId: string): AttachmentRecord[] {
  return data.attachments.filter(a => a.app_id === appId)
}

export function attachmentsOfAddon(data: StoreData, addonId: string): AttachmentRecord[] {
  return data.attachments.filter(a => a.addon_id === addonId)
}

/** The add-ons an app owns or has attached. */
export function addonsOfApp(data: StoreData, appId: string): AddonRecord[] {
  const ids = new Set(attachmentsOfApp(data, appId).map(a => a.addon_id))
  return data.addons.filter(a => a.app_id === appId || ids.has(a.id))
}

export function apiUrl(origin: string, addon: AddonRecord): string {
  return `${origin}/addons/${addon.id}`
}

/** The config vars an attachment sets on its app. */
export function attachmentConfigVars(data: StoreData, origin: string, attachment: AttachmentRecord): Record<string, string> {
  const addon = data.addons.find(a => a.id === attachment.addon_id)
  if (!addon) return {}
  return {[`${attachment.name}_API_URL`]: apiUrl(origin, addon), [`${attachment.name}_TOKEN`]: addon.token}
}

/** The app's config vars: those set by the user, then those of its attachments. */
export function configVars(data: StoreData, origin: string, app: AppRecord): Record<string, string> {
  const out: Record<string, string> = {...app.config_vars}
  for (const att of attachmentsOfApp(data, app.id)) Object.assign(out, attachmentConfigVars(data, origin, att))
  return out
}

export function webUrl(app: AppRecord): string {
  return `https://${app.name}.emulator.local/`
}

export function appJson(data: StoreData, app: AppRecord): Record<string, unknown> {
  return {
    acm: false,
    archived_at: null,
    build_stack: STACK,
    buildpack_provided_description: null,
    created_at: app.created_at,
    generation: {id: 'b4f5a4a3-9f29-4e1a-9c17-7f3e8a6c5d10', name: 'cedar'},
    git_url: `https://git.heroku.com/${app.name}.git`,
    id: app.id,
    internal_routing: null,
    maintenance: false,
    name: app.name,
    organization: null,
    owner: data.account,
    region: {...REGION, name: app.region},
    released_at: app.updated_at,
    repo_size: null,
    slug_size: null,
    space: null,
    stack: {...STACK, name: app.stack},
    team: null,
    updated_at: app.updated_at,
    web_url: webUrl(app),
  }
}

function appRef(data: StoreData, appId: string): {id: string; name: string} {
  const app = data.apps.find(a => a.id === appId)
  return {id: appId, name: app?.name ?? appId}
}

function planJson(addon: AddonRecord): Record<string, unknown> {
  return {id: `${APPLINK_SERVICE_ID.slice(0, -4)}0002`, name: `${addon.service}:${addon.plan}`, price: {cents: 0, contract: false, metered: false, unit: 'month'}}
}

export function addonJson(data: StoreData, addon: AddonRecord): Record<string, unknown> {
  const owning = data.attachments.find(a => a.addon_id === addon.id && a.app_id === addon.app_id)
  const app = appRef(data, addon.app_id)
  return {
    actions: [],
    addon_service: {human_name: 'Heroku AppLink', id: APPLINK_SERVICE_ID, name: addon.service},
    app,
    billed_price: {cents: 0, contract: false, metered: false, unit: 'month'},
    billing_entity: {...app, type: 'app'},
    config_vars: owning ? [`${owning.name}_API_URL`, `${owning.name}_TOKEN`] : [],
    created_at: addon.created_at,
    id: addon.id,
    name: addon.name,
    plan: planJson(addon),
    provider_id: addon.id,
    state: 'provisioned',
    updated_at: addon.updated_at,
    web_url: null,
  }
}

export function attachmentJson(data: StoreData, att: AttachmentRecord, include: {configVars?: string; plan?: boolean} = {}): Record<string, unknown> {
  const addon = data.addons.find(a => a.id === att.addon_id)
  const out: Record<string, unknown> = {
    addon: {
      app: addon ? appRef(data, addon.app_id) : null,
      id: att.addon_id,
      name: addon?.name ?? att.addon_id,
      ...(include.plan && addon ? {plan: planJson(addon)} : {}),
    },
    addon_service: addon ? {id: APPLINK_SERVICE_ID, name: addon.service} : undefined,
    app: appRef(data, att.app_id),
    created_at: att.created_at,
    id: att.id,
    log_input_url: null,
    name: att.name,
    namespace: null,
    updated_at: att.updated_at,
    web_url: null,
  }
  if (include.configVars !== undefined) out.config_vars = [`${att.name}_API_URL`, `${att.name}_TOKEN`]
  return out
}

/** Removes an add-on with its attachments and every AppLink record it holds. */
export function removeAddon(data: StoreData, addonId: string): void {
  const apps = new Set(attachmentsOfAddon(data, addonId).map(a => a.app_id))
  data.addons = data.addons.filter(a => a.id !== addonId)
  data.attachments = data.attachments.filter(a => a.addon_id !== addonId)
  data.connections = data.connections.filter(c => c.addon_id !== addonId)
  data.authorizations = data.authorizations.filter(a => a.addon_id !== addonId)
  data.publications = data.publications.filter(p => p.addon_id !== addonId)
  data.data_action_targets = data.data_action_targets.filter(t => t.addon_id !== addonId)
  for (const app of data.apps) if (apps.has(app.id)) bumpRelease(app)
}

export function bumpRelease(app: AppRecord): void {
  app.release += 1
  app.updated_at = new Date().toISOString()
}

/** The SSO token of an add-on at a timestamp: an HMAC only this emulator's store can produce. */
export function ssoToken(data: StoreData, addonId: string, timestamp: string): string {
  return createHmac('sha256', data.sso_secret).update(`${addonId}:${timestamp}`).digest('hex')
}

/** The audit fields of a record the calling app creates now. */
export function audit(data: StoreData, app: AppRecord): {created_at: string; created_by: string; created_via_app: string; last_modified_at: string; last_modified_by: string} {
  const t = now()
  return {created_at: t, created_by: data.account.email, created_via_app: app.name, last_modified_at: t, last_modified_by: data.account.email}
}

export function touch(data: StoreData, record: {last_modified_at: string; last_modified_by: string}): void {
  record.last_modified_at = now()
  record.last_modified_by = data.account.email
}

export function findConnection(data: StoreData, addon: AddonRecord, nameOrId: string): ConnectionRecord | undefined {
  return data.connections.find(c => c.addon_id === addon.id && (c.name === nameOrId || c.id === nameOrId))
}

export function requireConnection(data: StoreData, addon: AddonRecord, nameOrId: string): ConnectionRecord {
  const c = findConnection(data, addon, nameOrId)
  if (!c) throw new HttpError(404, 'record_not_found', `Couldn't find a connection named or with id ${JSON.stringify(nameOrId)} on this add-on.`)
  return c
}

/** A connected connection of the given kind, for publishing and data action targets. */
export function requireConnected(data: StoreData, addon: AddonRecord, nameOrId: string, kind: OrgKind): ConnectionRecord {
  const c = requireConnection(data, addon, nameOrId)
  if (c.kind !== kind) {
    throw badRequest(`${c.name} is a ${c.kind === 'datacloud' ? 'Data Cloud' : 'Salesforce'} org connection; this needs a ${kind === 'datacloud' ? 'Data Cloud' : 'Salesforce'} org connection.`)
  }

  if (c.status !== 'connected') throw conflict(`The connection ${c.name} is ${c.status}, not connected.`)
  return c
}

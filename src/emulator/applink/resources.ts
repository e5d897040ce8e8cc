/**
 * The AppLink resources as the API answers them (docs/applink-api.md §3): connections,
 * authorizations and data action targets, and the lookups of them by name or id. The org of each
 * is served by the emulator itself, so its `instance_url` is the emulator's origin.
 */
import {HttpError} from '../http/reply.js'
import {requireConnection, webUrl} from '../platform/model.js'
import type {AddonRecord, AuthorizationRecord, ConnectionRecord, DataActionTargetRecord, StoreData} from '../store/records.js'
import type {EmulatorState} from '../http/state.js'

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

export function byCreation<T extends {created_at: string}>(list: T[]): T[] {
  return [...list].sort((a, b) => a.created_at.localeCompare(b.created_at))
}

function findAuthorization(data: StoreData, addon: AddonRecord, ref: string): AuthorizationRecord | undefined {
  return data.authorizations.find(a => a.addon_id === addon.id && (a.name === ref || a.id === ref))
    ?? data.authorizations.find(a => a.addon_id === addon.id && a.alias === ref)
}

export function requireAuthorization(data: StoreData, addon: AddonRecord, ref: string): AuthorizationRecord {
  const a = findAuthorization(data, addon, ref)
  if (!a) throw new HttpError(404, 'record_not_found', `Couldn't find an authorization with developer name or id ${JSON.stringify(ref)} on this add-on.`)
  return a
}

export function targetsOf(data: StoreData, conn: ConnectionRecord): DataActionTargetRecord[] {
  return byCreation(data.data_action_targets.filter(t => t.connection_id === conn.id))
}

/** The Data Cloud connection a data action target route names (404 when it is not one). */
export function dataCloudConnection(data: StoreData, addon: AddonRecord, name: string): ConnectionRecord {
  const conn = requireConnection(data, addon, name)
  if (conn.kind !== 'datacloud') throw new HttpError(404, 'record_not_found', `${conn.name} is not a Data Cloud org connection.`)
  return conn
}

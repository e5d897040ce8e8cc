/**
 * Human output in the Heroku CLI's style: a styled header and a table for lists, key/value blocks
 * for one resource, failed statuses highlighted with a hint. `@heroku/heroku-cli-util/hux` is
 * imported on first use (its sub-path only: the package index is slow to load).
 */
import type {ApiError, Authorization, Connection} from './types.js'
import {orgTypeLabel} from './types.js'

type Hux = typeof import('@heroku/heroku-cli-util/hux')

let huxModule: Hux | undefined
export async function hux(): Promise<Hux> {
  huxModule ??= await import('@heroku/heroku-cli-util/hux')
  return huxModule
}

const FAILED = new Set(['creation_failed', 'disconnected', 'failed'])
const OK = new Set(['authorized', 'connected', 'created'])

/** Colours a status: failures red, success green, anything pending yellow (plain until hux is loaded). */
export function statusText(status: string): string {
  if (!huxModule) return status
  const {color} = huxModule
  if (FAILED.has(status)) return color.failure(status)
  if (OK.has(status)) return color.success(status)
  return color.warning(status)
}

export function isFailedStatus(status: string): boolean {
  return FAILED.has(status)
}

/** The fix to suggest for a failed connection or authorization. */
export function fixHint(kind: 'authorization' | 'connection', status: string, org: 'datacloud' | 'salesforce', name: string, app: string): string | undefined {
  if (!isFailedStatus(status)) return undefined
  if (kind === 'connection') return `Reconnect with: heroku ${org}:connect ${name} -a ${app}`
  return `Re-authorize with: heroku ${org}:authorizations:add ${name} -a ${app}`
}

export function orgKindOf(type: string | undefined): 'datacloud' | 'salesforce' {
  return type === 'DataCloudOrg' || type === 'DatacloudOrg' ? 'datacloud' : 'salesforce'
}

function errorText(error?: ApiError): string | undefined {
  return error ? `${error.message}${error.id ? ` (${error.id})` : ''}` : undefined
}

/** Key/value rows of a connection, in display order; undefined values are left out. */
export function connectionRows(c: Connection): Record<string, string | undefined> {
  return {
    'Connection Name': c.org?.connection_name,
    Error: errorText(c.error),
    ID: c.id,
    'Instance URL': c.org?.instance_url,
    'Org ID': c.org?.id,
    Status: c.status,
    Type: orgTypeLabel(c.org?.type),
    Username: c.org?.username,
    'Created Date': c.created_at,
    'Created By': c.created_by,
    'Last Modified': c.last_modified_at,
    'Last Modified By': c.last_modified_by,
  }
}

export function authorizationRows(a: Authorization): Record<string, string | undefined> {
  return {
    'Developer Name': a.org?.developer_name,
    Error: errorText(a.error),
    ID: a.id,
    'Instance URL': a.org?.instance_url,
    Method: a.connection_method,
    'Org ID': a.org?.id,
    Status: a.status,
    Type: orgTypeLabel(a.org?.type),
    Username: a.org?.username,
    'Created Date': a.created_at,
    'Created By': a.created_by,
    'Last Modified': a.last_modified_at,
    'Last Modified By': a.last_modified_by,
  }
}

/** Prints `rows` as an aligned key/value block (status coloured), via hux.styledObject. */
export async function printInfo(header: string, rows: Record<string, string | undefined>): Promise<void> {
  const h = await hux()
  h.styledHeader(header)
  const shown: Record<string, string> = {}
  for (const [k, v] of Object.entries(rows)) {
    if (v === undefined || v === '') continue
    shown[k] = k === 'Status' ? statusText(v) : k === 'Error' ? h.color.failure(v) : v
  }

  h.styledObject(shown, Object.keys(shown))
}

export interface Column<T> {
  get: (row: T) => string | undefined
  header: string
}

/** A styled header, then a table (or a plain line when empty). */
export async function printTable<T extends object>(header: string, rows: T[], columns: Column<T>[], empty: string): Promise<void> {
  const h = await hux()
  h.styledHeader(header)
  if (rows.length === 0) {
    process.stdout.write(`${empty}\n`)
    return
  }

  const cols: Record<string, {get: (row: Record<string, unknown>) => string; header: string}> = {}
  for (const [i, c] of columns.entries()) cols[`c${i}`] = {get: r => c.get(r as T) ?? '', header: c.header}
  h.table(rows as Record<string, unknown>[], cols)
}

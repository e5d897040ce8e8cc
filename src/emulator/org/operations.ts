/**
 * The sObject REST operations as plain functions over an org, shared by the REST routes and the
 * composite graph: each answers `{status, body}` or throws an SfError.
 */
import {SfError} from './errors.js'
import {createRecord, deleteRecord, recordJson, requireRecord, updateRecord} from './records.js'
import {requireObject} from './schema.js'
import type {OrgData} from './types.js'

export interface OpResult {
  body?: unknown
  status: number
}

/** `invent`: the write may create the custom objects and fields it names (--invent-fields). */
export function createOp(org: OrgData, userId: string, type: string, body: unknown, invent = false): OpResult {
  const id = createRecord(org, type, body, userId, new Date(), invent)
  return {body: {errors: [], id, success: true}, status: 201}
}

export function readOp(org: OrgData, type: string, id: string, version: string, fields?: string): OpResult {
  const def = requireObject(org, type)
  const record = requireRecord(org, def, id)
  const only = fields === undefined ? undefined : fields.split(',').map(f => f.trim()).filter(Boolean)
  return {body: recordJson(def, record, version, only), status: 200}
}

export function updateOp(org: OrgData, userId: string, type: string, id: string, body: unknown, invent = false): OpResult {
  updateRecord(org, type, id, body, userId, new Date(), invent)
  return {status: 204}
}

export function deleteOp(org: OrgData, type: string, id: string): OpResult {
  deleteRecord(org, type, id)
  return {status: 204}
}

/** Runs `METHOD /services/data/vNN.N/sobjects/{Type}[/{Id}]` (the composite graph's sub-requests). */
export function sobjectRequest(org: OrgData, userId: string, method: string, url: string, body: unknown, invent = false): OpResult {
  const m = /^\/services\/data\/v(\d{2,3}\.\d)\/sobjects\/([A-Za-z][A-Za-z0-9_]*)(?:\/([A-Za-z0-9]+))?\/?(?:\?(.*))?$/.exec(url)
  if (!m) throw new SfError(400, 'INVALID_INPUT', `The composite graph supports sObject requests (/services/data/vNN.N/sobjects/{Type}[/{Id}]), not ${url}.`)
  const [, version, type, id, query] = m
  const upper = method.toUpperCase()
  if (!id && upper === 'POST') return createOp(org, userId, type, body, invent)
  if (id && upper === 'GET') return readOp(org, type, id, version, new URLSearchParams(query ?? '').get('fields') ?? undefined)
  if (id && upper === 'PATCH') return updateOp(org, userId, type, id, body, invent)
  if (id && upper === 'DELETE') return deleteOp(org, type, id)
  throw new SfError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${upper}' not allowed. Allowed are ${id ? 'GET,PATCH,DELETE' : 'POST'}`)
}

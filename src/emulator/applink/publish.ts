/**
 * Publishing (docs/applink-api.md §4): a multipart upload with a `metadata` zip (the spec as api-spec.json or
 * api-spec.yaml, optional connectedapp-meta.xml / permissionset-meta.xml) and an `app_request`
 * JSON part. The zip is checked before anything is inflated (the contract's limits from
 * src/contract/limits.ts: at most 10 entries, 20 MB in all, each spec within its own limit; no
 * `..` or absolute names), the spec goes through the plugin's own checker, and the result is
 * recorded as an external service registration with its operations and Agentforce actions.
 */
import {MB, PUBLISH_LIMITS} from '../../contract/limits.js'
import type {SpecReport} from '../../lib/openapi/types.js'
import type {Caller} from './caller.js'
import {badRequest, conflict, HttpError, sendJson} from '../http/reply.js'
import {requireConnected, touch} from '../platform/model.js'
import type {PublicationRecord, PublishedOperation, StoreData} from '../store/records.js'
import type {Ctx} from '../http/router.js'
import {newId, now, typeName} from '../http/util.js'
import {salesforceId} from '../org/ids.js'

// the contract's limits, the same numbers the plugin checks before an upload
export const ZIP_MAX_ENTRIES = PUBLISH_LIMITS.zipFiles
export const ZIP_MAX_TOTAL = PUBLISH_LIMITS.zipBytes
const SPEC_LIMITS: Record<string, number> = {'api-spec.json': PUBLISH_LIMITS.jsonBytes, 'api-spec.yaml': PUBLISH_LIMITS.yamlBytes, 'api-spec.yml': PUBLISH_LIMITS.yamlBytes}
const METADATA_FILES = new Set(['connectedapp-meta.xml', 'permissionset-meta.xml'])
const APP_REQUEST_FIELDS = ['authorization_connected_app_name', 'authorization_external_client_app_name', 'authorization_permission_set_name'] as const

/** "3,000,001 bytes (3.0 MB)": decimal, as the limits are stated */
function mb(n: number): string {
  return `${n.toLocaleString('en-US')} bytes (${(n / MB).toFixed(1)} MB)`
}

/** Rejects entry names that could escape a directory or are not plain file names. */
function entryNameProblem(name: string): string | undefined {
  if (name.includes('\0')) return 'holds a NUL character'
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return 'is an absolute path'
  if (name.split(/[/\\]/).includes('..')) return 'climbs out of the archive with ..'
  return undefined
}

/** Unzips `bytes` with the limits checked from the zip's directory before anything is inflated. */
export async function readZip(bytes: Uint8Array): Promise<Map<string, Uint8Array>> {
  const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4B && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6)
  if (!isZip) throw badRequest('The metadata part is not a zip file.')
  const {unzipSync} = await import('fflate')
  let entries = 0
  let total = 0
  let files: Record<string, Uint8Array>
  try {
    files = unzipSync(bytes, {
      filter(file) {
        entries++
        const problem = entryNameProblem(file.name)
        if (problem) throw badRequest(`The metadata zip entry ${JSON.stringify(file.name)} ${problem}.`)
        if (entries > ZIP_MAX_ENTRIES) throw badRequest(`The metadata zip has more than ${ZIP_MAX_ENTRIES} entries.`)
        const limit = Object.hasOwn(SPEC_LIMITS, file.name) ? SPEC_LIMITS[file.name] : undefined
        if (limit !== undefined && file.originalSize > limit) throw new HttpError(413, 'request_too_large', `${file.name} is ${mb(file.originalSize)} uncompressed; the limit is ${mb(limit)}.`)
        total += file.originalSize
        if (total > ZIP_MAX_TOTAL) throw new HttpError(413, 'request_too_large', `The metadata zip holds more than ${mb(ZIP_MAX_TOTAL)} uncompressed (entry ${JSON.stringify(file.name)} passes the limit).`)
        return !file.name.endsWith('/')
      },
    })
  } catch (error) {
    if (error instanceof HttpError) throw error
    throw badRequest(`The metadata part is not a valid zip: ${(error as Error).message}.`)
  }

  const out = new Map<string, Uint8Array>()
  let inflated = 0
  for (const [name, data] of Object.entries(files)) {
    inflated += data.length
    // the sizes above come from the zip's own directory: check what was really inflated too
    if (inflated > ZIP_MAX_TOTAL) throw new HttpError(413, 'request_too_large', `The metadata zip holds more than ${mb(ZIP_MAX_TOTAL)} uncompressed.`)
    out.set(name, data)
  }

  return out
}

interface AppRequest {
  authorization_connected_app_name?: string
  authorization_external_client_app_name?: string
  authorization_permission_set_name?: string
  client_name: string
}

function parseAppRequest(text: string): AppRequest {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw badRequest(`The app_request part is not valid JSON: ${(error as Error).message}.`)
  }

  if (!value || typeof value !== 'object' || Array.isArray(value)) throw badRequest(`The app_request part must be a JSON object, not ${typeName(value)}.`)
  const body = value as Record<string, unknown>
  if (typeof body.client_name !== 'string' || body.client_name.trim() === '') {
    throw badRequest(body.client_name === undefined ? 'app_request.client_name is required.' : `app_request.client_name must be a non-empty string, not ${typeName(body.client_name)}.`)
  }

  if (body.client_name.length > 80) throw badRequest(`app_request.client_name has ${body.client_name.length} characters; use at most 80.`)
  const out: AppRequest = {client_name: body.client_name}
  for (const field of APP_REQUEST_FIELDS) {
    const v = body[field]
    if (v === undefined || v === null) continue
    if (typeof v !== 'string' || !/^[A-Za-z]\w*$/.test(v) || v.includes('__')) throw badRequest(`app_request.${field} must be a Salesforce API name (letters, digits and single underscores, starting with a letter).`)
    out[field] = v
  }

  return out
}

async function partBytes(value: File | string | null, part: string): Promise<Buffer> {
  if (value === null) throw badRequest(`The ${part} part is missing from the multipart body.`)
  if (typeof value === 'string') return Buffer.from(value, 'utf8')
  return Buffer.from(await value.arrayBuffer())
}

function summarise(report: SpecReport, file: string): string {
  const errors = report.diagnostics.filter(d => d.severity === 'error')
  const shown = errors.slice(0, 5).map(d => `${file}:${d.line}:${d.column} ${d.message}`).join('; ')
  return `The API spec ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${shown}${errors.length > 5 ? '; …' : ''}`
}

export function publicationJson(p: PublicationRecord): Record<string, unknown> {
  return {
    agent_actions: p.agent_actions,
    app_uuid: p.app_uuid,
    authorization_connected_app_name: p.authorization_connected_app_name,
    authorization_external_client_app_name: p.authorization_external_client_app_name,
    authorization_permission_set_name: p.authorization_permission_set_name,
    client_name: p.client_name,
    connection_name: p.connection_name,
    created_at: p.created_at,
    created_by: p.created_by,
    esr_id: p.esr_id,
    esr_name: p.esr_name,
    files: p.files,
    heroku_applink_id: p.addon_id,
    last_modified_at: p.last_modified_at,
    last_modified_by: p.last_modified_by,
    operations: p.operations,
    org_id: p.org_id,
    spec_title: p.spec_title,
    spec_version: p.spec_version,
    topic: p.topic,
  }
}

/** What an upload holds, once its parts and zip have passed the checks. */
interface Upload {
  appRequest: AppRequest
  files: Map<string, Uint8Array>
  names: string[]
  specName: string
}

/** Reads the multipart body: the app_request part, then the metadata zip and what it may hold. */
async function readUpload(ctx: Ctx): Promise<Upload> {
  const type = String(ctx.req.headers['content-type'] ?? '')
  if (!/^multipart\/form-data\s*;/i.test(type)) throw new HttpError(415, 'unsupported_media_type', `Publish expects multipart/form-data with parts metadata and app_request, not ${type.split(';')[0] || 'no content type'}.`)
  const raw = await ctx.body()
  let form: FormData
  try {
    form = await new Request('http://emulator.local/', {body: new Blob([new Uint8Array(raw)]), headers: {'content-type': type}, method: 'POST'}).formData()
  } catch (error) {
    throw badRequest(`The body is not valid multipart/form-data: ${(error as Error).message}.`)
  }

  const appRequest = parseAppRequest((await partBytes(form.get('app_request'), 'app_request')).toString('utf8'))
  const files = await readZip(await partBytes(form.get('metadata'), 'metadata'))
  const names = [...files.keys()]
  // own properties only: an entry named `constructor` is not a spec
  const unknown = names.filter(n => !Object.hasOwn(SPEC_LIMITS, n) && !METADATA_FILES.has(n))
  if (unknown.length > 0) throw badRequest(`The metadata zip holds unexpected files: ${unknown.join(', ')}. It may hold api-spec.json or api-spec.yaml, connectedapp-meta.xml and permissionset-meta.xml.`)
  const specs = names.filter(n => Object.hasOwn(SPEC_LIMITS, n))
  if (specs.length === 0) throw badRequest('The metadata zip has no API spec: add api-spec.json or api-spec.yaml.')
  if (specs.length > 1) throw badRequest(`The metadata zip has ${specs.length} API specs (${specs.join(', ')}); send exactly one.`)
  if (files.has('permissionset-meta.xml') && appRequest.authorization_permission_set_name) {
    throw badRequest('Give the permission set either as permissionset-meta.xml or as authorization_permission_set_name, not both.')
  }

  if (files.has('connectedapp-meta.xml') && appRequest.authorization_connected_app_name) {
    throw badRequest('Give the connected app either as connectedapp-meta.xml or as authorization_connected_app_name, not both.')
  }

  return {appRequest, files, names, specName: specs[0]}
}

/** The spec through the plugin's checker (400 invalid_spec with its errors). */
async function checkUpload({appRequest, files, names, specName}: Upload): Promise<SpecReport> {
  const {checkSpecText} = await import('../../lib/openapi/check.js')
  const report = await checkSpecText(files.get(specName) ?? new Uint8Array(), specName, {
    authorization: {
      connectedAppName: appRequest.authorization_connected_app_name,
      externalClientAppName: appRequest.authorization_external_client_app_name,
      permissionSetName: appRequest.authorization_permission_set_name,
    },
    metadataDir: 'the metadata zip',
    metadataFiles: names.filter(n => METADATA_FILES.has(n)),
  })
  if (!report.ok) throw new HttpError(400, 'invalid_spec', summarise(report, specName), {diagnostics: report.diagnostics.filter(d => d.severity === 'error')})
  return report
}

/** Records the publication (call inside a store update): a new one, or the app's earlier one of that client name updated. */
function recordPublication(data: StoreData, caller: Caller, connectionName: string, {appRequest, names}: Upload, report: SpecReport): PublicationRecord {
  const conn = requireConnected(data, caller.addon, connectionName, 'salesforce')
  const sameName = data.publications.filter(p => p.connection_id === conn.id && p.client_name === appRequest.client_name)
  if (sameName.some(p => p.app_uuid !== caller.app.id)) throw conflict(`Another app already published ${appRequest.client_name} to ${conn.name}; choose another client name.`)
  const t = now()
  const fields = {
    agent_actions: report.operations.filter(o => o.agentAction).map(o => o.operationId ?? `${o.method} ${o.path}`),
    authorization_connected_app_name: appRequest.authorization_connected_app_name,
    authorization_external_client_app_name: appRequest.authorization_external_client_app_name,
    authorization_permission_set_name: appRequest.authorization_permission_set_name,
    files: names.sort(),
    operations: report.operations.map((o): PublishedOperation => ({agent_action: o.agentAction, description: o.description, method: o.method, operation_id: o.operationId, path: o.path})),
    org_id: conn.org.id,
    spec_title: report.title,
    spec_version: report.version,
    topic: report.topic?.name,
  }
  const existing = sameName[0]
  if (existing) {
    Object.assign(existing, fields)
    touch(data, existing)
    return existing
  }

  const record: PublicationRecord = {
    ...fields,
    addon_id: caller.addon.id,
    app_uuid: caller.app.id,
    client_name: appRequest.client_name,
    connection_id: conn.id,
    connection_name: conn.name,
    created_at: t,
    created_by: data.account.email,
    created_via_app: caller.app.name,
    esr_id: salesforceId('0Rt'),
    esr_name: appRequest.client_name,
    id: newId(),
    last_modified_at: t,
    last_modified_by: data.account.email,
  }
  data.publications.push(record)
  return record
}

/** POST …/connections/salesforce/{name}/apps: 201 with the publication. */
export async function handlePublish(ctx: Ctx, caller: Caller): Promise<void> {
  const {store} = ctx.emu
  requireConnected(store.data, caller.addon, ctx.params.name, 'salesforce')
  const upload = await readUpload(ctx)
  const report = await checkUpload(upload)
  const publication = await store.update(data => recordPublication(data, caller, ctx.params.name, upload, report))
  sendJson(ctx.res, 201, publicationJson(publication))
}

/**
 * Publishing an API spec (docs/applink-api.md §4): read `--metadata-dir`, check the spec, build the zip
 * (`fflate`) and the multipart body (the platform's FormData), and describe what Salesforce will
 * get, for `--dry-run` and for the success message. No request is made here; the command sends
 * the body with `AppLinkClient.publish`.
 */
import {readdir, readFile, stat} from 'node:fs/promises'
import {basename, join} from 'node:path'

import type {ZipInputFile} from 'fflate'

import {AppLinkError, ExitCode, invalidInput} from '../api/errors.js'
import {type AuthorizationNames, LIMITS, loadSpecFile, MB, METADATA_FILES, sizeText, SpecError} from '../openapi/check.js'
import {plural} from '../openapi/format.js'
import type {AgentTopic, Diagnostic, SpecOperation, SpecReport} from '../openapi/types.js'
import {type CommandTarget, listCommand, publicationsCommand} from '../ui/hints.js'
import type {IO} from '../ui/io.js'

export interface PublishInput {
  authorization: AuthorizationNames
  clientName: string
  connectionName: string
  metadataDir?: string
  specFile: string
}

/** The `app_request` part, as sent (docs/applink-api.md §4): only the names that were given. */
export interface AppRequest {
  authorization_connected_app_name?: string
  authorization_external_client_app_name?: string
  authorization_permission_set_name?: string
  client_name: string
}

export interface ZipFile {
  /** uncompressed size */
  bytes: number
  /** the entry name in the zip */
  name: string
  /** where it comes from on disk */
  source: string
}

/** What a publish sends and what Salesforce will create from it. */
export interface PublishPlan {
  appRequest: AppRequest
  clientApp?: {from: 'flag' | 'metadata'; name?: string; type: 'connectedApp' | 'externalClientApp'}
  clientName: string
  connectionName: string
  /** the spec's warnings (a spec with errors is never published) */
  diagnostics: Diagnostic[]
  file: string
  format: 'json' | 'yaml'
  operations: Array<{agentAction: boolean; authorization?: SpecOperation['authorization']; method: string; operationId?: string; path: string}>
  permissionSet?: {from: 'flag' | 'metadata'; name?: string}
  title?: string
  topic?: AgentTopic
  version?: string
  zip: {bytes: number; files: ZipFile[]}
}

export interface PreparedPublish {
  plan: PublishPlan
  report: SpecReport
  zip: Uint8Array
}

/** The metadata files of `--metadata-dir` that go into the zip, and the names of the others. */
export async function readMetadataDir(dir: string): Promise<{files: ZipFile[]; ignored: string[]}> {
  let entries: string[]
  try {
    const s = await stat(dir)
    if (!s.isDirectory()) throw invalidInput('metadata_dir_not_directory', `--metadata-dir ${dir} is a file, not a directory.`, [`Give the directory that holds ${METADATA_FILES.join(' and/or ')}.`])
    entries = await readdir(dir)
  } catch (error) {
    if (error instanceof AppLinkError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw invalidInput('metadata_dir_not_found', `--metadata-dir ${dir} does not exist.`, ['Check the path, relative to the current directory.'])
    throw new AppLinkError(`--metadata-dir ${dir} cannot be read: ${(error as Error).message}`, {exitCode: ExitCode.INVALID_INPUT, id: 'metadata_dir_unreadable'})
  }

  const files: ZipFile[] = []
  for (const name of METADATA_FILES) {
    if (!entries.includes(name)) continue
    const source = join(dir, name)
    const s = await stat(source)
    if (s.isFile()) files.push({bytes: s.size, name, source})
  }

  const ignored = entries.filter(e => !(METADATA_FILES as readonly string[]).includes(e) && !e.startsWith('.')).sort()
  return {files, ignored}
}

export function appRequestOf(clientName: string, auth: AuthorizationNames): AppRequest {
  return {
    ...(auth.connectedAppName ? {authorization_connected_app_name: auth.connectedAppName} : {}),
    ...(auth.externalClientAppName ? {authorization_external_client_app_name: auth.externalClientAppName} : {}),
    ...(auth.permissionSetName ? {authorization_permission_set_name: auth.permissionSetName} : {}),
    client_name: clientName,
  }
}

/** The zip entry name of a spec: `api-spec.json` or `api-spec.yaml` by the file's format. */
export function specEntryName(format: 'json' | 'yaml'): string {
  return format === 'json' ? 'api-spec.json' : 'api-spec.yaml'
}

/** Zip limits of the publish API, checked on the uncompressed sizes before anything is zipped. */
export function checkZipLimits(files: ZipFile[]): void {
  if (files.length > LIMITS.zipFiles) {
    throw invalidInput('zip_too_many_files', `The upload would hold ${files.length} files; AppLink takes at most ${LIMITS.zipFiles}.`)
  }

  const total = files.reduce((sum, f) => sum + f.bytes, 0)
  if (total > LIMITS.zipBytes) {
    throw invalidInput('zip_too_large', `The upload would hold ${sizeText(total)} uncompressed; AppLink takes at most ${LIMITS.zipBytes / MB} MB (${LIMITS.zipBytes.toLocaleString('en-US')} bytes).`, [
      `Files: ${files.map(f => `${f.name} ${sizeText(f.bytes)}`).join(', ')}.`,
    ])
  }
}

/**
 * A deflated zip of `entries`: fflate writes the container, Node's zlib (native, about five times
 * faster than fflate's own deflate on a 10 MB spec) compresses each entry at the same level 6.
 * Without `zlib.crc32` (Node before 20.15) fflate does both.
 */
export async function buildZip(entries: Array<{data: Uint8Array; name: string}>): Promise<Uint8Array> {
  const [{Zip, zipSync}, zlib] = await Promise.all([import('fflate'), import('node:zlib')])
  const crc32 = (zlib as {crc32?: (data: Uint8Array) => number}).crc32
  if (!crc32) return zipSync(Object.fromEntries(entries.map(e => [e.name, e.data])), {level: 6})
  const chunks: Uint8Array[] = []
  const state: {error?: Error} = {}
  const zip = new Zip((error, chunk) => {
    if (error) state.error = error
    else chunks.push(chunk)
  })
  for (const e of entries) {
    // an entry fflate takes as it is: compression 8 (deflate), with the CRC and size of the original bytes
    const file: ZipInputFile = {compression: 8, crc: crc32(e.data), filename: e.name, size: e.data.byteLength}
    zip.add(file)
    file.ondata?.(null, zlib.deflateRawSync(e.data, {level: 6}), true)
  }

  zip.end()
  if (state.error) throw state.error
  return Buffer.concat(chunks)
}

/** The multipart/form-data body: `metadata` (the zip) and `app_request` (JSON), as docs/applink-api.md §4 says. */
export async function buildMultipart(zip: Uint8Array, appRequest: AppRequest): Promise<{body: Buffer; contentType: string}> {
  const form = new FormData()
  form.append('metadata', new Blob([zip as Uint8Array<ArrayBuffer>], {type: 'application/zip'}), 'metadata.zip')
  form.append('app_request', new Blob([JSON.stringify(appRequest)], {type: 'application/json'}), 'app_request.json')
  const encoded = new Response(form)
  const body = Buffer.from(await encoded.arrayBuffer())
  return {body, contentType: encoded.headers.get('content-type') ?? 'multipart/form-data'}
}

/**
 * Everything before the request: metadata directory, spec checks (a spec with errors throws a
 * SpecError, exit 2), zip limits, the zip itself and the plan. Makes no network request.
 */
export async function preparePublish(input: PublishInput): Promise<PreparedPublish & {ignored: string[]}> {
  const metadata = input.metadataDir ? await readMetadataDir(input.metadataDir) : {files: [], ignored: []}
  const {data, report} = await loadSpecFile(input.specFile, {
    authorization: input.authorization,
    metadataDir: input.metadataDir,
    metadataFiles: metadata.files.map(f => f.name),
  })
  if (!report.ok || !data) throw new SpecError(report)

  const files: ZipFile[] = [{bytes: data.length, name: specEntryName(report.format), source: input.specFile}, ...metadata.files]
  checkZipLimits(files)
  const entries = [{data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), name: files[0].name}]
  for (const f of metadata.files) entries.push({data: await readFile(f.source), name: f.name})
  const zip = await buildZip(entries)
  return {ignored: metadata.ignored, plan: planOf(input, report, files, zip.byteLength), report, zip}
}

function planOf(input: PublishInput, report: SpecReport, files: ZipFile[], zipBytes: number): PublishPlan {
  const auth = input.authorization
  const has = (name: string) => files.some(f => f.name === name)
  let clientApp: PublishPlan['clientApp']
  if (auth.externalClientAppName) clientApp = {from: 'flag', name: auth.externalClientAppName, type: 'externalClientApp'}
  else if (auth.connectedAppName) clientApp = {from: 'flag', name: auth.connectedAppName, type: 'connectedApp'}
  else if (has('connectedapp-meta.xml')) clientApp = {from: 'metadata', type: 'connectedApp'}
  let permissionSet: PublishPlan['permissionSet']
  if (auth.permissionSetName) permissionSet = {from: 'flag', name: auth.permissionSetName}
  else if (has('permissionset-meta.xml')) permissionSet = {from: 'metadata'}
  return {
    appRequest: appRequestOf(input.clientName, auth),
    ...(clientApp ? {clientApp} : {}),
    clientName: input.clientName,
    connectionName: input.connectionName,
    diagnostics: report.diagnostics,
    file: report.file,
    format: report.format,
    operations: report.operations.map(o => ({agentAction: o.agentAction, ...(o.authorization ? {authorization: o.authorization} : {}), method: o.method, ...(o.operationId ? {operationId: o.operationId} : {}), path: o.path})),
    ...(permissionSet ? {permissionSet} : {}),
    ...(report.title ? {title: report.title} : {}),
    ...(report.topic ? {topic: report.topic} : {}),
    ...(report.version ? {version: report.version} : {}),
    zip: {bytes: zipBytes, files},
  }
}

function operationRows(plan: PublishPlan): string[] {
  const methodWidth = Math.max(...plan.operations.map(o => o.method.length), 0)
  const pathWidth = Math.max(...plan.operations.map(o => o.path.length), 0)
  const idWidth = Math.max(...plan.operations.map(o => (o.operationId ?? '').length), 0)
  return plan.operations.map(o => {
    const notes = [o.agentAction ? 'Agentforce action' : '', userPlus(o.authorization)].filter(Boolean).join(', ')
    return `  ${o.method.padEnd(methodWidth)}  ${o.path.padEnd(pathWidth)}  ${(o.operationId ?? '').padEnd(idWidth)}  ${notes}`.trimEnd()
  })
}

function userPlus(auth: SpecOperation['authorization']): string {
  if (!auth) return ''
  const parts = [auth.externalClientApp && `external client app ${auth.externalClientApp}`, auth.connectedApp && `connected app ${auth.connectedApp}`, auth.permissionSet && `permission set ${auth.permissionSet}`].filter(Boolean)
  return `user plus (${parts.join(', ')})`
}

function clientAppText(plan: PublishPlan): string {
  const app = plan.clientApp
  if (!app) return 'none (no --authorization-external-client-app-name, --authorization-connected-app-name or connectedapp-meta.xml)'
  const kind = app.type === 'externalClientApp' ? 'external client app' : 'connected app'
  return app.from === 'flag' ? `${kind} ${app.name} (created from AppLink's template)` : `${kind} from connectedapp-meta.xml`
}

function permissionSetText(plan: PublishPlan): string {
  const ps = plan.permissionSet
  if (!ps) return 'none (no --authorization-permission-set-name or permissionset-meta.xml)'
  return ps.from === 'flag' ? `${ps.name} (created from AppLink's template)` : 'from permissionset-meta.xml'
}

/** The dry run's human output: what would be sent and what Salesforce would create. */
export function formatPlan(plan: PublishPlan): string {
  const actions = plan.operations.filter(o => o.agentAction).length
  const lines = [
    `Dry run: nothing was sent. Publishing ${plan.file} would send:`,
    '',
    `Connection:      ${plan.connectionName}`,
    `Client name:     ${plan.clientName}`,
    `API:             ${plan.title ?? '(no title)'}${plan.version ? ` ${plan.version}` : ''}`,
    `Client app:      ${clientAppText(plan)}`,
    `Permission set:  ${permissionSetText(plan)}`,
    `Agent topic:     ${plan.topic?.name ?? 'none'}`,
    '',
    `Operations (${plural(plan.operations.length, 'operation')}, ${plural(actions, 'Agentforce action')}):`,
    ...operationRows(plan),
    '',
    `Zip: ${plan.zip.bytes.toLocaleString('en-US')} bytes compressed, ${plural(plan.zip.files.length, 'file')}:`,
    ...plan.zip.files.map(f => `  ${f.name.padEnd(22)}  ${`${f.bytes.toLocaleString('en-US')} bytes`.padEnd(16)}  from ${f.source}`),
    '',
    `app_request: ${JSON.stringify(plan.appRequest)}`,
  ]
  return lines.join('\n') + '\n'
}

/** The success message: client name, connection and the operations published. */
export function formatPublished(plan: PublishPlan): string {
  const actions = plan.operations.filter(o => o.agentAction).length
  return [
    `Published ${basename(plan.file)} to connection ${plan.connectionName} as ${plan.clientName}: ${plural(plan.operations.length, 'operation')}${actions > 0 ? `, ${plural(actions, 'Agentforce action')}` : ''}${plan.topic?.name ? ` in topic ${plan.topic.name}` : ''}.`,
    ...operationRows(plan),
    // what the user asked to be created besides the External Service (flags and --metadata-dir files)
    ...(plan.clientApp ? [`Client app:      ${clientAppText(plan)}`] : []),
    ...(plan.permissionSet ? [`Permission set:  ${permissionSetText(plan)}`] : []),
  ].join('\n') + '\n'
}

/** A failed publish, worded for the user: the service's message and id, and what to do next. */
export function publishFailure(error: unknown, plan: PublishPlan, target: CommandTarget): unknown {
  if (!(error instanceof AppLinkError) || error.status === undefined) return error
  const hints = [...error.hints]
  if (error.status === 404) hints.push(`Check that connection ${plan.connectionName} exists: ${listCommand('connection', target)}`)
  if (error.status === 409) {
    hints.push(
      `Publish under another client name (-c), or see what is published to ${plan.connectionName} with: ${publicationsCommand(target, plan.connectionName)}`,
    )
  }
  return new AppLinkError(`Publishing ${basename(plan.file)} to ${plan.connectionName} failed: ${error.message} (${error.id}).`, {
    exitCode: error.exitCode,
    hints,
    id: error.id,
    request: error.request,
    status: error.status,
  })
}

/** A one-line upload progress on stderr (terminals only), redrawn in place. */
export function uploadProgress(io: IO, label: string): {done(): void; update(sent: number, total: number): void} {
  let last = -1
  return {
    done() {
      if (last >= 0) io.err('\n')
    },
    update(sent, total) {
      const percent = Math.floor((sent / total) * 100)
      if (percent === last) return
      last = percent
      io.err(`\r${label}: ${percent}% of ${sizeText(total).split(' (')[0]}`)
    },
  }
}

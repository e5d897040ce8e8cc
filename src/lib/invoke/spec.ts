/**
 * The spec side of `applink:invoke`: finding the spec file (default names in the current folder),
 * checking it as `salesforce:publish` does (errors block), and finding the operation the user named
 * (an `operationId`, or `"METHOD /path"`), with its parameters, request body and responses.
 */
import {access} from 'node:fs/promises'
import {resolve} from 'node:path'

import {invalidInput} from '../api/errors.js'
import {loadSpecFile, SpecError} from '../openapi/check.js'
import {toPointer} from '../openapi/parse.js'
import {closest} from '../openapi/refs.js'
import {METHODS} from '../openapi/rules.js'
import {isObject} from '../openapi/common.js'
import {valueAt} from '../openapi/structure.js'
import type {SpecReport} from '../openapi/types.js'

/** Looked for in this order in the current folder when --spec is not given. */
export const DEFAULT_SPEC_FILES = ['api-spec.yaml', 'api-spec.yml', 'api-spec.json', 'openapi.yaml', 'openapi.yml', 'openapi.json']

export type Doc = Record<string, unknown>

export interface Parameter {
  in: 'cookie' | 'header' | 'path' | 'query' | string
  name: string
  required: boolean
  /** JSON pointer of the parameter's schema in the document, if it has one */
  schemaPointer?: string
}

export interface MediaSchema {
  /** the media type, e.g. application/json */
  mediaType: string
  /** JSON pointer of its schema in the document, if it has one */
  schemaPointer?: string
}

export interface Operation {
  method: string
  operationId?: string
  parameters: Parameter[]
  path: string
  /** JSON pointer of the operation object */
  pointer: string
  requestBody?: {content: MediaSchema[]; required: boolean}
  /** by status key as written in the spec: `200`, `2XX`, `default` */
  responses: Record<string, MediaSchema[]>
}

export interface LoadedInvokeSpec {
  doc: Doc
  file: string
  report: SpecReport
}

/** The spec to use: --spec, or the first default file that exists in `cwd`. */
export async function findSpecFile(given: string | undefined, cwd = process.cwd()): Promise<string> {
  if (given) return given
  for (const name of DEFAULT_SPEC_FILES) {
    try {
      await access(resolve(cwd, name))
      return name
    } catch {}
  }

  throw invalidInput('spec_not_found', `No OpenAPI spec in ${cwd}: looked for ${DEFAULT_SPEC_FILES.join(', ')}.`, ['Give the spec of your app with --spec FILE.'])
}

/** Loads and checks the spec; a spec with errors is refused (exit 2), as salesforce:publish refuses it. */
export async function loadInvokeSpec(file: string): Promise<LoadedInvokeSpec> {
  const {document, report} = await loadSpecFile(file)
  if (!report.ok || !isObject(document)) throw new SpecError(report, {hint: 'Fix the errors listed above, then invoke again.', outcome: 'nothing was sent to the app'})
  return {doc: document, file, report}
}

/** The JSON pointer a local `$ref` ('#/components/schemas/A%20B') points at. */
export function refTarget(ref: string): string {
  return decodeURIComponent(ref.slice(1))
}

/** Follows local `$ref`s (parameters, request bodies, responses, schemas), stopping at a cycle; returns the node and its pointer. */
export function deref(doc: Doc, node: unknown, pointer: string): {node: unknown; pointer: string} {
  const seen = new Set<string>()
  let current = node
  let at = pointer
  while (isObject(current) && typeof current.$ref === 'string' && current.$ref.startsWith('#') && !seen.has(current.$ref)) {
    seen.add(current.$ref)
    at = refTarget(current.$ref)
    current = valueAt(doc, at)
  }

  return {node: current, pointer: at}
}

function mediaSchemas(doc: Doc, content: unknown, pointer: string): MediaSchema[] {
  if (!isObject(content)) return []
  return Object.entries(content).map(([mediaType, media]) => {
    const schemaPointer = isObject(media) && media.schema !== undefined ? `${pointer}${toPointer([mediaType, 'schema'])}` : undefined
    return schemaPointer ? {mediaType, schemaPointer} : {mediaType}
  })
}

function parameters(doc: Doc, list: unknown, pointer: string): Parameter[] {
  if (!Array.isArray(list)) return []
  const out: Parameter[] = []
  for (const [i, item] of list.entries()) {
    const {node, pointer: at} = deref(doc, item, `${pointer}/${i}`)
    if (!isObject(node) || typeof node.name !== 'string' || typeof node.in !== 'string') continue
    out.push({
      in: node.in,
      name: node.name,
      required: node.required === true || node.in === 'path',
      ...(node.schema === undefined ? {} : {schemaPointer: `${at}/schema`}),
    })
  }

  return out
}

/** Every operation of the spec, in document order. */
export function listOperations(doc: Doc): Operation[] {
  const out: Operation[] = []
  const paths = isObject(doc.paths) ? doc.paths : {}
  for (const [path, item] of Object.entries(paths)) {
    if (!isObject(item)) continue
    const itemPointer = toPointer(['paths', path])
    const shared = parameters(doc, item.parameters, `${itemPointer}/parameters`)
    for (const method of METHODS) {
      const op = item[method]
      if (!isObject(op)) continue
      const pointer = `${itemPointer}/${method}`
      // operation parameters override path-level ones of the same name and location
      const own = parameters(doc, op.parameters, `${pointer}/parameters`)
      const merged = [...shared.filter(p => !own.some(o => o.name === p.name && o.in === p.in)), ...own]
      const responses: Record<string, MediaSchema[]> = {}
      if (isObject(op.responses)) {
        for (const [status, response] of Object.entries(op.responses)) {
          const {node, pointer: at} = deref(doc, response, `${pointer}${toPointer(['responses', status])}`)
          responses[status] = isObject(node) ? mediaSchemas(doc, node.content, `${at}/content`) : []
        }
      }

      let requestBody: Operation['requestBody']
      if (op.requestBody !== undefined) {
        const {node, pointer: at} = deref(doc, op.requestBody, `${pointer}/requestBody`)
        if (isObject(node)) requestBody = {content: mediaSchemas(doc, node.content, `${at}/content`), required: node.required === true}
      }

      out.push({
        method: method.toUpperCase(),
        ...(typeof op.operationId === 'string' ? {operationId: op.operationId} : {}),
        parameters: merged,
        path,
        pointer,
        ...(requestBody ? {requestBody} : {}),
        responses,
      })
    }
  }

  return out
}

/** How an operation reads in lists: `createAccount  POST /accounts`. */
export function operationLabel(op: Operation): string {
  return `${op.method} ${op.path}`
}

/** How an operation is named in messages: its operationId, else `POST /accounts`. */
export function operationName(op: Operation): string {
  return op.operationId ?? operationLabel(op)
}

/**
 * The operation named by `ref`: an operationId (exact, then case-insensitive), or `METHOD /path`.
 * Unknown: exit 2, listing the spec's operations (and the closest name).
 */
export function findOperation(doc: Doc, ref: string, file: string): Operation {
  const ops = listOperations(doc)
  const byId = ops.find(o => o.operationId === ref) ?? ops.find(o => o.operationId?.toLowerCase() === ref.toLowerCase())
  if (byId) return byId
  const m = /^\s*([a-z]+)\s+(\S+)\s*$/i.exec(ref)
  if (m) {
    const method = m[1].toUpperCase()
    const byPath = ops.find(o => o.method === method && o.path === m[2])
    if (byPath) return byPath
  }

  const width = Math.max(0, ...ops.map(o => (o.operationId ?? '').length))
  const listing = ops.map(o => `${(o.operationId ?? '').padEnd(width)}  ${operationLabel(o)}`)
  const suggestion = closest(ref, ops.map(o => o.operationId).filter((id): id is string => Boolean(id)))
  const hints = [
    ...(suggestion ? [`Did you mean ${suggestion}?`] : []),
    ops.length > 0 ? `Operations in ${file}:\n${listing.map(l => `      ${l}`).join('\n')}` : `${file} has no operations.`,
    'Name one by its operationId, or as "METHOD /path".',
  ]
  throw invalidInput('unknown_operation', `${JSON.stringify(ref)} is not an operation of ${file}.`, hints)
}

/**
 * The mesh's checks of a request before it is authenticated (docs/mesh.md, "Validation"): which
 * kind of request it is (Salesforce, data action) and, for a Salesforce request, the
 * `x-request-context` header decoded and checked field by field, in the production mesh's order,
 * with its exact answers and log lines.
 */
import type {RequestContext} from '../api/types.js'

/** `x-request-context` as the mesh reads it (the Go struct's fields; what applink:invoke sends). */
export type MeshRequestContext = RequestContext

/** A refusal: the status, the text answered (a newline is added when written) and the ERROR lines logged. */
export interface Rejection {
  body: string
  kind: 'reject'
  logs: string[]
  status: number
}

export type Validation =
  | Rejection
  | {context: MeshRequestContext; kind: 'salesforce'}
  | {kind: 'data-action'; signature: string}

/** The Go field names in the order the mesh checks them, with their JSON keys. */
const FIELDS: [string, keyof MeshRequestContext][] = [
  ['ID', 'id'], ['Auth', 'auth'], ['LoginUrl', 'loginUrl'], ['OrgDomainUrl', 'orgDomainUrl'],
  ['OrgID', 'orgId'], ['Resource', 'resource'], ['Type', 'type'], ['AppUUID', 'appUuid'],
]

const reject = (status: number, body: string, ...logs: string[]): Rejection => ({body, kind: 'reject', logs, status})

/** Standard base64 with padding, as Go's `base64.StdEncoding` accepts it; undefined otherwise. */
export function decodeStdBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined
  return Buffer.from(text, 'base64')
}

/**
 * The header decoded into the struct as Go's `encoding/json` does: keys matched to fields ignoring
 * case (an exact match first), `null` leaves a field empty, a value of another type than string is
 * an unmarshal error (undefined).
 */
function unmarshal(json: unknown): MeshRequestContext | undefined {
  if (json === null) return emptyContext()
  if (typeof json !== 'object' || Array.isArray(json)) return undefined
  const out = emptyContext()
  const entries = Object.entries(json as Record<string, unknown>)
  for (const [, key] of FIELDS) {
    const exact = entries.filter(([k]) => k === key)
    const match = exact.length > 0 ? exact : entries.filter(([k]) => k.toLowerCase() === key.toLowerCase())
    for (const [, value] of match) {
      if (value === null) continue
      if (typeof value !== 'string') return undefined
      out[key] = value
    }
  }

  return out
}

function emptyContext(): MeshRequestContext {
  return {appUuid: '', auth: '', id: '', loginUrl: '', orgDomainUrl: '', orgId: '', resource: '', type: ''}
}

/** One header's value as Go's `Header.Get` reads it: the first of several. */
export type HeaderGet = (name: string) => string

/**
 * The checks of the production mesh, in its order: no Salesforce header and no signature → 401;
 * a signature alone → a data action request; one of the two Salesforce headers → 400; then the
 * context: base64, JSON, each field present, and `x-request-id` containing its `id`.
 */
export function validateRequest(get: HeaderGet, requestId: string): Validation {
  const requestContext = get('x-request-context')
  const clientContext = get('x-client-context')
  const signature = get('x-signature')
  if (!requestContext && !clientContext) {
    if (signature) return {kind: 'data-action', signature}
    return reject(401, '401 Invalid request', 'Invalid request!', '401 Invalid request')
  }

  if (!requestContext || !clientContext) return reject(400, '400 Invalid request', 'Invalid request!', '400 Invalid request')
  const bytes = decodeStdBase64(requestContext)
  if (!bytes) return reject(400, '400 Invalid x-request-context header', 'Invalid request! Unable to decode Salesforce x-request-context header')
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch {
    return reject(400, '400 Invalid x-request-context header', 'Invalid request! Unable to unmarshal Salesforce x-request-context header')
  }

  const context = unmarshal(json)
  if (!context) return reject(400, '400 Invalid x-request-context header', 'Invalid request! Unable to unmarshal Salesforce x-request-context header')
  for (const [field, key] of FIELDS) {
    if (!context[key]) {
      const text = `Missing or invalid value in x-request-context header: ${field}`
      return reject(400, `400 ${text}`, `Invalid request! ${text}`)
    }
  }

  if (!requestId.includes(context.id)) {
    return reject(400, '400 Invalid x-request-context header', 'Invalid request! Missing or mismatch x-request-id and x-request-context#id')
  }

  return {context, kind: 'salesforce'}
}

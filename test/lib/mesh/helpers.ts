/**
 * Helpers for the mesh tests: the emulator with an app, its AppLink add-on, a connected org and an
 * authorized user of it (whose access token the emulator's invocation check accepts), the Salesforce headers of an
 * invocation for that user, and raw HTTP exchanges that keep repeated headers and their order.
 */
import {request as httpRequest} from 'node:http'

import type {Emulator} from '../../../src/emulator/server/server.js'
import {Faults} from '../../../src/emulator/http/faults.js'
import {provision, type Provisioned, start} from '../../emulator/helpers.js'
import {authorize, type AuthorizedOrg, connectOrg} from '../../emulator/org/helpers.js'

export interface MeshBackend {
  emu: Emulator
  faults: Faults
  org: AuthorizedOrg
  p: Provisioned
}

export async function meshBackend(): Promise<MeshBackend> {
  const faults = new Faults()
  const emu = await start({faults})
  const p = await provision(emu)
  const org = await authorize(emu, p)
  // the hosted mesh authenticates invocations only for orgs connected to the app's add-on
  await connectOrg(emu, p)
  return {emu, faults, org, p}
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64')

/** The three headers Salesforce sends, for this user (`over` replaces fields of x-request-context). */
export function invocationHeaders(b: MeshBackend, over: Record<string, unknown> = {}): {context: Record<string, unknown>; headers: [string, string][]; requestId: string} {
  const id = `${b.org.id}-4b7e3d0c-1c1e-4d0a-9d55-1f7a9c2b8e11`
  const requestId = `${id}-2026-12-07T22:00:00.000000Z`
  const context = {appUuid: b.p.app.id, auth: b.org.accessToken, id, loginUrl: b.org.instanceUrl, orgDomainUrl: b.org.instanceUrl, orgId: b.org.id, resource: 'http://127.0.0.1/accounts', type: 'user', ...over}
  const client = {accessToken: b.org.accessToken, apiVersion: b.org.apiVersion, namespace: '', orgDomainUrl: b.org.instanceUrl, orgId: b.org.id, requestId, userContext: {userId: b.org.userId, username: b.org.username}}
  return {context, headers: [['x-request-id', requestId], ['x-client-context', b64(client)], ['x-request-context', b64(context)]], requestId}
}

export interface Exchange {
  body: string
  headers: Record<string, string | string[] | undefined>
  rawHeaders: string[]
  status: number
}

/** One request on a connection of its own, headers sent exactly as listed (repeats kept). */
export function exchange(port: number, method: string, path: string, headers: [string, string][] = [], body?: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const flat = [['Host', `127.0.0.1:${port}`], ...headers].flat()
    if (body !== undefined) flat.push('Content-Length', String(Buffer.byteLength(body)))
    const req = httpRequest({agent: false, headers: flat as unknown as Record<string, string>, host: '127.0.0.1', method, path, port}, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, rawHeaders: res.rawHeaders, status: res.statusCode ?? 0}))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The message of each slog line (`msg=…`), with its level: `INFO Valid request!`. */
export function messages(lines: string[]): string[] {
  return lines.filter(l => l.startsWith('time=')).map(l => {
    const level = /level=(\w+)/.exec(l)?.[1]
    const m = /msg=("(?:[^"\\]|\\.)*"|\S+)/.exec(l)?.[1] ?? ''
    return `${level} ${m.startsWith('"') ? JSON.parse(m) : m}`
  })
}

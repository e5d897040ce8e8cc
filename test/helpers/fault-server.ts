/**
 * A fault-injecting HTTP server on 127.0.0.1 (port 0) for the fault and secrets tests. It plays
 * both services the plugin talks to, with an in-memory store:
 * - the Heroku Platform API calls of add-on resolution (docs/applink-api.md §1), for HEROKU_HOST;
 * - the AppLink API (docs/applink-api.md §2), at `${url}/addons/{addon}`: connections, authorizations, data
 *   action targets, publishing. Pending resources (`connecting`, `authorizing`, `pending`) finish
 *   after `settleAfter` status reads.
 * Per request, a test can script a fault (`inject`): reset the connection, stall past the client's
 * timeout, answer 500/502/503/429, send HTML, truncated or malformed JSON, or JSON of the wrong
 * shape; `processed: true` lets the request take effect first (the ambiguous case: it happened,
 * but the client never heard). Every request is recorded. The server closes its sockets on
 * `close()` and, as a safety net, by itself once no request arrived for `idleMs` (idle, not since
 * start: a long suite on a busy machine must not outlive its server).
 */
import {createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import nock from 'nock'

import {ADDON, APP, APPLINK_TOKEN, HEROKU_TOKEN, SSO_BODY, SSO_HEADER} from './applink.js'

export type FaultKind =
  /** 200, JSON cut off mid-document (a complete response whose body does not parse) */
  | 'bad-json'
  /** 200 with no body at all */
  | 'empty'
  /** 200 text/html page, e.g. a captive portal or a proxy's page */
  | 'html'
  /** 502 text/html page from a gateway */
  | 'html-502'
  /** close the connection without answering */
  | 'reset'
  /** never answer (until the client gives up or the server closes) */
  | 'stall'
  /** send the headers and half the body, then nothing */
  | 'stall-body'
  /** send the headers, then one byte of the body every 0.3 s, never finishing (an idle timeout never fires) */
  | 'trickle'
  /** 200 whose Content-Length promises more than is sent, then close */
  | 'truncated'
  /** 200 JSON of the wrong shape: a string where a resource or list belongs */
  | 'wrong-shape'

export type Fault = FaultKind | {body?: unknown; headers?: Record<string, string>; status: number}

export interface Injection {
  fault: Fault
  method: string
  /** exact path (query string ignored) or a pattern */
  path: RegExp | string
  /** let the request take effect before the fault (default false: the fault replaces it) */
  processed: boolean
  /** how many more matching requests get the fault (Infinity: all) */
  times: number
}

export interface Recorded {
  body: string
  headers: IncomingHttpHeaders
  json?: unknown
  method: string
  path: string
}

interface Reply {
  body?: unknown
  status: number
}

type Resource = Record<string, unknown> & {id: string; status: string}

let ids = 0
const newId = (prefix: string) => `${prefix}${String(++ids).padStart(4, '0')}-1111-4222-8333-444444444444`

export interface FaultServerOptions {
  /** status reads before a pending resource finishes (default 1) */
  settleAfter?: number
  /** the status pending resources finish with (default: success) */
  finishAs?: 'failed' | 'success'
  /** safety net: close by itself after this long without a request (default 120 s) */
  idleMs?: number
  /**
   * Secrets the service (or the app's config) may carry, for the secrets test: an org access token
   * in authorizations (`org.user_auth`), an OAuth code in a finished resource's `redirect_uri`, a
   * database password among the config vars.
   */
  leaky?: {accessToken: string; databasePassword: string; oauthCode: string}
}

export class FaultServer {
  readonly requests: Recorded[] = []
  readonly injections: Injection[] = []
  readonly connections = new Map<string, Resource>()
  readonly authorizations = new Map<string, Resource>()
  /** data action targets by `${connection}/${api_name}` */
  readonly targets = new Map<string, Resource>()
  readonly publications: Record<string, unknown>[] = []
  private readonly reads = new Map<string, number>()
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private idle?: NodeJS.Timeout
  private closed = false

  private constructor(private readonly options: FaultServerOptions) {
    this.server = createServer((req, res) => this.receive(req, res))
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    this.armIdleTimer()
    this.seed()
  }

  static async start(options: FaultServerOptions = {}): Promise<FaultServer> {
    const s = new FaultServer(options)
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject)
      s.server.listen(0, '127.0.0.1', () => resolve())
    })
    return s
  }

  get url(): string {
    const {port} = this.server.address() as AddressInfo
    return `http://127.0.0.1:${port}`
  }

  /** `{ATTACHMENT}_API_URL` of the add-on */
  get apiUrl(): string {
    return `${this.url}/addons/${ADDON.id}`
  }

  /** The environment that points the plugin at this server. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {HEROKU_API_KEY: HEROKU_TOKEN, HEROKU_HOST: this.url, ...extra}
  }

  /** The next `times` requests matching METHOD path get `fault`. */
  inject(method: string, path: RegExp | string, fault: Fault, options: {processed?: boolean; times?: number} = {}): this {
    this.injections.push({fault, method, path, processed: options.processed ?? false, times: options.times ?? 1})
    return this
  }

  /** Recorded requests, optionally only METHOD (and a path or pattern). */
  seen(method?: string, path?: RegExp | string): Recorded[] {
    return this.requests.filter(r => (!method || r.method === method) && (!path || matches(path, r.path)))
  }

  /** Forgets injections and recordings and restores the seeded store. */
  reset(): void {
    this.injections.length = 0
    this.requests.length = 0
    this.reads.clear()
    this.seed()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.idle)
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>(resolve => {
      this.server.close(() => resolve())
    })
  }

  // ------------------------------------------------------------------------------------------

  private armIdleTimer(): void {
    clearTimeout(this.idle)
    this.idle = setTimeout(() => this.close(), this.options.idleMs ?? 120_000)
    this.idle.unref()
  }

  private seed(): void {
    this.connections.clear()
    this.authorizations.clear()
    this.targets.clear()
    this.publications.length = 0
    const audit = {created_at: '2026-11-01T10:00:00Z', created_by: 'dev@example.com'}
    this.connections.set('my_org', {...audit, addon_id: ADDON.id, id: 'c0c0c0c0-1111-4222-8333-444444444444', org: {connection_name: 'my_org', id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', username: 'admin@my-org.example'}, status: 'connected'})
    this.connections.set('dc_org', {...audit, addon_id: ADDON.id, id: 'c1c1c1c1-1111-4222-8333-444444444444', org: {connection_name: 'dc_org', id: '00D000000000002EAA', instance_url: 'https://dc-org.my.salesforce.com', type: 'DataCloudOrg', username: 'admin@dc-org.example'}, status: 'connected'})
    this.authorizations.set('my_auth', {...audit, addon_id: ADDON.id, connection_method: 'OAuth', id: 'a0a0a0a0-1111-4222-8333-444444444444', org: {developer_name: 'my_auth', id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', username: 'user@my-org.example'}, status: 'authorized'})
    this.authorizations.set('dc_auth', {...audit, addon_id: ADDON.id, connection_method: 'OAuth', id: 'a1a1a1a1-1111-4222-8333-444444444444', org: {developer_name: 'dc_auth', id: '00D000000000002EAA', instance_url: 'https://dc-org.my.salesforce.com', type: 'DataCloudOrg', username: 'user@dc-org.example'}, status: 'authorized'})
    this.targets.set('dc_org/my_target', {...audit, api_name: 'my_target', id: 'd0d0d0d0-1111-4222-8333-444444444444', label: 'My target', status: 'created', target_endpoint: '/hook', type: 'webhook'})
    this.publications.push({...audit, app_uuid: APP.id, connection_name: 'my_org', esr_name: 'my_api', org_id: '00D000000000001EAA'})
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    this.armIdleTimer()
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('error', () => {})
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const recorded: Recorded = {body, headers: req.headers, method: req.method ?? '', path: (req.url ?? '').split('?')[0]}
      if (String(req.headers['content-type'] ?? '').startsWith('application/json') && body) {
        try {
          recorded.json = JSON.parse(body)
        } catch {}
      }

      this.requests.push(recorded)
      const injection = this.injections.find(i => i.times > 0 && i.method === recorded.method && matches(i.path, recorded.path))
      if (injection) {
        injection.times--
        if (injection.processed) this.handle(recorded)
        this.fail(injection.fault, res)
        return
      }

      const reply = this.handle(recorded)
      const text = reply.body === undefined ? '' : JSON.stringify(reply.body)
      res.writeHead(reply.status, {'content-type': 'application/json'})
      res.end(text)
    })
  }

  private fail(fault: Fault, res: ServerResponse): void {
    const json = (status: number, text: string, headers: Record<string, string> = {}) => {
      res.writeHead(status, {'content-type': 'application/json', ...headers})
      res.end(text)
    }

    const html = '<!DOCTYPE html><html><head><title>Bad Gateway</title></head><body><h1>Application Error</h1></body></html>'
    if (typeof fault === 'object') {
      json(fault.status, fault.body === undefined ? JSON.stringify({id: 'fault', message: `injected HTTP ${fault.status}`}) : (typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body)), fault.headers)
      return
    }

    switch (fault) {
    case 'reset': {
      res.socket?.destroy()
      return
    }

    case 'stall': {
      // keep the socket open, answer nothing; close() destroys it
      return
    }

    case 'stall-body': {
      res.writeHead(200, {'content-length': '200', 'content-type': 'application/json'})
      res.write('{"id": "c0c0c0c0", "status": "conn')
      return
    }

    case 'trickle': {
      res.writeHead(200, {'content-type': 'application/json'})
      const timer = setInterval(() => res.write(' '), 300)
      res.on('close', () => clearInterval(timer))
      return
    }

    case 'truncated': {
      res.writeHead(200, {'content-length': '500', 'content-type': 'application/json'})
      res.write('{"id": "c0c0c0c0", "status": "connected", "org": {"connection_')
      setTimeout(() => res.socket?.destroy(), 10)
      return
    }

    case 'bad-json': {
      json(200, '{"id": "c0c0c0c0", "status": "connected", "org": {"connection_')
      return
    }

    case 'empty': {
      res.writeHead(200, {'content-type': 'application/json'})
      res.end()
      return
    }

    case 'html': {
      res.writeHead(200, {'content-type': 'text/html; charset=utf-8'})
      res.end(html)
      return
    }

    case 'html-502': {
      res.writeHead(502, {'content-type': 'text/html; charset=utf-8'})
      res.end(html)
      return
    }

    case 'wrong-shape': {
      json(200, JSON.stringify('ok'))
    }
    }
  }

  private handle(r: Recorded): Reply {
    try {
      if (r.path.startsWith('/apps/')) return this.platform(r)
      if (r.path.startsWith(`/addons/${ADDON.id}/`)) return this.applink(r)
      return notFound(`no route for ${r.method} ${r.path}`)
    } catch (error) {
      return {body: {id: 'internal', message: (error as Error).message}, status: 500}
    }
  }

  private platform(r: Recorded): Reply {
    if (r.headers.authorization !== `Bearer ${HEROKU_TOKEN}`) return {body: {id: 'unauthorized', message: 'Invalid credentials provided.'}, status: 401}
    if (r.method !== 'GET') return notFound(`no route for ${r.method} ${r.path}`)
    const base = `/apps/${APP.name}`
    switch (r.path) {
    case base: {
      return ok(APP)
    }

    case `${base}/addons`: {
      return ok([ADDON])
    }

    case `${base}/addon-attachments`: {
      return ok([{addon: {id: ADDON.id, name: ADDON.name}, name: 'HEROKU_APPLINK'}])
    }

    case `${base}/config-vars`: {
      const leaky = this.options.leaky ? {DATABASE_URL: `postgres://user:${this.options.leaky.databasePassword}@db.example.com:5432/db`} : {}
      return ok({...leaky, HEROKU_APPLINK_API_URL: this.apiUrl, HEROKU_APPLINK_TOKEN: APPLINK_TOKEN})
    }

    case `${base}/addons/${ADDON.id}/sso`: {
      return ok(SSO_BODY)
    }

    default: {
      return {body: {id: 'not_found', message: 'Couldn\'t find that app.'}, status: 404}
    }
    }
  }

  private applink(r: Recorded): Reply {
    if (r.headers.authorization !== `Bearer ${APPLINK_TOKEN}`) return {body: {id: 'unauthorized', message: 'Invalid credentials'}, status: 401}
    if (r.headers['x-addon-sso'] !== SSO_HEADER || r.headers['x-app-uuid'] !== APP.id) return {body: {id: 'forbidden', message: 'missing x-addon-sso or x-app-uuid'}, status: 403}
    const path = r.path.slice(`/addons/${ADDON.id}`.length)
    const body = (r.json ?? {}) as Record<string, string>
    const seg = path.split('/').slice(1).map(s => decodeURIComponent(s))
    const key = `${r.method} ${seg.length}`
    // /connections…
    if (seg[0] === 'connections') {
      if (key === 'GET 1') return ok([...this.connections.values()])
      if (key === 'POST 2' && (seg[1] === 'salesforce' || seg[1] === 'datacloud')) return this.createConnection(seg[1], body, false)
      if (key === 'POST 3' && seg[1] === 'salesforce' && seg[2] === 'jwt') return this.createConnection('salesforce', body, true)
      if (key === 'GET 2') return this.read(this.find(this.connections, seg[1]))
      if (key === 'DELETE 2') {
        const found = this.find(this.connections, seg[1])
        if (!found) return notFound(`connection ${seg[1]}`)
        this.connections.delete((found.org as {connection_name: string}).connection_name)
        return ok({...found, status: 'disconnecting'})
      }

      if (seg[1] === 'datacloud' && seg[3] === 'data_action_targets') return this.dataActionTargets(r, seg[2], seg[4], body)
      if (seg[1] === 'salesforce' && seg[3] === 'apps') {
        if (!this.connections.has(seg[2])) return notFound(`connection ${seg[2]}`)
        if (key === 'POST 4') {
          const publication = {app_uuid: APP.id, connection_name: seg[2], created_at: new Date().toISOString(), esr_name: 'published_api', org_id: '00D000000000001EAA'}
          this.publications.push(publication)
          return {body: publication, status: 201}
        }

        if (key === 'GET 5') return ok(this.publications.filter(p => p.connection_name === seg[2]))
      }
    }

    if (seg[0] === 'authorizations') {
      const leaky = this.options.leaky
      if (key === 'GET 1') return ok([...this.authorizations.values()].map(a => (leaky ? {...a, org: {...a.org as object, user_auth: {access_token: leaky.accessToken}}} : a)))
      if (key === 'POST 2' || (key === 'POST 3' && seg[2] === 'jwt')) return this.createAuthorization(seg[1], body, key === 'POST 3')
      if (key === 'GET 2') return this.read(this.find(this.authorizations, seg[1]))
      if (key === 'DELETE 2') {
        const found = this.find(this.authorizations, seg[1])
        if (!found) return notFound(`authorization ${seg[1]}`)
        this.authorizations.delete((found.org as {developer_name: string}).developer_name)
        return ok({...found, status: 'disconnected'})
      }
    }

    return notFound(`no route for ${r.method} ${r.path}`)
  }

  private find(store: Map<string, Resource>, nameOrId: string): Resource | undefined {
    return store.get(nameOrId) ?? [...store.values()].find(x => x.id === nameOrId)
  }

  /** A status read: pending resources move on after `settleAfter` reads. */
  private read(found: Resource | undefined): Reply {
    if (!found) return notFound('record')
    const n = (this.reads.get(found.id) ?? 0) + 1
    this.reads.set(found.id, n)
    const pending: Record<string, [string, string]> = {authorizing: ['authorized', 'failed'], connecting: ['connected', 'failed'], pending: ['created', 'creation_failed']}
    if (pending[found.status] && n >= (this.options.settleAfter ?? 1)) {
      const [good, bad] = pending[found.status]
      found.status = this.options.finishAs === 'failed' ? bad : good
      if (found.status === bad) found.error = {id: 'org_connection_failed', message: 'The login was denied.'}
      delete found.redirect_uri
      if (this.options.leaky && found.org) found.redirect_uri = `https://applink.example.com/oauth/callback?code=${this.options.leaky.oauthCode}&state=st`
    }

    const leaky = this.options.leaky
    const org = found.org as Record<string, unknown> | undefined
    if (leaky && org?.developer_name) return ok({...found, org: {...org, user_auth: {access_token: leaky.accessToken, username: org.username}}})
    return ok(found)
  }

  private createConnection(kind: string, body: Record<string, string>, jwt: boolean): Reply {
    const name = body.connection_name
    if (!name) return {body: {id: 'invalid_params', message: 'connection_name is required'}, status: 422}
    if (this.connections.has(name)) return {body: {id: 'conflict', message: `A connection named ${name} already exists.`}, status: 409}
    const id = newId('c')
    const connection: Resource = {
      addon_id: ADDON.id,
      created_at: new Date().toISOString(),
      id,
      org: {connection_name: name, type: kind === 'datacloud' ? 'DataCloudOrg' : 'SalesforceOrg'},
      status: jwt ? 'connected' : 'connecting',
      ...(jwt ? {app_id: APP.id, connection_method: 'JWT'} : {redirect_uri: `${this.url}/oauth/start?connection=${id}`}),
    }
    this.connections.set(name, connection)
    return {body: connection, status: 201}
  }

  private createAuthorization(kind: string, body: Record<string, string>, jwt: boolean): Reply {
    const name = body.developer_name
    if (!name) return {body: {id: 'invalid_params', message: 'developer_name is required'}, status: 422}
    if (this.authorizations.has(name)) return {body: {id: 'conflict', message: `An authorization named ${name} already exists.`}, status: 409}
    const id = newId('a')
    const authorization: Resource = {
      addon_id: ADDON.id,
      connection_method: jwt ? 'JWT' : 'OAuth',
      created_at: new Date().toISOString(),
      id,
      org: {developer_name: name, type: kind === 'datacloud' ? 'DataCloudOrg' : 'SalesforceOrg'},
      status: jwt ? 'authorized' : 'authorizing',
      ...(jwt ? {} : {redirect_uri: `${this.url}/oauth/start?authorization=${id}`}),
    }
    this.authorizations.set(name, authorization)
    return {body: authorization, status: 201}
  }

  private dataActionTargets(r: Recorded, connection: string, apiName: string | undefined, body: Record<string, string>): Reply {
    if (!this.connections.has(connection)) return notFound(`connection ${connection}`)
    if (r.method === 'GET' && !apiName) return ok([...this.targets.entries()].filter(([k]) => k.startsWith(`${connection}/`)).map(([, v]) => v))
    if (r.method === 'GET' && apiName) return this.read(this.targets.get(`${connection}/${apiName}`))
    if (r.method === 'POST' && !apiName) {
      const key = `${connection}/${body.api_name}`
      if (this.targets.has(key)) return {body: {id: 'conflict', message: `A data action target named ${body.api_name} already exists.`}, status: 409}
      const target: Resource = {api_name: body.api_name, id: newId('d'), label: body.label, status: 'pending', target_endpoint: body.target_endpoint, type: body.type}
      this.targets.set(key, target)
      return {body: target, status: 201}
    }

    return notFound(`no route for ${r.method} ${r.path}`)
  }
}

function matches(pattern: RegExp | string, path: string): boolean {
  return typeof pattern === 'string' ? pattern === path : pattern.test(path)
}

function ok(body: unknown): Reply {
  return {body, status: 200}
}

function notFound(what: string): Reply {
  return {body: {id: 'record_not_found', message: `Not found: ${what}`}, status: 404}
}

/**
 * Mocha hooks for a describe block that talks to real sockets on 127.0.0.1: nock (loaded by the
 * shared helpers, and set to refuse the network by the nock-based tests) is switched off for the
 * block and switched back on after it.
 */
export function useRealNetwork(): void {
  let wasActive = false
  before(() => {
    wasActive = nock.isActive()
    if (wasActive) nock.restore()
  })
  after(() => {
    if (wasActive && !nock.isActive()) nock.activate()
  })
}

/**
 * Mocha hooks for a describe block that runs commands in-process against one fault server: started
 * before the block with the plugin's environment pointing at it (debug and proxy switches cleared),
 * reset before each test, and closed with the environment restored after. Call the returned
 * function inside a test to get the server.
 */
export function useFaultServer(options: FaultServerOptions, env: Record<string, string>): () => FaultServer {
  let server: FaultServer | undefined
  const saved: Record<string, string | undefined> = {}
  const cleared = ['DEBUG', 'HEROKU_DEBUG', 'HTTPS_PROXY', 'HTTP_PROXY', 'FORCE_COLOR']
  before(async () => {
    server = await FaultServer.start(options)
    const all = server.env(env)
    for (const k of [...Object.keys(all), ...cleared]) saved[k] = process.env[k]
    for (const k of cleared) delete process.env[k]
    Object.assign(process.env, all)
  })
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }

    await server?.close()
  })
  beforeEach(() => server?.reset())
  return () => server as FaultServer
}

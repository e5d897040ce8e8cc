/**
 * The bench's own local server: it plays the Heroku Platform API (as `HEROKU_HOST`) and the AppLink
 * API (as the add-on's `_API_URL`) on one 127.0.0.1 port, keeps a little state (connections,
 * authorizations, data action targets, publications), and records when each request started and
 * ended, so the bench can tell which Platform API calls went out together. OAuth logins and data
 * action targets are approved on a timer: `approvals` holds the instant of each approval, on the
 * same clock (`performance.now()`) as the bench's process timing.
 */
import {randomUUID} from 'node:crypto'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo, Socket} from 'node:net'
import {performance} from 'node:perf_hooks'

export interface RequestRecord {
  /** performance.now() when the response was finished */
  end: number
  method: string
  path: string
  /** true for Heroku Platform API routes, false for AppLink routes */
  platform: boolean
  /** bytes in the request body */
  size: number
  /** performance.now() when the request arrived */
  start: number
  status: number
}

export interface ServerOptions {
  /** delay before every Platform API answer, to make sequential calls visible */
  platformDelayMs?: number
  /** how long after creation an OAuth login (or a data action target) is approved */
  approveAfterMs?: number
}

export const BENCH_APP = 'bench-app'
export const BENCH_CONNECTION = 'bench_org_1'
export const BENCH_DATACLOUD = 'bench_dc_1'
export const BENCH_AUTHORIZATION = 'bench_auth_1'
/** Fake credentials: they only ever reach this server. */
export const BENCH_HEROKU_TOKEN = 'bench-heroku-token-0000000000'
const APPLINK_TOKEN = 'bench-applink-token-0000000000'

const APP_ID = '6b9e2c1a-0d9b-4d4e-9a43-1d2f3c4b5a60'
const ADDON_ID = 'f0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b'
const ADDON_NAME = 'applink-bench-12345'
const ATTACHMENT = 'HEROKU_APPLINK'

interface Resource {
  [key: string]: unknown
  id: string
  status: string
}

export interface Approval {
  at: number
  id: string
  kind: 'authorization' | 'connection' | 'data_action_target'
}

const now = () => new Date().toISOString()

function connection(name: string, type: string, status = 'connected'): Resource {
  return {
    addon_id: ADDON_ID,
    created_at: now(),
    created_by: 'bench@example.com',
    id: randomUUID(),
    last_modified_at: now(),
    last_modified_by: 'bench@example.com',
    org: {
      connection_name: name,
      id: '00D000000000001EAA',
      instance_url: 'https://bench.my.salesforce.com',
      type,
      user_id: '005000000000001AAA',
      username: 'admin@bench.example.com',
    },
    status,
  }
}

function authorization(name: string, status = 'authorized'): Resource {
  return {
    addon_id: ADDON_ID,
    app_name: BENCH_APP,
    connection_method: 'OAuth',
    created_at: now(),
    created_by: 'bench@example.com',
    id: randomUUID(),
    last_modified_at: now(),
    last_modified_by: 'bench@example.com',
    org: {
      developer_name: name,
      id: '00D000000000001EAA',
      instance_url: 'https://bench.my.salesforce.com',
      type: 'SalesforceOrg',
      user_id: '005000000000001AAA',
      username: 'admin@bench.example.com',
    },
    status,
  }
}

export class BenchServer {
  readonly approvals: Approval[] = []
  readonly requests: RequestRecord[] = []
  options: Required<ServerOptions>
  private readonly authorizations: Resource[] = []
  private readonly connections: Resource[] = []
  private readonly server: Server
  private readonly sockets = new Set<Socket>()
  private readonly targets: Resource[] = []
  private readonly timers = new Set<NodeJS.Timeout>()

  private constructor(options: ServerOptions) {
    this.options = {approveAfterMs: 1000, platformDelayMs: 0, ...options}
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(error => {
        this.reply(res, 500, {id: 'bench_server_error', message: String(error)})
      })
    })
    this.server.on('connection', socket => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
    this.connections.push(
      connection(BENCH_CONNECTION, 'SalesforceOrg'),
      connection('bench_org_2', 'SalesforceOrg'),
      connection(BENCH_DATACLOUD, 'DataCloudOrg'),
      connection('bench_org_3', 'SalesforceOrg', 'failed'),
    )
    this.connections[3].error = {id: 'org_connection_failed', message: 'The refresh token was revoked.'}
    this.authorizations.push(authorization(BENCH_AUTHORIZATION), authorization('bench_auth_2'))
  }

  static async start(options: ServerOptions = {}): Promise<BenchServer> {
    const s = new BenchServer(options)
    await new Promise<void>((resolve, reject) => {
      s.server.once('error', reject)
      s.server.listen(0, '127.0.0.1', () => resolve())
    })
    return s
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }

  /** Environment that points the CLI at this server. */
  get env(): Record<string, string> {
    return {HEROKU_API_KEY: BENCH_HEROKU_TOKEN, HEROKU_HOST: this.url}
  }

  /** Forgets the recorded requests and approvals (state stays). */
  clearLog(): void {
    this.requests.length = 0
    this.approvals.length = 0
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t)
    for (const s of this.sockets) s.destroy()
    await new Promise<void>(resolve => {
      this.server.close(() => resolve())
    })
  }

  private reply(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent) return
    const text = JSON.stringify(body)
    res.writeHead(status, {'content-length': Buffer.byteLength(text), 'content-type': 'application/json'})
    res.end(text)
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  private approve(kind: Approval['kind'], resource: Resource, status: string): void {
    this.later(this.options.approveAfterMs, () => {
      resource.status = status
      delete resource.redirect_uri
      resource.last_modified_at = now()
      this.approvals.push({at: performance.now(), id: resource.id, kind})
    })
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const start = performance.now()
    const chunks: Buffer[] = []
    let size = 0
    for await (const chunk of req) {
      size += (chunk as Buffer).length
      // keep JSON bodies only; a multipart upload is counted, not kept
      if (size < 1_000_000) chunks.push(chunk as Buffer)
    }

    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const path = url.pathname
    const method = req.method ?? 'GET'
    const platform = path.startsWith('/apps/') || path === '/account'
    let json: Record<string, unknown> = {}
    if (String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      try {
        json = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {}
    }

    if (platform && this.options.platformDelayMs > 0) {
      await new Promise(resolve => {
        setTimeout(resolve, this.options.platformDelayMs)
      })
    }

    const [status, body] = platform ? this.platformRoute(method, path, req) : this.applinkRoute(method, path, json, req, size)
    this.reply(res, status, body)
    this.requests.push({end: performance.now(), method, path, platform, size, start, status})
  }

  private platformRoute(method: string, path: string, req: IncomingMessage): [number, unknown] {
    if (req.headers.authorization !== `Bearer ${BENCH_HEROKU_TOKEN}`) return [401, {id: 'unauthorized', message: 'Invalid credentials provided.'}]
    const app = {id: APP_ID, name: BENCH_APP}
    const addon = {
      addon_service: {id: '00000000-0000-4000-8000-000000000001', name: 'heroku-applink'},
      app,
      config_vars: [`${ATTACHMENT}_API_URL`, `${ATTACHMENT}_TOKEN`],
      id: ADDON_ID,
      name: ADDON_NAME,
      plan: {id: '00000000-0000-4000-8000-000000000002', name: 'heroku-applink:base'},
      state: 'provisioned',
    }
    const prefix = `/apps/${BENCH_APP}`
    if (method !== 'GET') return [405, {id: 'method_not_allowed', message: `${method} ${path}`}]
    if (path === prefix || path === `/apps/${APP_ID}`) return [200, {...app, web_url: 'https://bench-app.herokuapp.com/'}]
    if (path === `${prefix}/addons`) {
      return [200, [addon, {addon_service: {name: 'heroku-postgresql'}, app, config_vars: ['DATABASE_URL'], id: randomUUID(), name: 'postgresql-bench-1', state: 'provisioned'}]]
    }

    if (path === `${prefix}/addon-attachments`) return [200, [{addon: {app, id: ADDON_ID, name: ADDON_NAME}, app, id: randomUUID(), name: ATTACHMENT}]]
    if (path === `${prefix}/config-vars`) {
      return [200, {
        DATABASE_URL: 'postgres://u:p@localhost/db',
        [`${ATTACHMENT}_API_URL`]: `${this.url}/addons/${ADDON_ID}`,
        [`${ATTACHMENT}_TOKEN`]: APPLINK_TOKEN,
      }]
    }

    if (path === `${prefix}/addons/${ADDON_ID}/sso` || path === `${prefix}/addons/${ADDON_NAME}/sso`) {
      return [200, {action: `${this.url}/sso/login`, method: 'post', params: {email: 'bench@example.com', id: ADDON_ID, 'nav-data': 'bench-nav-data', timestamp: '1700000000', token: 'bench-sso-token-000000', user_id: 'bench-user'}}]
    }

    return [404, {id: 'not_found', message: `Couldn't find that app. (${path})`}]
  }

  private applinkRoute(method: string, path: string, json: Record<string, unknown>, req: IncomingMessage, size: number): [number, unknown] {
    if (req.headers.authorization !== `Bearer ${APPLINK_TOKEN}`) return [401, {id: 'unauthorized', message: 'Invalid token'}]
    const base = `/addons/${ADDON_ID}`
    if (!path.startsWith(base)) return [404, {id: 'record_not_found', message: `no add-on at ${path}`}]
    const rest = path.slice(base.length).split('/').filter(Boolean).map(s => decodeURIComponent(s))
    const notFound: [number, unknown] = [404, {id: 'record_not_found', message: `${rest.join('/')} not found`}]
    const findConn = (key: string) => this.connections.find(c => c.id === key || (c.org as {connection_name: string}).connection_name === key)
    const findAuth = (key: string) => this.authorizations.find(a => a.id === key || (a.org as {developer_name: string}).developer_name === key)

    // connections
    if (rest[0] === 'connections') {
      if (rest.length === 1 && method === 'GET') return [200, this.connections]
      if (rest.length === 2 && method === 'POST' && (rest[1] === 'salesforce' || rest[1] === 'datacloud')) {
        const c = connection(String(json.connection_name), rest[1] === 'salesforce' ? 'SalesforceOrg' : 'DataCloudOrg', 'connecting')
        c.redirect_uri = `${this.url}/oauth/authorize?state=${c.id}`
        this.connections.push(c)
        this.approve('connection', c, 'connected')
        return [202, c]
      }

      if (rest.length === 2 && method === 'GET') return findConn(rest[1]) ? [200, findConn(rest[1])] : notFound
      if (rest.length === 2 && method === 'DELETE') return findConn(rest[1]) ? [202, {...findConn(rest[1]), status: 'disconnecting'}] : notFound
      if (rest[1] === 'salesforce' && rest[3] === 'apps') {
        if (rest.length === 4 && method === 'POST') {
          const type = String(req.headers['content-type'] ?? '')
          if (!type.startsWith('multipart/form-data')) return [400, {id: 'invalid_params', message: 'expected multipart/form-data'}]
          return [201, {app_uuid: APP_ID, connection_name: rest[2], esr_name: 'bench_api', heroku_applink_id: ADDON_ID, org_id: '00D000000000001EAA', received_bytes: size}]
        }

        if (rest.length === 5 && method === 'GET') return [200, [{app_uuid: rest[4], connection_name: rest[2], esr_id: '0Xx000000000001', esr_name: 'bench_api', heroku_applink_id: ADDON_ID, org_id: '00D000000000001EAA'}]]
      }

      if (rest[1] === 'datacloud' && rest[3] === 'data_action_targets') {
        if (rest.length === 4 && method === 'GET') return [200, this.targets]
        if (rest.length === 4 && method === 'POST') {
          const t: Resource = {api_name: json.api_name, heroku_app: {id: APP_ID, name: BENCH_APP}, id: randomUUID(), label: json.label, status: 'pending', target_endpoint: json.target_endpoint, type: json.type}
          this.targets.push(t)
          this.approve('data_action_target', t, 'created')
          return [201, t]
        }

        if (rest.length === 5 && method === 'GET') {
          const t = [...this.targets].reverse().find(x => x.api_name === rest[4] || x.id === rest[4])
          return t ? [200, t] : notFound
        }
      }
    }

    // authorizations
    if (rest[0] === 'authorizations') {
      if (rest.length === 1 && method === 'GET') return [200, this.authorizations]
      if (rest.length === 2 && method === 'POST' && (rest[1] === 'salesforce' || rest[1] === 'datacloud')) {
        const a = authorization(String(json.developer_name), 'authorizing')
        a.redirect_uri = `${this.url}/oauth/authorize?state=${a.id}`
        this.authorizations.push(a)
        this.approve('authorization', a, 'authorized')
        return [202, a]
      }

      if (rest.length === 2 && method === 'GET') return findAuth(rest[1]) ? [200, findAuth(rest[1])] : notFound
    }

    return [404, {id: 'not_found', message: `${method} ${path} is not served by the bench server`}]
  }
}

/**
 * Groups Platform API requests into rounds: a round is the requests that were sent before the first
 * answer of the previous round came back. 1 round = all concurrent; n rounds = n waits in a row.
 */
export function platformRounds(requests: RequestRecord[]): number {
  const platform = requests.filter(r => r.platform).sort((a, b) => a.start - b.start)
  let rounds = 0
  let roundEnd = Number.NEGATIVE_INFINITY
  for (const r of platform) {
    if (r.start >= roundEnd) {
      rounds++
      roundEnd = r.end
    } else {
      roundEnd = Math.min(roundEnd, r.end)
    }
  }

  return rounds
}

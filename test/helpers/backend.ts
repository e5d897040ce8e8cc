/**
 * The one fake backend of the tests: the emulator (src/emulator/), in this process on 127.0.0.1
 * port 0, with fault injection on (src/emulator/http/faults.ts) and its store seeded with the shared
 * fixture of test/helpers/fixture.ts: the app APP with the AppLink add-on ADDON (token
 * APPLINK_TOKEN) and a Postgres add-on, accepting HEROKU_TOKEN; connections my_org and dc_org,
 * authorizations my_auth and dc_auth, the data action target my_target on dc_org and one
 * publication. It plays both services the plugin talks to: the Heroku Platform API (HEROKU_HOST)
 * and the AppLink API (`apiUrl`). A pending login (or data action target) finishes on its
 * `settleAfter`-th status read, never on a timer. `inject` scripts a fault or a whole answer for a request;
 * every request is recorded. It closes by itself once no request arrived for two minutes (a long
 * suite on a busy machine must not outlive it).
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import nock from 'nock'

import {type Fault, type FaultRule, Faults, type RecordedRequest} from '../../src/emulator/http/faults.js'
import {type Pending, settleLogin} from '../../src/emulator/login/oauth.js'
import {type Emulator, startEmulator} from '../../src/emulator/server/server.js'
import type {StoreData} from '../../src/emulator/store/records.js'
// through applink.ts: its environment set-up comes with the fixture
import {ADDON, APP, APPLINK_TOKEN, HEROKU_TOKEN} from './applink.js'
import {ATTACHMENT, DATABASE_URL, PG_ADDON} from './fixture.js'

export type {Fault, RecordedRequest} from '../../src/emulator/http/faults.js'

const AUDIT = {created_at: '2026-11-01T10:00:00Z', created_by: 'dev@example.com', last_modified_at: '2026-11-01T10:00:00Z', last_modified_by: 'dev@example.com'}
export {PG_ADDON} from './fixture.js'

export interface FixtureOptions {
  /** config vars of the app besides those of the attachment (default a DATABASE_URL) */
  config?: Record<string, string>
  /** the access token the authorizations carry (default one of the emulator's making) */
  accessToken?: string
}

/**
 * The Platform API fixture (and the AppLink resources of the fault tests), written into the
 * emulator's store: what `heroku apps:create my-app` and `heroku addons:create heroku-applink`
 * would leave, with the ids and tokens of test/helpers/fixture.ts.
 */
export function seedFixture(data: StoreData, options: FixtureOptions = {}): void {
  const at = AUDIT.created_at
  data.api_key = HEROKU_TOKEN
  data.account = {email: 'dev@example.com', id: '99999999-1111-4222-8333-444444444444'}
  data.apps = [{config_vars: options.config ?? {DATABASE_URL}, created_at: at, id: APP.id, name: APP.name, region: 'us', release: 3, stack: 'heroku-24', updated_at: at}]
  data.addons = [
    {app_id: APP.id, created_at: at, id: ADDON.id, name: ADDON.name, plan: 'base', service: ADDON.addon_service.name, token: APPLINK_TOKEN, updated_at: at},
    {app_id: APP.id, created_at: at, id: PG_ADDON.id, name: PG_ADDON.name, plan: 'base', service: PG_ADDON.addon_service.name, token: 'pg-token-not-applink', updated_at: at},
  ]
  data.attachments = [{addon_id: ADDON.id, app_id: APP.id, created_at: at, id: 'a7a7a7a7-1111-4222-8333-444444444444', name: ATTACHMENT.name, updated_at: at}]
  const link = {...AUDIT, addon_id: ADDON.id, app_id: APP.id, connection_method: 'OAuth' as const, created_via_app: APP.name}
  data.connections = [
    {...link, id: 'c0c0c0c0-1111-4222-8333-444444444444', kind: 'salesforce', name: 'my_org', org: {id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', username: 'admin@my-org.example'}, status: 'connected'},
    {...link, id: 'c1c1c1c1-1111-4222-8333-444444444444', kind: 'datacloud', name: 'dc_org', org: {id: '00D000000000002EAA', instance_url: 'https://dc-org.my.salesforce.com', type: 'DataCloudOrg', username: 'admin@dc-org.example'}, status: 'connected'},
  ]
  const auth = {...link, access_token: options.accessToken, api_version: '62.0', app_name: APP.name}
  data.authorizations = [
    {...auth, id: 'a0a0a0a0-1111-4222-8333-444444444444', kind: 'salesforce', name: 'my_auth', org: {id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', username: 'user@my-org.example'}, status: 'authorized'},
    {...auth, id: 'a1a1a1a1-1111-4222-8333-444444444444', kind: 'datacloud', name: 'dc_auth', org: {id: '00D000000000002EAA', instance_url: 'https://dc-org.my.salesforce.com', type: 'DataCloudOrg', username: 'user@dc-org.example'}, status: 'authorized'},
  ]
  data.data_action_targets = [{...AUDIT, addon_id: ADDON.id, api_name: 'my_target', app_id: APP.id, connection_id: 'c1c1c1c1-1111-4222-8333-444444444444', id: 'd0d0d0d0-1111-4222-8333-444444444444', label: 'My target', status: 'created', target_endpoint: '/hook', type: 'webhook'}]
  data.publications = [{...AUDIT, addon_id: ADDON.id, agent_actions: [], app_uuid: APP.id, client_name: 'MyApi', connection_id: 'c0c0c0c0-1111-4222-8333-444444444444', connection_name: 'my_org', created_via_app: APP.name, esr_id: 'e5e5e5e5-1111-4222-8333-444444444444', esr_name: 'my_api', files: [], id: 'p0p0p0p0-1111-4222-8333-444444444444', operations: [], org_id: '00D000000000001EAA'}]
  data.orgs = []
}

export interface BackendOptions extends FixtureOptions {
  /** close by itself after this long without a request (default 120 s) */
  idleMs?: number
  /** status reads the emulator answers before a pending login or target finishes (default 1) */
  settleAfter?: number
}

const STATUS_READ = /^\/addons\/[^/]+\/(connections|authorizations)\/([^/]+)$|^\/addons\/[^/]+\/connections\/datacloud\/[^/]+\/data_action_targets\/([^/]+)$/

export class Backend {
  private idle?: NodeJS.Timeout
  private closed = false

  private constructor(readonly emu: Emulator, readonly faults: Faults, private readonly dataDir: string, private readonly options: BackendOptions) {}

  static async start(options: BackendOptions = {}): Promise<Backend> {
    const dataDir = mkdtempSync(join(tmpdir(), 'applink-backend-'))
    const faults = new Faults()
    // logins and targets finish by status reads (below), never on a timer
    const emu = await startEmulator({dataActionTargetMs: 3_600_000, dataDir, faults, port: 0})
    const backend = new Backend(emu, faults, dataDir, options)
    const {take} = faults
    faults.take = (method, path) => {
      backend.armIdleTimer()
      const rule = take.call(faults, method, path)
      // a read the emulator answers (not one a fault replaces) counts towards settling
      if (method === 'GET' && (!rule || rule.processed)) backend.read(path)
      return rule
    }

    backend.reset()
    return backend
  }

  get url(): string {
    return this.emu.url
  }

  /** `{ATTACHMENT}_API_URL` of the add-on */
  get apiUrl(): string {
    return `${this.url}/addons/${ADDON.id}`
  }

  get requests(): RecordedRequest[] {
    return this.faults.requests
  }

  get injections(): FaultRule[] {
    return this.faults.rules
  }

  /** The emulator's store, to look at or change what it holds. */
  get data(): StoreData {
    return this.emu.store.data
  }

  /** The environment that points the plugin at this backend. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return {HEROKU_API_KEY: HEROKU_TOKEN, HEROKU_HOST: this.url, ...extra}
  }

  /** The next `times` (default 1) requests matching METHOD path get `fault`. */
  inject(method: string, path: RegExp | string, fault: Fault, options: {processed?: boolean; times?: number} = {}): this {
    this.faults.add(method, path, fault, options)
    return this
  }

  /** An x-addon-sso header the emulator accepts: the base64 of its SSO answer, as the plugin sends it. */
  async ssoHeader(): Promise<string> {
    const res = await fetch(`${this.url}/apps/${APP.name}/addons/${ADDON.id}/sso`, {headers: {accept: 'application/vnd.heroku+json; version=3.sdk', authorization: `Bearer ${HEROKU_TOKEN}`}})
    if (!res.ok) throw new Error(`GET …/sso answered ${res.status}: ${await res.text()}`)
    return Buffer.from(await res.text()).toString('base64')
  }

  /** Recorded requests, optionally only METHOD (and a path or pattern). */
  seen(method?: string, path?: RegExp | string): RecordedRequest[] {
    return this.faults.seen(method, path)
  }

  /** Forgets rules and recordings and restores the seeded store. */
  reset(): void {
    this.faults.clear()
    this.reads.clear()
    seedFixture(this.emu.store.data, this.options)
    this.armIdleTimer()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.idle)
    await this.emu.close()
    rmSync(this.dataDir, {force: true, maxRetries: 3, recursive: true})
  }

  private readonly reads = new Map<string, number>()

  /**
   * A status read of a pending resource: the `settleAfter`-th one finds it finished, as if the user
   * had allowed the login in the browser (the emulator's own login page does the same) or Data
   * Cloud had created the target.
   */
  private read(path: string): void {
    const m = STATUS_READ.exec(path)
    if (!m) return
    const ref = decodeURIComponent(m[2] ?? m[3])
    const {data} = this
    const record = m[1] === 'connections' ? data.connections.find(c => c.id === ref || c.name === ref)
      : m[1] === 'authorizations' ? data.authorizations.find(a => a.id === ref || a.name === ref)
        : data.data_action_targets.find(t => t.api_name === ref)
    if (!record || !['authorizing', 'connecting', 'pending'].includes(record.status)) return
    const n = (this.reads.get(record.id) ?? 0) + 1
    this.reads.set(record.id, n)
    if (n < (this.options.settleAfter ?? 1)) return
    // Allow on the login page, as the default admin user
    if ('kind' in record) settleLogin(data, this.emu.store, {kind: m[1] === 'connections' ? 'connection' : 'authorization', record} as Pending, {decision: 'allow'})
    else record.status = 'created'
  }

  private armIdleTimer(): void {
    if (this.closed) return
    clearTimeout(this.idle)
    this.idle = setTimeout(() => this.close(), this.options.idleMs ?? 120_000)
    this.idle.unref()
  }
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
 * Mocha hooks for a describe block that runs commands in-process against one backend: started
 * before the block with the plugin's environment pointing at it (debug and proxy switches cleared),
 * reset before each test, and closed with the environment restored after. Call the returned
 * function inside a test to get the backend.
 */
export function useBackend(options: BackendOptions, env: Record<string, string>): () => Backend {
  let backend: Backend | undefined
  const saved: Record<string, string | undefined> = {}
  const cleared = ['DEBUG', 'HEROKU_DEBUG', 'HTTPS_PROXY', 'HTTP_PROXY', 'FORCE_COLOR']
  before(async () => {
    backend = await Backend.start(options)
    const all = backend.env(env)
    for (const k of [...Object.keys(all), ...cleared]) saved[k] = process.env[k]
    for (const k of cleared) delete process.env[k]
    Object.assign(process.env, all)
  })
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }

    await backend?.close()
  })
  beforeEach(() => backend?.reset())
  return () => backend as Backend
}

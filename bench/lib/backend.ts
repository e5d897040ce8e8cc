/**
 * The local server a measured command talks to: the project's AppLink emulator (from the installed
 * package, started in this process, with auto-approval and fault injection on, src/emulator/http/faults.ts).
 * It plays the Platform API and the AppLink API on one 127.0.0.1 port; the bench needs the
 * environment that points the CLI at it, the log of the requests (with start and end times), a delay
 * on every Platform API answer (to count rounds), and the instant an OAuth login (or a data action
 * target) was approved, on performance.now()'s clock.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {performance} from 'node:perf_hooks'
import {pathToFileURL} from 'node:url'

export const BENCH_APP = 'bench-app'
export const BENCH_CONNECTION = 'bench_org_1'
export const BENCH_DATACLOUD = 'bench_dc_1'
export const BENCH_AUTHORIZATION = 'bench_auth_1'

export type FlowKind = 'authorization' | 'connection' | 'data_action_target'

export interface LoggedRequest {
  /** when the request arrived, on performance.now()'s clock (to compare with the bench's own instants) */
  at: number
  /** when the answer ended, in ms on one clock with `start` */
  end: number
  method: string
  path: string
  /** true for Heroku Platform API routes, false for AppLink routes */
  platform: boolean
  /** when the request arrived */
  start: number
  status: number
}

export interface Backend {
  name: string
  env: Record<string, string>
  /** requests since the last clearLog() */
  readonly requests: LoggedRequest[]
  clearLog(): void
  /** when the flow just run (`name`: its connection/developer/API name) was approved */
  approvalAt(kind: FlowKind, name: string): Promise<number | undefined>
  /** holds every Platform API answer `ms` (0: no delay) */
  delayPlatform(ms: number): void
  close(): Promise<void>
}

/** the Platform API routes, as the bench counts them */
const PLATFORM = /^\/(apps\/|account$)/

/**
 * Groups Platform API requests into rounds: a round is the requests that were sent before the first
 * answer of the previous round came back. 1 round = all concurrent; n rounds = n waits in a row.
 */
export function platformRounds(requests: LoggedRequest[]): number {
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

interface Recorded {
  end?: number
  method: string
  path: string
  start: number
  status?: number
}

interface FaultsLike {
  readonly requests: Recorded[]
  readonly rules: unknown[]
  always(method: string, path: RegExp, fault: {delayMs: number}): unknown
  clear(): void
}

interface FaultsModule {
  Faults: new () => FaultsLike
}

interface EmulatorModule {
  startEmulator(options: {autoApprove?: boolean; autoApproveMs?: number; dataActionTargetMs?: number; dataDir: string; faults?: FaultsLike; log?: (line: string, kind: string) => void; port?: number; reset?: boolean}): Promise<{apiKey: string; close(): Promise<void>; url: string}>
}

/** The compiled emulator of an installed copy of the plugin, if it has one. */
export function emulatorModulePath(pluginRoot: string): string | undefined {
  const file = join(pluginRoot, 'dist', 'emulator', 'server', 'server.js')
  return existsSync(file) ? file : undefined
}

async function call(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<any> {
  const res = await fetch(url, {body: body === undefined ? undefined : JSON.stringify(body), headers: {accept: 'application/json', ...(body === undefined ? {} : {'content-type': 'application/json'}), ...headers}, method})
  const text = await res.text()
  if (!res.ok) throw new Error(`emulator setup: ${method} ${new URL(url).pathname} → ${res.status} ${text.slice(0, 200)}`)
  return text ? JSON.parse(text) : undefined
}

/** The bench's app as the emulator sees it: where its AppLink add-on answers, and the headers to call it with. */
interface Seeded {
  applink: Record<string, string>
  base: string
}

/**
 * Gives the emulator the bench's app, an AppLink add-on, Salesforce and Data Cloud connections and
 * an authorization (as a user would, through its Platform and AppLink APIs).
 */
async function seedBench(url: string, apiKey: string): Promise<Seeded> {
  const platform = {authorization: `Bearer ${apiKey}`}
  const app = await call(`${url}/apps`, 'POST', platform, {name: BENCH_APP})
  await call(`${url}/apps/${BENCH_APP}/addons`, 'POST', platform, {plan: 'heroku-applink'})
  const [attachment] = await call(`${url}/apps/${BENCH_APP}/addon-attachments`, 'GET', platform)
  const vars = await call(`${url}/apps/${BENCH_APP}/config-vars`, 'GET', platform)
  const apiUrl = new URL(vars[`${attachment.name}_API_URL`])
  const base = `${apiUrl.origin}/addons/${attachment.addon.id}`
  const applink = {authorization: `Bearer ${vars[`${attachment.name}_TOKEN`]}`, 'x-app-uuid': app.id}
  await call(`${base}/connections/salesforce`, 'POST', applink, {connection_name: BENCH_CONNECTION})
  await call(`${base}/connections/salesforce`, 'POST', applink, {connection_name: 'bench_org_2'})
  await call(`${base}/connections/datacloud`, 'POST', applink, {connection_name: BENCH_DATACLOUD})
  await call(`${base}/authorizations/salesforce`, 'POST', applink, {developer_name: BENCH_AUTHORIZATION, login_url: 'https://login.salesforce.com'})
  return {applink, base}
}

/** Waits (up to 10 s) until the emulator has approved every connection and authorization. */
async function untilApproved({applink, base}: Seeded): Promise<void> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const connections: {status: string}[] = await call(`${base}/connections`, 'GET', applink)
    const authorizations: {status: string}[] = await call(`${base}/authorizations`, 'GET', applink)
    if ([...connections, ...authorizations].every(r => r.status === 'connected' || r.status === 'authorized')) break
    if (Date.now() > deadline) throw new Error('emulator setup: the connections were not approved within 10 s')
    await new Promise(resolve => {
      setTimeout(resolve, 200)
    })
  }
}

const resourcePath: Record<FlowKind, (name: string) => string> = {
  authorization: name => `/authorizations/${encodeURIComponent(name)}`,
  connection: name => `/connections/${encodeURIComponent(name)}`,
  data_action_target: name => `/connections/datacloud/${BENCH_DATACLOUD}/data_action_targets/${encodeURIComponent(name)}`,
}

/** The Backend over a seeded emulator: its request log (from the faults), delays, and approval instants. */
function backendOf(emu: {apiKey: string; close(): Promise<void>; url: string}, faults: FaultsLike, {applink, base}: Seeded, dataDir: string): Backend {
  return {
    async approvalAt(kind, name) {
      // the emulator stamps last_modified_at (ms) when it approves; convert to performance.now()'s clock
      const r = await call(`${base}${resourcePath[kind](name)}`, 'GET', applink).catch(() => undefined)
      const wall = r?.last_modified_at ? Date.parse(r.last_modified_at) : Number.NaN
      return Number.isNaN(wall) ? undefined : wall - performance.timeOrigin
    },
    clearLog() {
      faults.requests.length = 0
    },
    async close() {
      await emu.close()
      rmSync(dataDir, {force: true, recursive: true})
    },
    delayPlatform(ms) {
      faults.rules.length = 0
      if (ms > 0) faults.always('*', PLATFORM, {delayMs: ms})
    },
    env: {HEROKU_API_KEY: emu.apiKey, HEROKU_HOST: emu.url},
    name: 'emulator',
    get requests() {
      // answered ones only, as they ended
      return faults.requests.filter(r => r.end !== undefined).map(r => ({at: r.start - performance.timeOrigin, end: r.end as number, method: r.method, path: r.path, platform: PLATFORM.test(r.path), start: r.start, status: r.status ?? 0}))
    },
  }
}

/**
 * Starts the compiled emulator with auto-approval after 1 s and fault injection on (for the request
 * log and the Platform API delay), and seeds it with the bench's app and its resources (seedBench).
 */
export async function emulatorBackend(file: string): Promise<Backend> {
  const {startEmulator} = await import(pathToFileURL(file).href) as EmulatorModule
  const {Faults} = await import(pathToFileURL(join(dirname(file), '..', 'http', 'faults.js')).href) as FaultsModule
  const faults = new Faults()
  const dataDir = mkdtempSync(join(tmpdir(), 'applink-bench-emu-'))
  const emu = await startEmulator({
    autoApprove: true,
    autoApproveMs: 1000,
    dataActionTargetMs: 1000,
    dataDir,
    faults,
    log(line, kind) {
      if (kind === 'error') process.stderr.write(`[bench] emulator: ${line.split('\n')[0]}\n`)
    },
    port: 0,
    reset: true,
  })
  const seeded = await seedBench(emu.url, emu.apiKey)
  await untilApproved(seeded)
  return backendOf(emu, faults, seeded, dataDir)
}

/**
 * The `mesh` group: `applink:mesh` of the installed plugin (run as its own CLI) in front of a tiny
 * app, against the bench's emulator (its add-on's HEROKU_APPLINK_API_URL and HEROKU_APPLINK_TOKEN in
 * the environment, as on a dyno):
 * - the latency the mesh adds at the median: per round, 200 requests straight to the app and 200
 *   through the mesh, alternating, one at a time on kept-alive connections; the figure is
 *   p50(through the mesh) − p50(direct) of each round. Two paths: an invocation (checked, then
 *   authenticated by the emulator's invocation check, then forwarded: the goal) and the health
 *   check (forwarded only: the proxy alone, shown);
 * - from the app listening (the instant its listen callback ran, which it prints) to the mesh
 *   ready to forward (its "App listening, forwarding requests" line reaching the bench), on the
 *   system clock both processes share, one mesh started per round.
 */
import {spawn} from 'node:child_process'
import {randomUUID} from 'node:crypto'
import {Agent, request} from 'node:http'
import {performance} from 'node:perf_hooks'

import {type Backend, BENCH_APP, BENCH_AUTHORIZATION} from '../backend.js'
import {log, runDir, runs} from '../options.js'
import type {Row} from '../report.js'
import {argv, envOf, limitRow, measured, na, ownCli, type Target} from '../targets.js'

const GOAL_ADDED_MS = 2
const GOAL_READY_MS = 300
const REQUESTS = 200
// the app: answers every request with a small JSON body; says when it listens
const APP = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => { s.writeHead(200, {'content-type': 'application/json'}); s.end('{"ok":true}') }) }).listen(Number(process.env.APP_PORT), '127.0.0.1', () => console.log('bench-app listening at ' + (performance.timeOrigin + performance.now())))`

async function getJson(url: string, headers: Record<string, string>): Promise<any> {
  const res = await fetch(url, {headers})
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`)
  return res.json()
}

/** The add-on's config vars and a fresh access token of the bench authorization's user. */
async function identity(server: Backend): Promise<{apiUrl: string; appId: string; orgId: string; orgUrl: string; token: string; user: string}> {
  const platform = {accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${server.env.HEROKU_API_KEY}`}
  const app = await getJson(`${server.env.HEROKU_HOST}/apps/${BENCH_APP}`, platform)
  const config = await getJson(`${server.env.HEROKU_HOST}/apps/${BENCH_APP}/config-vars`, platform)
  const apiUrl = config.HEROKU_APPLINK_API_URL as string
  const token = config.HEROKU_APPLINK_TOKEN as string
  const auth = await getJson(`${apiUrl}/authorizations/${BENCH_AUTHORIZATION}`, {authorization: `Bearer ${token}`, 'x-app-uuid': app.id})
  return {apiUrl, appId: app.id, orgId: auth.org.id, orgUrl: auth.org.instance_url, token, user: auth.org.user_auth.access_token}
}

interface Started {
  appListenedAt: number
  appPort: number
  port: number
  readyAt: number
  stop(): Promise<void>
}

/** Starts the mesh with the app; resolves once both the app's line and the mesh's ready line arrived. */
function startMesh(target: Target, server: Backend, env: Record<string, string>): Promise<Started> {
  // port 0 for both: the mesh picks them and says which in its environment line
  const cmd = argv(ownCli(target), ['applink:mesh', '--port', '0', '--app-port', '0', '--', process.execPath, '-e', APP])
  const child = spawn(cmd[0], cmd.slice(1), {cwd: runDir, detached: true, env: {...envOf(target, server), ...env} as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe']})
  return new Promise((resolve, reject) => {
    let appListenedAt = 0
    let readyAt = 0
    let text = ''
    const check = () => {
      const ports = /msg=environment .*http_port=(\d+) .*app_port=(\d+)/.exec(text)
      if (appListenedAt && readyAt && ports) {
        const [port, appPort] = [Number(ports[1]), Number(ports[2])]
        resolve({
          appListenedAt, appPort, port, readyAt,
          stop: () => new Promise(done => {
            child.once('close', () => done())
            process.kill(-(child.pid as number), 'SIGINT')
          }),
        })
      }
    }

    child.stdout.on('data', (c: Buffer) => {
      text += c
      const at = /bench-app listening at ([\d.]+)/.exec(text)
      if (!appListenedAt && at) appListenedAt = Number(at[1])
      check()
    })
    child.stderr.on('data', (c: Buffer) => {
      text += c
      if (!readyAt && text.includes('msg="App listening, forwarding requests"')) readyAt = performance.timeOrigin + performance.now()
      check()
    })
    child.once('close', code => reject(new Error(`applink:mesh exited ${code}: ${text.trim().split('\n').slice(-3).join(' | ')}`)))
  })
}

function timeRequest(agent: Agent, port: number, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = request({agent, headers, host: '127.0.0.1', method: 'GET', path, port}, res => {
      res.resume()
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`GET ${path} through port ${port}: ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end()
  })
}

const p50 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

export async function meshRows(ours: Target, server: Backend): Promise<Row[]> {
  if (!ours.inst) return []
  const none = na('the official plugin has no local mesh')
  const id = await identity(server)
  const env = {HEROKU_APPLINK_API_URL: id.apiUrl, HEROKU_APPLINK_TOKEN: id.token}
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64')
  const invocation = () => {
    const prefix = `${id.orgId}-${randomUUID()}`
    return {
      'x-client-context': b64({accessToken: id.user, apiVersion: '62.0', namespace: '', orgDomainUrl: id.orgUrl, orgId: id.orgId, requestId: prefix, userContext: {userId: '005', username: 'bench'}}),
      'x-request-context': b64({appUuid: id.appId, auth: id.user, id: prefix, loginUrl: id.orgUrl, orgDomainUrl: id.orgUrl, orgId: id.orgId, resource: 'http://127.0.0.1/bench', type: 'user'}),
      'x-request-id': `${prefix}-2026-12-07T00:00:00.000000Z`,
    }
  }

  const added: {health: number[]; invocation: number[]} = {health: [], invocation: []}
  const ready: number[] = []
  let problem: string | undefined
  try {
    for (let round = 0; round < Math.max(3, Math.min(runs, 5)); round++) {
      const mesh = await startMesh(ours, server, env)
      ready.push(mesh.readyAt - mesh.appListenedAt)
      const agent = new Agent({keepAlive: true, maxSockets: 1})
      try {
        for (const [kind, path, headers] of [['invocation', '/bench', invocation], ['health', '/healthcheck', () => ({})]] as const) {
          const direct: number[] = []
          const through: number[] = []
          for (let i = 0; i < 20; i++) await timeRequest(agent, mesh.port, path, headers())
          for (let i = 0; i < REQUESTS; i++) {
            direct.push(await timeRequest(agent, mesh.appPort, path, headers()))
            through.push(await timeRequest(agent, mesh.port, path, headers()))
          }

          added[kind].push(p50(through) - p50(direct))
        }
      } finally {
        agent.destroy()
        await mesh.stop()
      }
    }
  } catch (error) {
    problem = (error as Error).message.slice(0, 160)
    log(`mesh: ${problem}`)
  }

  const figure = (values: number[]) => (problem ? na(problem) : measured(values))
  return [
    limitRow('applink:mesh: latency added at p50, an invocation (checked, authenticated by the emulator, forwarded)', 'ms', figure(added.invocation), none, GOAL_ADDED_MS),
    {goal: '— (the proxy alone)', info: true, metric: 'applink:mesh: latency added at p50, the health check (forwarded only)', official: none, ours: figure(added.health), unit: 'ms'},
    limitRow('applink:mesh: app listening → mesh ready to forward', 'ms', figure(ready), none, GOAL_READY_MS),
  ]
}

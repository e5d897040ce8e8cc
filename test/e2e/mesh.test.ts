/**
 * applink:mesh end to end: the real `heroku` CLI with this plugin linked, the local emulator (an
 * app, its AppLink add-on and an authorized org user, made through the CLI), and an app run behind
 * the mesh as the buildpack runs it: an app built on the real `@heroku/applink` SDK, invoked with
 * `applink:invoke --mesh`; the process model (Ctrl-C, kill -9 of the mesh and of the app, an app
 * that exits at once, a port in use); a YAML file that does not parse.
 */
import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot} from '../../scripts/lib/heroku-env.mjs'
import {type CliHandle, type CliResult, expectNoSecrets, explain, heroku, herokuInBackground} from '../integration/helpers/cli.js'
import {TELEMETRY_DEFAULT} from '../integration/helpers/installed.js'
import {type EmulatorFixture, startEmulatorFixture} from './helpers/emulator.js'

const APP = 'e2e-mesh'
const SPEC = join(repoRoot, 'test', 'fixtures', 'invoke', 'api-spec.yaml')
const TEST_APP = join(repoRoot, 'test', 'fixtures', 'mesh', 'app.mjs')
const SDK_APP = join(repoRoot, 'test', 'fixtures', 'mesh', 'sdk-app.mjs')

/** True while the process exists and is not a zombie left for a parent that is gone. */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

async function gone(pids: number[], what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (pids.some(p => running(p))) {
    if (Date.now() > deadline) throw new Error(`${what}: still running: ${pids.filter(p => running(p)).join(', ')}`)
    await new Promise(resolve => {
      setTimeout(resolve, 100)
    })
  }
}

async function freePort(): Promise<number> {
  const s = createServer()
  await new Promise<void>(resolve => {
    s.listen(0, '127.0.0.1', resolve)
  })
  const {port} = s.address() as {port: number}
  await new Promise(resolve => {
    s.close(resolve)
  })
  return port
}

describe('e2e: applink:mesh through the heroku CLI against the emulator', function () {
  this.timeout(120_000)
  let emu: EmulatorFixture
  let dir: string
  const handles: CliHandle[] = []

  async function ok(args: string[], code = 0, options: {cwd?: string; env?: Record<string, string>} = {}): Promise<CliResult> {
    const r = await heroku(args, {cwd: options.cwd, env: {...emu.env, ...options.env}, timeoutMs: 60_000})
    expect(r.code, `heroku ${args.join(' ')}\n${explain(r)}`).to.equal(code)
    return r
  }

  /** `heroku applink:mesh -a APP --port P --app-port Q -- node FILE`, started, waited for until the app listens. */
  async function mesh(file: string, env: Record<string, string> = {}, ready = true): Promise<{handle: CliHandle; port: number}> {
    const [port, appPort] = [await freePort(), await freePort()]
    // telemetry at the CLI's default (its own signal and exit handlers), as users run it
    const handle = await herokuInBackground(['applink:mesh', '-a', APP, '--port', String(port), '--app-port', String(appPort), '--', process.execPath, file], {cwd: dir, env: {...emu.env, ...TELEMETRY_DEFAULT, ...env}})
    handles.push(handle)
    if (ready) await handle.waitFor(/msg="App listening, forwarding requests"/, {timeoutMs: 60_000})
    return {handle, port}
  }

  before(async function () {
    this.timeout(180_000)
    dir = mkdtempSync(join(tmpdir(), 'applink-mesh-e2e-'))
    emu = await startEmulatorFixture({autoApprove: true})
    await ok(['apps:create', APP])
    await ok(['addons:create', 'heroku-applink', '-a', APP])
    // as on Heroku, invocations are authenticated only for an org connected to the app's add-on
    // (auto-approve logs both in as the same admin, so they reach the same org)
    await ok(['salesforce:connect', 'my_org', '-a', APP])
    await ok(['salesforce:authorizations:add', 'my_auth', '-a', APP])
  })

  afterEach(async () => {
    for (const h of handles.splice(0)) await h.stop('SIGKILL', 1000)
  })

  after(async () => {
    await emu?.stop()
    rmSync(dir, {force: true, recursive: true})
  })

  it('an app on the @heroku/applink SDK, invoked with applink:invoke --mesh: authenticated by the emulator, the org queried as the user', async () => {
    const {handle, port} = await mesh(SDK_APP)
    const r = await ok(['applink:invoke', 'listAccounts', '-p', 'limit=2', '--mesh', '-a', APP, '--authorization', 'my_auth', '--spec', SPEC], 0, {env: {PORT: String(port)}})
    const accounts = JSON.parse(r.stdout) as Array<{id: string; name: string}>
    expect(accounts).to.have.length(2)
    for (const a of accounts) expect(a.id).to.match(/^001\w{15}$/)
    expect(r.stderr).to.match(new RegExp(`^200 OK  GET http://127\\.0\\.0\\.1:${port}/accounts\\?limit=2 \\(\\d+ ms\\)\\n$`))
    await handle.waitFor(/sdk-app: \S+ of org 00D\w+ read 2 accounts/)
    const sequence = [...handle.stderr.matchAll(/level=(\w+) msg=("[^"]*"|\S+)/g)].map(m => `${m[1]} ${m[2].replaceAll('"', '')}`)
    expect(sequence.slice(sequence.indexOf('INFO Processing request to /accounts...'))).to.deep.equal([
      'INFO Processing request to /accounts...', 'INFO Validating request...', 'INFO Valid request!', 'INFO Found Salesforce request',
      sequence.find(s => s.startsWith('INFO Authenticating Salesforce request for org 00D')), 'INFO Authenticated request!', 'INFO Forwarding request...',
    ])
    expect(handle.stdout).to.match(/\] "GET http:\/\/127\.0\.0\.1:\d+\/accounts\?limit=2 HTTP\/1\.1" from 127\.0\.0\.1:\d+ - 200 \d+B in /)
    const data = JSON.parse(readFileSync(join(emu.dataDir, 'data.json'), 'utf8')) as {addons: Array<{token: string}>; authorizations: Array<{access_token: string}>}
    expectNoSecrets(handle.stdout + handle.stderr + r.stdout + r.stderr, [data.authorizations[0].access_token, data.addons[0].token, emu.env.HEROKU_API_KEY])

    // without the context header the mesh answers as production does, and the app sees nothing new
    const bare = await ok(['applink:invoke', 'listAccounts', '--mesh', '-a', APP, '--authorization', 'my_auth', '--spec', SPEC, '-H', 'x-request-context:'], 1, {env: {PORT: String(port)}})
    expect(bare.stdout).to.equal('400 Invalid request\n')
  })

  it('Ctrl-C goes to the app, which stops as it chooses; the mesh then exits 130', async () => {
    const {handle} = await mesh(TEST_APP, {MESH_APP_SIGNALS: '1'})
    const r = await handle.stop('SIGINT', 15_000)
    expect(r.code, explain(r)).to.equal(130)
    expect(r.stdout).to.contain('app: got SIGINT, stopping\n')
  })

  it('kill -9 of the mesh: the watchdog stops the app and what it started', async () => {
    const pids = join(dir, 'pids-mesh')
    const {handle} = await mesh(TEST_APP, {MESH_APP_PIDS: pids})
    const [app, grandchild] = readFileSync(pids, 'utf8').trim().split(' ').map(Number)
    expect(running(app) && running(grandchild)).to.equal(true)
    process.kill(handle.child.pid as number, 'SIGKILL')
    await gone([app, grandchild], 'after kill -9 of the mesh')
  })

  it('kill -9 of the app: the mesh stops the rest of its group and exits 1 as production does', async () => {
    const pids = join(dir, 'pids-app')
    const {handle} = await mesh(TEST_APP, {MESH_APP_PIDS: pids})
    const [app, grandchild] = readFileSync(pids, 'utf8').trim().split(' ').map(Number)
    process.kill(app, 'SIGKILL')
    const r = await handle.done
    expect(r.code, explain(r)).to.equal(1)
    expect(r.stdout).to.contain('Error executing command: signal: killed\n')
    await gone([grandchild], 'after kill -9 of the app')
  })

  it('an app that exits at once: one error, exit 1', async () => {
    const {handle} = await mesh(TEST_APP, {MESH_APP_EXIT: '3'}, false)
    const r = await handle.done
    expect(r.code, explain(r)).to.equal(1)
    expect(r.stderr).to.contain('app: giving up at once\n')
    expect(r.stderr).to.match(new RegExp(`Error: The app exited \\(exit status 3\\) before it listened on port \\d+: ${process.execPath.replaceAll('/', '\\/')} ${TEST_APP.replaceAll('/', '\\/')}\\n  › Its own output is above\\. The app must keep running and listen on APP_PORT \\(\\d+\\), not on PORT \\(\\d+, the mesh's\\)\\.\\n$`))
  })

  it('the mesh\'s port in use: one error, exit 1, the app not started', async () => {
    const taken: Server = createServer()
    await new Promise<void>(resolve => {
      taken.listen(0, '127.0.0.1', resolve)
    })
    const {port} = taken.address() as {port: number}
    try {
      const pids = join(dir, 'pids-port')
      const r = await ok(['applink:mesh', '-a', APP, '--port', String(port), '--', process.execPath, TEST_APP], 1, {cwd: dir, env: {MESH_APP_PIDS: pids}})
      expect(r.stderr).to.equal(`Error: Port ${port} is already in use, so the mesh cannot listen there; the app was not started.\n  › Stop what listens there, or give the mesh another port with --port PORT (else $PORT, else 8070).\n`)
      expect(() => readFileSync(pids), 'the app never ran').to.throw()
    } finally {
      taken.close()
    }
  })

  it('a heroku-applink-service-mesh.yaml that does not parse, or holds an unknown key: one error naming the file and line, exit 2', async () => {
    const cwd = mkdtempSync(join(dir, 'yaml-'))
    writeFileSync(join(cwd, 'heroku-applink-service-mesh.yaml'), 'app:\n  port: "3000"\nmesh:\n  authentication: {bypassRoutes: ["/a"\n')
    const broken = await ok(['applink:mesh', '-a', APP, '--', process.execPath, TEST_APP], 2, {cwd})
    expect(broken.stderr).to.match(/^Error: heroku-applink-service-mesh\.yaml line [45]: not valid YAML: .+; the mesh did not start\.\n {2}› The mesh reads app\.host, app\.port, mesh\.authentication\.bypassRoutes, mesh\.healthcheck\.enable, mesh\.healthcheck\.route \(docs\/mesh\.md\)\. Fix the file, or give another with --config FILE\.\n$/)
    writeFileSync(join(cwd, 'heroku-applink-service-mesh.yaml'), 'mesh:\n  authentication:\n    bypassRoute: ["/a"]\n')
    const unknown = await ok(['applink:mesh', '-a', APP, '--', process.execPath, TEST_APP], 2, {cwd})
    expect(unknown.stderr.split('\n')[0]).to.equal('Error: heroku-applink-service-mesh.yaml line 3: unknown key "bypassRoute" under mesh.authentication; the mesh did not start.')
  })
})

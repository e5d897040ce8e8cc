/**
 * The mesh run in this process in front of a child app (test/fixtures/mesh/app.mjs), against the
 * emulator: the app gets APP_PORT, its output and the mesh's lines pass through, and every line
 * is copied to the emulator's log store as the shared contract says (the route is scripted here
 * with the emulator's fault rules; without it, one warning and the mesh runs on).
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'

import {meshSettings, type MeshRun, startMesh} from '../../../src/lib/mesh/run.js'
import {createIO} from '../../../src/lib/ui/io.js'
import {removeTempDirs} from '../../emulator/helpers.js'
import {exchange, invocationHeaders, meshBackend, type MeshBackend} from './helpers.js'

const APP_FILE = join(process.cwd(), 'test', 'fixtures', 'mesh', 'app.mjs')

describe('mesh: a run with its app, and the copy of its lines to the emulator\'s log store', function () {
  this.timeout(60_000)
  let b: MeshBackend
  let dir: string
  let run: MeshRun | undefined
  let out = ''
  let err = ''

  before(async () => {
    b = await meshBackend()
  })
  after(async () => {
    await b.emu.close()
    removeTempDirs()
  })
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mesh-run-'))
    out = ''
    err = ''
    b.faults.clear()
  })
  afterEach(() => {
    run?.stopNow('SIGTERM')
    run = undefined
    rmSync(dir, {force: true, recursive: true})
  })

  async function start(): Promise<MeshRun> {
    const stdout = new PassThrough()
    const stderr = new PassThrough()
    stdout.on('data', c => {
      out += c
    })
    stderr.on('data', c => {
      err += c
    })
    const io = createIO({env: {}, stderr, stdout})
    const settings = await meshSettings({appPort: 0, port: 0}, {}, dir)
    run = await startMesh({
      applink: {apiUrl: b.p.apiUrl, token: b.p.token},
      command: [process.execPath, APP_FILE],
      cwd: dir,
      env: {PATH: process.env.PATH},
      io,
      logStore: {apiKey: b.emu.apiKey, app: 'my-app', host: b.emu.url},
      settings,
      version: '9.9.9',
    })
    await run.ready
    return run
  }

  it('posts the app\'s lines and its own to POST /__emulator/apps/{app}/log-lines, source app, dyno web.1', async () => {
    const mesh = await start()
    const {headers} = invocationHeaders(b)
    const r = await exchange(mesh.port, 'GET', '/accounts', headers)
    expect(r.status).to.equal(200)
    expect(JSON.parse(r.body).headers.host).to.equal(`127.0.0.1:${mesh.appPort}`)
    const posted = async () => b.faults.seen('POST', '/__emulator/apps/my-app/log-lines').flatMap(q => JSON.parse(q.body.toString('utf8')).lines as Array<{dyno: string; message: string; source: string; time: string}>)
    let lines = await posted()
    for (let i = 0; i < 50 && !lines.some(l => l.message === 'app: GET /accounts'); i++) {
      await new Promise(resolve => {
        setTimeout(resolve, 100)
      })
      lines = await posted()
    }

    const [call] = b.faults.seen('POST', '/__emulator/apps/my-app/log-lines')
    expect(call.headers.authorization).to.equal(`Bearer ${b.emu.apiKey}`)
    expect(call.headers['content-type']).to.equal('application/json')
    const messages = lines.map(l => l.message)
    expect(messages).to.include(`app: listening on ${mesh.appPort} (PORT=)`)
    expect(messages).to.include('app: GET /accounts')
    expect(messages.some(m => /^time=\S+ level=INFO msg="Forwarding request\.\.\." request-id=/.test(m))).to.equal(true)
    expect(messages.some(m => / \[00D[^\]]+\] "GET http:\/\/127\.0\.0\.1:\d+\/accounts HTTP\/1\.1" from /.test(m)), 'the access line').to.equal(true)
    for (const l of lines) {
      expect([l.source, l.dyno]).to.deep.equal(['app', 'web.1'])
      expect(l.time).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00$/)
    }

    expect(out).to.contain(`app: listening on ${mesh.appPort}`)
    expect(err).to.not.contain('Warning')
    // and the emulator kept them: what `heroku logs -a my-app` reads
    const session = await fetch(`${b.emu.url}/apps/my-app/log-sessions`, {body: JSON.stringify({lines: 1500, tail: false}), headers: {accept: 'application/vnd.heroku+json; version=3.sdk', authorization: `Bearer ${b.emu.apiKey}`, 'content-type': 'application/json'}, method: 'POST'})
    const {logplex_url: url} = await session.json() as {logplex_url: string}
    const stream = await (await fetch(url, {headers: {accept: 'text/event-stream'}})).text()
    expect(stream).to.match(/^data: \S+ app\[web\.1\]: app: GET \/accounts$/m)
  })

  it('an emulator without the route (an older one, 404): one warning, and the mesh runs on', async () => {
    b.faults.always('POST', '/__emulator/apps/my-app/log-lines', {body: {id: 'not_found', message: 'The emulator has no route for POST /__emulator/apps/my-app/log-lines.'}, status: 404})
    const mesh = await start()
    for (let i = 0; i < 3; i++) {
      expect((await exchange(mesh.port, 'GET', '/healthcheck')).status).to.equal(200)
      await new Promise(resolve => {
        setTimeout(resolve, 250)
      })
    }

    const warnings = err.split('\n').filter(l => l.startsWith('Warning:'))
    expect(warnings).to.deep.equal(['Warning: the mesh\'s log lines do not reach the emulator\'s log store for my-app (the emulator answered 404); `heroku logs` will not show them. The mesh runs on.'])
  })

  it('a command that does not exist: one error, exit 2, the mesh closed', async () => {
    const settings = await meshSettings({appPort: 0, port: 0}, {}, dir)
    const io = createIO({env: {}, stderr: new PassThrough(), stdout: new PassThrough()})
    const error = await startMesh({applink: {apiUrl: b.p.apiUrl, token: b.p.token}, command: ['no-such-command-for-the-mesh', 'start'], cwd: dir, env: {PATH: process.env.PATH}, io, settings, version: '9.9.9'}).catch(e => e)
    expect([error.message, error.exitCode]).to.deep.equal(['Cannot run no-such-command-for-the-mesh: no such command (ENOENT).', 2])
  })
})

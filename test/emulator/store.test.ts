import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {createInterface} from 'node:readline'
import {fileURLToPath} from 'node:url'

import type {Emulator} from '../../src/emulator/server/server.js'
import {LOCK_FILE, STORE_FILE, STORE_VERSION, Store, StoreError} from '../../src/emulator/store/store.js'
import {answerLogin, applink, platform, provision, type Provisioned, removeTempDirs, request, start, tempDir, testKeys, waitFor} from './helpers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SPEC = readFileSync(new URL('fixtures/orders.yaml', import.meta.url))

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }

  throw new Error('expected a rejection')
}

/** Everything a user can read back through the APIs. */
async function snapshot(emu: Emulator, p: Provisioned): Promise<unknown> {
  const get = async (path: string) => (await applink(emu, p, 'GET', path)).body
  return {
    addons: (await platform(emu, 'GET', '/addons')).body,
    apps: (await platform(emu, 'GET', '/apps')).body,
    authorization: await get('/authorizations/my_auth'),
    authorizations: await get('/authorizations'),
    config: (await platform(emu, 'GET', '/apps/my-app/config-vars')).body,
    connections: await get('/connections'),
    publications: await get(`/connections/salesforce/my_org/apps/${p.app.id}`),
    targets: await get('/connections/datacloud/dc_org/data_action_targets'),
  }
}

const children = new Set<ChildProcess>()

/** Starts the emulator in a child process (tsx) and resolves with its URL and key once it listens. */
function spawnEmulator(dataDir: string): Promise<{apiKey: string; child: ChildProcess; url: string}> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/emulator/fixtures/serve.ts'), dataDir], {cwd: root, stdio: ['ignore', 'pipe', 'pipe']})
  children.add(child)
  child.once('exit', () => children.delete(child))
  let stderr = ''
  child.stderr!.on('data', d => {
    stderr += d
  })
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the emulator did not start: ${stderr}`))
    }, 60_000)
    createInterface({input: child.stdout!}).once('line', line => {
      clearTimeout(timer)
      resolve({...JSON.parse(line), child})
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`the emulator exited with ${code}: ${stderr}`))
    })
  })
}

describe('emulator: the store', () => {
  afterEach(() => {
    // no child outlives its test, even one that failed half-way
    for (const child of children) child.kill('SIGKILL')
    removeTempDirs()
  })

  it('keeps everything across a restart, on the same port and on a new one', async () => {
    let emu = await start({dataActionTargetMs: 20})
    const {dataDir, port} = emu
    const p = await provision(emu)
    const c = await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'my_org'})
    await answerLogin(c.body.redirect_uri, {decision: 'allow', username: 'me@acme.example'})
    await applink(emu, p, 'POST', '/connections/salesforce', {connection_name: 'pending_org'})
    const dc = await applink(emu, p, 'POST', '/connections/datacloud', {connection_name: 'dc_org'})
    await answerLogin(dc.body.redirect_uri, {decision: 'allow'})
    await applink(emu, p, 'POST', '/connections/datacloud/dc_org/data_action_targets', {api_name: 'T_1', label: 'T 1', target_endpoint: '/t', type: 'webhook'})
    await applink(emu, p, 'POST', '/authorizations/salesforce/jwt', {client_id: 'c', developer_name: 'my_auth', jwt_private_key: (await testKeys()).rsa, username: 'int@acme.example'})
    await platform(emu, 'PATCH', '/apps/my-app/config-vars', {GREETING: 'hello'})
    const form = new FormData()
    const {zipSync} = await import('fflate')
    form.append('metadata', new Blob([zipSync({'api-spec.yaml': SPEC})]), 'm.zip')
    form.append('app_request', new Blob([JSON.stringify({client_name: 'OrdersAPI'})], {type: 'application/json'}))
    const multipart = new Response(form)
    const published = await applink(emu, p, 'POST', '/connections/salesforce/my_org/apps', new Uint8Array(await multipart.arrayBuffer()), {'content-type': multipart.headers.get('content-type')!})
    expect(published.status).to.equal(201)
    // the data action target finishes on its own schedule: wait for it, however busy the machine is
    await waitFor(async () => {
      const targets = (await applink(emu, p, 'GET', '/connections/datacloud/dc_org/data_action_targets')).body as Array<{status: string}>
      return targets[0]?.status === 'created' ? true : undefined
    }, 'the data action target to be created', 60_000)
    const before = await snapshot(emu, p)
    const {apiKey} = emu
    await emu.close()
    expect(existsSync(join(dataDir, LOCK_FILE))).to.equal(false)

    emu = await start({dataDir, port})
    expect(emu.apiKey).to.equal(apiKey)
    expect(await snapshot(emu, p)).to.deep.equal(before)
    expect((before as {targets: Array<{status: string}>}).targets[0].status).to.equal('created')
    await emu.close()

    // on another port the add-on's API URL and the pending login link follow the new origin
    emu = await start({dataDir})
    const config = (await platform(emu, 'GET', '/apps/my-app/config-vars')).body
    expect(config.HEROKU_APPLINK_API_URL).to.equal(`${emu.url}/addons/${p.addon.id}`)
    const pending = (await applink(emu, p, 'GET', '/connections/pending_org')).body
    expect(pending.redirect_uri.startsWith(`${emu.url}/oauth/login?state=`)).to.equal(true)
    expect((await answerLogin(pending.redirect_uri, {decision: 'allow'})).status).to.equal(200)
    await emu.close()
  })

  it('never loses a write it acknowledged, nor leaves a broken store, when killed during writes', async function () {
    this.timeout(300_000)
    const dataDir = tempDir()
    const acknowledged = new Set<string>()
    let p: Provisioned | undefined
    for (let round = 0; round < 5; round++) {
      const {apiKey, child, url} = await spawnEmulator(dataDir)
      const exited = new Promise(r => {
        child.once('exit', r)
      })
      const emu = {apiKey, url} as Emulator
      p ??= await provision(emu)
      // eight writers send without pause; the process is killed right after a random number of
      // acknowledged writes (not after some time: how far a busy machine gets in a while varies),
      // while the other writers' requests are on their way
      const killAfter = 3 + Math.floor(Math.random() * 25)
      let acked = 0
      let inFlight = 0
      let inFlightAtKill = -1
      const writer = async (w: number) => {
        for (let i = 0; ; i++) {
          const name = `r${round}_w${w}_n${i}`
          inFlight++
          try {
            const res = await applink(emu, p!, 'POST', '/connections/salesforce', {connection_name: name})
            inFlight--
            if (res.status !== 202) continue
            acknowledged.add(name)
            if (++acked === killAfter) {
              inFlightAtKill = inFlight
              child.kill('SIGKILL')
            }
          } catch {
            // the process is gone: this request got no answer
            return
          }
        }
      }

      await Promise.all([...Array.from({length: 8}, (_, w) => writer(w)), exited])
      expect(acked, 'writes acknowledged before the kill').to.be.at.least(killAfter)
      expect(inFlightAtKill, 'requests under way when the process was killed').to.be.at.least(1)

      // the store loads, holds every acknowledged write, and no temporary file is left behind
      const store = Store.open(dataDir)
      const names = new Set(store.data.connections.map(c => c.name))
      await store.close()
      for (const name of acknowledged) expect(names.has(name), `${name} was acknowledged`).to.equal(true)
      expect(readdirSync(dataDir).filter(f => f.endsWith('.tmp'))).to.deep.equal([])
    }

  })

  it('loses no update when many requests arrive at once', async () => {
    let emu = await start()
    const p = await provision(emu)
    const names = Array.from({length: 40}, (_, i) => `org_${i}`)
    const results = await Promise.all(names.map(n => applink(emu, p, 'POST', '/connections/salesforce', {connection_name: n})))
    expect(results.map(r => r.status)).to.deep.equal(names.map(() => 202))
    const {dataDir} = emu
    await emu.close()
    emu = await start({dataDir})
    const list = (await applink(emu, p, 'GET', '/connections')).body as Array<{org: {connection_name: string}}>
    expect(list.map(c => c.org.connection_name).sort()).to.deep.equal([...names].sort())
    await emu.close()
  })

  it('answers 500 internal_error when a handler fails (here: the store cannot be written), logs it, and keeps serving', async () => {
    const logged: string[] = []
    const emu = await start({log: (line, kind) => kind === 'error' && logged.push(line)})
    await provision(emu)
    // the data directory turns into a file: every write now fails
    rmSync(emu.dataDir, {force: true, recursive: true})
    writeFileSync(emu.dataDir, 'not a directory')
    const failed = await platform(emu, 'POST', '/apps', {name: 'doomed-app'})
    expect(failed.status).to.equal(500)
    expect(failed.body).to.deep.equal({id: 'internal_error', message: 'The emulator failed to handle this request; see its log.'})
    expect(logged).to.have.length(1)
    expect(logged[0]).to.match(/^internal error on POST \/apps: Error: ENOTDIR/)
    expect((await platform(emu, 'GET', '/apps/my-app')).status).to.equal(200)
    // once the directory is back, writes work again
    rmSync(emu.dataDir)
    mkdirSync(emu.dataDir)
    expect((await platform(emu, 'POST', '/apps', {name: 'fine-app'})).status).to.equal(201)
    expect(JSON.parse(readFileSync(join(emu.dataDir, STORE_FILE), 'utf8')).apps.map((a: {name: string}) => a.name)).to.include('fine-app')
    await emu.close()
  })

  it('refuses a second emulator on the same data directory, and takes over a stale lock', async () => {
    const emu = await start()
    const second = await rejection(start({dataDir: emu.dataDir}))
    expect(second).to.be.instanceOf(StoreError)
    expect(second.message).to.equal(`Another emulator (pid ${process.pid}) is already using ${emu.dataDir}. Stop it first, or give this one another --data-dir.`)
    expect((await request(`${emu.url}/`)).status).to.equal(200)
    await emu.close()
    // a lock left by a process that is gone
    writeFileSync(join(emu.dataDir, LOCK_FILE), '999999999\n')
    const again = await start({dataDir: emu.dataDir})
    expect(readFileSync(join(emu.dataDir, LOCK_FILE), 'utf8')).to.equal(`${process.pid}\n`)
    await again.close()
  })

  it('fails with a clear message on an unparsable store and leaves the file as it was', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, STORE_FILE)
    writeFileSync(file, '{"version": 1, "apps": [')
    const error = await rejection(start({dataDir}))
    expect(error).to.be.instanceOf(StoreError)
    expect(error.message).to.match(new RegExp(`^The emulator store ${file.replaceAll('/', '\\/')} is not valid JSON \\(.+\\)\\. It was left as it is: move it away, or start with --reset to empty it\\.$`))
    expect(readFileSync(file, 'utf8')).to.equal('{"version": 1, "apps": [')
    expect(existsSync(join(dataDir, LOCK_FILE))).to.equal(false)
  })

  it('fails with a clear message on a store from a newer version, or without a version', async () => {
    const dataDir = tempDir()
    const file = join(dataDir, STORE_FILE)
    const newer = JSON.stringify({apps: [], future_things: [], version: STORE_VERSION + 1})
    writeFileSync(file, newer)
    const error = await rejection(start({dataDir}))
    expect(error.message).to.equal(`The emulator store ${file} was written by a newer emulator (store version ${STORE_VERSION + 1}; this one reads up to ${STORE_VERSION}). Update the plugin, or use another --data-dir.`)
    expect(readFileSync(file, 'utf8')).to.equal(newer)
    writeFileSync(file, JSON.stringify({apps: []}))
    expect((await rejection(start({dataDir}))).message).to.equal(`The emulator store ${file} has no valid "version" field (found undefined), so its format is unknown. Move it away, or start with --reset to empty it.`)
    writeFileSync(file, JSON.stringify({apps: {}, version: 1}))
    expect((await rejection(start({dataDir}))).message).to.contain('is damaged: "apps" is not a list')
  })

  it('loads a store written before a collection existed', async () => {
    const first = await start()
    const p = await provision(first)
    await first.close()
    const file = join(first.dataDir, STORE_FILE)
    const data = JSON.parse(readFileSync(file, 'utf8'))
    delete data.data_action_targets
    delete data.publications
    writeFileSync(file, JSON.stringify(data))
    const emu = await start({dataDir: first.dataDir})
    expect((await platform(emu, 'GET', '/apps/my-app')).body.id).to.equal(p.app.id)
    expect(emu.store.data.publications).to.deep.equal([])
    await emu.close()
    expect(JSON.parse(readFileSync(file, 'utf8')).data_action_targets).to.deep.equal([])
  })

  it('--reset empties the store (even an unparsable one) and keeps the API key', async () => {
    const first = await start()
    await provision(first)
    const {apiKey, dataDir} = first
    await first.close()
    const emu = await start({dataDir, reset: true})
    expect(emu.wasReset).to.equal(true)
    expect(emu.apiKey).to.equal(apiKey)
    expect((await platform(emu, 'GET', '/apps')).body).to.deep.equal([])
    await emu.close()
    writeFileSync(join(dataDir, STORE_FILE), 'garbage')
    const fresh = await start({dataDir, reset: true})
    expect(fresh.wasReset).to.equal(true)
    expect(JSON.parse(readFileSync(join(dataDir, STORE_FILE), 'utf8')).version).to.equal(STORE_VERSION)
    await fresh.close()
  })
})

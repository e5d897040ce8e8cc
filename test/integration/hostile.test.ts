/**
 * Through the real `heroku` CLI against the emulator: a bounded burst of parallel CLI processes
 * writing at once (every acknowledged write is there, once), and NODE_DEBUG=http, node's own HTTP
 * trace, which must not print the Heroku API key or the AppLink token.
 */
import {expect} from 'chai'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import type {Emulator} from '../../src/emulator/server/server.js'
import {provision, type Provisioned, removeTempDirs, start, testKeys} from '../emulator/helpers.js'
import {expectNoSecrets, explain, heroku, sharedStage} from './helpers/cli.js'

const BURST = 20

describe('the heroku CLI against one emulator: hostile conditions', function () {
  this.timeout(600_000)
  let emu: Emulator
  let p: Provisioned
  let dir: string
  let keyFile: string
  let env: Record<string, string>

  before(async () => {
    await sharedStage()
    emu = await start()
    p = await provision(emu)
    dir = mkdtempSync(join(tmpdir(), 'applink-burst-'))
    keyFile = join(dir, 'server.key')
    writeFileSync(keyFile, (await testKeys()).rsa, {mode: 0o600})
    env = {HEROKU_API_KEY: emu.apiKey, HEROKU_HOST: emu.url}
  })
  after(async () => {
    await emu?.close()
    removeTempDirs()
    rmSync(dir, {force: true, recursive: true})
  })

  it(`${BURST} CLI processes writing at once: every acknowledged write is stored, once`, async () => {
    const names = Array.from({length: BURST}, (_, i) => `burst_${i}`)
    const results = await Promise.all(names.map(name => heroku(
      ['salesforce:connect:jwt', name, '--client-id', '3MVG9-burst', '--jwt-key-file', keyFile, '--username', `${name}@example.com`, '-a', 'my-app', '--json'],
      {env, timeoutMs: 480_000},
    )))
    const acknowledged = names.filter((name, i) => {
      const r = results[i]
      if (r.code !== 0) return false
      const body = JSON.parse(r.stdout)
      expect(body.org.connection_name, explain(r)).to.equal(name)
      return true
    })
    // an emulator on one machine has no reason to refuse any of them
    expect(acknowledged, results.filter(r => r.code !== 0).map(r => explain(r)).join('\n')).to.deep.equal(names)

    const stored = emu.store.data.connections.map(c => c.name).filter(n => n.startsWith('burst_')).sort()
    expect(stored).to.deep.equal([...names].sort())
    // and the CLI reads them back
    const list = await heroku(['applink:connections', '-a', 'my-app', '--json'], {env, timeoutMs: 120_000})
    expect(list.code, explain(list)).to.equal(0)
    expect(JSON.parse(list.stdout).map((c: {org: {connection_name: string}}) => c.org.connection_name).filter((n: string) => n.startsWith('burst_')).sort()).to.deep.equal([...names].sort())
  })

  it('NODE_DEBUG=http traces the requests without the Heroku API key or the AppLink token', async () => {
    const r = await heroku(['applink:connections', '-a', 'my-app'], {env: {...env, NODE_DEBUG: 'http'}, timeoutMs: 120_000})
    expect(r.code, explain(r)).to.equal(0)
    // the trace is on: node printed the connections it made
    expect(r.stderr).to.match(/HTTP \d+: createConnection/)
    expectNoSecrets(r.stdout + r.stderr, [emu.apiKey, p.token])
  })
})

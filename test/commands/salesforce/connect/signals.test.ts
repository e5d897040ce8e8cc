/**
 * salesforce:connect as a real process (the compiled ./bin/run.js after `npm run build`, else the
 * sources through tsx), without a TTY, against the emulator on 127.0.0.1 (test/helpers/backend.ts)
 * playing both the Platform API (HEROKU_HOST) and the AppLink API: Ctrl-C / SIGTERM while polling, and a stdin that
 * stays open but never sends anything.
 */
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ADDON, APP, assertNoSecrets, connection, HEROKU_TOKEN, root, SSO_BODY} from '../../../helpers/applink.js'
import {Backend, useRealNetwork} from '../../../helpers/backend.js'
import {REDIRECT} from '../../../helpers/flow.js'

const ID = 'c9c9c9c9-1111-4222-8333-444444444444'
const pending = connection({id: ID, org: {connection_name: 'new_org', type: 'SalesforceOrg'}, redirect_uri: REDIRECT, status: 'connecting'})
const done = connection({id: ID, status: 'connected'})

interface Fake {
  backend: Backend
  polls: number
  requests: string[]
  url: string
}

/**
 * The emulator with the shared fixture answers the add-on resolution (its SSO answer is the
 * fixture's, so every secret of test/helpers/applink.ts is in play); the POST and the status GETs
 * are scripted: `connecting` until `connectedAfter` polls.
 */
async function fakeServices(connectedAfter = Number.POSITIVE_INFINITY): Promise<Fake> {
  const backend = await Backend.start()
  const base = `/addons/${ADDON.id}`
  const fake: Fake = {
    backend,
    polls: 0,
    get requests() {
      return backend.requests.map(r => `${r.method} ${r.path}`)
    },
    url: backend.url,
  }
  backend
  .inject('GET', `/apps/${APP.name}/addons/${ADDON.id}/sso`, {body: SSO_BODY, status: 200}, {times: Number.POSITIVE_INFINITY})
  .inject('POST', `${base}/connections/salesforce`, {body: pending, status: 202})
  .inject('GET', `${base}/connections/${ID}`, {reply() {
    fake.polls++
    return {body: fake.polls >= connectedAfter ? done : pending, status: 200}
  }}, {times: Number.POSITIVE_INFINITY})
  return fake
}

interface Proc {
  child: ChildProcess
  exit: Promise<number | null>
  stderr: () => string
  stdout: () => string
  /** resolves once stderr contains `text` */
  waitFor(text: string): Promise<void>
}

function start(args: string[], env: Record<string, string>, home: string): Proc {
  const compiled = existsSync(join(root, 'dist/commands/salesforce/connect/index.js'))
  const node = compiled ? [join(root, 'bin/run.js')] : ['--import', 'tsx', join(root, 'bin/run.js')]
  const child = spawn(process.execPath, [...node, ...args], {
    cwd: root,
    env: {
      APPLINK_POLL_INTERVAL_MS: '20',
      CI: 'true',
      HOME: home,
      NODE_ENV: compiled ? 'production' : 'development',
      OCLIF_DISABLE_LINKED_ESM_WARNING: 'true',
      PATH: process.env.PATH ?? '',
      ...env,
    },
    // stdin is a pipe that stays open and never sends a byte: the command must not wait on it
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  const waiters: {resolve: () => void; text: string}[] = []
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString()
  })
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString()
    for (const w of waiters.filter(w => err.includes(w.text))) w.resolve()
  })
  const exit = new Promise<number | null>(resolve => {
    child.on('exit', code => resolve(code))
  })
  return {
    child,
    exit,
    stderr: () => err,
    stdout: () => out,
    waitFor: text => new Promise<void>((resolve, reject) => {
      if (err.includes(text)) return resolve()
      waiters.push({resolve, text})
      exit.then(code => reject(new Error(`exited ${code} before printing ${JSON.stringify(text)}\n--- stderr ---\n${err}`)))
    }),
  }
}

describe('salesforce:connect as a process, without a TTY', function () {
  this.timeout(60_000)
  useRealNetwork()
  let fake: Fake | undefined
  let home: string
  let proc: Proc | undefined

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'applink-home-'))
  })

  afterEach(async () => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL')
    proc = undefined
    await fake?.backend.close()
    fake = undefined
    rmSync(home, {force: true, recursive: true})
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} while polling stops cleanly with exit 130 and says how to check later`, async () => {
      fake = await fakeServices()
      proc = start(['salesforce:connect', 'new_org', '-a', APP.name], {HEROKU_API_KEY: HEROKU_TOKEN, HEROKU_HOST: fake.url}, home)
      await proc.waitFor(`Connecting Salesforce org new_org to ${APP.name}: connecting`)
      // let a few polls happen first
      const polls = fake.polls
      while (fake.polls < polls + 2) await new Promise(r => setTimeout(r, 10))
      proc.child.kill(signal)
      const code = await proc.exit
      expect(code, proc.stderr()).to.equal(130)
      expect(proc.stdout()).to.equal('')
      expect(proc.stderr()).to.contain(`Open this URL in a browser to log in: ${REDIRECT}`)
      expect(proc.stderr()).to.contain('Error: Interrupted: stopped waiting for Salesforce connection new_org (status connecting). It may still complete.')
      expect(proc.stderr()).to.contain(`Check it with: heroku applink:connections:info new_org -a ${APP.name}`)
      expect(fake.requests.filter(r => r.startsWith('POST'))).to.deep.equal([`POST /addons/${ADDON.id}/connections/salesforce`])
      assertNoSecrets(proc.stdout() + proc.stderr())
    })
  }

  it('finishes on its own with a stdin that is open but silent, printing only the connection with --json', async () => {
    fake = await fakeServices(3)
    proc = start(['salesforce:connect', 'new_org', '-a', APP.name, '--json'], {HEROKU_API_KEY: HEROKU_TOKEN, HEROKU_HOST: fake.url}, home)
    const code = await proc.exit
    expect(code, proc.stderr()).to.equal(0)
    expect(JSON.parse(proc.stdout())).to.deep.equal(done)
    expect(fake.polls).to.equal(3)
    expect(proc.stderr()).to.contain(`Open this URL in a browser to log in: ${REDIRECT}`)
    assertNoSecrets(proc.stdout() + proc.stderr())
  })
})

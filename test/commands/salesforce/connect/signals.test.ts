/**
 * salesforce:connect as a real process (the compiled ./bin/run.js after `npm run build`, else the
 * sources through tsx), without a TTY, against a tiny server on 127.0.0.1 that plays both the
 * Platform API (HEROKU_HOST) and the AppLink API: Ctrl-C / SIGTERM while polling, and a stdin that
 * stays open but never sends anything.
 */
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {ADDON, APP, APPLINK_TOKEN, assertNoSecrets, connection, HEROKU_TOKEN, root, SSO_BODY} from '../../../helpers/applink.js'
import {REDIRECT} from '../../../helpers/flow.js'

const ID = 'c9c9c9c9-1111-4222-8333-444444444444'
const pending = connection({id: ID, org: {connection_name: 'new_org', type: 'SalesforceOrg'}, redirect_uri: REDIRECT, status: 'connecting'})
const done = connection({id: ID, status: 'connected'})

interface Fake {
  polls: number
  requests: string[]
  server: Server
  url: string
}

/** Answers the add-on resolution, the POST, and GETs: `connecting` until `connectedAfter` polls. */
async function fakeServices(connectedAfter = Number.POSITIVE_INFINITY): Promise<Fake> {
  const fake = {polls: 0, requests: [] as string[]} as Fake
  const base = `/addons/${ADDON.id}`
  fake.server = createServer((req, res) => {
    const path = req.url ?? ''
    fake.requests.push(`${req.method} ${path}`)
    const send = (status: number, body: unknown) => {
      res.writeHead(status, {'content-type': 'application/json'})
      res.end(JSON.stringify(body))
    }

    const heroku = req.headers.authorization === `Bearer ${HEROKU_TOKEN}`
    const applink = req.headers.authorization === `Bearer ${APPLINK_TOKEN}`
    req.resume()
    req.on('end', () => {
      if (heroku && path === `/apps/${APP.name}`) return send(200, APP)
      if (heroku && path === `/apps/${APP.name}/addons`) return send(200, [ADDON])
      if (heroku && path === `/apps/${APP.name}/addon-attachments`) return send(200, [{addon: {id: ADDON.id, name: ADDON.name}, name: 'HEROKU_APPLINK'}])
      if (heroku && path === `/apps/${APP.name}/config-vars`) return send(200, {HEROKU_APPLINK_API_URL: `${fake.url}${base}`, HEROKU_APPLINK_TOKEN: APPLINK_TOKEN})
      if (heroku && path === `/apps/${APP.name}/addons/${ADDON.id}/sso`) return send(200, SSO_BODY)
      if (applink && req.method === 'POST' && path === `${base}/connections/salesforce`) return send(202, pending)
      if (applink && req.method === 'GET' && path === `${base}/connections/${ID}`) {
        fake.polls++
        return send(200, fake.polls >= connectedAfter ? done : pending)
      }

      send(404, {id: 'not_found', message: `no route for ${req.method} ${path}`})
    })
  })
  await new Promise<void>(resolve => {
    fake.server.listen(0, '127.0.0.1', resolve)
  })
  fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`
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
  let fake: Fake | undefined
  let home: string
  let proc: Proc | undefined

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'applink-home-'))
  })

  afterEach(async () => {
    if (proc && proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL')
    proc = undefined
    const server = fake?.server
    if (server) await new Promise(resolve => {
      server.close(resolve)
    })
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

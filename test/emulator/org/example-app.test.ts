/**
 * examples/accounts-app against the emulated org: the app runs as its own process, with the config
 * vars a dyno has, and is invoked as Salesforce invokes it (x-client-context of the invoking user).
 * Its two operations read and write the org through the real @heroku/applink SDK.
 */
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {fileURLToPath} from 'node:url'

import type {Emulator} from '../../../src/emulator/server/server.js'
import {platform, provision, type Provisioned, removeTempDirs, request, start} from '../helpers.js'
import {authorize, type AuthorizedOrg, clientContext, sdkOrg} from './helpers.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

/** Starts the app on a free port; resolves with its URL once it says it listens. */
function startApp(env: Record<string, string | undefined>): Promise<{child: ChildProcess; output: () => string; url: string}> {
  const child = spawn(process.execPath, ['examples/accounts-app/server.js'], {cwd: root, env, stdio: ['ignore', 'pipe', 'pipe']})
  let out = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
      if (m) resolve({child, output: () => out, url: m[1]})
    }

    child.stdout!.on('data', onData)
    child.stderr!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.once('exit', code => reject(new Error(`the app exited (${code}) before listening:\n${out}`)))
  })
}

describe('examples/accounts-app against the emulated org', function () {
  this.timeout(120_000)
  let emu: Emulator
  let p: Provisioned
  let org: AuthorizedOrg
  let app: Awaited<ReturnType<typeof startApp>>
  before(async () => {
    emu = await start()
    p = await provision(emu)
    org = await authorize(emu, p)
    const config = (await platform(emu, 'GET', '/apps/my-app/config-vars')).body
    app = await startApp({...config, APP_PORT: '0', HEROKU_APP_ID: p.app.id, HOME: process.env.HOME, PATH: process.env.PATH})
  })
  after(async () => {
    app?.child.kill('SIGTERM')
    await emu?.close()
    removeTempDirs()
  })

  const invoke = (method: string, path: string, body?: unknown, context = clientContext(org)) => request(`${app.url}${path}`, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {'content-type': 'application/json', 'x-client-context': context},
    method,
  })

  it('listAccounts: returns the org\'s Accounts in name order, at most limit', async () => {
    const all = await invoke('GET', '/accounts')
    expect(all.status).to.equal(200)
    expect(all.body.accounts.map((a: any) => [a.name, a.industry])).to.deep.equal([
      ['Acme Corporation', 'Manufacturing'], ['Globex Inc', 'Technology'], ['Initech', 'Technology'], ['Stark Energy', 'Energy'], ['Umbrella Health', 'Healthcare'],
    ])
    for (const a of all.body.accounts) expect(a.id).to.match(/^001\w{15}$/)
    const two = await invoke('GET', '/accounts?limit=2')
    expect(two.body).to.deep.equal({accounts: all.body.accounts.slice(0, 2)})
    const bad = await invoke('GET', '/accounts?limit=0')
    expect([bad.status, bad.body]).to.deep.equal([400, {error: 'limit must be a whole number from 1 to 200.'}])
  })

  it('createAccount: creates the Account and its Contact in one unit of work', async () => {
    const created = await invoke('POST', '/accounts', {contact: {email: 'kim@harbor.example', firstName: 'Kim', lastName: 'Lee'}, industry: 'Shipping', name: 'Harbor Freight Co'})
    expect(created.status).to.equal(201)
    expect(created.body.accountId).to.match(/^001\w{15}$/)
    expect(created.body.contactId).to.match(/^003\w{15}$/)
    const check = await sdkOrg(org).dataApi.query(`SELECT Name, Email, Account.Name, Account.Industry FROM Contact WHERE Id = '${created.body.contactId}'`)
    const contact = check.records[0].fields
    expect([contact.name, contact.email, contact.account.fields.name, contact.account.fields.industry]).to.deep.equal(['Kim Lee', 'kim@harbor.example', 'Harbor Freight Co', 'Shipping'])
    const listed = await invoke('GET', '/accounts?limit=3')
    expect(listed.body.accounts.map((a: any) => a.name)).to.deep.equal(['Acme Corporation', 'Globex Inc', 'Harbor Freight Co'])

    const alone = await invoke('POST', '/accounts', {name: 'Solo LLC'})
    expect([alone.status, alone.body.contactId]).to.deep.equal([201, null])
  })

  it('refuses a bad body, a request without x-client-context, and reports what the org refused', async () => {
    const noLast = await invoke('POST', '/accounts', {contact: {firstName: 'Kim'}, name: 'X'})
    expect([noLast.status, noLast.body]).to.deep.equal([400, {error: 'contact.lastName is required.'}])
    const noName = await invoke('POST', '/accounts', {industry: 'Retail'})
    expect([noName.status, noName.body]).to.deep.equal([400, {error: 'name is required.'}])
    const bare = await request(`${app.url}/accounts`)
    expect([bare.status, bare.body]).to.deep.equal([401, {error: 'Not an AppLink invocation: Required x-client-context header not found'}])
    const expired = await invoke('GET', '/accounts', undefined, clientContext(org, `${org.id}!${'f'.repeat(60)}`))
    expect([expired.status, expired.body]).to.deep.equal([502, {error: 'Salesforce refused the request: INVALID_SESSION_ID: Session expired or invalid'}])
  })
})

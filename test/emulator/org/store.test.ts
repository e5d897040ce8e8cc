/**
 * Org data in the emulator's store: it survives a restart, new orgs are seeded from a
 * `--org-data FILE` (in the foreground and with `--detach`), a malformed seed file stops the start
 * with a clear error (and exit 2 from the command, with nothing written), a version 1 store gets its
 * orgs when it is migrated, and a version 2 store (test/emulator/fixtures/store-v2.json, as the
 * emulator wrote it when orgs were named after connections) keeps every org, its id and its records.
 */
import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {copyFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {SeedError} from '../../../src/emulator/org/seed.js'
import type {Emulator} from '../../../src/emulator/server/server.js'
import {STORE_FILE} from '../../../src/emulator/store/store.js'
import {answerLogin, applink, provision, type Provisioned, removeTempDirs, start, tempDir, testKeys} from '../helpers.js'
import {authorize, orgCall, sdkOrg} from './helpers.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../..', import.meta.url))

/** `bin/run.js applink:emulator ARGS` from the repo: exit code and both streams, whatever the exit. */
function emulatorCli(args: string[]): Promise<{code: number; stderr: string; stdout: string}> {
  return run(process.execPath, [join(root, 'bin/run.js'), 'applink:emulator', ...args], {cwd: root, timeout: 60_000})
    .then(r => ({code: 0, stderr: String(r.stderr), stdout: String(r.stdout)}), (error: any) => ({code: error.code, stderr: String(error.stderr), stdout: String(error.stdout)}))
}

async function startFails(options: {dataDir?: string; orgData: string}): Promise<Error> {
  try {
    const emu = await start(options)
    await emu.close()
  } catch (error) {
    return error as Error
  }

  throw new Error('expected the emulator not to start')
}

describe('emulated org: the store', function () {
  this.timeout(90_000)
  let emu: Emulator | undefined
  afterEach(async () => {
    await emu?.close()
    emu = undefined
    removeTempDirs()
  })

  it('keeps org records and access tokens across a restart', async () => {
    const dataDir = tempDir()
    emu = await start({dataDir})
    const p = await provision(emu)
    const org = await authorize(emu, p)
    const {id} = await sdkOrg(org).dataApi.create({fields: {Name: 'Survivor Ltd'}, type: 'Account'})
    await emu.close()

    emu = await start({dataDir})
    const again = {...org, instanceUrl: emu.url}
    const found = await sdkOrg(again).dataApi.query('SELECT Id, Name FROM Account WHERE Name = \'Survivor Ltd\'')
    expect(found.records.map((r: any) => r.fields.id)).to.deep.equal([id])
    expect(emu.store.data.orgs).to.have.length(1)
  })

  it('seeds new orgs from --org-data: objects in order, @{ref.id} references, custom objects, Data Cloud rows', async () => {
    const file = join(tempDir(), 'org.json')
    writeFileSync(file, JSON.stringify({
      datacloud: {Visit__dll: [{page: '/home', visits: 3}]},
      objects: {
        Account: [{Industry: 'Retail', Name: 'Seeded Shop', referenceId: 'shop'}],
        Contact: [{AccountId: '@{shop.id}', LastName: 'Owner', referenceId: 'owner'}],
        Store__c: [{Manager__c: '@{owner.id}', Name: 'Main Street'}],
      },
    }))
    emu = await start({orgData: file})
    const p = await provision(emu)
    const org = await authorize(emu, p)
    const api = sdkOrg(org).dataApi
    const accounts = await api.query('SELECT Name, (SELECT LastName FROM Contacts) FROM Account')
    expect(accounts.records.map((r: any) => [r.fields.name, r.subQueryResults.contacts.records[0].fields.lastname])).to.deep.equal([['Seeded Shop', 'Owner']])
    const stores = await api.query('SELECT Name, Manager__r.LastName FROM Store__c')
    expect(stores.records.map((r: any) => [r.fields.name, r.fields.manager__r.fields.lastname])).to.deep.equal([['Main Street', 'Owner']])
    const raw = await orgCall(org, 'POST', '/api/v2/query', {sql: 'SELECT page, visits FROM Visit__dll'})
    expect(raw.body.data).to.deep.equal([['/home', 3]])
  })

  it('refuses a malformed seed file with an error naming the problem, before touching the store', async () => {
    const dir = tempDir()
    const write = (name: string, text: string) => {
      const f = join(dir, name)
      writeFileSync(f, text)
      return f
    }

    const cases: Array<[string, string]> = [
      [write('a.json', '{"objects": '), 'is not valid JSON ('],
      [write('b.json', '[]'), 'is not in the expected format: the top level must be a JSON object.'],
      [write('c.json', '{"accounts": []}'), 'is not in the expected format: unknown key "accounts" (use "objects" and "datacloud").'],
      [write('d.json', '{"objects": {"Account": {"Name": "x"}}}'), 'is not in the expected format: objects.Account must be a list of records (JSON objects).'],
      [write('e.json', '{"objects": {"Contact": [{"FirstName": "x"}]}}'), ': objects.Contact[0] cannot be created: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]'],
      [write('f.json', '{"objects": {"Contact": [{"LastName": "x", "AccountId": "@{nope.id}"}]}}'), ': objects.Contact[0].AccountId refers to "nope", which no earlier record names as its referenceId'],
      [write('g.json', '{"objects": {"Widget": [{"Name": "x"}]}}'), ': objects.Widget[0] cannot be created: INVALID_TYPE: sObject type \'Widget\' is not supported.'],
      [join(dir, 'missing.json'), 'Cannot read the org data file'],
    ]
    for (const [file, message] of cases) {
      const dataDir = join(dir, 'store')
      const error = await startFails({dataDir, orgData: file})
      expect(error, file).to.be.instanceOf(SeedError)
      expect(error.message, file).to.contain(message)
      expect(error.message, file).to.contain(file)
      expect(existsSync(join(dataDir, STORE_FILE)), file).to.equal(false)
    }

    // the command: exit 2, the message on stderr, nothing else
    const dataDir = join(dir, 'cli-store')
    const result = await emulatorCli(['--port', '0', '--data-dir', dataDir, '--org-data', cases[4][0]])
    expect(result.code).to.equal(2)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.equal(`Error: The org data file ${cases[4][0]}: objects.Contact[0] cannot be created: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]\n`)
    expect(existsSync(join(dataDir, STORE_FILE))).to.equal(false)
  })

  it('--detach seeds new orgs from --org-data too, and refuses a bad file with the same error and exit 2', async () => {
    const dir = tempDir()
    const seed = join(dir, 'org.json')
    writeFileSync(seed, JSON.stringify({objects: {Account: [{Name: 'Detached Seed Co'}]}}))
    const dataDir = join(dir, 'store')
    const started = await emulatorCli(['--detach', '--port', '0', '--data-dir', dataDir, '--org-data', seed])
    try {
      expect(started.code, started.stderr).to.equal(0)
      const [, url, apiKey] = /^export HEROKU_HOST=(\S+)\nexport HEROKU_API_KEY=(\S+)\n$/.exec(started.stdout) ?? []
      const detached = {apiKey, url} as Emulator
      const org = await authorize(detached, await provision(detached))
      const accounts = await sdkOrg(org).dataApi.query('SELECT Name FROM Account')
      expect(accounts.records.map((r: any) => r.fields.name)).to.deep.equal(['Detached Seed Co'])
    } finally {
      await emulatorCli(['--stop', '--data-dir', dataDir])
    }

    // a record the org cannot create is found by the background process: its message, exit 2
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"objects": {"Contact": [{"FirstName": "x"}]}}')
    const badDir = join(dir, 'bad-store')
    const refused = await emulatorCli(['--detach', '--port', '0', '--data-dir', badDir, '--org-data', bad])
    expect(refused.code).to.equal(2)
    expect(refused.stdout).to.equal('')
    expect(refused.stderr).to.equal(`Error: The org data file ${bad}: objects.Contact[0] cannot be created: REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]\n`)
    expect(existsSync(join(badDir, STORE_FILE))).to.equal(false)
    expect(existsSync(join(badDir, 'emulator.lock'))).to.equal(false)
  })

  it('migrates a version 1 store: its authorizations get an org and a working token', async () => {
    const dataDir = tempDir()
    emu = await start({dataDir})
    const p = await provision(emu)
    await applink(emu, p, 'POST', '/authorizations/salesforce/jwt', {client_id: 'c', developer_name: 'old_auth', jwt_private_key: (await testKeys()).rsa, username: 'old@acme.example'})
    await emu.close()
    const file = join(dataDir, STORE_FILE)
    const v1 = JSON.parse(readFileSync(file, 'utf8'))
    delete v1.orgs
    v1.version = 1
    for (const a of v1.authorizations) a.access_token = `${a.org.id}!old`
    writeFileSync(file, JSON.stringify(v1))

    emu = await start({dataDir})
    expect(existsSync(`${file}.v1.bak`)).to.equal(true)
    expect(emu.store.data.version).to.equal(3)
    const read = await applink(emu, p, 'GET', '/authorizations/old_auth')
    const token = read.body.org.user_auth.access_token
    expect(token).to.not.equal(`${read.body.org.id}!old`)
    const org = {accessToken: token, apiVersion: '62.0', id: read.body.org.id, instanceUrl: emu.url, type: 'SalesforceOrg', userId: read.body.org.user_id, username: 'old@acme.example'}
    expect((await sdkOrg(org).dataApi.query('SELECT COUNT() FROM Account')).totalSize).to.equal(5)
  })

  it('migrates a version 2 store: every org keeps its id and records, and a login by one of its users reaches it', async () => {
    const fixture = fileURLToPath(new URL('../fixtures/store-v2.json', import.meta.url))
    const text = readFileSync(fixture, 'utf8')
    const v2 = JSON.parse(text)
    const dataDir = tempDir()
    const file = join(dataDir, STORE_FILE)
    copyFileSync(fixture, file)
    emu = await start({dataDir})
    expect(readFileSync(`${file}.v2.bak`, 'utf8')).to.equal(text)
    expect(emu.store.data.version).to.equal(3)
    expect(JSON.parse(readFileSync(file, 'utf8')).version).to.equal(3)

    // the same orgs, ids and records; each gets its My Domain, edition and Data Cloud mark
    const kept = (o: any) => ({custom_fields: o.custom_fields, custom_objects: o.custom_objects, datacloud: o.datacloud, deleted: o.deleted, id: o.id, name: o.name, objects: o.objects})
    expect(emu.store.data.orgs.map(o => kept(o))).to.deep.equal(v2.orgs.map((o: any) => kept(o)))
    expect(emu.store.data.orgs.map(o => [o.name, o.edition, o.instance_url, o.data_cloud])).to.deep.equal([
      ['my_org', 'production', 'https://my-org.my.salesforce.com', false],
      ['my_auth', 'production', 'https://my-auth.my.salesforce.com', false],
      ['dc_org', 'production', 'https://dc-org.my.salesforce.com', true],
      ['jwt_auth', 'production', 'https://jwt-auth.my.salesforce.com', false],
      ['dup_auth', 'sandbox', 'https://dup-auth--sandbox.sandbox.my.salesforce.com', false],
    ])
    expect([...emu.store.data.connections, ...emu.store.data.authorizations].map(l => [l.name, l.org])).to.deep.equal([...v2.connections, ...v2.authorizations].map((l: any) => [l.name, l.org]))

    const [myOrg, myAuth, dcOrg, jwtAuth] = v2.orgs.map((o: any) => o.id)
    const app = v2.apps[0]
    const addon = v2.addons[0]
    const p = {addon, app, headers: {accept: 'application/json', authorization: `Bearer ${addon.token}`, 'x-app-uuid': app.id}} as unknown as Provisioned
    // the authorization's token is refreshed; its org answers with the record it had
    const read = await applink(emu, p, 'GET', '/authorizations/my_auth')
    expect(read.body.org.id).to.equal(myAuth)
    const org = {accessToken: read.body.org.user_auth.access_token, apiVersion: '62.0', id: myAuth, instanceUrl: emu.url, type: 'SalesforceOrg', userId: read.body.org.user_id, username: 'admin@my-auth.example'}
    const found = await sdkOrg(org).dataApi.query('SELECT Id, Name FROM Account WHERE Name = \'Kept Ltd\'')
    expect(found.records.map((r: any) => r.fields.id)).to.deep.equal([v2.orgs[1].objects.Account.find((a: any) => a.Name === 'Kept Ltd').Id])

    // logins now: who logs in decides
    const login = async (kind: 'datacloud' | 'salesforce', name: string, username: string) => {
      const made = await applink(emu!, p, 'POST', `/connections/${kind}`, {connection_name: name})
      await answerLogin(made.body.redirect_uri, {decision: 'allow', username})
      return (await applink(emu!, p, 'GET', `/connections/${name}`)).body.org
    }

    expect(await login('salesforce', 'again_auth_org', 'admin@my-auth.example')).to.deep.include({id: myAuth, user_id: v2.authorizations[0].org.user_id})
    expect((await login('salesforce', 'new_user', 'new@my-auth.example')).id).to.equal(myAuth)
    expect((await login('datacloud', 'dc_again', 'admin@dc-org.example')).id).to.equal(dcOrg)
    // a username the old store holds in two orgs reaches the oldest of them
    expect(await login('salesforce', 'again_my_org', 'admin@my-org.example')).to.deep.include({id: myOrg, user_id: v2.connections[0].org.user_id})
    const jwt = await applink(emu, p, 'POST', '/authorizations/salesforce/jwt', {client_id: 'c', developer_name: 'jwt_again', jwt_private_key: (await testKeys()).rsa, username: 'int@acme.example'})
    expect(jwt.body.org.id).to.equal(jwtAuth)
    // the default admin user is new to this store: a new org
    const fresh = await login('salesforce', 'fresh_org', 'admin@emulated-org.example')
    expect(v2.orgs.map((o: any) => o.id)).to.not.include(fresh.id)
    expect(emu.store.data.orgs.map(o => o.name)).to.deep.equal(['my_org', 'my_auth', 'dc_org', 'jwt_auth', 'dup_auth', 'emulated-org'])
  })
})

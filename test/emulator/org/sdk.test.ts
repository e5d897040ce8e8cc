/**
 * The real @heroku/applink SDK against an emulated org: every DataApi call (query, queryMore,
 * create, update, delete, units of work), Data Cloud query and ingest, the error shapes Salesforce
 * answers, and a wrong or expired token. The org is reached the way an invoked app reaches it: from
 * an x-client-context header whose token and domain come from an authorization.
 */
import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {normalizeId} from '../../../src/emulator/org/ids.js'
import type {Emulator} from '../../../src/emulator/server/server.js'
import {platform, provision, type Provisioned, removeTempDirs, start, tempDir} from '../helpers.js'
import {authorize, type AuthorizedOrg, failure, orgCall, sdkOrg} from './helpers.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../..', import.meta.url))

const SEEDED_ACCOUNTS = ['Acme Corporation', 'Globex Inc', 'Initech', 'Stark Energy', 'Umbrella Health']

describe('emulated org: the @heroku/applink SDK', function () {
  this.timeout(120_000)
  let emu: Emulator
  let p: Provisioned
  let org: AuthorizedOrg
  afterEach(async () => {
    await emu?.close()
    removeTempDirs()
  })

  async function setUp(options: {inventFields?: boolean; orgData?: string} = {}) {
    emu = await start(options)
    p = await provision(emu)
    org = await authorize(emu, p)
  }

  it('hands out an authorization whose org is the emulator itself, with a token that works there', async () => {
    await setUp()
    expect(org.instanceUrl).to.equal(emu.url)
    expect(org.apiVersion).to.equal('62.0')
    expect(org.type).to.equal('SalesforceOrg')
    expect(normalizeId(org.id)).to.equal(org.id)
    expect(org.id).to.match(/^00D\w{15}$/)
    expect(normalizeId(org.userId)).to.equal(org.userId)
    expect(org.userId).to.match(/^005\w{15}$/)
    const me = await sdkOrg(org).dataApi.query(`SELECT Id, Username FROM User WHERE Id = '${org.userId}'`)
    expect(me.records.map((r: any) => r.fields.username)).to.deep.equal(['int@acme.example'])
  })

  it('queries the seeded records with parent fields and child subqueries', async () => {
    await setUp()
    const api = sdkOrg(org).dataApi
    const result = await api.query('SELECT Id, Name, Owner.Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account ORDER BY Name')
    expect(result.done).to.equal(true)
    expect(result.totalSize).to.equal(5)
    expect(result.records.map((r: any) => r.fields.name)).to.deep.equal(SEEDED_ACCOUNTS)
    const acme = result.records[0]
    expect(acme.type).to.equal('Account')
    expect(acme.fields.owner.fields.name).to.equal('Int')
    expect(acme.subQueryResults.contacts.records.map((c: any) => c.fields.lastname)).to.deep.equal(['Hopper', 'Lovelace'])
    const contact = await api.query('SELECT LastName, Account.Name FROM Contact WHERE Account.Name = \'Initech\' ORDER BY LastName DESC')
    expect(contact.records.map((r: any) => [r.fields.lastname, r.fields.account.fields.name])).to.deep.equal([['Lumbergh', 'Initech'], ['Gibbons', 'Initech']])
    const count = await api.query('SELECT COUNT() FROM Opportunity WHERE IsClosed = true')
    expect([count.totalSize, count.records.length]).to.deep.equal([2, 0])
  })

  it('creates, reads, updates and deletes a record, and the store keeps each step', async () => {
    await setUp()
    const api = sdkOrg(org).dataApi
    const {id} = await api.create({fields: {AnnualRevenue: 1000, Industry: 'Retail', Name: 'Nile Books'}, type: 'Account'})
    expect(normalizeId(id)).to.equal(id)
    expect(id).to.match(/^001/)
    const read = await orgCall(org, 'GET', `/services/data/v62.0/sobjects/Account/${id}?fields=Name,Industry,OwnerId`)
    expect(read.status).to.equal(200)
    expect(read.body).to.deep.equal({Industry: 'Retail', Name: 'Nile Books', OwnerId: org.userId, attributes: {type: 'Account', url: `/services/data/v62.0/sobjects/Account/${id}`}})
    expect(await api.update({fields: {Industry: 'Media', id}, type: 'Account'})).to.deep.equal({id})
    const updated = await api.query(`SELECT Name, Industry FROM Account WHERE Id = '${id}'`)
    expect(updated.records[0].fields).to.deep.include({industry: 'Media', name: 'Nile Books'})
    expect(emu.store.data.orgs[0].objects.Account.find(r => r.Id === id)).to.deep.include({Industry: 'Media'})
    expect(await api.delete('Account', id)).to.deep.equal({id})
    expect((await api.query(`SELECT Id FROM Account WHERE Id = '${id}'`)).totalSize).to.equal(0)
    const gone = await orgCall(org, 'GET', `/services/data/v62.0/sobjects/Account/${id}`)
    expect([gone.status, gone.body]).to.deep.equal([404, [{errorCode: 'ENTITY_IS_DELETED', message: 'entity is deleted'}]])
  })

  it('pages a query over 2,000 records with nextRecordsUrl and queryMore', async () => {
    const file = join(tempDir(), 'org-data.json')
    const accounts = Array.from({length: 2345}, (_, i) => ({Name: `Bulk ${String(i).padStart(4, '0')}`}))
    writeFileSync(file, JSON.stringify({objects: {Account: accounts}}))
    await setUp({orgData: file})
    const api = sdkOrg(org).dataApi
    const first = await api.query('SELECT Id, Name FROM Account ORDER BY Name')
    expect([first.done, first.totalSize, first.records.length]).to.deep.equal([false, 2345, 2000])
    expect(first.nextRecordsUrl).to.match(new RegExp(`^${emu.url}/services/data/v62\\.0/query/01g\\w{15}-2000$`))
    const second = await api.queryMore(first)
    expect([second.done, second.totalSize, second.records.length, second.nextRecordsUrl]).to.deep.equal([true, 2345, 345, undefined])
    const names = [...first.records, ...second.records].map((r: any) => r.fields.name)
    expect(names).to.deep.equal(accounts.map(a => a.Name))
    // the raw locator is root-relative, as the Python SDK needs it
    const raw = await orgCall(org, 'GET', `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM Account')}`)
    expect(raw.body.nextRecordsUrl).to.match(/^\/services\/data\/v62\.0\/query\/01g\w{15}-2000$/)
    const bad = await orgCall(org, 'GET', '/services/data/v62.0/query/01gAAAAAAAAAAAAAAA-2000')
    expect([bad.status, bad.body]).to.deep.equal([400, [{errorCode: 'INVALID_QUERY_LOCATOR', message: 'invalid query locator'}]])
  })

  it('commits a unit of work whose nodes refer to earlier ones', async () => {
    await setUp()
    const api = sdkOrg(org).dataApi
    const uow = api.newUnitOfWork()
    const account = uow.registerCreate({fields: {Name: 'Wayne Enterprises'}, type: 'Account'})
    const contact = uow.registerCreate({fields: {AccountId: account, LastName: 'Fox'}, type: 'Contact'})
    const opp = uow.registerCreate({fields: {AccountId: account, CloseDate: '2030-01-31', Name: 'Wayne - Tumbler', StageName: 'Prospecting'}, type: 'Opportunity'})
    const results = await api.commitUnitOfWork(uow)
    const accountId = results.get(account).id
    expect(accountId).to.match(/^001/)
    const check = await api.query(`SELECT Name, (SELECT LastName FROM Contacts), (SELECT Name FROM Opportunities) FROM Account WHERE Id = '${accountId}'`)
    const row = check.records[0]
    expect(row.subQueryResults.contacts.records.map((r: any) => r.fields.lastname)).to.deep.equal(['Fox'])
    expect(row.subQueryResults.opportunities.records.map((r: any) => r.fields.name)).to.deep.equal(['Wayne - Tumbler'])
    expect(results.get(contact).id).to.match(/^003/)
    expect(results.get(opp).id).to.match(/^006/)
  })

  it('rolls back a unit of work with a failing node: the other nodes answer PROCESSING_HALTED', async () => {
    await setUp()
    const api = sdkOrg(org).dataApi
    const before = (await api.query('SELECT COUNT() FROM Account')).totalSize
    const uow = api.newUnitOfWork()
    const account = uow.registerCreate({fields: {Name: 'Doomed Inc'}, type: 'Account'})
    uow.registerCreate({fields: {AccountId: account, FirstName: 'No Last Name'}, type: 'Contact'})
    const error = await failure(api.commitUnitOfWork(uow))
    expect(error.message).to.equal('PROCESSING_HALTED: The transaction was rolled back since another operation in the same transaction failed.')
    expect((await api.query('SELECT COUNT() FROM Account')).totalSize).to.equal(before)
    expect((await api.query('SELECT COUNT() FROM Account WHERE Name = \'Doomed Inc\'')).totalSize).to.equal(0)

    // the wire answer: the failing node keeps its own error
    const raw = await orgCall(org, 'POST', '/services/data/v62.0/composite/graph', {graphs: [{compositeRequest: [
      {body: {Name: 'Doomed Inc'}, method: 'POST', referenceId: 'acc', url: '/services/data/v62.0/sobjects/Account'},
      {body: {AccountId: '@{acc.id}'}, method: 'POST', referenceId: 'con', url: '/services/data/v62.0/sobjects/Contact'},
      {body: {LastName: 'Later'}, method: 'POST', referenceId: 'after', url: '/services/data/v62.0/sobjects/Contact'},
    ], graphId: 'g1'}]})
    expect(raw.status).to.equal(200)
    const halted = [{errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.'}]
    expect(raw.body).to.deep.equal({graphs: [{graphId: 'g1', graphResponse: {compositeResponse: [
      {body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'acc'},
      {body: [{errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'], message: 'Required fields are missing: [LastName]'}], httpHeaders: {}, httpStatusCode: 400, referenceId: 'con'},
      {body: halted, httpHeaders: {}, httpStatusCode: 400, referenceId: 'after'},
    ]}, isSuccessful: false}]})
    expect((await api.query('SELECT COUNT() FROM Account')).totalSize).to.equal(before)
  })

  it('refuses a graph of more than 500 nodes', async () => {
    await setUp()
    const nodes = Array.from({length: 501}, (_, i) => ({body: {Name: `A${i}`}, method: 'POST', referenceId: `r${i}`, url: '/services/data/v62.0/sobjects/Account'}))
    const raw = await orgCall(org, 'POST', '/services/data/v62.0/composite/graph', {graphs: [{compositeRequest: nodes, graphId: 'big'}]})
    expect([raw.status, raw.body]).to.deep.equal([400, [{errorCode: 'LIMIT_EXCEEDED', message: 'A graph can have at most 500 nodes; big has 501.'}]])
  })

  it('answers each Salesforce error shape, which the SDK turns into errorCode and message', async () => {
    await setUp()
    const api = sdkOrg(org).dataApi
    const cases: Array<[Promise<unknown>, string, string]> = [
      [api.query('SELEC Id FROM Account'), 'MALFORMED_QUERY', 'The query could not be parsed:'],
      [api.query('SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry'), 'MALFORMED_QUERY', 'GROUP BY is not supported by the AppLink emulator\'s SOQL engine.'],
      [api.query('SELECT Foo FROM Account'), 'INVALID_FIELD', 'No such column \'Foo\' on entity \'Account\'.'],
      [api.query('SELECT Id FROM Nope'), 'INVALID_TYPE', 'sObject type \'Nope\' is not supported.'],
      [api.create({fields: {FirstName: 'Ann'}, type: 'Contact'}), 'REQUIRED_FIELD_MISSING', 'Required fields are missing: [LastName]'],
      [api.create({fields: {AccountId: 'not-an-id', LastName: 'X'}, type: 'Contact'}), 'MALFORMED_ID', 'Account ID: id value of incorrect type: not-an-id'],
      [api.create({fields: {Bogus: 1, Name: 'X'}, type: 'Account'}), 'INVALID_FIELD', 'No such column \'Bogus\' on sobject of type Account'],
      [api.update({fields: {Name: 'X', id: '001000000000000AAA'}, type: 'Account'}), 'NOT_FOUND', 'The requested resource does not exist'],
    ]
    for (const [promise, code, message] of cases) {
      const error = await failure(promise)
      expect(error.errorCode, message).to.equal(code)
      expect(error.message).to.contain(message)
    }

    const raw = await orgCall(org, 'POST', '/services/data/v62.0/sobjects/Contact', {FirstName: 'Ann'})
    expect([raw.status, raw.headers.get('content-type'), raw.body]).to.deep.equal([400, 'application/json;charset=UTF-8', [{errorCode: 'REQUIRED_FIELD_MISSING', fields: ['LastName'], message: 'Required fields are missing: [LastName]'}]])
  })

  it('refuses custom objects and fields no metadata or seed defined, as a real org does', async () => {
    await setUp()
    const api = sdkOrg(org).dataApi
    const field = await failure(api.create({fields: {Name: 'X', Weight__c: 1}, type: 'Account'}))
    expect([field.errorCode, field.message]).to.deep.equal(['INVALID_FIELD', 'No such column \'Weight__c\' on sobject of type Account'])
    const object = await failure(api.create({fields: {Name: 'Crate'}, type: 'Shipment__c'}))
    expect([object.errorCode, object.message]).to.deep.equal(['INVALID_TYPE', 'sObject type \'Shipment__c\' is not supported. If you are attempting to use a custom object, be sure to append the \'__c\' after the entity name.'])
  })

  it('with --invent-fields, accepts custom objects and fields on their first write', async () => {
    await setUp({inventFields: true})
    const api = sdkOrg(org).dataApi
    const {id} = await api.create({fields: {Name: 'Crate 1', Weight__c: 12.5}, type: 'Shipment__c'})
    expect(normalizeId(id)).to.equal(id)
    await api.create({fields: {Name: 'Crate 2', Weight__c: 40}, type: 'Shipment__c'})
    const heavy = await api.query('SELECT Name, Weight__c FROM Shipment__c WHERE Weight__c > 20')
    expect(heavy.records.map((r: any) => [r.fields.name, r.fields.weight__c])).to.deep.equal([['Crate 2', 40]])
    const error = await failure(api.create({fields: {Name: 'Crate 3', Weight__c: 'heavy'}, type: 'Shipment__c'}))
    expect(error.errorCode).to.equal('JSON_PARSER_ERROR')
  })

  it('refuses a wrong or expired token with 401 INVALID_SESSION_ID; reading the authorization again gives a fresh one', async () => {
    await setUp()
    const wrong = await failure(sdkOrg(org, `${org.id}!${'0'.repeat(60)}`).dataApi.query('SELECT Id FROM Account'))
    expect([wrong.errorCode, wrong.message]).to.deep.equal(['INVALID_SESSION_ID', 'Session expired or invalid'])
    const raw = await orgCall(org, 'GET', '/services/data/v62.0/query?q=SELECT+Id+FROM+Account', undefined, 'nope')
    expect([raw.status, raw.body]).to.deep.equal([401, [{errorCode: 'INVALID_SESSION_ID', message: 'Session expired or invalid'}]])

    for (const s of emu.store.data.orgs[0].sessions) s.expires_at = new Date(Date.now() - 1000).toISOString()
    const expired = await failure(sdkOrg(org).dataApi.query('SELECT Id FROM Account'))
    expect(expired.errorCode).to.equal('INVALID_SESSION_ID')
    const fresh = await authorizeAgain()
    expect(fresh).to.not.equal(org.accessToken)
    expect((await sdkOrg(org, fresh).dataApi.query('SELECT COUNT() FROM Account')).totalSize).to.equal(5)
  })

  async function authorizeAgain(): Promise<string> {
    const {request} = await import('../helpers.js')
    const read = await request(`${p.apiUrl}/authorizations/my_auth`, {headers: {authorization: `Bearer ${p.token}`, 'x-app-uuid': p.app.id}})
    return read.body.org.user_auth.access_token
  }

  it('ingests rows and answers Data Cloud SQL over them, in batches', async () => {
    await setUp()
    await authorize(emu, p, 'dc_auth', 'dc@acme.example', 'datacloud')
    const config = (await platform(emu, 'GET', '/apps/my-app/config-vars')).body
    const env = {HOME: process.env.HOME, PATH: process.env.PATH, ...config, HEROKU_APP_ID: p.app.id}
    const script = fileURLToPath(new URL('../fixtures/datacloud-app.mjs', import.meta.url))
    const {stdout} = await run(process.execPath, [script, 'dc_auth'], {cwd: root, env, timeout: 100_000})
    const out = JSON.parse(stdout)
    expect(out.orgType).to.equal('datacloud')
    expect(out.ingested).to.deep.equal({accepted: true})
    expect(out.small).to.deep.include({data: [['p2499', 99], ['p2397', 97], ['p2298', 98]], done: true, nextBatchId: '', rowCount: 3})
    expect(out.small.metadata).to.deep.equal({amount: {placeInOrder: 1, type: 'DECIMAL', typeCode: 3}, id: {placeInOrder: 0, type: 'VARCHAR', typeCode: 12}})
    expect(out.small.queryId).to.match(/^[0-9a-f-]{36}$/)
    expect(out.count.data).to.deep.equal([[2500, Array.from({length: 2500}, (_, i) => i % 100).reduce((a, b) => a + b, 0)]])
    expect(out.first).to.deep.equal({done: false, firstId: ['p0000'], rowCount: 2000})
    expect(out.second).to.deep.equal({done: true, lastId: ['p2499'], rowCount: 500})
    expect(out.refused.message).to.equal('HTTP Error Response: 400: Bad Request')
    expect(out.refused.body[0].message).to.match(/^GROUP BY is not supported by the AppLink emulator's Data Cloud SQL engine/)
  })
})

describe('emulated org: request data with prototype keys', function () {
  this.timeout(60_000)
  afterEach(removeTempDirs)

  it('treats "__proto__" and "constructor" as unknown fields, in a create and in a graph node', async () => {
    const emu = await start()
    try {
      const p = await provision(emu)
      const org = await authorize(emu, p)
      for (const key of ['__proto__', 'constructor']) {
        const raw = await orgCall(org, 'POST', '/services/data/v62.0/sobjects/Account', JSON.parse(`{"Name": "X", "${key}": {"polluted": true}}`))
        expect([raw.status, raw.body[0].errorCode], key).to.deep.equal([400, 'INVALID_FIELD'])
        const graph = await orgCall(org, 'POST', '/services/data/v62.0/composite/graph', JSON.parse(`{"graphs": [{"graphId": "g", "compositeRequest": [{"referenceId": "a", "method": "POST", "url": "/services/data/v62.0/sobjects/Account", "body": {"Name": "X", "${key}": {"polluted": true}}}]}]}`))
        expect(graph.body.graphs[0].graphResponse.compositeResponse[0].body[0].errorCode, key).to.equal('INVALID_FIELD')
      }

      expect(({} as Record<string, unknown>).polluted).to.equal(undefined)
      expect((await sdkOrg(org).dataApi.query('SELECT COUNT() FROM Account WHERE Name = \'X\'')).totalSize).to.equal(0)
    } finally {
      await emu.close()
    }
  })
})

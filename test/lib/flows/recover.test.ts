/**
 * After an ambiguous POST/DELETE failure, recovery looks the resource up and says what happened.
 * Real client, real sockets: the emulator (test/helpers/backend.ts) lets the request take effect (or not) before failing.
 */
import {expect} from 'chai'

import {AppLinkClient} from '../../../src/lib/api/applink-client.js'
import {AppLinkError} from '../../../src/lib/api/errors.js'
import {createOrRecover, deleteOrRecover, isAmbiguous} from '../../../src/lib/flows/recover.js'
import type {Connection} from '../../../src/lib/api/types.js'
import {ADDON, APP, APPLINK_TOKEN} from '../../helpers/applink.js'
import {Backend, type Fault, useRealNetwork} from '../../helpers/backend.js'

const BASE = `/addons/${ADDON.id}`
const CHECK = 'heroku applink:connections:info new_org -a my-app'

describe('recovery after an ambiguous failure', () => {
  let server: Backend
  let sso: string
  let client: AppLinkClient
  let notes: string[]
  useRealNetwork()
  before(async () => {
    // pending resources stay pending for a few reads, as a real login would
    server = await Backend.start({settleAfter: 3})
    sso = await server.ssoHeader()
  })
  after(() => server.close())
  beforeEach(() => {
    server.reset()
    notes = []
    useClient()
  })

  /**
   * A client with a generous timeout, so that healthy requests never time out on a busy machine;
   * the cases that stall a request on purpose use a short one (1 s) to keep the wait short.
   */
  function useClient(timeoutMs = 10_000): void {
    client = new AppLinkClient({addonId: ADDON.id, apiUrl: server.apiUrl, appId: APP.id, sleep: async () => {}, sso, timeoutMs, token: APPLINK_TOKEN})
  }

  const stallTimeout = (fault: Fault) => {
    if (fault === 'stall') useClient(1000)
  }

  const create = () => createOrRecover(() => client.createConnection('salesforce', {connection_name: 'new_org'}), {
    check: CHECK,
    lookup: () => client.getConnection('new_org'),
    note: text => notes.push(text),
    sleep: async () => {},
    subject: 'Salesforce connection new_org',
  })
  const remove = (name = 'my_org') => deleteOrRecover(() => client.deleteConnection(name), {
    check: `heroku applink:connections:info ${name} -a my-app`,
    leaving: (c: Connection) => ['disconnected', 'disconnecting'].includes(c.status),
    lookup: () => client.getConnection(name),
    note: text => notes.push(text),
    subject: `Salesforce connection ${name}`,
  })

  const ambiguous: Array<[string, Fault]> = [['a reset', 'reset'], ['a timeout', 'stall'], ['HTTP 502', {status: 502}], ['HTTP 500', {status: 500}], ['an HTML answer', 'html']]
  for (const [name, fault] of ambiguous) {
    it(`create, after ${name}, when the request went through: carries on with the resource`, async () => {
      server.inject('POST', `${BASE}/connections/salesforce`, fault, {processed: true})
      stallTimeout(fault)
      const connection = await create()
      expect(connection.status).to.equal('connecting')
      expect(server.seen('POST')).to.have.length(1)
      expect(server.seen('GET').map(r => r.path)).to.deep.equal([`${BASE}/connections/new_org`])
      expect(notes).to.have.length(1)
      expect(notes[0]).to.match(/ But Salesforce connection new_org exists now \(status connecting\): the request went through\.$/)
    })

    it(`create, after ${name}, when nothing happened: says it is safe to run again`, async () => {
      server.inject('POST', `${BASE}/connections/salesforce`, fault)
      stallTimeout(fault)
      const error = await create().catch(error_ => error_)
      expect(error).to.be.instanceOf(AppLinkError)
      expect(error.message).to.match(/ Salesforce connection new_org was not created: it is safe to run the command again\.$/)
      expect(error.exitCode).to.equal(1)
      expect(server.seen('POST')).to.have.length(1)
      // after a timeout it looks twice: a slow create may land just after the failure
      expect(server.seen('GET')).to.have.length(fault === 'stall' ? 2 : 1)
    })
  }

  it('create, when the lookup fails too: could not tell, and how to check', async () => {
    server.inject('POST', `${BASE}/connections/salesforce`, 'reset')
    server.inject('GET', `${BASE}/connections/new_org`, {status: 503}, {times: Number.POSITIVE_INFINITY})
    const error: AppLinkError = await create().catch(error_ => error_)
    expect(error.message).to.match(/^POST \/addons\/[\w-]+\/connections\/salesforce failed: 127\.0\.0\.1:\d+ reset the connection\. Could not tell whether Salesforce connection new_org was created \(looking it up with GET \/addons\/[\w-]+\/connections\/new_org failed too: injected HTTP 503\)\.$/)
    expect(error.hints.slice(0, 2)).to.deep.equal([`Check with: ${CHECK}`, 'Run the command again only if it is not there.'])
    expect(error.id).to.equal('network_error')
    expect(server.seen('POST')).to.have.length(1)
  })

  it('create: a refusal (4xx) is not ambiguous and passes through untouched', async () => {
    server.inject('POST', `${BASE}/connections/salesforce`, {body: {id: 'conflict', message: 'A connection named new_org already exists.'}, status: 409})
    const error: AppLinkError = await create().catch(error_ => error_)
    expect(error).to.include({id: 'conflict', message: 'A connection named new_org already exists.', status: 409})
    expect(server.seen('GET')).to.deep.equal([])
  })

  it('create: a refused connection (nothing sent) is not ambiguous', async () => {
    const offline = new AppLinkClient({addonId: ADDON.id, apiUrl: 'http://127.0.0.1:1/addons/x', appId: APP.id, retries: 0, sso, token: APPLINK_TOKEN})
    const error = await offline.createConnection('salesforce', {connection_name: 'x'}).then(() => undefined, error_ => error_)
    // the failure is the refused connection itself, known never to have left
    expect(error).to.be.instanceOf(AppLinkError)
    expect(error).to.include({id: 'network_error', sent: false})
    expect(error.message).to.equal(`POST ${BASE}/connections/salesforce failed: 127.0.0.1:1 refused the connection.`)
    expect(isAmbiguous(error)).to.equal(false)
  })

  it('delete, after a reset, when it went through: reports it gone', async () => {
    server.inject('DELETE', `${BASE}/connections/my_org`, 'reset', {processed: true})
    const result = await remove()
    expect(result).to.equal(undefined)
    expect(notes[0]).to.match(/ But Salesforce connection my_org is gone: it was deleted\.$/)
    expect(server.seen('DELETE')).to.have.length(1)
  })

  it('delete, after a 504, when it did not: not deleted, safe to run again', async () => {
    server.inject('DELETE', `${BASE}/connections/my_org`, {status: 504})
    const error: AppLinkError = await remove().catch(error_ => error_)
    expect(error.message).to.match(/ Salesforce connection my_org was not deleted \(status connected\): it is safe to run the command again\.$/)
    expect(server.seen('DELETE')).to.have.length(1)
  })

  it('delete, when the resource is leaving: done', async () => {
    server.inject('DELETE', `${BASE}/connections/my_org`, 'stall')
    stallTimeout('stall')
    server.data.connections.find(c => c.name === 'my_org')!.status = 'disconnecting'
    const result = await remove()
    expect(result).to.include({status: 'disconnecting'})
    expect(notes[0]).to.match(/is being deleted \(status disconnecting\): the request went through\.$/)
  })

  it('without a way to look it up: could not tell', async () => {
    server.inject('POST', `${BASE}/connections/salesforce/my_org/apps`, {status: 502})
    const error = await createOrRecover<unknown>(() => client.publish('my_org', {body: Buffer.from('x'), contentType: 'application/octet-stream'}), {
      check: 'heroku salesforce:publications -a my-app --connection_name my_org',
      subject: 'the publication of my-app to my_org',
    }).catch(error_ => error_ as AppLinkError) as AppLinkError
    expect(error.message).to.match(/Could not tell whether the publication of my-app to my_org was created\.$/)
    expect(error.hints[0]).to.equal('Check with: heroku salesforce:publications -a my-app --connection_name my_org')
  })
})

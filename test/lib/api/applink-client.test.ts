/**
 * The AppLink client against a real socket (the emulator, test/helpers/backend.ts): what a GET does after each fault
 * (retried and succeeded, or a clear error naming the request), that POST and DELETE are never
 * sent twice, the timeout, Retry-After, and the shape checks of answers.
 */
import {expect} from 'chai'

import {AppLinkClient} from '../../../src/lib/api/applink-client.js'
import {shapeProblem} from '../../../src/lib/api/decode.js'
import {AppLinkError} from '../../../src/lib/api/errors.js'
import {ADDON, APP, APPLINK_TOKEN} from '../../helpers/applink.js'
import {Backend, type Fault, useRealNetwork} from '../../helpers/backend.js'
import {closedPort} from '../../helpers/ports.js'

const BASE = `/addons/${ADDON.id}`
/** Generous, so that a healthy exchange never times out on a busy machine. */
const TIMEOUT_MS = 10_000
/** For the cases that stall on purpose: long enough for healthy requests around them, short enough to wait for. */
const STALL_TIMEOUT_MS = 1000
const stalls = (fault: Fault) => fault === 'stall' || fault === 'stall-body'

/** an x-addon-sso header the emulator accepts (set before the tests run) */
let sso = ''

function clientFor(apiUrl: string, options: {retries?: number; timeoutMs?: number} = {}): {client: AppLinkClient; waits: number[]} {
  const waits: number[] = []
  const client = new AppLinkClient({
    addonId: ADDON.id,
    apiUrl,
    appId: APP.id,
    sleep: async ms => {
      waits.push(ms)
    },
    sso,
    timeoutMs: TIMEOUT_MS,
    token: APPLINK_TOKEN,
    userAgent: 'heroku-plugin-applink-plus/0.0.0 test',
    ...options,
  })
  return {client, waits}
}

async function failure(promise: Promise<unknown>): Promise<AppLinkError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(AppLinkError)
    return error as AppLinkError
  }

  throw new Error('expected the request to fail')
}

describe('AppLink client under faults', () => {
  let server: Backend

  useRealNetwork()
  before(async () => {
    server = await Backend.start()
    sso = await server.ssoHeader()
  })
  after(() => server.close())
  beforeEach(() => server.reset())

  describe('GET retries transient failures and then succeeds', () => {
    const transient: Array<[string, Fault]> = [
      ['a reset connection', 'reset'],
      ['a stalled request (timeout)', 'stall'],
      ['a body that stalls halfway (timeout)', 'stall-body'],
      ['a body cut off by a closed connection', 'truncated'],
      ['HTTP 502', {status: 502}],
      ['HTTP 503', {status: 503}],
      ['HTTP 504', {status: 504}],
      ['a gateway\'s HTML 502 page', 'html-502'],
      ['HTTP 429 without Retry-After', {status: 429}],
    ]
    for (const [name, fault] of transient) {
      it(`after ${name}`, async () => {
        server.inject('GET', `${BASE}/connections`, fault)
        const {client, waits} = clientFor(server.apiUrl, stalls(fault) ? {timeoutMs: STALL_TIMEOUT_MS} : {})
        const connections = await client.listConnections()
        expect(connections.map(c => c.org.connection_name)).to.deep.equal(['my_org', 'dc_org'])
        expect(server.seen('GET', `${BASE}/connections`)).to.have.length(2)
        expect(waits).to.have.length(1)
        // every attempt carries the full set of headers
        for (const r of server.seen('GET')) {
          expect(r.headers).to.include({accept: 'application/json', authorization: `Bearer ${APPLINK_TOKEN}`, 'x-addon-sso': sso, 'x-app-uuid': APP.id})
        }
      })
    }

    it('waits as long as a 429\'s Retry-After asks (seconds)', async () => {
      server.inject('GET', `${BASE}/connections/my_org`, {headers: {'retry-after': '2'}, status: 429})
      const {client, waits} = clientFor(server.apiUrl)
      const connection = await client.getConnection('my_org')
      expect(connection.status).to.equal('connected')
      expect(waits).to.deep.equal([2000])
    })

    it('honours Retry-After on a 503 too', async () => {
      server.inject('GET', `${BASE}/authorizations`, {headers: {'retry-after': '1'}, status: 503})
      const {client, waits} = clientFor(server.apiUrl)
      await client.listAuthorizations()
      expect(waits).to.deep.equal([1000])
    })

    it('backs off between attempts when a failure repeats, then succeeds', async () => {
      server.inject('GET', `${BASE}/connections`, {status: 503}, {times: 3})
      const {client, waits} = clientFor(server.apiUrl)
      await client.listConnections()
      expect(server.seen('GET', `${BASE}/connections`)).to.have.length(4)
      expect(waits).to.have.length(3)
      const caps = [250, 500, 1000]
      for (const [i, w] of waits.entries()) expect(w).to.be.within(caps[i] / 2, caps[i])
    })

    it('retries a refused connection', async () => {
      const {client, waits} = clientFor(`http://127.0.0.1:${await closedPort()}/addons/x`)
      const error = await failure(client.listConnections())
      expect(waits).to.have.length(3)
      expect(error.id).to.equal('network_error')
      expect(error.message).to.match(/^GET \/addons\/[\w-]+\/connections failed: 127\.0\.0\.1:\d+ refused the connection \(tried 4 times\)\.$/)
      expect(error.sent).to.equal(false)
    })
  })

  describe('GET gives up with a clear error', () => {
    it('after a reset on every attempt', async () => {
      server.inject('GET', `${BASE}/connections`, 'reset', {times: Number.POSITIVE_INFINITY})
      const {client} = clientFor(server.apiUrl)
      const error = await failure(client.listConnections())
      expect(server.seen('GET')).to.have.length(4)
      expect(error.id).to.equal('network_error')
      expect(error.request).to.equal(`GET ${BASE}/connections`)
      expect(error.message).to.match(/reset the connection/)
      expect(error.message).to.contain('tried 4 times')
    })

    it('after a stall on every attempt: a timeout naming the request and how to allow more time', async () => {
      server.inject('GET', `${BASE}/connections/my_org`, 'stall', {times: Number.POSITIVE_INFINITY})
      const {client} = clientFor(server.apiUrl, {retries: 1, timeoutMs: STALL_TIMEOUT_MS})
      const error = await failure(client.getConnection('my_org'))
      expect(server.seen('GET')).to.have.length(2)
      expect(error.id).to.equal('timeout')
      expect(error.message).to.equal(`GET ${BASE}/connections/my_org timed out: no response from ${new URL(server.url).host} within 1 s (tried 2 times).`)
      expect(error.hints.join('\n')).to.contain('APPLINK_HTTP_TIMEOUT')
    })

    it('after a 503 on every attempt', async () => {
      server.inject('GET', `${BASE}/connections`, {body: {id: 'service_unavailable', message: 'AppLink is down for maintenance'}, status: 503}, {times: Number.POSITIVE_INFINITY})
      const {client} = clientFor(server.apiUrl)
      const error = await failure(client.listConnections())
      expect(server.seen('GET')).to.have.length(4)
      expect(error).to.include({id: 'service_unavailable', message: 'AppLink is down for maintenance', status: 503})
      expect(error.hints[0]).to.match(/try again in a minute/)
    })

    it('on a 500, which is not retried', async () => {
      server.inject('GET', `${BASE}/connections`, {status: 500, body: 'oops'})
      const {client} = clientFor(server.apiUrl)
      const error = await failure(client.listConnections())
      expect(server.seen('GET')).to.have.length(1)
      expect(error).to.include({id: 'service_unavailable', message: `GET ${BASE}/connections failed with HTTP 500`, status: 500})
    })

    it('when Retry-After asks for longer than 30 s: no retry, says when to try again', async () => {
      server.inject('GET', `${BASE}/connections`, {body: {}, headers: {'retry-after': '120'}, status: 429})
      const {client, waits} = clientFor(server.apiUrl)
      const error = await failure(client.listConnections())
      expect(waits).to.deep.equal([])
      expect(error).to.include({id: 'rate_limited', message: `GET ${BASE}/connections was rate limited by the AppLink service (HTTP 429).`, status: 429})
      expect(error.hints).to.deep.equal(['Try again in 120 s (the service\'s Retry-After).'])
    })

    const garbled: Array<[string, Fault, string, RegExp]> = [
      ['an HTML page with HTTP 200', 'html', 'listConnections', /^GET \/addons\/[\w-]+\/connections returned a response that is not valid JSON \(HTTP 200, an HTML page\)\.$/],
      ['JSON cut off mid-document', 'bad-json', 'getConnection', /^GET \/addons\/[\w-]+\/connections\/my_org returned a response that is not valid JSON \(HTTP 200, cut off or malformed JSON\)\.$/],
      ['a string instead of a list', 'wrong-shape', 'listConnections', /^GET \/addons\/[\w-]+\/connections returned an unexpected response \(HTTP 200\): expected a list, got a string\.$/],
      ['a string instead of a resource', 'wrong-shape', 'getConnection', /^GET \/addons\/[\w-]+\/connections\/my_org returned an unexpected response \(HTTP 200\): expected an object, got a string\.$/],
      ['an empty body instead of a resource', 'empty', 'getConnection', /^GET \/addons\/[\w-]+\/connections\/my_org returned an unexpected response \(HTTP 200\): expected an object, got an empty body\.$/],
    ]
    for (const [name, fault, method, message] of garbled) {
      it(`on ${name} (${method})`, async () => {
        const path = method === 'getConnection' ? `${BASE}/connections/my_org` : `${BASE}/connections`
        server.inject('GET', path, fault)
        const {client} = clientFor(server.apiUrl)
        const error = await failure(method === 'getConnection' ? client.getConnection('my_org') : client.listConnections())
        expect(error.id).to.equal('invalid_response')
        expect(error.message).to.match(message)
        expect(error.request).to.equal(`GET ${path}`)
        expect(error.message).not.to.match(/undefined|at \w+ \(/)
      })
    }

    it('a list holding something else than objects', async () => {
      server.inject('GET', `${BASE}/authorizations`, {body: [{id: 'a'}, 3], status: 200})
      const {client} = clientFor(server.apiUrl)
      const error = await failure(client.listAuthorizations())
      expect(error.message).to.equal(`GET ${BASE}/authorizations returned an unexpected response (HTTP 200): expected a list of objects, item 2 is a number.`)
    })
  })

  describe('POST and DELETE are sent once', () => {
    const faults: Array<[string, Fault]> = [
      ['reset', 'reset'],
      ['stall', 'stall'],
      ['truncated', 'truncated'],
      ['HTTP 500', {status: 500}],
      ['HTTP 502', {status: 502}],
      ['HTTP 503', {status: 503}],
      ['HTTP 504', {status: 504}],
      ['HTTP 429 with Retry-After', {headers: {'retry-after': '1'}, status: 429}],
      ['HTML 502', 'html-502'],
      ['HTML 200', 'html'],
    ]
    for (const [name, fault] of faults) {
      it(`POST after ${name}`, async () => {
        server.inject('POST', `${BASE}/connections/salesforce`, fault)
        const {client, waits} = clientFor(server.apiUrl, stalls(fault) ? {timeoutMs: STALL_TIMEOUT_MS} : {})
        const error = await failure(client.createConnection('salesforce', {connection_name: 'new_org'}))
        expect(server.seen('POST')).to.have.length(1)
        expect(server.seen('POST')[0].json).to.deep.equal({connection_name: 'new_org'})
        expect(waits).to.deep.equal([])
        expect(error.request).to.equal(`POST ${BASE}/connections/salesforce`)
        expect(error.sent).to.not.equal(false)
      })

      it(`DELETE after ${name}`, async () => {
        server.inject('DELETE', `${BASE}/authorizations/my_auth`, fault)
        const {client} = clientFor(server.apiUrl, stalls(fault) ? {timeoutMs: STALL_TIMEOUT_MS} : {})
        const error = await failure(client.deleteAuthorization('my_auth'))
        expect(server.seen('DELETE')).to.have.length(1)
        expect(error.request).to.equal(`DELETE ${BASE}/authorizations/my_auth`)
      })
    }

    it('a POST that may have reached the service says so', async () => {
      server.inject('POST', `${BASE}/authorizations/salesforce`, 'reset')
      const {client} = clientFor(server.apiUrl)
      const error = await failure(client.createAuthorization('salesforce', {developer_name: 'new_auth', login_url: 'https://login.salesforce.com'}))
      expect(error.id).to.equal('network_error')
      expect(error.hints).to.deep.equal(['The request may have reached the AppLink service: check the result before sending it again.'])
    })

    it('a POST whose connection was refused is tried again (nothing reached the service)', async () => {
      const {client, waits} = clientFor(`http://127.0.0.1:${await closedPort()}/addons/x`)
      const error = await failure(client.createConnection('salesforce', {connection_name: 'new_org'}))
      expect(waits).to.have.length(3)
      expect(error.sent).to.equal(false)
      expect(error.hints.join(' ')).to.contain('proxy settings')
    })

    it('the answer of a successful POST is returned', async () => {
      const {client} = clientFor(server.apiUrl)
      const created = await client.createConnection('datacloud', {connection_name: 'new_dc', login_url: 'https://login.salesforce.com'})
      expect(created).to.include({status: 'connecting'})
      expect(server.seen('POST')).to.have.length(1)
    })
  })

  describe('the timeout', () => {
    const saved = process.env.APPLINK_HTTP_TIMEOUT
    afterEach(() => {
      if (saved === undefined) delete process.env.APPLINK_HTTP_TIMEOUT
      else process.env.APPLINK_HTTP_TIMEOUT = saved
    })

    it('comes from APPLINK_HTTP_TIMEOUT (seconds) when not given', async () => {
      process.env.APPLINK_HTTP_TIMEOUT = '0.25'
      server.inject('POST', `${BASE}/connections/salesforce`, 'stall')
      const {client} = clientFor(server.apiUrl, {timeoutMs: undefined})
      const error = await failure(client.createConnection('salesforce', {connection_name: 'new_org'}))
      expect(error.id).to.equal('timeout')
      expect(error.message).to.equal(`POST ${BASE}/connections/salesforce timed out: no response from ${new URL(server.url).host} within 250 ms.`)
    })
  })
})

describe('AppLink client helpers', () => {
  it('shapeProblem', () => {
    expect(shapeProblem([], 'list')).to.equal(undefined)
    expect(shapeProblem({}, 'list')).to.equal('expected a list, got an object')
    expect(shapeProblem(null, 'object')).to.equal('expected an object, got null')
    expect(shapeProblem([], 'object')).to.equal('expected an object, got a list')
    expect(shapeProblem([], 'json')).to.equal(undefined)
    expect(shapeProblem(1, 'json')).to.equal('expected a JSON object or list, got a number')
    expect(shapeProblem('x', undefined)).to.equal(undefined)
  })
})

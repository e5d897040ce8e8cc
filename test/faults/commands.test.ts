/**
 * Every command against the emulator (test/helpers/backend.ts), with each fault: a GET is retried and the command
 * succeeds, or it ends with a clear error (naming the request, no stack trace) and a non-zero exit;
 * a POST or DELETE is never sent twice, and after an ambiguous failure the command says what
 * happened. Mocha's timeout is the "never hangs" check.
 *
 * Timeouts: healthy requests get a generous HTTP timeout (10 s), so that a busy machine never turns
 * them into faults; only a test that stalls a request on purpose shortens it (to 1 s, `stalling`),
 * and what it asserts holds even if a healthy GET around the stall timed out too (it is retried).
 */
import {expect} from 'chai'

import {APP, type RunResult, run} from '../helpers/applink.js'
import {type Backend, type Fault, useBackend, useRealNetwork} from '../helpers/backend.js'
import {closedPort} from '../helpers/ports.js'
import {argvOf, BASE, CASES, type CommandCase, STACK, title} from './cases.js'

const HTTP_TIMEOUT = '10'
const STALL_TIMEOUT = '1'
const ENV = {APPLINK_HTTP_TIMEOUT: HTTP_TIMEOUT, APPLINK_POLL_INTERVAL_MS: '20', APPLINK_WAIT_TIMEOUT: '20', CI: 'true'}
const FOREVER = Number.POSITIVE_INFINITY

/** The faults that only end when the client gives up waiting. */
const stalls = (fault: Fault) => fault === 'stall' || fault === 'stall-body'

/** Shortens the HTTP timeout for this test when `fault` stalls a request (restored before the next test). */
function stalling(fault: Fault): void {
  if (stalls(fault)) process.env.APPLINK_HTTP_TIMEOUT = STALL_TIMEOUT
}

/** The flows' note when a status check failed: never shown when the client's retry absorbed the fault. */
const FAILED_CHECK = 'Checking the status failed'

/** GET faults after which one retry succeeds. */
const TRANSIENT: Array<[string, Fault]> = [
  ['reset', 'reset'],
  ['stall past the timeout', 'stall'],
  ['body that stalls halfway', 'stall-body'],
  ['truncated body', 'truncated'],
  ['HTTP 502', {status: 502}],
  ['HTTP 503', {status: 503}],
  ['HTTP 504', {status: 504}],
  ['HTTP 429 with Retry-After', {headers: {'retry-after': '0'}, status: 429}],
  ['HTML 502 page', 'html-502'],
]

/** GET answers that are not what was asked for: a clear error, not retried. */
const GARBLED: Array<[string, Fault, RegExp]> = [
  ['an HTML page', 'html', /returned a response that is not valid JSON \(HTTP 200, an HTML page\)\./],
  ['cut-off JSON', 'bad-json', /returned a response that is not valid JSON \(HTTP 200, cut off or malformed JSON\)\./],
  ['JSON of the wrong shape', 'wrong-shape', /returned an unexpected response \(HTTP 200\): expected (a list|an object|a JSON object or list), got a string\./],
]

/** Write faults that leave it open whether the request took effect. */
const AMBIGUOUS: Array<[string, Fault]> = [
  ['reset', 'reset'],
  ['stall past the timeout', 'stall'],
  ['truncated body', 'truncated'],
  ['HTTP 500', {status: 500}],
  ['HTTP 502', {status: 502}],
  ['HTTP 503', {status: 503}],
  ['HTML 502 page', 'html-502'],
  ['cut-off JSON with HTTP 200', 'bad-json'],
]

describe('every command under faults', function () {
  this.timeout(60_000)
  useRealNetwork()
  // pending resources stay pending for two reads: the flows poll at least once
  const backend = useBackend({settleAfter: 2}, ENV)
  let server: Backend
  beforeEach(() => {
    server = backend()
  })
  beforeEach(() => {
    // a stall case shortens it for itself
    process.env.APPLINK_HTTP_TIMEOUT = HTTP_TIMEOUT
  })
  afterEach(function () {
    // never a duplicate write, whatever happened
    const writes = server.requests.filter(r => r.method !== 'GET').map(r => `${r.method} ${r.path}`)
    expect(writes.length, `${this.currentTest?.title}: ${writes.join(', ')}`).to.equal(new Set(writes).size)
  })

  const writes = (c: CommandCase) => server.seen(c.main.method, c.main.path)

  /** What every failure must look like: an error line on stderr, nothing on stdout, no stack, no `undefined`. */
  function expectCleanFailure(r: RunResult): void {
    expect(r.exitCode, r.stderr).to.not.equal(0)
    expect(r.stderr).to.match(/^(.*\n)*Error: /)
    expect(r.stdout).to.equal('')
    expect(r.stderr).not.to.match(STACK)
    expect(r.stderr).not.to.contain('undefined')
  }

  for (const c of CASES) {
    describe(title(c), () => {
      it('works without faults', async () => {
        const r = await run(argvOf(c))
        expect(r.exitCode, r.stderr).to.equal(0)
        if (c.kind !== 'read') expect(writes(c)).to.have.length(1)
      })

      const gets = c.kind === 'read' ? c.main.path : c.poll
      if (gets) {
        for (const [name, fault] of TRANSIENT) {
          it(`retries a GET after ${name}, then succeeds`, async () => {
            server.inject('GET', gets, fault)
            stalling(fault)
            const r = await run(argvOf(c))
            expect(r.exitCode, r.stderr).to.equal(0)
            expect(server.injections[0].times, 'the fault was served').to.equal(0)
            expect(server.seen('GET', gets).length).to.be.at.least(2)
            // a flow carries on after a failed status check, so success alone proves nothing: the
            // client's own retry must have absorbed the fault before the flow saw a failure
            if (c.kind === 'flow') expect(r.stderr).not.to.contain(FAILED_CHECK)
            expect(r.stderr).not.to.match(STACK)
          })
        }
      }

      if (c.kind === 'read') {
        it('gives up on a connection reset every time, with an error naming the request', async () => {
          server.inject('GET', c.main.path, 'reset', {times: FOREVER})
          const r = await run(argvOf(c))
          expectCleanFailure(r)
          expect(r.exitCode).to.equal(1)
          expect(r.stderr).to.match(/Error: GET \/addons\/[^ ]+ failed: 127\.0\.0\.1:\d+ reset the connection \(tried 4 times\)\./)
          expect(server.seen('GET', c.main.path)).to.have.length(4)
        })

        it('gives up on a timeout every time, and says how to allow more time', async () => {
          server.inject('GET', c.main.path, 'stall', {times: FOREVER})
          stalling('stall')
          const r = await run(argvOf(c))
          expectCleanFailure(r)
          expect(r.stderr).to.match(/Error: GET \/addons\/[^ ]+ timed out: no response from 127\.0\.0\.1:\d+ within 1 s \(tried 4 times\)\./)
          expect(r.stderr).to.contain('APPLINK_HTTP_TIMEOUT')
        })

        it('reports a persistent 503 with the service\'s message', async () => {
          server.inject('GET', c.main.path, {body: {id: 'service_unavailable', message: 'AppLink is down for maintenance'}, status: 503}, {times: FOREVER})
          const r = await run(argvOf(c, ['--json']))
          expect(r.exitCode).to.equal(1)
          expect(r.json).to.deep.include({error: {exit_code: 1, hints: ['The AppLink service (or a proxy in between) may be having trouble; try again in a minute.'], id: 'service_unavailable', message: 'AppLink is down for maintenance', request: `GET ${server.seen('GET', c.main.path)[0].path}`, status: 503}})
        })

        for (const [name, fault, message] of GARBLED) {
          it(`says which request answered ${name}`, async () => {
            server.inject('GET', c.main.path, fault)
            const r = await run(argvOf(c))
            expectCleanFailure(r)
            expect(r.stderr).to.match(/Error: GET \/addons\/\S+ /)
            expect(r.stderr).to.match(message)
          })
        }
      }

      if (c.kind !== 'read') {
        for (const [name, fault] of AMBIGUOUS) {
          it(`sends the ${c.main.method} once after ${name}; nothing happened, and it says so`, async () => {
            server.inject(c.main.method, c.main.path, fault)
            stalling(fault)
            const r = await run(argvOf(c))
            expectCleanFailure(r)
            expect(r.exitCode).to.equal(1)
            expect(writes(c)).to.have.length(1)
            if (c.kind === 'delete') expect(r.stderr).to.match(/was not deleted \(status \w+\): it is safe to run the command again\./)
            else if (c.kind === 'publish') {
              expect(r.stderr).to.match(/Could not tell whether the publication of \S*small\.yaml to my_org was created\./)
              expect(r.stderr).to.contain('› Check with: heroku salesforce:publications -a my-app --connection-name my_org')
            }
            else expect(r.stderr).to.match(/ was not created: it is safe to run the command again\./)
          })
        }

        if (c.kind !== 'publish') {
          for (const [name, fault] of AMBIGUOUS.slice(0, 5)) {
            it(`sends the ${c.main.method} once after ${name} when it went through, finds out, and carries on`, async () => {
              server.inject(c.main.method, c.main.path, fault, {processed: true})
              stalling(fault)
              const r = await run(argvOf(c))
              expect(r.exitCode, r.stderr).to.equal(0)
              expect(writes(c)).to.have.length(1)
              expect(r.stderr).to.match(c.kind === 'delete' ? /But .+ is gone: it was deleted\./ : /But .+ exists now \(status \w+\): the request went through\./)
              expect(r.stderr).not.to.match(STACK)
            })
          }
        }

        it(`does not resend the ${c.main.method} after a 429; says when to try again`, async () => {
          server.inject(c.main.method, c.main.path, {body: {}, headers: {'retry-after': '30'}, status: 429})
          const r = await run(argvOf(c))
          expectCleanFailure(r)
          expect(writes(c)).to.have.length(1)
          expect(r.stderr).to.contain('rate limited by the AppLink service (HTTP 429)')
          expect(r.stderr).to.contain('Try again in 30 s')
        })

        if (c.kind === 'publish') {
          // a publication has no name to look it up by: after an ambiguous failure nothing more is sent
          it('never retries the POST after a reset, looks nothing up, and says how to check', async () => {
            server.inject(c.main.method, c.main.path, 'reset')
            const r = await run(argvOf(c))
            expectCleanFailure(r)
            expect(writes(c)).to.have.length(1)
            const post = server.requests.findIndex(q => q.method === 'POST')
            expect(server.requests.slice(post + 1).map(q => `${q.method} ${q.path}`)).to.deep.equal([])
            expect(r.stderr).to.match(/Could not tell whether the publication of \S*small\.yaml to my_org was created\./)
            expect(r.stderr).to.contain('› Check with: heroku salesforce:publications -a my-app --connection-name my_org')
          })
        } else it(`never retries the ${c.main.method} when the lookup after it fails too: could not tell`, async () => {
          server.inject(c.main.method, c.main.path, 'reset')
          const lookup = c.kind === 'delete' ? c.main.path : new RegExp(`/${(c.name ?? '').replace(' ', '_')}$`)
          // a removal reads the record once before its DELETE (to check its kind): that read gets through
          if (c.kind === 'delete') server.inject('GET', lookup, {body: {org: {type: c.argv[0].startsWith('datacloud') ? 'DataCloudOrg' : 'SalesforceOrg'}, status: 'connected'}, status: 200})
          server.inject('GET', lookup, 'reset', {times: FOREVER})
          const r = await run(argvOf(c))
          expectCleanFailure(r)
          expect(writes(c)).to.have.length(1)
          expect(r.stderr).to.match(/Could not tell whether .+ was (created|deleted) \(looking it up failed too: .+\)\./)
          expect(r.stderr).to.match(/› Check with: heroku applink:\w+:info \w+ -a my-app|› Check with: Data Cloud Setup/)
        })
      }

      if (c.kind === 'flow') {
        it('stops after status checks fail several polls in a row: it may still complete, and how to check', async () => {
          server.inject('GET', c.poll as RegExp, {status: 503}, {times: FOREVER})
          const r = await run(argvOf(c))
          expectCleanFailure(r)
          expect(r.exitCode).to.equal(1)
          expect(r.stderr).to.match(/It may still complete\./)
          expect(r.stderr).to.match(/› Check it (with: heroku applink:\w+:info \w+ -a my-app|in Data Cloud Setup)/)
          expect(writes(c)).to.have.length(1)
        })
      }
    })
  }

  describe('the Heroku Platform API', () => {
    const command = ['applink:connections', '-a', APP.name]

    it('a reset on config-vars is retried', async () => {
      server.inject('GET', `/apps/${APP.name}/config-vars`, 'reset')
      const r = await run(command)
      expect(r.exitCode, r.stderr).to.equal(0)
      expect(server.seen('GET', `/apps/${APP.name}/config-vars`)).to.have.length(2)
    })

    for (const [name, fault] of [['503', {status: 503}], ['HTML 502', 'html-502'], ['429', {headers: {'retry-after': '0'}, status: 429}], ['stall', 'stall']] as Array<[string, Fault]>) {
      it(`a ${name} on the app is retried`, async () => {
        server.inject('GET', `/apps/${APP.name}`, fault)
        stalling(fault)
        const r = await run(command)
        expect(r.exitCode, r.stderr).to.equal(0)
        expect(server.injections[0].times, 'the fault was served').to.equal(0)
        if (stalls(fault)) expect(server.seen('GET', `/apps/${APP.name}`).length).to.be.at.least(2)
        else expect(server.seen('GET', `/apps/${APP.name}`)).to.have.length(2)
      })
    }

    it('an HTML page instead of the add-ons: a clear error naming the request', async () => {
      server.inject('GET', `/apps/${APP.name}/addons`, 'html', {times: FOREVER})
      const r = await run(command)
      expectCleanFailure(r)
      expect(r.stderr).to.contain(`Error: GET /apps/${APP.name}/addons returned an unexpected response: expected a list, got an HTML page.`)
    })

    it('a persistent HTML 502 on the SSO call', async () => {
      server.inject('GET', /\/sso$/, 'html-502', {times: FOREVER})
      const r = await run(command)
      expectCleanFailure(r)
      expect(r.stderr).to.match(/Error: GET \/apps\/my-app\/addons\/[\w-]+\/sso failed with HTTP 502 \(the response was an HTML page, not JSON\)\./)
    })

    it('a persistent stall: a timeout naming the request', async () => {
      server.inject('GET', `/apps/${APP.name}/addon-attachments`, 'stall', {times: FOREVER})
      stalling('stall')
      const r = await run(command)
      expectCleanFailure(r)
      expect(r.stderr).to.match(/Error: GET \/apps\/my-app\/addon-attachments timed out: no response from .+ within 1 s\./)
    })

    it('a reset on the POST\'s add-on lookup is retried, and the POST is sent once', async () => {
      server.inject('GET', `/apps/${APP.name}/config-vars`, 'reset')
      const r = await run(['salesforce:connect', 'new_org', '-a', APP.name])
      expect(r.exitCode, r.stderr).to.equal(0)
      expect(server.injections[0].times, 'the fault was served').to.equal(0)
      expect(server.seen('GET', `/apps/${APP.name}/config-vars`)).to.have.length(2)
      expect(server.seen('POST').map(q => q.path)).to.deep.equal([`${BASE}/connections/salesforce`])
    })

    it('a persistent 503 on the POST\'s add-on lookup: no POST is sent', async () => {
      server.inject('GET', `/apps/${APP.name}/config-vars`, {status: 503}, {times: FOREVER})
      const r = await run(['salesforce:connect', 'new_org', '-a', APP.name])
      expectCleanFailure(r)
      expect(server.seen('POST')).to.deep.equal([])
    })
  })

  it('a refused AppLink connection is a clear error (nothing was sent, safe to retry)', async () => {
    const port = await closedPort()
    // the app's config vars, as the emulator answers them, but pointing AppLink at the closed port
    const elsewhere = (_r: unknown, answer?: {json?: unknown}) => ({...answer?.json as object, HEROKU_APPLINK_API_URL: `http://127.0.0.1:${port}${BASE}`})
    server.inject('GET', `/apps/${APP.name}/config-vars`, {body: elsewhere, status: 200}, {processed: true, times: FOREVER})
    const r = await run(['salesforce:connect', 'new_org', '-a', APP.name])
    expectCleanFailure(r)
    expect(r.stderr).to.match(/Error: POST \/addons\/\S+\/connections\/salesforce failed: 127\.0\.0\.1:\d+ refused the connection \(tried 4 times\)\./)
    expect(r.stderr).not.to.contain('Could not tell')
  })
})

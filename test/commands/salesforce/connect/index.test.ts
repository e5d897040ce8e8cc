import {expect} from 'chai'
import nock from 'nock'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../../helpers/applink.js'
import {fakeBrowser, linesStarting, REDIRECT, useFlowEnv} from '../../../helpers/flow.js'
import {nothingSent} from '../../../helpers/requests.js'

const ID = 'c5c5c5c5-1111-4222-8333-444444444444'
const pending = connection({id: ID, org: {connection_name: 'new_org', type: 'SalesforceOrg'}, redirect_uri: REDIRECT, status: 'connecting'})
const done = connection({id: ID, org: {connection_name: 'new_org', id: '00D000000000077EAA', instance_url: 'https://new.my.salesforce.com', type: 'SalesforceOrg', username: 'admin@new.example'}, status: 'connected'})
const LABEL = `Connecting Salesforce org new_org to ${APP.name}`

describe('salesforce:connect', () => {
  useFlowEnv()

  it('creates the connection, prints the login URL on stderr, polls connecting → connected, exit 0', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'})
    .matchHeader('content-type', 'application/json')
    .reply(202, pending)
    .get(`${BASE}/connections/${ID}`).times(3).reply(200, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, done)
    const {exitCode, stderr, stdout} = await run(['salesforce:connect', 'new_org', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`Open this URL in a browser to log in: ${REDIRECT}\n`)
    // one line per status change, not one per poll
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: connecting`, `${LABEL}: connected`])
    expect(stdout).to.contain(`Salesforce connection new_org on app ${APP.name}`)
    expect(stdout).to.match(/Org ID:\s+00D000000000077EAA/)
    expect(stdout).to.match(/Status:\s+connected/)
    expect(stdout).not.to.contain(REDIRECT)
    assertNoSecrets(stdout + stderr)
  })

  it('sends login_url only when -l is given', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org', login_url: 'https://test.salesforce.com'})
    .reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, done)
    const {exitCode} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '-l', 'https://test.salesforce.com'])
    expect(exitCode).to.equal(0)
  })

  it('--json prints only the final connection on stdout; the URL and progress go to stderr', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, done)
    const {exitCode, json, stderr, stdout} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(done)
    expect(JSON.parse(stdout)).to.deep.equal(done)
    expect(stderr).to.contain(REDIRECT)
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: connecting`, `${LABEL}: connected`])
  })

  it('exits 1 with the service\'s error message when the connection ends failed', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, {...pending, error: {id: 'org_connection_failed', message: 'OAuth login was denied by the user'}, redirect_uri: undefined, status: 'failed'})
    const {exitCode, stderr, stdout} = await run(['salesforce:connect', 'new_org', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: connecting`, `${LABEL}: failed`])
    expect(stderr).to.contain('Error: Salesforce connection new_org failed: OAuth login was denied by the user\n')
    expect(stderr).to.contain(`Check it with: heroku applink:connections:info new_org -a ${APP.name}`)
  })

  it('with --json, a failed flow is {"error": …} on stdout with the service\'s id and message', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, {...pending, error: {id: 'org_connection_failed', message: 'Login expired'}, status: 'failed'})
    const {exitCode, json} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(1)
    expect(json).to.have.nested.property('error.id', 'org_connection_failed')
    expect(json).to.have.nested.property('error.message', 'Salesforce connection new_org failed: Login expired')
    expect(json).to.have.nested.property('error.exit_code', 1)
  })

  it('gives up after --wait-timeout with exit 3 and the exact command to check later', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, pending)
    .persist()
    const {exitCode, stderr, stdout} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '--wait-timeout', '0.05', '--addon', 'applink-curved-12345'])
    expect(exitCode).to.equal(3)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('Error: Timed out after 0.05 seconds waiting for Salesforce connection new_org (status connecting). It may still complete.')
    expect(stderr).to.contain(`Check it with: heroku applink:connections:info new_org -a ${APP.name} --addon applink-curved-12345`)
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: connecting`, `${LABEL}: timed out`])
  })

  it('takes the timeout from APPLINK_WAIT_TIMEOUT too, and rejects a bad one before any request (exit 2)', async () => {
    try {
      // a valid one ends the wait as --wait-timeout does
      process.env.APPLINK_WAIT_TIMEOUT = '0.05'
      platformApi()
      const create = applinkApi().post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
      // polled every 1 ms (APPLINK_POLL_INTERVAL_MS), 0.05 s takes about 50 polls: far fewer than
      // these, so a wait that ignored the variable (10 minutes) ends on the unanswered poll instead of hanging
      applinkApi().get(`${BASE}/connections/${ID}`).times(300).reply(200, pending)
      const waited = await run(['salesforce:connect', 'new_org', '-a', APP.name])
      expect(waited.exitCode, waited.stderr).to.equal(3)
      expect(waited.stdout).to.equal('')
      expect(waited.stderr).to.contain('Error: Timed out after 0.05 seconds waiting for Salesforce connection new_org (status connecting). It may still complete.')
      expect(linesStarting(waited.stderr, LABEL)).to.deep.equal([`${LABEL}: connecting`, `${LABEL}: timed out`])
      expect(create.isDone(), 'the connection was created').to.equal(true)
      nock.cleanAll()

      process.env.APPLINK_WAIT_TIMEOUT = 'soon'
      const sent = nothingSent()
      const {exitCode, stderr} = await run(['salesforce:connect', 'new_org', '-a', APP.name])
      sent.check()
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain('Error: Invalid --wait-timeout "soon": use a number of seconds greater than 0.')
    } finally {
      delete process.env.APPLINK_WAIT_TIMEOUT
    }
  })

  for (const [name, rule] of [['my-org', 'it contains "-"'], ['1org', 'it must start with a letter'], ['my__org', 'it contains two underscores in a row'], ['ab', 'it has 2 characters']]) {
    it(`rejects the connection name ${name} before any request (exit 2)`, async () => {
      const sent = nothingSent()
      const {exitCode, stderr, stdout} = await run(['salesforce:connect', name, '-a', APP.name])
      sent.check()
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.contain(`Error: Invalid connection name "${name}": ${rule}`)
    })
  }

  it('rejects a login URL that is not https before any request (exit 2)', async () => {
    const sent = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '-l', 'http://login.example.com'])
    sent.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid --login-url')
  })

  it('without a TTY, --browser NAME still opens that browser (never waiting for it), and the URL is printed anyway', async function () {
    if (process.platform !== 'linux') this.skip()
    const dir = mkdtempSync(join(tmpdir(), 'applink-browser-'))
    try {
      const log = join(dir, 'opened')
      const browser = fakeBrowser(dir, log)
      platformApi()
      applinkApi()
      .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
      .get(`${BASE}/connections/${ID}`).reply(200, done)
      const {exitCode, stderr} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '--browser', browser])
      expect(exitCode).to.equal(0)
      expect(stderr).to.contain(`Open this URL in a browser to log in: ${REDIRECT}`)
      expect(stderr).not.to.contain('Could not open')
      expect(readFileSync(log, 'utf8')).to.equal(`${REDIRECT}\n`)
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('says so when the --browser it was asked for cannot be started', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, done)
    const {exitCode, stderr} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '--browser', '/nonexistent/browser-x'])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`Open this URL in a browser to log in: ${REDIRECT}\nCould not open /nonexistent/browser-x.\n`)
  })

  it('keeps polling through a passing 503 (after the client\'s own retries)', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).times(4).reply(503, {id: 'service_unavailable', message: 'AppLink is restarting'})
    .get(`${BASE}/connections/${ID}`).reply(200, done)
    const {exitCode, stderr} = await run(['salesforce:connect', 'new_org', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain('Checking the status failed (AppLink is restarting); trying again.')
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: connecting`, `${LABEL}: connected`])
  })

  describe('when the name is taken (409)', () => {
    const taken = {id: 'conflict', message: 'A connection named new_org already exists on this add-on (status connecting).'}

    it('picks up a connection still waiting for its login: prints its URL again and waits, exit 0', async () => {
      platformApi()
      applinkApi()
      .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(409, taken)
      .get(`${BASE}/connections/new_org`).reply(200, pending)
      .get(`${BASE}/connections/${ID}`).reply(200, done)
      const {exitCode, stderr, stdout} = await run(['salesforce:connect', 'new_org', '-a', APP.name])
      expect(exitCode, stderr).to.equal(0)
      expect(stderr).to.contain('Salesforce connection new_org is already waiting for a login (status connecting): picking it up instead of starting another.\n')
      expect(stderr).to.contain(`Open this URL in a browser to log in: ${REDIRECT}\n`)
      expect(stdout).to.match(/Status:\s+connected/)
    })

    it('says so when the pending connection\'s login URL cannot be read back, and still waits', async () => {
      platformApi()
      const noUrl = {...pending}
      delete noUrl.redirect_uri
      applinkApi()
      .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(409, taken)
      .get(`${BASE}/connections/new_org`).reply(200, noUrl)
      .get(`${BASE}/connections/${ID}`).reply(200, done)
      const {exitCode, stderr} = await run(['salesforce:connect', 'new_org', '-a', APP.name])
      expect(exitCode, stderr).to.equal(0)
      expect(stderr).to.contain(`Its login URL cannot be read back from the AppLink service: if its login page is still open in a browser, finish there. To start over instead, stop this with Ctrl-C and run: heroku salesforce:disconnect new_org -a ${APP.name}\n`)
      expect(stderr).not.to.contain('Open this URL')
    })

    it('a finished connection is a conflict (exit 1) naming the command that removes it, with --addon as given', async () => {
      platformApi()
      applinkApi()
      .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(409, {id: 'conflict', message: 'exists'})
      .get(`${BASE}/connections/new_org`).reply(200, done)
      const {exitCode, json} = await run(['salesforce:connect', 'new_org', '-a', APP.name, '--addon', 'applink-curved-12345', '--json'])
      expect(exitCode).to.equal(1)
      expect(json).to.deep.equal({error: {
        exit_code: 1,
        hints: [
          `See it with: heroku applink:connections:info new_org -a ${APP.name} --addon applink-curved-12345`,
          `To start over, remove it first with: heroku salesforce:disconnect new_org -a ${APP.name} --addon applink-curved-12345`,
        ],
        id: 'conflict',
        message: `Salesforce connection new_org already exists on app ${APP.name} (status connected).`,
        request: `POST ${BASE}/connections/salesforce`,
        status: 409,
      }})
    })

    it('a pending Data Cloud connection of that name is not picked up by salesforce:connect', async () => {
      platformApi()
      applinkApi()
      .post(`${BASE}/connections/salesforce`, {connection_name: 'new_org'}).reply(409, taken)
      .get(`${BASE}/connections/new_org`).reply(200, {...pending, org: {connection_name: 'new_org', type: 'DataCloudOrg'}})
      const {exitCode, stderr} = await run(['salesforce:connect', 'new_org', '-a', APP.name])
      expect(exitCode).to.equal(1)
      expect(stderr).to.equal([
        `Error: The name new_org is taken on app ${APP.name} by a Data Cloud connection (status connecting).`,
        '  › Choose another name.',
        `  › Or remove that connection first with: heroku datacloud:disconnect new_org -a ${APP.name}`,
        '',
      ].join('\n'))
    })
  })
})

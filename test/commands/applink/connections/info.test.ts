import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../../helpers/applink.js'
import {nothingSent} from '../../../helpers/requests.js'
import {asPipe} from '../../../helpers/terminal.js'

describe('applink:connections:info', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('GETs the connection by name and shows it as key/value', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({connection_method: 'OAuth'}))
    const {exitCode, stderr, stdout} = await run(['applink:connections:info', 'my_org', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    // the same Method row as an authorization's
    expect(stdout).to.match(/\nMethod:\s+OAuth\n/)
    expect(stdout).to.contain(`=== Heroku AppLink connection my_org for app ${APP.name}`)
    expect(stdout).to.match(/Connection Name:\s+my_org\n/)
    expect(stdout).to.match(/Org ID:\s+00D000000000001EAA\n/)
    expect(stdout).to.match(/Status:\s+connected\n/)
    expect(stdout).to.match(/Type:\s+Salesforce Org\n/)
    expect(stdout).to.match(/Username:\s+admin@my-org\.example\n/)
    expect(stdout).not.to.contain('Error')
    assertNoSecrets(stdout + stderr)
  })

  it('shows a failed connection with its error, and how to fix it on stderr (exit 0)', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/dc_org`).reply(200, connection({
      error: {id: 'org_connection_failed', message: 'Login expired'},
      org: {connection_name: 'dc_org', id: '00D000000000002EAA', type: 'DatacloudOrg'},
      status: 'failed',
    }))
    const {exitCode, stderr, stdout} = await run(['applink:connections:info', 'dc_org', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/Status:\s+failed\n/)
    expect(stdout).to.match(/Error:\s+Login expired \(org_connection_failed\)\n/)
    expect(stdout).to.match(/Type:\s+Data Cloud Org\n/)
    expect(stderr).to.equal(`Reconnect with: heroku datacloud:connect dc_org -a ${APP.name}\n`)
  })

  it('suggests the JWT command again for a failed JWT connection', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({connection_method: 'JWT', error: {id: 'authentication_failed', message: 'invalid_grant'}, status: 'failed'}))
    const {exitCode, stderr} = await run(['applink:connections:info', 'my_org', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`Reconnect with: heroku salesforce:connect:jwt my_org -a ${APP.name} --client-id`)
  })

  it('prints only the resource with --json', async () => {
    platformApi()
    const body = connection()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, body)
    const {exitCode, json, stderr} = await run(['applink:connections:info', 'my_org', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(body)
    expect(stderr).to.equal('')
  })

  it('accepts the connection id', async () => {
    platformApi()
    const id = 'c0c0c0c0-1111-4222-8333-444444444444'
    applinkApi().get(`${BASE}/connections/${id}`).reply(200, connection())
    const {exitCode, stdout} = await run(['applink:connections:info', id, '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain(`=== Heroku AppLink connection my_org for app ${APP.name}`)
  })

  it('names the missing connection and points at applink:connections (exit 1)', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/nope_org`).reply(404, {id: 'record_not_found', message: 'Record not found'})
    const {exitCode, stderr, stdout} = await run(['applink:connections:info', 'nope_org', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal([
      `Error: Connection nope_org was not found on app ${APP.name}.`,
      `  › List the app's connections with: heroku applink:connections -a ${APP.name}`,
      '',
    ].join('\n'))
  })

  it('refuses an invalid name before any request (exit 2)', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['applink:connections:info', 'my.org', '-a', APP.name])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid connection name "my.org": it contains "."')
  })

  it('explains a 401 from AppLink, machine-readable with --json', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/my_org`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, json, stdout} = await run(['applink:connections:info', 'my_org', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(1)
    const error = (json as {error: Record<string, unknown>}).error
    expect(error).to.include({id: 'unauthorized', request: `GET ${BASE}/connections/my_org`, status: 401})
    assertNoSecrets(stdout)
  })
})

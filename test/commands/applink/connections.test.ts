import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../helpers/applink.js'

describe('applink:connections', () => {
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('lists connections with the exact AppLink request and a table', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections`).reply(200, [
      connection(),
      connection({error: {id: 'org_connection_failed', message: 'Login expired'}, id: 'c2', org: {connection_name: 'dc_org', type: 'DatacloudOrg'}, status: 'failed'}),
    ])
    const {exitCode, stderr, stdout} = await run(['applink:connections', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain(`Heroku AppLink connections for app ${APP.name}`)
    expect(stdout).to.match(/my_org\s+.*Salesforce Org\s+.*00D000000000001EAA\s+.*connected/)
    expect(stdout).to.match(/dc_org\s+.*Data Cloud Org.*failed.*Login expired/)
    assertNoSecrets(stdout + stderr)
  })

  it('prints only the API resources with --json', async () => {
    platformApi()
    const body = [connection()]
    applinkApi().get(`${BASE}/connections`).reply(200, body)
    const {exitCode, json, stdout} = await run(['applink:connections', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(body)
    expect(stdout.trim().startsWith('[')).to.equal(true)
  })

  it('says so when there are none', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections`).reply(200, [])
    const {exitCode, stdout} = await run(['applink:connections', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain(`There are no Heroku AppLink connections for app ${APP.name}.`)
  })

  it('tells the user to add the add-on when the app has none', async () => {
    platformApi({addons: [], sso: false})
    const {exitCode, stderr, stdout} = await run(['applink:connections', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`App ${APP.name} has no heroku-applink add-on.`)
    expect(stderr).to.contain(`heroku addons:create heroku-applink -a ${APP.name}`)
  })

  it('explains a 401 from AppLink as a refused add-on token, machine-readable with --json', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, json, stderr, stdout} = await run(['applink:connections', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(1)
    expect(json).to.deep.include({error: {exit_code: 1, hints: [`The token comes from the add-on's _TOKEN config var. If the add-on was just created or its credentials rotated, wait a minute and retry; otherwise check it with: heroku addons -a ${APP.name}`], id: 'unauthorized', message: 'The AppLink service at applink.example.com refused the add-on\'s token (HTTP 401: Invalid credentials).', request: `GET ${BASE}/connections`, status: 401}})
    assertNoSecrets(stdout + stderr)
  })
})

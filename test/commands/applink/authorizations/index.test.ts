import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, authorization, BASE, platformApi, run} from '../../../helpers/applink.js'
import {asPipe} from '../../../helpers/terminal.js'

describe('applink:authorizations', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('lists authorizations with the exact AppLink request and a table', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations`).reply(200, [
      authorization(),
      authorization({
        connection_method: 'JWT',
        error: {id: 'authentication_failed', message: 'Token revoked'},
        id: 'a2',
        org: {developer_name: 'dc_auth', id: '00D000000000002EAA', type: 'DataCloudOrg', username: 'dc@example.com'},
        status: 'failed',
      }),
    ])
    const {exitCode, stderr, stdout} = await run(['applink:authorizations', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.contain(`Heroku AppLink authorizations for app ${APP.name}`)
    expect(stdout).to.match(/Developer Name\s+Type\s+Org ID\s+Status\s+Username\s+Method\s+Error\n/)
    expect(stdout).to.match(/my_auth\s+Salesforce Org\s+00D000000000001EAA\s+authorized\s+user@my-org\.example\s+OAuth/)
    expect(stdout).to.match(/dc_auth\s+Data Cloud Org\s+00D000000000002EAA\s+failed\s+dc@example\.com\s+JWT\s+Token revoked/)
    assertNoSecrets(stdout + stderr)
  })

  it('prints only the API resources with --json', async () => {
    platformApi()
    const body = [authorization()]
    applinkApi().get(`${BASE}/authorizations`).reply(200, body)
    const {exitCode, json} = await run(['applink:authorizations', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(body)
  })

  it('says so when there are none', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations`).reply(200, [])
    const {exitCode, stdout} = await run(['applink:authorizations', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain(`There are no Heroku AppLink authorizations for app ${APP.name}.`)
  })

  it('explains a 401 from AppLink without leaking the token', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, stderr, stdout} = await run(['applink:authorizations', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('Error: The AppLink service at applink.example.com refused the add-on\'s token (HTTP 401: Invalid credentials).')
    assertNoSecrets(stdout + stderr)
  })
})

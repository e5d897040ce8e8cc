import {expect} from 'chai'

import {APP, applinkApi, authorization, BASE, platformApi, run} from '../../../helpers/applink.js'
import {linesStarting, REDIRECT, useFlowEnv} from '../../../helpers/flow.js'
import {nothingSent} from '../../../helpers/requests.js'

const ID = 'a6a6a6a6-1111-4222-8333-444444444444'
const org = {developer_name: 'dc_auth', id: '00D000000000088EAA', type: 'DataCloudOrg', username: 'user@dc.example'}
const pending = authorization({id: ID, org: {developer_name: 'dc_auth', type: 'DataCloudOrg'}, redirect_uri: REDIRECT, status: 'authorizing'})
const done = authorization({id: ID, org})
const LABEL = `Authorizing dc_auth for ${APP.name} (Data Cloud org)`

describe('datacloud:authorizations:add', () => {
  useFlowEnv()

  it('POSTs /authorizations/datacloud with developer_name and login_url, polls by id until authorized', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/datacloud`, {developer_name: 'dc_auth', login_url: 'https://login.salesforce.com'})
    .matchHeader('content-type', 'application/json')
    .reply(202, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, done)
    const {exitCode, stderr, stdout} = await run(['datacloud:authorizations:add', 'dc_auth', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`Open this URL in a browser to log in: ${REDIRECT}\n`)
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: authorizing`, `${LABEL}: authorized`])
    expect(stdout).to.contain(`Data Cloud authorization dc_auth on app ${APP.name}`)
    expect(stdout).to.match(/Type:\s+Data Cloud Org/)
  })

  it('--json prints only the final authorization; a failure is exit 1 with the service\'s message', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/datacloud`, {developer_name: 'dc_auth', login_url: 'https://mydomain.my.salesforce.com'}).reply(202, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, done)
    const ok = await run(['datacloud:authorizations:add', 'dc_auth', '-a', APP.name, '-l', 'https://mydomain.my.salesforce.com', '--json'])
    expect(ok.exitCode).to.equal(0)
    expect(ok.json).to.deep.equal(done)

    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/datacloud`, {developer_name: 'dc_auth', login_url: 'https://login.salesforce.com'}).reply(202, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, {...done, error: {id: 'org_connection_failed', message: 'Refresh token revoked'}, status: 'disconnected'})
    const failed = await run(['datacloud:authorizations:add', 'dc_auth', '-a', APP.name])
    expect(failed.exitCode).to.equal(1)
    expect(failed.stderr).to.contain('Error: Authorization dc_auth was disconnected: Refresh token revoked\n')
  })

  it('rejects an invalid developer name before any request (exit 2)', async () => {
    const sent = nothingSent()
    const {exitCode, stderr} = await run(['datacloud:authorizations:add', 'd', '-a', APP.name])
    sent.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Error: Invalid developer name "d": it has 1 character; use 3 to 30.')
  })
})

import {expect} from 'chai'

import {APP, applinkApi, assertNoSecrets, authorization, BASE, platformApi, run} from '../../../helpers/applink.js'
import {linesStarting, REDIRECT, useFlowEnv} from '../../../helpers/flow.js'
import {nothingSent} from '../../../helpers/requests.js'

const ID = 'a5a5a5a5-1111-4222-8333-444444444444'
const pending = authorization({id: ID, org: {developer_name: 'my_auth', type: 'SalesforceOrg'}, redirect_uri: REDIRECT, status: 'authorizing'})
const done = authorization({id: ID})
const LABEL = `Authorizing my_auth for ${APP.name} (Salesforce org)`

describe('salesforce:authorizations:add', () => {
  useFlowEnv()

  it('always sends login_url (https://login.salesforce.com without -l), polls authorizing → authorized', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/salesforce`, {developer_name: 'my_auth', login_url: 'https://login.salesforce.com'})
    .matchHeader('content-type', 'application/json')
    .reply(202, pending)
    .get(`${BASE}/authorizations/${ID}`).twice().reply(200, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, done)
    const {exitCode, stderr, stdout} = await run(['salesforce:authorizations:add', 'my_auth', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`Open this URL in a browser to log in: ${REDIRECT}\n`)
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: authorizing`, `${LABEL}: authorized`])
    expect(stdout).to.contain(`Salesforce authorization my_auth on app ${APP.name}`)
    expect(stdout).to.match(/Username:\s+user@my-org\.example/)
    assertNoSecrets(stdout + stderr)
  })

  it('sends the -l login URL, and prints only the final authorization with --json', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/salesforce`, {developer_name: 'my_auth', login_url: 'https://test.salesforce.com'}).reply(202, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, done)
    const {exitCode, json, stderr} = await run(['salesforce:authorizations:add', 'my_auth', '-a', APP.name, '-l', 'https://test.salesforce.com', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(done)
    expect(stderr).to.contain(REDIRECT)
  })

  it('exits 1 with the service\'s message when the authorization ends failed', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/salesforce`, {developer_name: 'my_auth', login_url: 'https://login.salesforce.com'}).reply(202, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, {...pending, error: {id: 'authentication_failed', message: 'User is not allowed to use this connected app'}, status: 'failed'})
    const {exitCode, stderr, stdout} = await run(['salesforce:authorizations:add', 'my_auth', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('Error: Authorization my_auth failed: User is not allowed to use this connected app\n')
    expect(stderr).to.contain(`Try again with: heroku salesforce:authorizations:add my_auth -a ${APP.name}`)
  })

  it('times out with exit 3 and the command to check the authorization later', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/salesforce`, {developer_name: 'my_auth', login_url: 'https://login.salesforce.com'}).reply(202, pending)
    .get(`${BASE}/authorizations/${ID}`).reply(200, pending)
    .persist()
    const {exitCode, stderr} = await run(['salesforce:authorizations:add', 'my_auth', '-a', APP.name, '--wait-timeout', '0.03'])
    expect(exitCode).to.equal(3)
    expect(stderr).to.contain('Timed out after 0.03 seconds waiting for authorization my_auth (status authorizing). It may still complete.')
    expect(stderr).to.contain(`Check it with: heroku applink:authorizations:info my_auth -a ${APP.name}\n`)
  })

  it('rejects an invalid developer name before any request (exit 2)', async () => {
    const sent = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:authorizations:add', 'my_auth_', '-a', APP.name])
    sent.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Error: Invalid developer name "my_auth_": it must end with a letter or a digit.')
  })
})

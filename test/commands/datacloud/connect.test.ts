import {expect} from 'chai'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../helpers/applink.js'
import {linesStarting, REDIRECT, useFlowEnv} from '../../helpers/flow.js'
import {nothingSent} from '../../helpers/requests.js'

const ID = 'd7d7d7d7-1111-4222-8333-444444444444'
const pending = connection({id: ID, org: {connection_name: 'dc_org', type: 'DataCloudOrg'}, redirect_uri: REDIRECT, status: 'connecting'})
const done = connection({id: ID, org: {connection_name: 'dc_org', id: '00D000000000088EAA', instance_url: 'https://dc.my.salesforce.com', type: 'DataCloudOrg', username: 'admin@dc.example'}, status: 'connected'})
const LABEL = `Connecting Data Cloud org dc_org to ${APP.name}`

describe('datacloud:connect', () => {
  useFlowEnv()

  it('POSTs /connections/datacloud, prints the login URL, polls the connection by id until connected', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/datacloud`, {connection_name: 'dc_org'})
    .matchHeader('content-type', 'application/json')
    .reply(202, pending)
    .get(`${BASE}/connections/${ID}`).twice().reply(200, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, done)
    const {exitCode, stderr, stdout} = await run(['datacloud:connect', 'dc_org', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.contain(`Open this URL in a browser to log in: ${REDIRECT}\n`)
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: connecting`, `${LABEL}: connected`])
    expect(stdout).to.contain(`Data Cloud connection dc_org on app ${APP.name}`)
    expect(stdout).to.match(/Type:\s+Data Cloud Org/)
    assertNoSecrets(stdout + stderr)
  })

  it('sends -l as login_url and prints only the final connection with --json', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/datacloud`, {connection_name: 'dc_org', login_url: 'https://mydomain.my.salesforce.com'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, done)
    const {exitCode, json, stderr} = await run(['datacloud:connect', 'dc_org', '-a', APP.name, '-l', 'https://mydomain.my.salesforce.com', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(done)
    expect(stderr).to.contain(REDIRECT)
  })

  it('exits 1 with the service\'s message when the connection ends disconnected', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/datacloud`, {connection_name: 'dc_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, {...done, error: {id: 'authentication_failed', message: 'Data Cloud is not enabled in this org'}, status: 'disconnected'})
    const {exitCode, stderr, stdout} = await run(['datacloud:connect', 'dc_org', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('Error: Data Cloud connection dc_org was disconnected: Data Cloud is not enabled in this org\n')
    expect(stderr).to.contain(`Try again with: heroku datacloud:connect dc_org -a ${APP.name}`)
  })

  it('times out with exit 3 and the command to check the connection later', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/datacloud`, {connection_name: 'dc_org'}).reply(202, pending)
    .get(`${BASE}/connections/${ID}`).reply(200, pending)
    .persist()
    const {exitCode, stderr} = await run(['datacloud:connect', 'dc_org', '-a', APP.name, '--wait-timeout', '0.03'])
    expect(exitCode).to.equal(3)
    expect(stderr).to.contain(`Check it with: heroku applink:connections:info dc_org -a ${APP.name}\n`)
  })

  it('rejects an invalid connection name before any request (exit 2)', async () => {
    const sent = nothingSent()
    const {exitCode, stderr} = await run(['datacloud:connect', '"dc org"', '-a', APP.name])
    sent.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Error: Invalid connection name "dc org": it contains " "')
  })
})

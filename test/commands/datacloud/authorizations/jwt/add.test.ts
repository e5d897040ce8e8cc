import {expect} from 'chai'
import nock from 'nock'
import {readFileSync} from 'node:fs'

import {APP, applinkApi, assertNoSecrets, authorization, BASE, platformApi, run} from '../../../../helpers/applink.js'
import {nothingSent} from '../../../../helpers/requests.js'
import {asPipe} from '../../../../helpers/terminal.js'

const keys = new URL('../../../../fixtures/keys/', import.meta.url).pathname
const KEY_FILE = `${keys}test-rsa.key`
const PEM = readFileSync(KEY_FILE, 'utf8')
const args = (...extra: string[]) => ['datacloud:authorizations:jwt:add', 'dc_auth', '-a', APP.name, '--client-id', '3MVG9.dc', '--jwt-key-file', KEY_FILE, '--username', 'dc@example.com', ...extra]
const dcAuth = (overrides: Record<string, unknown> = {}) => authorization({
  connection_method: 'JWT',
  org: {developer_name: 'dc_auth', id: '00D000000000002EAA', instance_url: 'https://dc.example.com', type: 'DataCloudOrg', username: 'dc@example.com'},
  ...overrides,
})

describe('datacloud:authorizations:jwt:add', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('POSTs exactly the contract body to the datacloud path and shows the authorization', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/datacloud/jwt`, {
      alias: 'applink:dc_auth',
      client_id: '3MVG9.dc',
      developer_name: 'dc_auth',
      jwt_private_key: PEM,
      login_url: 'https://login.salesforce.com',
      username: 'dc@example.com',
    })
    .reply(201, dcAuth())
    const {exitCode, stderr, stdout} = await run(args())
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal(`Adding Data Cloud authorization dc_auth to ${APP.name} with JWT as dc@example.com... authorized\n`)
    expect(stdout).to.contain(`Data Cloud authorization dc_auth on app ${APP.name}`)
    expect(stdout).to.match(/Type:\s+Data Cloud Org/)
    assertNoSecrets(stdout + stderr)
    expect(stdout + stderr).not.to.contain(PEM.split('\n')[1])
  })

  it('sends --alias as given; --json prints the authorization', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/datacloud/jwt`, (body: Record<string, unknown>) => body.alias === 'dc-reader' && body.developer_name === 'dc_auth')
    .reply(201, dcAuth())
    const {exitCode, json} = await run(args('--alias', 'dc-reader', '--json'))
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(dcAuth())
  })

  it('exits 1 with the service\'s message when it comes back failed', async () => {
    platformApi()
    applinkApi().post(`${BASE}/authorizations/datacloud/jwt`).reply(201, dcAuth({error: {id: 'authentication_failed', message: 'invalid client credentials'}, status: 'failed'}))
    const {exitCode, stderr, stdout} = await run(args())
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('Error: Data Cloud authorization dc_auth failed: invalid client credentials')
  })

  it('refuses a missing key file before any request, exit 2', async () => {
    platformApi()
    const watch = nothingSent()
    const argv = args()
    argv[argv.indexOf('--jwt-key-file') + 1] = `${keys}missing.pem`
    const {exitCode, stderr} = await run(argv)
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain(`Error: JWT key file ${keys}missing.pem does not exist.`)
    expect(stderr).to.contain('--jwt-key-file')
  })
})

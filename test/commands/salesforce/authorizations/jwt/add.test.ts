import {expect} from 'chai'
import nock from 'nock'
import {readFileSync} from 'node:fs'

import {APP, applinkApi, assertNoSecrets, authorization, BASE, platformApi, run} from '../../../../helpers/applink.js'
import {nothingSent} from '../../../../helpers/requests.js'
import {asPipe} from '../../../../helpers/terminal.js'

const keys = new URL('../../../../fixtures/keys/', import.meta.url).pathname
const KEY_FILE = `${keys}test-rsa-traditional.key`
const PEM = readFileSync(KEY_FILE, 'utf8')
const PEM_LINES = PEM.split('\n').filter(l => l && !l.startsWith('-----'))
const args = (...extra: string[]) => ['salesforce:authorizations:jwt:add', 'my_auth', '-a', APP.name, '--client-id', '3MVG9.consumer', '--jwt-key-file', KEY_FILE, '--username', 'api@my-org.example', ...extra]
const jwtAuth = (overrides: Record<string, unknown> = {}) => authorization({connection_method: 'JWT', ...overrides})

function assertNoKey(text: string): void {
  assertNoSecrets(text)
  expect(text).not.to.contain('-----BEGIN')
  for (const line of PEM_LINES) expect(text).not.to.contain(line)
}

describe('salesforce:authorizations:jwt:add', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('POSTs exactly the contract body with the default alias applink:{DEV_NAME} and shows the authorization', async () => {
    platformApi()
    applinkApi()
    .matchHeader('content-type', 'application/json')
    .post(`${BASE}/authorizations/salesforce/jwt`, {
      alias: 'applink:my_auth',
      client_id: '3MVG9.consumer',
      developer_name: 'my_auth',
      jwt_private_key: PEM,
      login_url: 'https://login.salesforce.com',
      username: 'api@my-org.example',
    })
    .reply(201, jwtAuth())
    const {exitCode, stderr, stdout} = await run(args())
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal(`Adding Salesforce authorization my_auth to ${APP.name} with JWT as api@my-org.example... authorized\n`)
    expect(stdout).to.contain(`Salesforce authorization my_auth on app ${APP.name}`)
    expect(stdout).to.match(/Method:\s+JWT/)
    // the alias the app's SDK fetches the credentials by (the default one here)
    expect(stdout).to.match(/Developer Name:\s+my_auth\nAlias:\s+applink:my_auth\n/)
    expect(stdout).to.match(/Status:\s+authorized/)
    assertNoKey(stdout + stderr)
  })

  it('sends --alias and --login-url as given; --json prints the authorization only', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/authorizations/salesforce/jwt`, {
      alias: 'billing',
      client_id: '3MVG9.consumer',
      developer_name: 'my_auth',
      jwt_private_key: PEM,
      login_url: 'https://acme--dev.sandbox.my.salesforce.com',
      username: 'api@my-org.example',
    })
    .reply(201, jwtAuth())
    const {exitCode, json, stderr} = await run(args('--alias', 'billing', '--login-url', 'https://acme--dev.sandbox.my.salesforce.com', '--json'))
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(jwtAuth())
    expect(stderr).to.equal('')
  })

  it('exits 1 with the service\'s message when the authorization comes back failed', async () => {
    platformApi()
    applinkApi().post(`${BASE}/authorizations/salesforce/jwt`).reply(201, jwtAuth({
      error: {id: 'authentication_failed', message: 'invalid_grant: user hasn\'t approved this consumer'},
      status: 'failed',
    }))
    const {exitCode, json, stdout} = await run(args('--json'))
    expect(exitCode).to.equal(1)
    const error = (json as {error: {hints: string[]; id: string; message: string}}).error
    expect(error.id).to.equal('authentication_failed')
    expect(error.message).to.equal('Salesforce authorization my_auth failed: invalid_grant: user hasn\'t approved this consumer')
    assertNoKey(stdout)
  })

  it('refuses a non-PEM key file before any request, naming the file, exit 2', async () => {
    platformApi()
    applinkApi().post(`${BASE}/authorizations/salesforce/jwt`).reply(201, jwtAuth())
    const watch = nothingSent()
    const argv = args()
    argv[argv.indexOf('--jwt-key-file') + 1] = `${keys}test-rsa.pub`
    const {exitCode, stderr, stdout} = await run(argv)
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`Error: JWT key file ${keys}test-rsa.pub holds a public key, not a private key.`)
  })

  it('refuses an EC key (Salesforce signs JWTs with RS256) before any request', async () => {
    platformApi()
    const watch = nothingSent()
    const argv = args()
    argv[argv.indexOf('--jwt-key-file') + 1] = `${keys}test-ec.key`
    const {exitCode, stderr} = await run(argv)
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('holds an EC key')
    expect(stderr).not.to.contain(readFileSync(`${keys}test-ec.key`, 'utf8').split('\n')[1])
  })

  it('refuses an invalid developer name before any request', async () => {
    platformApi()
    const watch = nothingSent()
    const argv = args()
    argv[1] = 'ab'
    const {exitCode, stderr} = await run(argv)
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid developer name "ab": it has 2 characters; use 3 to 30.')
  })

  it('explains a 401 from AppLink without leaking the token or the key', async () => {
    platformApi()
    applinkApi().post(`${BASE}/authorizations/salesforce/jwt`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, stderr, stdout} = await run(args())
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('HTTP 401: Invalid credentials')
    assertNoKey(stdout + stderr)
  })
})

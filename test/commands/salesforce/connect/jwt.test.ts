import {expect} from 'chai'
import nock from 'nock'
import {readFileSync} from 'node:fs'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../../helpers/applink.js'
import {nothingSent} from '../../../helpers/requests.js'
import {asPipe} from '../../../helpers/terminal.js'

const keys = new URL('../../../fixtures/keys/', import.meta.url).pathname
const KEY_FILE = `${keys}test-rsa.key`
const PEM = readFileSync(KEY_FILE, 'utf8')
const PEM_LINES = PEM.split('\n').filter(l => l && !l.startsWith('-----'))
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const args = (...extra: string[]) => ['salesforce:connect:jwt', 'my_org', '-a', APP.name, '--client-id', '3MVG9.consumer', '--jwt-key-file', KEY_FILE, '--username', 'api@my-org.example', ...extra]

/** No part of the key may show anywhere the user can see. */
function assertNoKey(text: string): void {
  assertNoSecrets(text)
  expect(text).not.to.contain('-----BEGIN')
  for (const line of PEM_LINES) expect(text).not.to.contain(line)
}

const jwtConnection = (overrides: Record<string, unknown> = {}) => connection({app_id: APP.id, connection_method: 'JWT', ...overrides})

describe('salesforce:connect:jwt', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('POSTs exactly the contract body (default login URL, random UUID alias) and shows the connection', async () => {
    platformApi()
    const bodies: Record<string, unknown>[] = []
    applinkApi()
    .matchHeader('content-type', 'application/json')
    .post(`${BASE}/connections/salesforce/jwt`, (body: Record<string, unknown>) => {
      bodies.push(body)
      return true
    })
    .reply(201, jwtConnection())
    const {exitCode, stderr, stdout} = await run(args())
    expect(exitCode).to.equal(0)
    expect(bodies).to.have.length(1)
    const {alias, ...rest} = bodies[0]
    expect(alias).to.match(UUID)
    expect(rest).to.deep.equal({
      client_id: '3MVG9.consumer',
      connection_name: 'my_org',
      jwt_private_key: PEM,
      login_url: 'https://login.salesforce.com',
      username: 'api@my-org.example',
    })
    expect(stderr).to.equal(`Adding Salesforce connection my_org to ${APP.name} with JWT as api@my-org.example... connected\n`)
    expect(stdout).to.contain(`Salesforce connection my_org on app ${APP.name}`)
    expect(stdout).to.match(/Status:\s+connected/)
    expect(stdout).to.match(/Org ID:\s+00D000000000001EAA/)
    assertNoKey(stdout + stderr)
  })

  it('sends --login-url as given and a fresh alias on every run; --json prints the connection', async () => {
    const aliases: unknown[] = []
    for (let i = 0; i < 2; i++) {
      platformApi()
      applinkApi()
      .post(`${BASE}/connections/salesforce/jwt`, (body: Record<string, unknown>) => {
        aliases.push(body.alias)
        return body.login_url === 'https://test.salesforce.com'
      })
      .reply(201, jwtConnection())
      const {exitCode, json, stderr} = await run(args('-l', 'https://test.salesforce.com', '--json'))
      expect(exitCode).to.equal(0)
      expect(json).to.deep.equal(jwtConnection())
      expect(stderr).to.equal('')
    }

    expect(aliases[0]).to.match(UUID)
    expect(aliases[1]).to.match(UUID)
    expect(aliases[0]).not.to.equal(aliases[1])
  })

  it('exits 1 with the service\'s message when the connection comes back failed, without the key', async () => {
    platformApi()
    applinkApi().post(`${BASE}/connections/salesforce/jwt`).reply(201, jwtConnection({
      error: {id: 'org_connection_failed', message: `user hasn't approved this consumer; key was ${PEM}`},
      status: 'failed',
    }))
    const {exitCode, stderr, stdout} = await run(args())
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`Adding Salesforce connection my_org to ${APP.name} with JWT as api@my-org.example... failed\n`)
    expect(stderr).to.contain('Error: Salesforce connection my_org failed: user hasn\'t approved this consumer; key was [REDACTED]')
    expect(stderr).to.contain('--login-url (sent: https://login.salesforce.com)')
    assertNoKey(stdout + stderr)
  })

  it('reports a refused request (400) with the service\'s message, even with --json, without the key', async () => {
    platformApi()
    applinkApi().post(`${BASE}/connections/salesforce/jwt`).reply(400, {id: 'invalid_params', message: `bad key: ${PEM_LINES[2]}`})
    const {exitCode, json, stderr, stdout} = await run(args('--json'))
    expect(exitCode).to.equal(1)
    expect((json as {error: {id: string; message: string}}).error.id).to.equal('invalid_params')
    expect((json as {error: {message: string}}).error.message).to.equal('bad key: [REDACTED]')
    assertNoKey(stdout + stderr)
  })

  const badInputs: [string, string[], RegExp][] = [
    ['a missing key file', ['--jwt-key-file', `${keys}nope.key`], /JWT key file .*nope\.key does not exist\./],
    ['a file that is not a PEM key', ['--jwt-key-file', `${keys}not-a-key.txt`], /JWT key file .*not-a-key\.txt does not hold a PEM private key\./],
    ['a certificate instead of the key', ['--jwt-key-file', `${keys}test-rsa.crt`], /holds a certificate, not a private key/],
    ['an encrypted key', ['--jwt-key-file', `${keys}test-rsa-encrypted.key`], /holds an encrypted private key/],
    ['a login URL without https', ['-l', 'http://login.salesforce.com'], /Invalid --login-url "http:\/\/login\.salesforce\.com": it must use https\./],
  ]
  for (const [what, flags, message] of badInputs) {
    it(`refuses ${what} before any request, exit 2`, async () => {
      platformApi()
      applinkApi().post(`${BASE}/connections/salesforce/jwt`).reply(201, jwtConnection())
      const watch = nothingSent()
      const argv = args()
      for (let i = 0; i < flags.length; i += 2) {
        const at = argv.indexOf(flags[i])
        if (at === -1) argv.push(flags[i], flags[i + 1])
        else argv[at + 1] = flags[i + 1]
      }

      const {exitCode, stderr, stdout} = await run(argv)
      watch.check()
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.match(message)
      assertNoKey(stderr)
    })
  }

  it('refuses an invalid connection name before reading anything or sending a request', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:connect:jwt', 'my_org_', '-a', APP.name, '--client-id', 'x', '--jwt-key-file', KEY_FILE, '--username', 'u'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid connection name "my_org_": it must end with a letter or a digit.')
  })

  it('requires --client-id, --jwt-key-file and --username (exit 2)', async () => {
    const {exitCode, stderr} = await run(['salesforce:connect:jwt', 'my_org', '-a', APP.name, '--jwt-key-file', KEY_FILE])
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Missing required flag --client-id.')
    expect(stderr).to.contain('Missing required flag --username.')
  })

  it('explains a 401 from AppLink without leaking the token or the key', async () => {
    platformApi()
    applinkApi().post(`${BASE}/connections/salesforce/jwt`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, stderr, stdout} = await run(args())
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('refused the add-on\'s token (HTTP 401: Invalid credentials)')
    assertNoKey(stdout + stderr)
  })

  it('keeps the key out of the debug trace', async () => {
    platformApi()
    applinkApi().post(`${BASE}/connections/salesforce/jwt`).reply(201, jwtConnection())
    const saved = process.env.DEBUG
    process.env.DEBUG = 'applink'
    try {
      const {exitCode, stderr, stdout} = await run(args())
      expect(exitCode).to.equal(0)
      expect(stderr).to.contain(`applink --> POST https://applink.example.com${BASE}/connections/salesforce/jwt`)
      expect(stderr).to.contain('"jwt_private_key":"[REDACTED]"')
      assertNoKey(stdout + stderr)
    } finally {
      if (saved === undefined) delete process.env.DEBUG
      else process.env.DEBUG = saved
    }
  })
})

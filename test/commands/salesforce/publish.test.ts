import {expect} from 'chai'
import {unzipSync} from 'fflate'
import nock from 'nock'
import {randomBytes} from 'node:crypto'
import {copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {APP, applinkApi, assertNoSecrets, BASE, HEROKU_TOKEN, platformApi, run} from '../../helpers/applink.js'

const specs = new URL('../../fixtures/specs/', import.meta.url).pathname
const fixture = (name: string) => join(specs, name)
const METADATA = fixture('metadata')
const PUBLISH_PATH = `${BASE}/connections/salesforce/my_org/apps`

interface Captured {
  appRequest: unknown
  appRequestType: string
  contentType: string
  entries: Record<string, Uint8Array>
  metadataFileName: string
  metadataType: string
}

/** Answers the publish POST and decodes what was sent: the multipart parts and the zip inside. */
function publishApi(reply: [number, unknown], origin?: string): {captured: () => Captured} {
  let captured: Captured | undefined
  applinkApi(origin).post(PUBLISH_PATH).reply(async function (_uri, body) {
    const length = Number(this.req.headers['content-length'])
    // nock hands binary bodies over as hex
    const bytes = typeof body === 'string' && body.length === length * 2 && /^[\da-f]+$/.test(body) ? Buffer.from(body, 'hex') : Buffer.from(body as string)
    const contentType = String(this.req.headers['content-type'])
    const form = await new Response(bytes, {headers: {'content-type': contentType}}).formData()
    const metadata = form.get('metadata') as File
    const appRequest = form.get('app_request') as File
    captured = {
      appRequest: JSON.parse(await appRequest.text()),
      appRequestType: appRequest.type,
      contentType,
      entries: unzipSync(new Uint8Array(await metadata.arrayBuffer())),
      metadataFileName: metadata.name,
      metadataType: metadata.type,
    }
    return reply
  })
  return {
    captured() {
      if (!captured) throw new Error('the publish request was not made')
      return captured
    },
  }
}

const bytesOf = (path: string) => new Uint8Array(readFileSync(path))

describe('salesforce:publish', () => {
  const unmatched: string[] = []
  const onNoMatch = (req: {method?: string; path?: string}) => unmatched.push(`${req.method} ${req.path}`)
  beforeEach(() => {
    nock.disableNetConnect()
    unmatched.length = 0
    nock.emitter.on('no match', onNoMatch)
  })
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch)
    const pending = nock.pendingMocks()
    nock.cleanAll()
    process.env.HEROKU_API_KEY = HEROKU_TOKEN
    expect(pending, 'requests the command should have made').to.deep.equal([])
    expect(unmatched, 'requests the command should not have made').to.deep.equal([])
  })

  it('uploads the spec and metadata files as a zip with the app request, and names what was published', async () => {
    platformApi()
    const api = publishApi([201, {id: 'pub-1', message: 'Published'}])
    const {exitCode, stderr, stdout} = await run(['salesforce:publish', fixture('agent-actions.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org', '--metadata-dir', METADATA, '--authorization-external-client-app-name', 'Orders_App', '-a', APP.name])
    expect(exitCode, stderr).to.equal(0)
    const sent = api.captured()
    expect(sent.contentType).to.match(/^multipart\/form-data; boundary=/)
    expect(sent.metadataType).to.equal('application/zip')
    expect(sent.metadataFileName).to.equal('metadata.zip')
    expect(sent.appRequestType).to.equal('application/json')
    expect(sent.appRequest).to.deep.equal({authorization_external_client_app_name: 'Orders_App', client_name: 'OrdersAPI'})
    // the zip holds the inputs, byte for byte
    expect(Object.keys(sent.entries).sort()).to.deep.equal(['api-spec.yaml', 'connectedapp-meta.xml', 'permissionset-meta.xml'])
    expect(sent.entries['api-spec.yaml']).to.deep.equal(bytesOf(fixture('agent-actions.yaml')))
    expect(sent.entries['connectedapp-meta.xml']).to.deep.equal(bytesOf(join(METADATA, 'connectedapp-meta.xml')))
    expect(sent.entries['permissionset-meta.xml']).to.deep.equal(bytesOf(join(METADATA, 'permissionset-meta.xml')))
    expect(stdout).to.equal([
      'Published agent-actions.yaml to connection my_org as OrdersAPI: 3 operations, 2 Agentforce actions in topic order_management.',
      '  GET   /orders         listOrders',
      '  POST  /orders/status  getOrderStatus  Agentforce action',
      '  POST  /orders/cancel  cancelOrder     Agentforce action, user plus (external client app OrdersApp, permission set Orders_Cancel)',
      'Client app:      external client app Orders_App (created from AppLink\'s template)',
      'Permission set:  from permissionset-meta.xml',
      '',
    ].join('\n'))
    expect(stderr).to.contain(`Publishing ${fixture('agent-actions.yaml')} to my_org as OrdersAPI... done\n`)
    expect(stderr).to.contain('Warning: not sent from --metadata-dir: README.txt (only connectedapp-meta.xml and permissionset-meta.xml are).\n')
    assertNoSecrets(stdout + stderr)
  })

  it('names a JSON spec api-spec.json and prints the service response and what was published with --json', async () => {
    platformApi()
    const api = publishApi([201, {id: 'pub-2'}])
    const {exitCode, json, stderr} = await run(['salesforce:publish', fixture('authorization.json'), '--client-name', 'Payroll', '--connection-name', 'my_org', '--authorization-permission-set-name', 'Payroll_Perms', '-a', APP.name, '--json'])
    expect(exitCode, stderr).to.equal(0)
    const sent = api.captured()
    expect(Object.keys(sent.entries)).to.deep.equal(['api-spec.json'])
    expect(sent.entries['api-spec.json']).to.deep.equal(bytesOf(fixture('authorization.json')))
    expect(sent.appRequest).to.deep.equal({authorization_permission_set_name: 'Payroll_Perms', client_name: 'Payroll'})
    const out = json as {published: {clientName: string; connectionName: string; operations: Array<{operationId: string}>}; response: unknown}
    expect(out.response).to.deep.equal({id: 'pub-2'})
    expect(out.published).to.include({clientName: 'Payroll', connectionName: 'my_org'})
    expect(out.published.operations.map(o => o.operationId)).to.deep.equal(['getPayslip', 'correctPayslip'])
    // the x-sfdc authorization names an app and a permission set: names, not secrets
    expect((out.published.operations as Array<{authorization?: unknown}>).map(o => o.authorization)).to.deep.equal([
      {externalClientApp: 'Payroll_App', permissionSet: 'Payroll_Read'},
      {connectedApp: 'Payroll_Legacy', permissionSet: 'Payroll_Write'},
    ])
  })

  it('names a .yml spec api-spec.yaml, bytes unchanged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'publish-'))
    try {
      const file = join(dir, 'api.yml')
      copyFileSync(fixture('small.yaml'), file)
      platformApi()
      const api = publishApi([201, {}])
      const {exitCode, stderr} = await run(['salesforce:publish', file, '-c', 'Greetings', '--connection-name', 'my_org', '-a', APP.name])
      expect(exitCode, stderr).to.equal(0)
      expect(api.captured().entries).to.deep.equal({'api-spec.yaml': bytesOf(file)})
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('sends to the add-on API origin with its scheme and port', async () => {
    const origin = 'http://127.0.0.1:5099'
    platformApi({config: {HEROKU_APPLINK_API_URL: `${origin}/addons/x`, HEROKU_APPLINK_TOKEN: 'applink-token-5d8e2f4a6c'}})
    const api = publishApi([201, {}], origin)
    const {exitCode, stderr} = await run(['salesforce:publish', fixture('small.json'), '-c', 'Greetings', '--connection-name', 'my_org', '-a', APP.name])
    expect(exitCode, stderr).to.equal(0)
    expect(api.captured().appRequest).to.deep.equal({client_name: 'Greetings'})
  })

  it('warns that --authorization-connected-app-name is deprecated, and still sends it', async () => {
    platformApi()
    const api = publishApi([201, {}])
    const {exitCode, stderr} = await run(['salesforce:publish', fixture('small.yaml'), '-c', 'Greetings', '--connection-name', 'my_org', '--authorization-connected-app-name', 'Old_App', '-a', APP.name])
    expect(exitCode, stderr).to.equal(0)
    expect(stderr).to.contain('Warning: --authorization-connected-app-name is deprecated (Salesforce replaces connected apps with external client apps): use --authorization-external-client-app-name.\n')
    expect(api.captured().appRequest).to.deep.equal({authorization_connected_app_name: 'Old_App', client_name: 'Greetings'})
  })

  it('shows the service\'s message and id when the publish is refused', async () => {
    platformApi()
    publishApi([422, {id: 'invalid_params', message: 'The org already has an External Service named OrdersAPI.'}])
    const {exitCode, stderr, stdout} = await run(['salesforce:publish', fixture('small.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.contain('Error: Publishing small.yaml to my_org failed: The org already has an External Service named OrdersAPI. (invalid_params).')
    assertNoSecrets(stdout + stderr)
  })

  it('names --authorization-permission-set-name in the result', async () => {
    platformApi()
    publishApi([201, {id: 'pub-3'}])
    const {exitCode, stderr, stdout} = await run(['salesforce:publish', fixture('small.yaml'), '-c', 'Greetings', '--connection-name', 'my_org', '--authorization-permission-set-name', 'Greet_Perms', '-a', APP.name])
    expect(exitCode, stderr).to.equal(0)
    expect(stdout).to.contain('\nPermission set:  Greet_Perms (created from AppLink\'s template)\n')
    expect(stdout).not.to.contain('Client app:')
  })

  it('gives a conflict a hint: another client name, or the publications list', async () => {
    platformApi()
    publishApi([409, {id: 'conflict', message: 'Another app already published OrdersAPI to my_org; choose another client name.'}])
    const {exitCode, stderr} = await run(['salesforce:publish', fixture('small.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain([
      'Error: Publishing small.yaml to my_org failed: Another app already published OrdersAPI to my_org; choose another client name. (conflict).',
      `  › Publish under another client name (-c), or see what is published to my_org with: heroku salesforce:publications -a ${APP.name} --connection-name my_org`,
    ].join('\n'))
  })

  it('gives the refusal as JSON with --json', async () => {
    platformApi()
    publishApi([404, {id: 'record_not_found', message: 'Connection not found'}])
    const {exitCode, json} = await run(['salesforce:publish', fixture('small.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(1)
    const error = (json as {error: Record<string, unknown>}).error
    expect(error).to.include({exit_code: 1, id: 'record_not_found', message: 'Publishing small.yaml to my_org failed: Connection not found (record_not_found).', request: `POST ${PUBLISH_PATH}`, status: 404})
    expect(error.hints).to.deep.include(`Check that connection my_org exists: heroku applink:connections -a ${APP.name}`)
  })

  describe('checks before sending', () => {
    it('lists every problem of a broken spec, exits 2 and sends nothing (no credentials read either)', async () => {
      // no credentials anywhere: no HEROKU_API_KEY, and a HOME without a netrc; a command that
      // looked for them would end "not logged in" instead
      delete process.env.HEROKU_API_KEY
      const home = process.env.HOME
      const emptyHome = mkdtempSync(join(tmpdir(), 'publish-home-'))
      process.env.HOME = emptyHome
      let result
      try {
        result = await run(['salesforce:publish', fixture('broken/operation-ids.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org', '-a', APP.name])
      } finally {
        process.env.HOME = home
        rmSync(emptyHome, {force: true, recursive: true})
      }

      const {exitCode, stderr, stdout} = result
      expect(exitCode, stderr).to.equal(2)
      expect(stdout).to.equal('')
      const file = fixture('broken/operation-ids.yaml')
      expect(stderr).to.contain(`${file}:13:5  error  POST /orders has no operationId\n  fix: Add operationId: postOrders (unique in the document).\n`)
      expect(stderr).to.contain(`${file}:20:7  error  operationId 'listOrders' is also used by GET /orders\n`)
      expect(stderr).to.contain(`${file}:32:7  warning  operationId 'delete-order' is not an identifier`)
      expect(stderr).to.contain(`${file}: 2 errors, 1 warning\n`)
      expect(stderr).to.contain(`Error: ${file} has 2 errors; nothing was published.`)
    })

    it('gives the diagnostics in the --json error', async () => {
      const {exitCode, json} = await run(['salesforce:publish', fixture('broken/bad-ref.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org', '-a', APP.name, '--json'])
      expect(exitCode).to.equal(2)
      const error = (json as {error: {diagnostics: Array<Record<string, unknown>>; exit_code: number; id: string}}).error
      expect(error).to.include({exit_code: 2, id: 'invalid_spec'})
      expect(error.diagnostics.map(d => [d.severity, d.line, d.column, d.path])).to.deep.equal([
        ['error', 16, 17, '/paths/~1orders/get/responses/200/content/application~1json/schema/$ref'],
        ['error', 18, 11, '/paths/~1orders/get/responses/404/$ref'],
        ['error', 20, 11, '/paths/~1orders/get/responses/500/$ref'],
      ])
    })

    it('refuses a permission set given both in --metadata-dir and as a flag', async () => {
      const {exitCode, stderr} = await run(['salesforce:publish', fixture('small.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org', '--metadata-dir', METADATA, '--authorization-permission-set-name', 'Orders_Perms', '-a', APP.name])
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain(`error  --authorization-permission-set-name Orders_Perms conflicts with permissionset-meta.xml in ${METADATA}: both define the permission set`)
      expect(stderr).to.contain('fix: Keep one: remove --authorization-permission-set-name, or remove permissionset-meta.xml from the directory.')
    })

    it('refuses a spec over the size limit at once, naming the limit and the size', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'publish-'))
      try {
        const file = join(dir, 'huge.yaml')
        writeFileSync(file, '')
        truncateSync(file, 4 * 1024 * 1024)
        const {exitCode, stderr} = await run(['salesforce:publish', file, '-c', 'OrdersAPI', '--connection-name', 'my_org', '-a', APP.name])
        expect(exitCode).to.equal(2)
        expect(stderr).to.contain(`${file}  error  the spec is 4.19 MB (4,194,304 bytes); AppLink takes YAML specs up to 3 MB (3,000,000 bytes)`)
      } finally {
        rmSync(dir, {force: true, recursive: true})
      }
    })

    it('checks the connection name before anything else', async () => {
      // a broken spec too: checked first, the name is the only error shown
      const {exitCode, stderr, stdout} = await run(['salesforce:publish', fixture('broken/operation-ids.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my-org', '-a', APP.name])
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.equal('Error: Invalid connection name "my-org": it contains "-"; use only letters, digits and underscores.\n'
        + '  › A connection name has 3–30 characters, starts with a letter, ends with a letter or digit, and holds only letters, digits and single underscores (e.g. my_org_1).\n')
    })

    it('needs an app unless it is a dry run', async () => {
      const {exitCode, stderr} = await run(['salesforce:publish', fixture('small.yaml'), '-c', 'OrdersAPI', '--connection-name', 'my_org'])
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain('Missing required flag -a/--app')
    })

    it('says when the spec file does not exist', async () => {
      const {exitCode, stderr} = await run(['salesforce:publish', 'nope.yaml', '-c', 'OrdersAPI', '--connection-name', 'my_org', '--dry-run'])
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain('The spec file nope.yaml does not exist.')
    })
  })

  describe('--dry-run', () => {
    it('shows what would be published without credentials or requests', async () => {
      delete process.env.HEROKU_API_KEY
      const spec = fixture('agent-actions.yaml')
      const {exitCode, stderr, stdout} = await run(['salesforce:publish', spec, '-c', 'OrdersAPI', '--connection-name', 'my_org', '--metadata-dir', METADATA, '--authorization-external-client-app-name', 'Orders_App', '--dry-run'])
      expect(exitCode, stderr).to.equal(0)
      const size = (name: string) => `${readFileSync(join(METADATA, name)).length.toLocaleString('en-US')} bytes`
      expect(stdout).to.contain(`Dry run: nothing was sent. Publishing ${spec} would send:`)
      expect(stdout).to.contain('Connection:      my_org\nClient name:     OrdersAPI\nAPI:             Orders API 1.0.0\n')
      expect(stdout).to.contain('Client app:      external client app Orders_App (created from AppLink\'s template)\n')
      expect(stdout).to.contain('Permission set:  from permissionset-meta.xml\n')
      expect(stdout).to.contain('Agent topic:     order_management\n')
      expect(stdout).to.contain('Operations (3 operations, 2 Agentforce actions):\n  GET   /orders         listOrders\n  POST  /orders/status  getOrderStatus  Agentforce action\n')
      expect(stdout).to.match(/Zip: [\d,]+ bytes compressed, 3 files:\n/)
      expect(stdout).to.contain(`  api-spec.yaml           ${readFileSync(spec).length.toLocaleString('en-US')} bytes`)
      expect(stdout).to.contain(`  connectedapp-meta.xml   ${size('connectedapp-meta.xml')}`)
      expect(stdout).to.contain(`  permissionset-meta.xml  ${size('permissionset-meta.xml')}`)
      expect(stdout).to.contain('app_request: {"authorization_external_client_app_name":"Orders_App","client_name":"OrdersAPI"}')
    })

    it('prints the plan as JSON', async () => {
      delete process.env.HEROKU_API_KEY
      const {exitCode, json} = await run(['salesforce:publish', fixture('small.json'), '-c', 'Greetings', '--connection-name', 'my_org', '--dry-run', '--json'])
      expect(exitCode).to.equal(0)
      const plan = json as Record<string, unknown> & {zip: {bytes: number; files: unknown[]}}
      expect(plan).to.deep.include({
        appRequest: {client_name: 'Greetings'},
        clientName: 'Greetings',
        connectionName: 'my_org',
        diagnostics: [],
        format: 'json',
        operations: [{agentAction: false, method: 'GET', operationId: 'sayHello', path: '/hello'}],
        title: 'Greetings',
      })
      expect(plan.zip.files).to.deep.equal([{bytes: readFileSync(fixture('small.json')).length, name: 'api-spec.json', source: fixture('small.json')}])
      expect(plan.zip.bytes).to.be.greaterThan(100)
    })

    it('shows each operation\'s x-sfdc authorization names in the JSON plan', async () => {
      delete process.env.HEROKU_API_KEY
      const {exitCode, json} = await run(['salesforce:publish', fixture('authorization.json'), '-c', 'Payroll', '--connection-name', 'my_org', '--dry-run', '--json'])
      expect(exitCode).to.equal(0)
      const plan = json as {operations: Array<{authorization?: unknown; operationId: string}>}
      expect(plan.operations.map(o => [o.operationId, o.authorization])).to.deep.equal([
        ['getPayslip', {externalClientApp: 'Payroll_App', permissionSet: 'Payroll_Read'}],
        ['correctPayslip', {connectedApp: 'Payroll_Legacy', permissionSet: 'Payroll_Write'}],
      ])
    })

    it('includes the spec\'s warnings in the JSON plan, and still exits 0', async () => {
      const {exitCode, json, stdout} = await run(['salesforce:publish', fixture('warnings-only.yaml'), '-c', 'Status', '--connection-name', 'my_org', '--dry-run', '--json'])
      expect(exitCode).to.equal(0)
      const plan = json as {diagnostics: Array<{line: number; message: string; severity: string}>}
      expect(plan.diagnostics.map(d => [d.severity, d.line, d.message])).to.deep.equal([
        ['warning', 6, 'server URL http://status.example.com is not https'],
        ['warning', 9, 'GET /status has no description or summary'],
      ])
      expect(stdout.trim().endsWith('}')).to.equal(true)
    })

    it('exits 2 on a spec with errors, as a real publish would', async () => {
      const {exitCode, stderr, stdout} = await run(['salesforce:publish', fixture('broken/swagger-2.yaml'), '-c', 'X_API', '--connection-name', 'my_org', '--dry-run'])
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.contain('swagger-2.yaml:1:1  error  this is a Swagger 2.0 document; AppLink takes OpenAPI 3.0')
      // a dry run never publishes: it says what the errors mean, not "nothing was published"
      expect(stderr).to.contain(`Error: ${fixture('broken/swagger-2.yaml')} has 1 error: it cannot be published until it is fixed (dry run: nothing was sent).\n  › Fix the error listed above, then run the dry run again.\n`)
      expect(stderr).not.to.contain('nothing was published')
    })
  })

  describe('upload progress', () => {
    let dir: string
    let big: string
    const tty = process.stderr.isTTY
    const ci = process.env.CI
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'publish-'))
      big = join(dir, 'big.json')
      // 2 MB of random text: the zip stays over 1 MiB
      const spec = JSON.parse(readFileSync(fixture('small.json'), 'utf8'))
      spec.info.description = randomBytes(1536 * 1024).toString('base64')
      writeFileSync(big, JSON.stringify(spec))
    })
    afterEach(() => {
      process.stderr.isTTY = tty
      if (ci === undefined) delete process.env.CI
      else process.env.CI = ci
      rmSync(dir, {force: true, recursive: true})
    })

    it('shows the percentage sent for an upload over 1 MiB on a terminal', async () => {
      process.stderr.isTTY = true
      delete process.env.CI
      platformApi()
      const api = publishApi([201, {}])
      const {exitCode, stderr} = await run(['salesforce:publish', big, '-c', 'Greetings', '--connection-name', 'my_org', '-a', APP.name])
      expect(exitCode, stderr).to.equal(0)
      expect(stderr).to.match(new RegExp(`Uploading ${big.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\d+% of [\\d.]+ MB`))
      expect(stderr).to.contain('Uploading ' + big + ': 100% of ')
      expect(api.captured().entries['api-spec.json']).to.deep.equal(bytesOf(big))
    })

    it('shows no progress without a terminal', async () => {
      process.stderr.isTTY = false
      platformApi()
      publishApi([201, {}])
      const {exitCode, stderr} = await run(['salesforce:publish', big, '-c', 'Greetings', '--connection-name', 'my_org', '-a', APP.name])
      expect(exitCode, stderr).to.equal(0)
      expect(stderr).not.to.contain('Uploading')
      expect(stderr).to.contain(`Publishing ${big} to my_org as Greetings... done\n`)
    })
  })
})

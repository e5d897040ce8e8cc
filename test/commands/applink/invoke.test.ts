import {expect} from 'chai'
import nock from 'nock'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {PassThrough} from 'node:stream'

import {API_URL, APP, applinkApi, assertNoSecrets, authorization, BASE, platformApi, root, run as runLoose, SECRETS} from '../../helpers/applink.js'
import {type InvokeApp, startInvokeApp} from '../../helpers/invoke-app.js'
import {nothingSent} from '../../helpers/requests.js'
import {asPipe} from '../../helpers/terminal.js'

const SPEC = join(root, 'test/fixtures/invoke/api-spec.yaml')
const ACCESS_TOKEN = '00D000000000001EAA!AQ8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoKd'
const ORG = {api_version: '62.0', developer_name: 'my_auth', id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', user_auth: {access_token: ACCESS_TOKEN, user_id: '005000000000002AAA', username: 'user@my-org.example'}, user_id: '005000000000002AAA', username: 'user@my-org.example'}
const REQUEST_ID = /^00D000000000001EAA-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}-\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/
const ALL_SECRETS = [...SECRETS, ACCESS_TOKEN, ACCESS_TOKEN.split('!')[1]]

/** arguments passed as given (JSON bodies hold spaces and quotes) */
const run = (args: string[]) => runLoose(args, {exact: true})
const decode = (value: unknown) => JSON.parse(Buffer.from(String(value), 'base64').toString('utf8'))

/** The Platform API and the AppLink authorization read, as the real services answer them. */
function services(org: Record<string, unknown> = ORG, overrides: Record<string, unknown> = {}): void {
  platformApi()
  applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization({org, ...overrides}))
}

describe('applink:invoke', () => {
  asPipe()
  let app: InvokeApp
  before(async () => {
    app = await startInvokeApp()
  })
  after(async () => app.close())
  beforeEach(() => {
    app.requests.length = 0
    app.next = undefined
    nock.disableNetConnect()
    // the test app is a real server on 127.0.0.1
    nock.enableNetConnect('127.0.0.1')
  })
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  const invoke = (...args: string[]) => run(['applink:invoke', ...args, '-a', APP.name, '--authorization', 'my_auth', '--spec', SPEC, '--url', app.url])

  it('reads the authorization through the AppLink API and sends the headers Salesforce sends, which the SDK accepts', async () => {
    services()
    const {exitCode, stderr, stdout} = await invoke('createAccount', '--data', '{"name": "Acme", "contact": {"lastName": "Doe"}}')
    expect(exitCode, stderr).to.equal(0)
    expect(app.requests).to.have.length(1)
    const [req] = app.requests
    expect(req.method).to.equal('POST')
    expect(req.path).to.equal('/accounts')
    expect(req.body).to.equal('{"name": "Acme", "contact": {"lastName": "Doe"}}')
    const {host, ...headers} = req.headers
    expect(host).to.equal(new URL(app.url).host)
    expect(Object.keys(headers).sort()).to.deep.equal(['connection', 'content-length', 'content-type', 'x-client-context', 'x-request-context', 'x-request-id'])
    expect(headers['content-type']).to.equal('application/json')
    const requestId = String(headers['x-request-id'])
    expect(requestId).to.match(REQUEST_ID)
    const client = decode(headers['x-client-context'])
    expect(client).to.deep.equal({
      accessToken: ACCESS_TOKEN,
      apiVersion: '62.0',
      namespace: '',
      orgDomainUrl: 'https://my-org.my.salesforce.com',
      orgId: '00D000000000001EAA',
      requestId,
      userContext: {userId: '005000000000002AAA', username: 'user@my-org.example'},
    })
    const context = decode(headers['x-request-context'])
    expect(context).to.deep.equal({
      appUuid: APP.id,
      auth: ACCESS_TOKEN,
      id: requestId.slice(0, requestId.length - '-2026-12-01T20:56:27.608444Z'.length),
      loginUrl: 'https://my-org.my.salesforce.com',
      orgDomainUrl: 'https://my-org.my.salesforce.com',
      orgId: '00D000000000001EAA',
      resource: `${app.url}/accounts`,
      type: 'user',
    })
    // the service mesh's check: x-request-id contains x-request-context.id
    expect(requestId.startsWith(`${context.id}-`)).to.equal(true)
    expect(req.sdk).to.deep.equal({
      accessToken: ACCESS_TOKEN,
      apiVersion: '62.0',
      domainUrl: 'https://my-org.my.salesforce.com',
      eventData: {contact: {lastName: 'Doe'}, name: 'Acme'},
      id: requestId,
      namespace: '',
      orgId: '00D000000000001EAA',
      userId: '005000000000002AAA',
      username: 'user@my-org.example',
    })
    expect(stdout).to.equal('{\n  "accountId": "001000000000002AAA",\n  "contactId": null\n}\n')
    expect(stderr).to.match(new RegExp(`^201 Created  POST ${app.url}/accounts \\(\\d+ ms\\)\\n$`))
    assertNoSecrets(stdout + stderr, ALL_SECRETS)
  })

  it('makes a new request id per invocation, in Salesforce\'s format', async () => {
    services()
    services()
    await invoke('listAccounts')
    await invoke('listAccounts')
    const ids = app.requests.map(r => String(r.headers['x-request-id']))
    expect(ids).to.have.length(2)
    for (const id of ids) expect(id).to.match(REQUEST_ID)
    expect(ids[0]).to.not.equal(ids[1])
  })

  it('sends --namespace and the org\'s api_version, and adds https:// to an instance URL without a scheme', async () => {
    services({...ORG, api_version: '63.0', instance_url: 'acme.my.salesforce.com'})
    const {exitCode} = await invoke('listAccounts', '--namespace', 'acme_ns')
    expect(exitCode).to.equal(0)
    const client = decode(app.requests[0].headers['x-client-context'])
    expect(client).to.include({apiVersion: '63.0', namespace: 'acme_ns', orgDomainUrl: 'https://acme.my.salesforce.com'})
    expect(app.requests[0].sdk).to.include({apiVersion: '63.0', domainUrl: 'https://acme.my.salesforce.com', namespace: 'acme_ns'})
  })

  it('fills path parameters, sends header parameters as headers and the others as the query string', async () => {
    services()
    const {exitCode, stdout} = await invoke('GET /accounts/{accountId}', '-p', 'accountId=001 x/y', '-p', 'x-trace=t-42', '-p', 'fields=Name,Industry', '-p', 'fields=Id')
    expect(exitCode).to.equal(0)
    expect(app.requests[0].path).to.equal('/accounts/001%20x%2Fy?fields=Name%2CIndustry&fields=Id')
    expect(app.requests[0].headers['x-trace']).to.equal('t-42')
    expect(JSON.parse(stdout)).to.deep.equal({id: '001 x/y', name: 'Acme'})
  })

  it('keeps the path of --url as a prefix', async () => {
    services()
    app.next = {body: [], status: 200}
    const {exitCode} = await run(['applink:invoke', 'listAccounts', '-p', 'limit=5', '-a', APP.name, '--authorization', 'my_auth', '--spec', SPEC, '--url', `${app.url}/api/`])
    expect(exitCode).to.equal(0)
    expect(app.requests[0].path).to.equal('/api/accounts?limit=5')
  })

  it('-H adds and overrides headers; an empty value removes one', async () => {
    services()
    const {exitCode} = await invoke('listAccounts', '-H', 'X-Request-Id: 00D000000000001EAA-my-own-id', '-H', 'x-request-context:', '-H', 'X-Extra:  one two ')
    expect(exitCode).to.equal(0)
    const {headers} = app.requests[0]
    expect(headers['x-request-id']).to.equal('00D000000000001EAA-my-own-id')
    expect(headers['x-request-context']).to.equal(undefined)
    expect(headers['x-extra']).to.equal('one two')
    expect(decode(headers['x-client-context']).accessToken).to.equal(ACCESS_TOKEN)
  })

  it('refuses a body that does not match the schema, naming each JSON path, before any request (exit 2)', async () => {
    platformApi()
    const watch = nothingSent()
    const data = JSON.stringify({contact: {email: 'not-an-email'}, employees: 0, extra: true, industry: 'Mining'})
    const {exitCode, stderr, stdout} = await invoke('createAccount', '--data', data)
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(app.requests).to.deep.equal([])
    expect(stderr).to.equal([
      `Error: The request does not match createAccount in ${SPEC}; nothing was sent:`,
      '  request body name: is required but missing',
      '  request body extra: is not a property the schema allows (additionalProperties is false)',
      '  request body industry: expected one of "Agriculture", "Banking", "Energy", "Technology", got the string "Mining"',
      '  request body employees: expected a number > 0, got the integer 0',
      '  request body contact.lastName: is required but missing',
      '  request body contact.email: expected a string in format email, got the string "not-an-email"',
      '  › Fix the values above, or send the request as it is with --no-validate.',
      '',
    ].join('\n'))
  })

  it('lists the problems with their paths in --json', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, json} = await invoke('createAccount', '--data', '{"name": 5}', '--json')
    watch.check()
    expect(exitCode).to.equal(2)
    expect((json as {error: Record<string, unknown>}).error).to.deep.include({
      exit_code: 2,
      id: 'invalid_request',
      problems: [{in: 'request body', message: 'expected a string, got the integer 5', path: 'name'}],
    })
  })

  it('checks query parameters against their schemas', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await invoke('listAccounts', '-p', 'limit=500')
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('  query parameter limit: expected a number <= 200, got the integer 500\n')
  })

  it('sends the body as given with --no-validate', async () => {
    services()
    const {exitCode} = await invoke('createAccount', '--data', '{"extra": 1}', '--no-validate')
    expect(exitCode).to.equal(0)
    expect(app.requests[0].body).to.equal('{"extra": 1}')
  })

  it('reads the body from a file (@FILE) and from stdin (-)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-data-'))
    try {
      writeFileSync(join(dir, 'body.json'), '{"name": "From file"}')
      services()
      const fromFile = await invoke('createAccount', '--data', `@${join(dir, 'body.json')}`)
      expect(fromFile.exitCode).to.equal(0)
      expect(app.requests[0].sdk.eventData).to.deep.equal({name: 'From file'})
      const missing = await invoke('createAccount', '--data', `@${join(dir, 'nope.json')}`)
      expect(missing.exitCode).to.equal(2)
      expect(missing.stderr).to.contain(`--data @${join(dir, 'nope.json')}: the file does not exist.`)
      const saved = Object.getOwnPropertyDescriptor(process, 'stdin')!
      const stdin = new PassThrough()
      stdin.end('{"name": "From stdin"}')
      Object.defineProperty(process, 'stdin', {configurable: true, get: () => stdin})
      try {
        services()
        const fromStdin = await invoke('createAccount', '--data', '-')
        expect(fromStdin.exitCode, fromStdin.stderr).to.equal(0)
        expect(app.requests[1].sdk.eventData).to.deep.equal({name: 'From stdin'})
      } finally {
        Object.defineProperty(process, 'stdin', saved)
      }
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('refuses a body that is not JSON, a missing required body, and a body for an operation without one (exit 2)', async () => {
    platformApi()
    const watch = nothingSent()
    const notJson = await invoke('createAccount', '--data', '{name: Acme}')
    expect(notJson.exitCode).to.equal(2)
    expect(notJson.stderr).to.contain('Error: The body from --data is not valid JSON')
    const none = await invoke('createAccount')
    expect(none.exitCode).to.equal(2)
    expect(none.stderr).to.contain('Error: createAccount needs a request body')
    const extra = await invoke('listAccounts', '--data', '{}')
    expect(extra.exitCode).to.equal(2)
    expect(extra.stderr).to.contain('Error: listAccounts (GET /accounts) takes no request body')
    watch.check()
    expect(app.requests).to.deep.equal([])
  })

  it('names an unknown operation and lists the spec\'s operations (exit 2)', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await invoke('createAcount')
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal([
      `Error: "createAcount" is not an operation of ${SPEC}.`,
      '  › Did you mean createAccount?',
      `  › Operations in ${SPEC}:`,
      '      listAccounts   GET /accounts',
      '      createAccount  POST /accounts',
      '      getAccount     GET /accounts/{accountId}',
      '  › Name one by its operationId, or as "METHOD /path".',
      '',
    ].join('\n'))
  })

  it('refuses a missing path parameter (exit 2)', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await invoke('getAccount')
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.equal('Error: getAccount needs the path parameter accountId (/accounts/{accountId}); nothing was sent.\n  › Give it with -p accountId=VALUE.\n')
  })

  it('refuses a spec with errors, as salesforce:publish does (exit 2)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'invoke-spec-'))
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'openapi: 3.0.3\ninfo:\n  title: x\npaths: {}\n')
      const {exitCode, stderr} = await run(['applink:invoke', 'listAccounts', '-a', APP.name, '--authorization', 'my_auth', '--spec', join(dir, 'bad.yaml')])
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain(`Error: ${join(dir, 'bad.yaml')} has`)
      expect(stderr).to.contain('nothing was sent to the app.')
    } finally {
      rmSync(dir, {force: true, recursive: true})
    }
  })

  it('finds api-spec.yaml in the current folder, and says which names it looked for when there is none', async () => {
    const cwd = process.cwd()
    const empty = mkdtempSync(join(tmpdir(), 'invoke-nospec-'))
    try {
      process.chdir(join(root, 'test/fixtures/invoke'))
      services()
      const found = await run(['applink:invoke', 'listAccounts', '-a', APP.name, '--authorization', 'my_auth', '--url', app.url])
      expect(found.exitCode, found.stderr).to.equal(0)
      process.chdir(empty)
      const none = await run(['applink:invoke', 'listAccounts', '-a', APP.name, '--authorization', 'my_auth'])
      expect(none.exitCode).to.equal(2)
      expect(none.stderr).to.contain('looked for api-spec.yaml, api-spec.yml, api-spec.json, openapi.yaml, openapi.yml, openapi.json')
      expect(none.stderr).to.contain('Give the spec of your app with --spec FILE.')
    } finally {
      process.chdir(cwd)
      rmSync(empty, {force: true, recursive: true})
    }
  })

  it('calls http://127.0.0.1:$APP_PORT (then $PORT) without --url', async () => {
    const saved = {APP_PORT: process.env.APP_PORT, PORT: process.env.PORT}
    const port = new URL(app.url).port
    // APP_PORT wins over PORT; PORT is used when APP_PORT is unset or not a number
    const cases: [string, {APP_PORT?: string; PORT: string}][] = [
      ['APP_PORT', {APP_PORT: port, PORT: '1'}],
      ['PORT, APP_PORT unset', {PORT: port}],
      ['PORT, APP_PORT not a number', {APP_PORT: 'abc', PORT: port}],
    ]
    try {
      for (const [name, env] of cases) {
        delete process.env.APP_PORT
        Object.assign(process.env, env)
        app.requests.length = 0
        services()
        const {exitCode, stderr} = await run(['applink:invoke', 'listAccounts', '-a', APP.name, '--authorization', 'my_auth', '--spec', SPEC])
        expect(exitCode, `${name}: ${stderr}`).to.equal(0)
        expect(app.requests.map(r => `${r.method} ${r.path}`), name).to.deep.equal(['GET /accounts'])
        expect(stderr, name).to.match(new RegExp(`^200 OK {2}GET http://127\\.0\\.0\\.1:${port}/accounts \\(\\d+ ms\\)\n$`))
      }
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  it('shows the body of an error status and exits 1', async () => {
    services()
    const {exitCode, stderr, stdout} = await invoke('getAccount', '-p', 'accountId=missing')
    expect(exitCode).to.equal(1)
    expect(JSON.parse(stdout)).to.deep.equal({message: 'No account missing'})
    expect(stderr).to.match(/^404 Not Found {2}GET http:\/\/127\.0\.0\.1:\d+\/accounts\/missing \(\d+ ms\)\n$/)
  })

  it('--json with an error status still prints the document, and exits 1', async () => {
    services()
    const {exitCode, json} = await invoke('getAccount', '-p', 'accountId=missing', '--json')
    expect(exitCode).to.equal(1)
    const doc = json as {problems: unknown[]; request: {url: string}; response: {body: unknown; status: number}}
    expect(doc.request.url).to.equal(`${app.url}/accounts/missing`)
    expect(doc.response.status).to.equal(404)
    expect(doc.response.body).to.deep.equal({message: 'No account missing'})
    expect(doc.problems).to.deep.equal([])
  })

  it('warns when the response does not match the spec; --strict makes it exit 1', async () => {
    for (const strict of [false, true]) {
      services()
      app.next = {body: {accountId: 42, contactId: null}, status: 201}
      const {exitCode, stderr} = await invoke('createAccount', '--data', '{"name": "Acme"}', ...(strict ? ['--strict'] : []))
      expect(exitCode).to.equal(strict ? 1 : 0)
      expect(stderr).to.contain('Warning: response accountId: expected a string, got the integer 42\n')
    }

    services()
    app.next = {body: {ok: true}, status: 202}
    const undocumented = await invoke('createAccount', '--data', '{"name": "Acme"}')
    expect(undocumented.exitCode).to.equal(0)
    expect(undocumented.stderr).to.contain(`Warning: response: status 202 is not documented for createAccount in ${SPEC} (documented: 201, 400)\n`)
  })

  it('-i shows the status line and the response headers on stdout, before the body', async () => {
    services()
    app.next = {body: [], headers: {'set-cookie': 'session=abc123456', 'x-app': 'yes'}, status: 200}
    const {exitCode, stdout} = await invoke('listAccounts', '-i')
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/^HTTP\/1\.1 200 OK\n/)
    expect(stdout).to.contain('\ncontent-type: application/json\n')
    expect(stdout).to.contain('\nx-app: yes\n')
    expect(stdout).to.contain('\nset-cookie: [REDACTED]\n')
    expect(stdout).to.match(/\n\n\[\]\n$/)
  })

  it('--json prints one document with the request, the response and the problems, secrets masked', async () => {
    services()
    // an app that echoes what it received must not make the token visible either
    app.next = {body: {accountId: '001000000000003AAA', code: 'visible-code-1', echoed: ACCESS_TOKEN}, status: 201}
    const {exitCode, json, stderr, stdout} = await invoke('createAccount', '--data', '{"name": "Acme"}', '--json')
    expect(exitCode).to.equal(0)
    assertNoSecrets(stdout + stderr, ALL_SECRETS)
    const doc = json as {problems: unknown[]; request: Record<string, any>; response: Record<string, any>}
    const requestId = String(app.requests[0].headers['x-request-id'])
    expect(doc.request.method).to.equal('POST')
    expect(doc.request.url).to.equal(`${app.url}/accounts`)
    expect(doc.request.body).to.deep.equal({name: 'Acme'})
    expect(doc.request.headers).to.deep.equal({'content-type': 'application/json', 'x-client-context': '[REDACTED]', 'x-request-context': '[REDACTED]', 'x-request-id': requestId})
    expect(doc.request.decoded_headers['x-client-context']).to.deep.equal({
      accessToken: '[REDACTED]', apiVersion: '62.0', namespace: '', orgDomainUrl: 'https://my-org.my.salesforce.com', orgId: '00D000000000001EAA', requestId, userContext: {userId: '005000000000002AAA', username: 'user@my-org.example'},
    })
    expect(doc.request.decoded_headers['x-request-context']).to.include({appUuid: APP.id, auth: '[REDACTED]', orgId: '00D000000000001EAA'})
    expect(doc.response.status).to.equal(201)
    expect(doc.response.body).to.deep.equal({accountId: '001000000000003AAA', code: 'visible-code-1', echoed: '[REDACTED]'})
    expect(doc.response.headers['content-type']).to.equal('application/json')
    expect(doc.response.duration_ms).to.be.a('number')
    expect(doc.problems).to.deep.equal([])
  })

  // DEBUG=*, HEROKU_DEBUG and NODE_DEBUG change process-wide state: they are tested through the
  // real heroku CLI in test/e2e/invoke.test.ts
  it('never shows the token in its debug traces (DEBUG=applink, APPLINK_DEBUG=1)', async () => {
    const switches: Array<Record<string, string>> = [{DEBUG: 'applink'}, {APPLINK_DEBUG: '1'}]
    for (const env of switches) {
      const saved = Object.fromEntries(Object.keys(env).map(k => [k, process.env[k]]))
      Object.assign(process.env, env)
      try {
        services()
        app.next = {body: {accountId: '001000000000003AAA', token: ACCESS_TOKEN}, headers: {'x-echo': Buffer.from(ACCESS_TOKEN).toString('base64')}, status: 201}
        const {exitCode, stderr, stdout} = await invoke('createAccount', '--data', '{"name": "Acme"}', '-i')
        expect(exitCode, stderr).to.equal(0)
        expect(stderr, JSON.stringify(env)).to.contain('applink --> POST')
        assertNoSecrets(stdout + stderr, [...ALL_SECRETS, String(app.requests.at(-1)!.headers['x-client-context']), String(app.requests.at(-1)!.headers['x-request-context'])])
      } finally {
        for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  })

  it('says how to start the app when nothing listens at the URL (exit 1)', async () => {
    services()
    const closed = await startInvokeApp()
    await closed.close()
    const {exitCode, stderr} = await run(['applink:invoke', 'listAccounts', '-a', APP.name, '--authorization', 'my_auth', '--spec', SPEC, '--url', closed.url])
    expect(exitCode).to.equal(1)
    expect(stderr).to.equal([
      `Error: Nothing is listening at ${closed.url} (connection refused); nothing was sent.`,
      '  › Start your app with: heroku local web (or npm start), then invoke again.',
      '  › The default address is http://127.0.0.1:$APP_PORT (then $PORT, then 3000); give another with --url URL.',
      '',
    ].join('\n'))
  })

  it('refuses an authorization that is not authorized, or that the service names unknown', async () => {
    services(ORG, {status: 'authorizing'})
    const pending = await invoke('listAccounts')
    expect(pending.exitCode).to.equal(1)
    expect(pending.stderr).to.contain('Error: Authorization my_auth cannot invoke: its status is authorizing.')
    expect(pending.stderr).to.contain(`Re-authorize with: heroku salesforce:authorizations:add my_auth -a ${APP.name}`)
    platformApi()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(404, {id: 'record_not_found', message: 'Record not found'})
    const missing = await invoke('listAccounts')
    expect(missing.exitCode).to.equal(1)
    expect(missing.stderr).to.contain(`Error: Authorization my_auth was not found on app ${APP.name}.`)
    expect(app.requests).to.deep.equal([])
  })

  it('refuses malformed -p and -H before any request (exit 2)', async () => {
    const watch = nothingSent()
    const p = await invoke('listAccounts', '-p', 'limit')
    expect(p.exitCode).to.equal(2)
    expect(p.stderr).to.contain('-p "limit" is not NAME=VALUE.')
    const h = await invoke('listAccounts', '-H', 'no colon')
    expect(h.exitCode).to.equal(2)
    expect(h.stderr).to.contain('-H "no colon" is not a header')
    watch.check()
  })
  it('--mesh against the hosted AppLink service: says what cannot be minted locally, exit 2, nothing sent to the app', async () => {
    platformApi()
    const {exitCode, stderr, stdout} = await invoke('listAccounts', '--mesh')
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    const {host} = new URL(API_URL)
    expect(stderr).to.equal(`Error: --mesh: a service mesh authenticates each invocation with the AppLink service (${host}), which accepts only an x-request-context.auth that Salesforce minted for that invocation; applink:invoke cannot mint one on this machine, so the mesh would answer 403 Forbidden. Nothing was sent.\n`
      + `  › Invoke the app itself, without the mesh: heroku applink:invoke OPERATION -a ${APP.name} --authorization NAME (the app on http://127.0.0.1:$APP_PORT)\n`
      + '  › Or run the app behind applink:mesh against the local emulator, which accepts the user\'s access token (docs/mesh.md).\n')
    expect(app.requests).to.deep.equal([])
  })

  it('explains a service mesh\'s 403 Forbidden answer', async () => {
    services()
    app.next = {headers: {'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff'}, raw: 'Forbidden\n', status: 403}
    const {exitCode, stderr, stdout} = await invoke('listAccounts')
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('Forbidden\n')
    expect(stderr).to.contain('This 403 is the service mesh\'s: the AppLink API it asked refused x-request-context.auth. Against the emulator, check that the authorization\'s org is connected to this app\'s add-on and that the mesh runs with this app\'s config vars (heroku applink:mesh -a APP).\n')
  })
})

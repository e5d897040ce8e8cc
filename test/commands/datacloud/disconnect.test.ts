import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../helpers/applink.js'
import {nothingSent} from '../../helpers/requests.js'
import {asPipe, asTerminal} from '../../helpers/terminal.js'

const dcConnection = (overrides: Record<string, unknown> = {}) => connection({
  id: 'd0d0d0d0-1111-4222-8333-444444444444',
  org: {connection_name: 'my_dc', id: '00D000000000002EAA', instance_url: 'https://dc.example.com', type: 'DataCloudOrg', username: 'dc@example.com'},
  ...overrides,
})
const target = (apiName: string, label: string) => ({api_name: apiName, id: `t-${apiName}`, label, status: 'created', target_endpoint: '/handle', type: 'webhook'})

describe('datacloud:disconnect', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('lists the data action targets that go with the connection, then sends one DELETE', async () => {
    platformApi()
    applinkApi()
    .get(`${BASE}/connections/datacloud/my_dc/data_action_targets`).reply(200, [target('order_hook', 'Order Hook'), target('lead_hook', 'Lead Hook')])
    .get(`${BASE}/connections/my_dc`).reply(200, dcConnection())
    .delete(`${BASE}/connections/my_dc`).reply(200, dcConnection({status: 'disconnecting'}))
    const {exitCode, stderr, stdout} = await run(['datacloud:disconnect', 'my_dc', '-a', APP.name, '--confirm', 'my_dc'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal([
      'Warning: disconnecting my_dc also deletes its 2 data action targets:',
      '  Order Hook (order_hook)',
      '  Lead Hook (lead_hook)',
      `Disconnecting Data Cloud connection my_dc from ${APP.name}... done`,
      '',
    ].join('\n'))
    assertNoSecrets(stdout + stderr)
  })

  it('says nothing about targets when there are none; --json prints the connection', async () => {
    platformApi()
    const body = dcConnection({status: 'disconnecting'})
    applinkApi()
    .get(`${BASE}/connections/datacloud/my_dc/data_action_targets`).reply(200, [])
    .get(`${BASE}/connections/my_dc`).reply(200, dcConnection())
    .delete(`${BASE}/connections/my_dc`).reply(200, body)
    const {exitCode, json, stderr} = await run(['datacloud:disconnect', 'my_dc', '-a', APP.name, '-c', 'my_dc', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(body)
    expect(stderr).to.equal('')
  })

  it('without a terminal and without --confirm sends nothing at all, exit 2', async () => {
    platformApi()
    applinkApi()
    .get(`${BASE}/connections/datacloud/my_dc/data_action_targets`).reply(200, [])
    .delete(`${BASE}/connections/my_dc`).reply(200, dcConnection())
    const watch = nothingSent()
    const {exitCode, stderr, stdout} = await run(['datacloud:disconnect', 'my_dc', '-a', APP.name])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`Run again with: heroku datacloud:disconnect my_dc -a ${APP.name} --confirm my_dc`)
  })

  it('with a wrong --confirm sends nothing, exit 2', async () => {
    platformApi()
    applinkApi().delete(`${BASE}/connections/my_dc`).reply(200, dcConnection())
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['datacloud:disconnect', 'my_dc', '-a', APP.name, '--confirm', 'my_org'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Error: Confirmation "my_org" did not match my_dc. Nothing was changed.')
  })

  it('refuses an invalid name before any request', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['datacloud:disconnect', '1dc', '-a', APP.name, '--confirm', '1dc'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid connection name "1dc": it must start with a letter.')
  })

  it('stops before the DELETE when the connection does not exist, naming it', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/gone_dc`).reply(404, {id: 'record_not_found', message: 'not found'})
    const {exitCode, json} = await run(['datacloud:disconnect', 'gone_dc', '-a', APP.name, '--confirm', 'gone_dc', '--json'])
    expect(exitCode).to.equal(1)
    expect(json).to.deep.equal({error: {
      exit_code: 1,
      hints: [`List the app's connections with: heroku applink:connections -a ${APP.name}`],
      id: 'record_not_found',
      message: `Data Cloud connection gone_dc was not found on app ${APP.name}.`,
      request: `GET ${BASE}/connections/gone_dc`,
      status: 404,
    }})
  })

  it('refuses a Salesforce connection (exit 2) before listing targets or deleting, naming salesforce:disconnect', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/sf_org`).reply(200, connection({org: {connection_name: 'sf_org', type: 'SalesforceOrg'}}))
    const {exitCode, stderr, stdout} = await run(['datacloud:disconnect', 'sf_org', '-a', APP.name, '--confirm', 'sf_org'])
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal([
      'Error: sf_org is a Salesforce connection, not a Data Cloud one. Nothing was disconnected.',
      `  › To disconnect it, run: heroku salesforce:disconnect sf_org -a ${APP.name}`,
      '',
    ].join('\n'))
  })

  describe('on a terminal', () => {
    const terminal = asTerminal()

    it('shows the targets before asking, then deletes once the name is typed', async () => {
      platformApi()
      applinkApi()
      .get(`${BASE}/connections/datacloud/my_dc/data_action_targets`).reply(200, [target('order_hook', 'Order Hook')])
      .get(`${BASE}/connections/my_dc`).reply(200, dcConnection())
      .delete(`${BASE}/connections/my_dc`).reply(200, dcConnection({status: 'disconnecting'}))
      terminal.keys().write('my_dc\n')
      const {exitCode, stderr, stdout} = await run(['datacloud:disconnect', 'my_dc', '-a', APP.name])
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal('')
      const warning = stderr.indexOf('Warning: disconnecting my_dc also deletes its data action target:\n  Order Hook (order_hook)')
      const question = stderr.indexOf(`To disconnect Data Cloud connection my_dc from ${APP.name}, type my_dc:`)
      expect(warning).to.be.greaterThan(-1)
      expect(question).to.be.greaterThan(warning)
      expect(stderr).to.match(/Disconnecting Data Cloud connection my_dc from my-app\.\.\. done\n$/)
    })
  })
})

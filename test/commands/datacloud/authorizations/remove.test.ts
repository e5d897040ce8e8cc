import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, authorization, BASE, platformApi, run} from '../../../helpers/applink.js'
import {nothingSent} from '../../../helpers/requests.js'
import {asPipe} from '../../../helpers/terminal.js'

const dcAuth = authorization({org: {developer_name: 'dc_auth', id: '00D000000000002EAA', type: 'DataCloudOrg', username: 'dc@example.com'}, status: 'disconnected'})

describe('datacloud:authorizations:remove', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('with --confirm sends one DELETE and reports on stderr; --json prints the authorization', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/dc_auth`).reply(200, {...dcAuth, status: 'authorized'}).delete(`${BASE}/authorizations/dc_auth`).reply(200, dcAuth)
    const human = await run(['datacloud:authorizations:remove', 'dc_auth', '-a', APP.name, '--confirm', 'dc_auth'])
    expect(human.exitCode).to.equal(0)
    expect(human.stdout).to.equal('')
    expect(human.stderr).to.equal(`Removing Data Cloud authorization dc_auth from ${APP.name}... done\n`)

    platformApi()
    applinkApi().get(`${BASE}/authorizations/dc_auth`).reply(200, {...dcAuth, status: 'authorized'}).delete(`${BASE}/authorizations/dc_auth`).reply(200, dcAuth)
    const json = await run(['datacloud:authorizations:remove', 'dc_auth', '-a', APP.name, '--confirm', 'dc_auth', '--json'])
    expect(json.exitCode).to.equal(0)
    expect(json.json).to.deep.equal(dcAuth)
  })

  it('without a terminal and without --confirm sends nothing, exit 2', async () => {
    platformApi()
    applinkApi().delete(`${BASE}/authorizations/dc_auth`).reply(200, dcAuth)
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['datacloud:authorizations:remove', 'dc_auth', '-a', APP.name])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain(`Run again with: heroku datacloud:authorizations:remove dc_auth -a ${APP.name} --confirm dc_auth`)
  })

  it('names the missing authorization on record_not_found', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/dc_auth`).reply(404, {id: 'record_not_found', message: 'Not found'})
    const {exitCode, stderr} = await run(['datacloud:authorizations:remove', 'dc_auth', '-a', APP.name, '-c', 'dc_auth'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`Error: Data Cloud authorization dc_auth was not found on app ${APP.name}.`)
    expect(stderr).to.contain(`heroku applink:authorizations -a ${APP.name}`)
  })

  it('refuses a Salesforce authorization (exit 2): nothing deleted, names salesforce:authorizations:remove', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization({org: {developer_name: 'my_auth', type: 'SalesforceOrg'}}))
    const {exitCode, stderr, stdout} = await run(['datacloud:authorizations:remove', 'my_auth', '-a', APP.name, '-c', 'my_auth'])
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.equal([
      'Error: my_auth is a Salesforce authorization, not a Data Cloud one. Nothing was removed.',
      `  › To remove it, run: heroku salesforce:authorizations:remove my_auth -a ${APP.name}`,
      '',
    ].join('\n'))
  })
})

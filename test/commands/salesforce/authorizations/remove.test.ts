import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, authorization, BASE, platformApi, run} from '../../../helpers/applink.js'
import {nothingSent} from '../../../helpers/requests.js'
import {asPipe} from '../../../helpers/terminal.js'

describe('salesforce:authorizations:remove', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('with --confirm sends one DELETE for the developer name and reports on stderr', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization()).delete(`${BASE}/authorizations/my_auth`).reply(200, authorization({status: 'disconnected'}))
    const {exitCode, stderr, stdout} = await run(['salesforce:authorizations:remove', 'my_auth', '-a', APP.name, '--confirm', 'my_auth'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(`Removing Salesforce authorization my_auth from ${APP.name}... done\n`)
    assertNoSecrets(stdout + stderr)
  })

  it('prints the removed authorization with --json', async () => {
    platformApi()
    const body = authorization({status: 'disconnected'})
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization()).delete(`${BASE}/authorizations/my_auth`).reply(200, body)
    const {exitCode, json} = await run(['salesforce:authorizations:remove', 'my_auth', '-a', APP.name, '-c', 'my_auth', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(body)
  })

  it('without a terminal and without --confirm sends nothing, exit 2', async () => {
    platformApi()
    applinkApi().delete(`${BASE}/authorizations/my_auth`).reply(200, authorization())
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:authorizations:remove', 'my_auth', '-a', APP.name])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain(`Error: This would remove Salesforce authorization my_auth from ${APP.name}; confirm it with --confirm my_auth. Nothing was changed.`)
  })

  it('with a wrong --confirm sends nothing, exit 2', async () => {
    platformApi()
    applinkApi().delete(`${BASE}/authorizations/my_auth`).reply(200, authorization())
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:authorizations:remove', 'my_auth', '-a', APP.name, '-c', 'MY_AUTH'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Error: Confirmation "MY_AUTH" did not match my_auth.')
  })

  it('refuses an invalid developer name before any request', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:authorizations:remove', 'my-auth', '-a', APP.name, '-c', 'my-auth'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid developer name "my-auth": it contains "-"')
  })

  it('names the missing authorization and points at applink:authorizations', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/old_auth`).reply(404, {id: 'record_not_found', message: 'Not found'})
    const {exitCode, stderr} = await run(['salesforce:authorizations:remove', 'old_auth', '-a', APP.name, '-c', 'old_auth'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`Error: Salesforce authorization old_auth was not found on app ${APP.name}.`)
    expect(stderr).to.contain(`List the app's authorizations with: heroku applink:authorizations -a ${APP.name}`)
  })

  it('accepts the authorization\'s id instead of its developer name', async () => {
    platformApi()
    const id = 'a0a0a0a0-1111-4222-8333-444444444444'
    applinkApi().get(`${BASE}/authorizations/${id}`).reply(200, authorization()).delete(`${BASE}/authorizations/${id}`).reply(200, authorization())
    const {exitCode} = await run(['salesforce:authorizations:remove', id, '-a', APP.name, '-c', id])
    expect(exitCode).to.equal(0)
  })

  it('explains a 401 from AppLink without leaking the token', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, stderr} = await run(['salesforce:authorizations:remove', 'my_auth', '-a', APP.name, '-c', 'my_auth'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('HTTP 401: Invalid credentials')
    assertNoSecrets(stderr)
  })
})

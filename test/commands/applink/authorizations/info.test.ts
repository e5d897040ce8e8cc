import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, authorization, BASE, platformApi, run, SECRETS} from '../../../helpers/applink.js'
import {nothingSent} from '../../../helpers/requests.js'
import {asPipe} from '../../../helpers/terminal.js'

describe('applink:authorizations:info', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('GETs the authorization by developer name and shows it as key/value', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization())
    const {exitCode, stderr, stdout} = await run(['applink:authorizations:info', 'my_auth', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stderr).to.equal('')
    expect(stdout).to.contain(`=== Heroku AppLink authorization my_auth for app ${APP.name}`)
    expect(stdout).to.match(/Developer Name:\s+my_auth\n/)
    expect(stdout).to.match(/Method:\s+OAuth\n/)
    expect(stdout).to.match(/Status:\s+authorized\n/)
    expect(stdout).to.match(/Username:\s+user@my-org\.example\n/)
    assertNoSecrets(stdout + stderr)
  })

  it('shows a failed authorization with its error and how to re-authorize', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization({error: {id: 'authentication_failed', message: 'Token revoked'}, status: 'failed'}))
    const {exitCode, stderr, stdout} = await run(['applink:authorizations:info', 'my_auth', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.match(/Status:\s+failed\n/)
    expect(stdout).to.match(/Error:\s+Token revoked \(authentication_failed\)\n/)
    expect(stderr).to.equal(`Re-authorize with: heroku salesforce:authorizations:add my_auth -a ${APP.name}\n`)
  })

  it('prints only the resource with --json', async () => {
    platformApi()
    const body = authorization({connection_method: 'JWT'})
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, body)
    const {exitCode, json} = await run(['applink:authorizations:info', 'my_auth', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(body)
  })

  it('never shows the org access token the service includes for app SDKs', async () => {
    const accessToken = '00Dxx0000001gPL!AR8AQJXg5oj8jXSgxJfA0lBog.39AsX.LVpxezPwuX5VAIrrbbHMuol7GQxnMeYMN7cj8EoKd'
    for (const args of [[], ['--json']]) {
      platformApi()
      applinkApi().get(`${BASE}/authorizations/my_auth`).reply(200, authorization({
        org: {api_version: '62.0', developer_name: 'my_auth', id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', user_auth: {access_token: accessToken, user_id: '005000000000002AAA', username: 'user@my-org.example'}},
      }))
      const {exitCode, json, stderr, stdout} = await run(['applink:authorizations:info', 'my_auth', '-a', APP.name, ...args])
      expect(exitCode).to.equal(0)
      // the whole token, and its secret part after the org id
      assertNoSecrets(stdout + stderr, [...SECRETS, accessToken, accessToken.split('!')[1]])
      if (args.length === 0) {
        // the record itself was shown
        expect(stdout).to.contain(`=== Heroku AppLink authorization my_auth for app ${APP.name}\n`)
        expect(stdout).to.match(/Status:\s+authorized\n/)
      } else {
        // user_auth kept, without the token
        expect(json, stdout).to.not.equal(undefined)
        expect((json as {org: {user_auth: unknown}}).org.user_auth).to.deep.equal({user_id: '005000000000002AAA', username: 'user@my-org.example'})
      }
    }
  })

  it('names the missing authorization and points at applink:authorizations (exit 1)', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/gone_auth`).reply(404, {id: 'record_not_found', message: 'Record not found'})
    const {exitCode, json} = await run(['applink:authorizations:info', 'gone_auth', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(1)
    expect(json).to.deep.equal({error: {
      exit_code: 1,
      hints: [`List the app's authorizations with: heroku applink:authorizations -a ${APP.name}`],
      id: 'record_not_found',
      message: `Authorization gone_auth was not found on app ${APP.name}.`,
      request: `GET ${BASE}/authorizations/gone_auth`,
      status: 404,
    }})
  })

  it('refuses an invalid developer name before any request (exit 2)', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['applink:authorizations:info', 'a_very_long_developer_name_over_30', '-a', APP.name])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('it has 34 characters; use 3 to 30')
  })

  it('explains a 401 from AppLink', async () => {
    platformApi()
    applinkApi().get(`${BASE}/authorizations/my_auth`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, stderr} = await run(['applink:authorizations:info', 'my_auth', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('HTTP 401: Invalid credentials')
    assertNoSecrets(stderr)
  })
})

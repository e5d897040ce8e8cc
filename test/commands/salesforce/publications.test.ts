import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../helpers/applink.js'
import {nothingSent} from '../../helpers/requests.js'
import {asPipe} from '../../helpers/terminal.js'

const sfConnection = (name: string, orgId: string, status = 'connected') => connection({id: `id-${name}`, org: {connection_name: name, id: orgId, type: 'SalesforceOrg', username: `admin@${name}.example`}, status})
const publication = (connectionName: string, orgId: string, esr: string) => ({
  app_uuid: APP.id,
  connection_name: connectionName,
  created_at: '2026-11-02T09:00:00Z',
  created_by: 'dev@example.com',
  esr_id: `esr-${esr}`,
  esr_name: esr,
  heroku_applink_id: 'hal-1',
  last_modified_at: '2026-11-03T09:00:00Z',
  org_id: orgId,
})
const appsPath = (name: string) => `${BASE}/connections/salesforce/${name}/apps/${APP.id}`

describe('salesforce:publications', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('asks every connected Salesforce org, in parallel, and shows one table', async () => {
    platformApi()
    // the first publications request is answered only once the second one has arrived
    let held: (() => void) | undefined
    let overlapped = false
    let timedOut = false
    const answer = (body: nock.ReplyBody) => (_uri: string, _body: nock.Body, cb: (err: null, result: nock.ReplyFnResult) => void) => {
      const send = () => cb(null, [200, body])
      if (held) {
        overlapped = true
        held()
        held = undefined
        send()
      } else {
        held = send
        // a fallback so a sequential command still ends: it answers the first request and clears
        // `held`, so a second request arriving after it does not count as overlapping
        setTimeout(() => {
          if (held !== send) return
          held = undefined
          timedOut = true
          send()
        }, 3000)
      }
    }

    applinkApi()
    .get(`${BASE}/connections`).reply(200, [
      sfConnection('my_org', '00D000000000001EAA'),
      sfConnection('broken_org', '00D000000000009EAA', 'failed'),
      connection({id: 'dc', org: {connection_name: 'my_dc', id: '00D000000000002EAA', type: 'DataCloudOrg'}, status: 'connected'}),
      sfConnection('other_org', '00D000000000003EAA'),
    ])
    .get(appsPath('my_org')).reply(answer([publication('my_org', '00D000000000001EAA', 'MyApi')]))
    .get(appsPath('other_org')).reply(answer([publication('other_org', '00D000000000003EAA', 'OtherApi'), publication('other_org', '00D000000000003EAA', 'OtherApi2')]))
    const {exitCode, stderr, stdout} = await run(['salesforce:publications', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(timedOut, 'the first publications request was answered by the fallback timer').to.equal(false)
    expect(overlapped, 'both publications requests in flight at once').to.equal(true)
    expect(stdout).to.contain(`Heroku AppLink publications for app ${APP.name}`)
    expect(stdout).to.match(/Connection Name\s+Org ID\s+External Service\s+Created Date\s+Created By\s+Last Modified/)
    expect(stdout).to.match(/my_org\s+00D000000000001EAA\s+MyApi\s+2026-11-02T09:00:00Z\s+dev@example\.com\s+2026-11-03T09:00:00Z/)
    expect(stdout).to.match(/other_org\s+00D000000000003EAA\s+OtherApi\s/)
    expect(stdout).to.match(/other_org\s+00D000000000003EAA\s+OtherApi2\s/)
    expect(stdout).not.to.contain('broken_org')
    expect(stdout).not.to.contain('my_dc')
    expect(stderr).to.equal('Skipped Salesforce connection broken_org: it is failed, not connected.\n')
    assertNoSecrets(stdout + stderr)
  })

  it('prints a flat array of the publications with --json', async () => {
    platformApi()
    const a = publication('my_org', '00D000000000001EAA', 'MyApi')
    const b = publication('other_org', '00D000000000003EAA', 'OtherApi')
    applinkApi()
    .get(`${BASE}/connections`).reply(200, [sfConnection('my_org', '00D000000000001EAA'), sfConnection('other_org', '00D000000000003EAA')])
    .get(appsPath('my_org')).reply(200, [a])
    .get(appsPath('other_org')).reply(200, [b])
    const {exitCode, json, stderr} = await run(['salesforce:publications', '-a', APP.name, '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal([a, b])
    expect(stderr).to.equal('')
  })

  for (const flag of ['--connection_name', '--connection-name']) {
    it(`with ${flag} asks only that connection`, async () => {
      platformApi()
      const a = publication('my_org', '00D000000000001EAA', 'MyApi')
      applinkApi()
      .get(`${BASE}/connections/my_org`).reply(200, sfConnection('my_org', '00D000000000001EAA'))
      .get(appsPath('my_org')).reply(200, [a])
      const {exitCode, json} = await run(['salesforce:publications', '-a', APP.name, flag, 'my_org', '--json'])
      expect(exitCode).to.equal(0)
      expect(json).to.deep.equal([a])
    })
  }

  it('says when the app is not published yet, and how to publish', async () => {
    platformApi()
    applinkApi()
    .get(`${BASE}/connections`).reply(200, [sfConnection('my_org', '00D000000000001EAA')])
    .get(appsPath('my_org')).reply(200, [])
    const {exitCode, stdout} = await run(['salesforce:publications', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain(`App ${APP.name} is not published to any connected Salesforce org yet. Publish it with: heroku salesforce:publish`)
  })

  it('treats record_not_found for one org\'s publications as none there', async () => {
    platformApi()
    applinkApi()
    .get(`${BASE}/connections/my_org`).reply(200, sfConnection('my_org', '00D000000000001EAA'))
    .get(appsPath('my_org')).reply(404, {id: 'record_not_found', message: 'no apps'})
    const {exitCode, json} = await run(['salesforce:publications', '-a', APP.name, '--connection-name', 'my_org', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal([])
  })

  it('says when there is no connected Salesforce org, without further requests', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections`).reply(200, [connection({org: {connection_name: 'my_dc', type: 'DataCloudOrg'}})])
    const {exitCode, stdout} = await run(['salesforce:publications', '-a', APP.name])
    expect(exitCode).to.equal(0)
    expect(stdout).to.contain(`App ${APP.name} has no connected Salesforce orgs. Connect one with: heroku salesforce:connect NAME -a ${APP.name}`)
  })

  it('names a missing connection and points at applink:connections', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/nope_org`).reply(404, {id: 'record_not_found', message: 'Record not found'})
    const {exitCode, stderr} = await run(['salesforce:publications', '-a', APP.name, '--connection_name', 'nope_org'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`Error: Salesforce connection nope_org was not found on app ${APP.name}.`)
    expect(stderr).to.contain(`heroku applink:connections -a ${APP.name}`)
  })

  it('refuses a named connection that is Data Cloud or not connected (exit 1)', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/my_dc`).reply(200, connection({org: {connection_name: 'my_dc', type: 'DataCloudOrg'}}))
    const dc = await run(['salesforce:publications', '-a', APP.name, '--connection_name', 'my_dc'])
    expect(dc.exitCode).to.equal(1)
    expect(dc.stderr).to.contain(`Error: Connection my_dc on app ${APP.name} is not a Salesforce org connection`)

    platformApi()
    applinkApi().get(`${BASE}/connections/broken_org`).reply(200, sfConnection('broken_org', '00D000000000009EAA', 'failed'))
    const failed = await run(['salesforce:publications', '-a', APP.name, '--connection_name', 'broken_org'])
    expect(failed.exitCode).to.equal(1)
    expect(failed.stderr).to.contain(`Error: Salesforce connection broken_org on app ${APP.name} is failed, not connected.`)
    expect(failed.stderr).to.contain(`Reconnect with: heroku salesforce:connect broken_org -a ${APP.name}`)
  })

  it('refuses an invalid connection name before any request (exit 2)', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:publications', '-a', APP.name, '--connection_name', '_org'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid connection name "_org": it must start with a letter.')
  })

  it('explains a 401 from AppLink', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, stderr} = await run(['salesforce:publications', '-a', APP.name])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('HTTP 401: Invalid credentials')
    assertNoSecrets(stderr)
  })
})

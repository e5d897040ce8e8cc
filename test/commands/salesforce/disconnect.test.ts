import {expect} from 'chai'
import nock from 'nock'

import {APP, applinkApi, assertNoSecrets, BASE, connection, platformApi, run} from '../../helpers/applink.js'
import {nothingSent} from '../../helpers/requests.js'
import {asPipe, asTerminal} from '../../helpers/terminal.js'

describe('salesforce:disconnect', () => {
  asPipe()
  beforeEach(() => nock.disableNetConnect())
  afterEach(() => {
    const pending = nock.pendingMocks()
    nock.cleanAll()
    expect(pending, 'requests the command should have made').to.deep.equal([])
  })

  it('with --confirm sends exactly one DELETE and reports on stderr', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'connected'})).delete(`${BASE}/connections/my_org`).reply(200, connection({status: 'disconnecting'}))
    const {exitCode, stderr, stdout} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name, '--confirm', 'my_org'])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal('')
    expect(stderr).to.equal(`Disconnecting Salesforce connection my_org from ${APP.name}... done\n`)
    assertNoSecrets(stdout + stderr)
  })

  it('prints the deleted connection as the only JSON on stdout with --json (-c works too)', async () => {
    platformApi()
    const body = connection({status: 'disconnecting'})
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'connected'})).delete(`${BASE}/connections/my_org`).reply(200, body)
    const {exitCode, json, stderr} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name, '-c', 'my_org', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(body)
    expect(stderr).to.equal('')
  })

  it('still prints one JSON document naming the connection when the service answers with an empty body', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'connected'})).delete(`${BASE}/connections/my_org`).reply(204)
    const {exitCode, json} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name, '-c', 'my_org', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal({org: {connection_name: 'my_org'}})
  })

  it('without a terminal and without --confirm deletes nothing, sends nothing, exit 2', async () => {
    platformApi()
    applinkApi().delete(`${BASE}/connections/my_org`).reply(200, connection())
    const watch = nothingSent()
    const {exitCode, stderr, stdout} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal('')
    expect(stderr).to.contain(`Error: This would disconnect Salesforce connection my_org from ${APP.name}; confirm it with --confirm my_org. Nothing was changed.`)
    expect(stderr).to.contain(`Run again with: heroku salesforce:disconnect my_org -a ${APP.name} --confirm my_org`)
  })

  it('with a --confirm that does not match deletes nothing, exit 2 (machine-readable with --json)', async () => {
    platformApi()
    applinkApi().delete(`${BASE}/connections/my_org`).reply(200, connection())
    const watch = nothingSent()
    const {exitCode, json} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name, '--confirm', 'my_orgg', '--json'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(json).to.deep.equal({error: {
      exit_code: 2,
      hints: [`To disconnect Salesforce connection my_org from ${APP.name}, run: heroku salesforce:disconnect my_org -a ${APP.name} --confirm my_org`],
      id: 'confirmation_mismatch',
      message: 'Confirmation "my_orgg" did not match my_org. Nothing was changed.',
    }})
  })

  it('refuses an invalid connection name before any request, exit 2', async () => {
    platformApi()
    const watch = nothingSent()
    const {exitCode, stderr} = await run(['salesforce:disconnect', 'my__org', '-a', APP.name, '--confirm', 'my__org'])
    watch.check()
    expect(exitCode).to.equal(2)
    expect(stderr).to.contain('Invalid connection name "my__org": it contains two underscores in a row')
  })

  it('names the missing connection and points at applink:connections on record_not_found, before any DELETE', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/nope_org`).reply(404, {id: 'record_not_found', message: 'Record not found'})
    const {exitCode, stderr, stdout} = await run(['salesforce:disconnect', 'nope_org', '-a', APP.name, '--confirm', 'nope_org'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(stderr).to.equal([
      `Error: Salesforce connection nope_org was not found on app ${APP.name}.`,
      `  › List the app's connections with: heroku applink:connections -a ${APP.name}`,
      '',
    ].join('\n'))
  })

  it('explains a 401 from AppLink without leaking the token', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/my_org`).reply(401, {id: 'unauthorized', message: 'Invalid credentials'})
    const {exitCode, stderr} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name, '--confirm', 'my_org'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain('refused the add-on\'s token (HTTP 401: Invalid credentials)')
    assertNoSecrets(stderr)
  })

  it('refuses a Data Cloud connection (exit 2): nothing deleted, names datacloud:disconnect with --addon as given', async () => {
    platformApi()
    applinkApi().get(`${BASE}/connections/dc_org`).reply(200, connection({org: {connection_name: 'dc_org', type: 'DatacloudOrg'}}))
    const {exitCode, json} = await run(['salesforce:disconnect', 'dc_org', '-a', APP.name, '--addon', 'applink-curved-12345', '--confirm', 'dc_org', '--json'])
    expect(exitCode).to.equal(2)
    expect(json).to.deep.equal({error: {
      exit_code: 2,
      hints: [`To disconnect it, run: heroku datacloud:disconnect dc_org -a ${APP.name} --addon applink-curved-12345`],
      id: 'wrong_org_kind',
      message: 'dc_org is a Data Cloud connection, not a Salesforce one. Nothing was disconnected.',
    }})
  })

  describe('on a terminal', () => {
    const terminal = asTerminal()

    it('asks for the name and deletes once it is typed', async () => {
      platformApi()
      applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'connected'})).delete(`${BASE}/connections/my_org`).reply(200, connection({status: 'disconnecting'}))
      terminal.keys().write('my_org\n')
      const {exitCode, stderr, stdout} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name])
      expect(exitCode).to.equal(0)
      expect(stdout).to.equal('')
      expect(stderr).to.contain(`To disconnect Salesforce connection my_org from ${APP.name}, type my_org:`)
      expect(stderr).to.match(new RegExp(`Disconnecting Salesforce connection my_org from ${APP.name}\\.\\.\\. done\n$`))
    })

    it('deletes nothing when the typed name does not match, exit 2', async () => {
      platformApi()
      applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'connected'})).delete(`${BASE}/connections/my_org`).reply(200, connection())
      terminal.keys().write('my_or\n')
      const {exitCode, stderr} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name])
      // the add-on was resolved to ask the question; the DELETE was never sent
      expect(nock.pendingMocks()).to.deep.equal([`DELETE https://applink.example.com:443${BASE}/connections/my_org`])
      nock.cleanAll()
      expect(exitCode).to.equal(2)
      expect(stderr).to.contain('Error: Confirmation "my_or" did not match my_org. Nothing was changed.')
      expect(stderr).not.to.contain('Disconnecting')
    })

    it('says a connection that does not exist is not there before asking for its name, exit 1', async () => {
      platformApi()
      applinkApi().get(`${BASE}/connections/nope_org`).reply(404, {id: 'record_not_found', message: 'Record not found'})
      const {exitCode, stderr, stdout} = await run(['salesforce:disconnect', 'nope_org', '-a', APP.name])
      expect(exitCode).to.equal(1)
      expect(stdout).to.equal('')
      expect(stderr).to.equal([
        `Error: Salesforce connection nope_org was not found on app ${APP.name}.`,
        `  › List the app's connections with: heroku applink:connections -a ${APP.name}`,
        '',
      ].join('\n'))
    })

    it('ends with exit 130 and deletes nothing on Ctrl-C at the prompt', async () => {
      platformApi()
      applinkApi().get(`${BASE}/connections/my_org`).reply(200, connection({status: 'connected'})).delete(`${BASE}/connections/my_org`).reply(200, connection())
      terminal.keys().write('\u0003')
      const {exitCode, stderr} = await run(['salesforce:disconnect', 'my_org', '-a', APP.name])
      expect(nock.pendingMocks()).to.deep.equal([`DELETE https://applink.example.com:443${BASE}/connections/my_org`])
      nock.cleanAll()
      expect(exitCode).to.equal(130)
      expect(stderr).to.contain('Error: Interrupted: nothing was changed.')
    })
  })
})

import {expect} from 'chai'

import {APP, applinkApi, BASE, platformApi, run} from '../../../helpers/applink.js'
import {linesStarting, useFlowEnv} from '../../../helpers/flow.js'
import {nothingSent} from '../../../helpers/requests.js'

const TARGETS = `${BASE}/connections/datacloud/dc_org/data_action_targets`
// run() re-splits the command line on spaces: quote an argument that holds one
const ORDER_EVENTS = '"Order Events"'

function target(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    api_name: 'Order_Events',
    heroku_app: {id: APP.id, name: APP.name, url: 'https://my-app.herokuapp.com'},
    id: 'dat-1',
    label: 'Order Events',
    status: 'pending',
    target_endpoint: '/handleDataCloudDataChangeEvent',
    type: 'webhook',
    ...overrides,
  }
}

const LABEL = 'Creating data action target Order_Events on Data Cloud connection dc_org'

describe('datacloud:data-action-target:create', () => {
  useFlowEnv()

  it('defaults api_name to the label with spaces turned to _, POSTs it, polls by api_name until created', async () => {
    platformApi()
    applinkApi()
    .post(TARGETS, {api_name: 'Order_Events', label: 'Order Events', target_endpoint: '/handleDataCloudDataChangeEvent', type: 'webhook'})
    .matchHeader('content-type', 'application/json')
    .reply(202, target())
    .get(`${TARGETS}/Order_Events`).reply(200, target({status: 'generating_signing_key'}))
    .get(`${TARGETS}/Order_Events`).reply(200, target({status: 'creating'}))
    .get(`${TARGETS}/Order_Events`).reply(200, target({status: 'creating'}))
    .get(`${TARGETS}/Order_Events`).reply(200, target({status: 'created'}))
    const {exitCode, stderr, stdout} = await run(['datacloud:data-action-target:create', ORDER_EVENTS, '-a', APP.name, '-o', 'dc_org', '-p', '/handleDataCloudDataChangeEvent'])
    expect(exitCode).to.equal(0)
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: pending`, `${LABEL}: generating_signing_key`, `${LABEL}: creating`, `${LABEL}: created`])
    // no OAuth here: no login URL, no browser
    expect(stderr).not.to.contain('Open this URL')
    expect(stdout).to.contain('Data action target Order_Events on connection dc_org')
    expect(stdout).to.match(/Status:\s+created/)
    expect(stdout).to.match(/Label:\s+Order Events/)
  })

  it('uses -n as the API name, and prints only the final target with --json', async () => {
    platformApi()
    applinkApi()
    .post(TARGETS, {api_name: 'orders_v2', label: 'Order Events', target_endpoint: '/', type: 'webhook'}).reply(202, target({api_name: 'orders_v2', target_endpoint: '/'}))
    .get(`${TARGETS}/orders_v2`).reply(200, target({api_name: 'orders_v2', status: 'created', target_endpoint: '/'}))
    const {exitCode, json, stdout} = await run(['datacloud:data-action-target:create', ORDER_EVENTS, '-a', APP.name, '--connection-name', 'dc_org', '--target-api-path', '/', '-n', 'orders_v2', '-t', 'webhook', '--json'])
    expect(exitCode).to.equal(0)
    expect(json).to.deep.equal(target({api_name: 'orders_v2', status: 'created', target_endpoint: '/'}))
    expect(stdout.trim().startsWith('{')).to.equal(true)
  })

  it('exits 1 with the service\'s message on creation_failed', async () => {
    platformApi()
    applinkApi()
    .post(TARGETS, {api_name: 'Order_Events', label: 'Order Events', target_endpoint: '/', type: 'webhook'}).reply(202, target())
    .get(`${TARGETS}/Order_Events`).reply(200, target({error: {id: 'invalid_params', message: 'The app has no web dyno to receive events'}, status: 'creation_failed'}))
    const {exitCode, stderr, stdout} = await run(['datacloud:data-action-target:create', ORDER_EVENTS, '-a', APP.name, '-o', 'dc_org', '-p', '/'])
    expect(exitCode).to.equal(1)
    expect(stdout).to.equal('')
    expect(linesStarting(stderr, LABEL)).to.deep.equal([`${LABEL}: pending`, `${LABEL}: creation_failed`])
    expect(stderr).to.contain('Error: Data action target Order_Events could not be created: The app has no web dyno to receive events\n')
  })

  it('times out with exit 3, saying it may still complete', async () => {
    platformApi()
    applinkApi()
    .post(TARGETS, {api_name: 'Order_Events', label: 'Order Events', target_endpoint: '/', type: 'webhook'}).reply(202, target())
    .get(`${TARGETS}/Order_Events`).reply(200, target({status: 'creating'}))
    .persist()
    const {exitCode, stderr} = await run(['datacloud:data-action-target:create', ORDER_EVENTS, '-a', APP.name, '-o', 'dc_org', '-p', '/', '--wait-timeout', '0.03'])
    expect(exitCode).to.equal(3)
    expect(stderr).to.contain('Timed out after 0.03 seconds waiting for data action target Order_Events (status creating). It may still complete.')
  })

  it('names the missing connection when the service answers 404 to the create', async () => {
    platformApi()
    applinkApi()
    .post(`${BASE}/connections/datacloud/no_such_org/data_action_targets`, {api_name: 'Order_Events', label: 'Order Events', target_endpoint: '/', type: 'webhook'})
    .reply(404, {id: 'record_not_found', message: 'Record not found'})
    const {exitCode, stderr} = await run(['datacloud:data-action-target:create', ORDER_EVENTS, '-a', APP.name, '-o', 'no_such_org', '-p', '/'])
    expect(exitCode).to.equal(1)
    expect(stderr).to.contain(`Error: Data Cloud connection no_such_org was not found on app ${APP.name}.`)
    expect(stderr).to.contain(`heroku applink:connections -a ${APP.name}`)
  })

  const invalid: [string[], string][] = [
    [['"Order  Events"', '-o', 'dc_org', '-p', '/'], 'Error: Invalid API name "Order__Events" (made from the label): it contains two underscores in a row; use single underscores.'],
    [['Orders!', '-o', 'dc_org', '-p', '/'], 'Error: Invalid API name "Orders!" (made from the label): it contains "!"'],
    [['Orders', '-o', 'dc_org', '-p', '/', '-n', '_orders'], 'Error: Invalid API name "_orders": it must start with a letter.'],
    [['Orders', '-o', 'dc-org', '-p', '/'], 'Error: Invalid connection name "dc-org"'],
    [['Orders', '-o', 'dc_org', '-p', 'handle'], 'Error: Invalid --target-api-path "handle": it must start with "/".'],
    [['Orders', '-o', 'dc_org', '-p', '/', '-t', 'kafka'], 'Expected --type=kafka to be one of: webhook'],
  ]
  for (const [args, message] of invalid) {
    it(`rejects ${args.join(' ')} before any request (exit 2)`, async () => {
      const sent = nothingSent()
      const {exitCode, stderr, stdout} = await run(['datacloud:data-action-target:create', ...args, '-a', APP.name])
      sent.check()
      expect(exitCode).to.equal(2)
      expect(stdout).to.equal('')
      expect(stderr).to.contain(message)
    })
  }
})

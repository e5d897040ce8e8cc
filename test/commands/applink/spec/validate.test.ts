import {expect} from 'chai'
import nock from 'nock'
import {join} from 'node:path'

import {HEROKU_TOKEN, run} from '../../../helpers/applink.js'

const specs = new URL('../../../fixtures/specs/', import.meta.url).pathname
const fixture = (name: string) => join(specs, name)

describe('applink:spec:validate', () => {
  const unmatched: string[] = []
  const onNoMatch = (req: {method?: string; path?: string}) => unmatched.push(`${req.method} ${req.path}`)
  beforeEach(() => {
    nock.disableNetConnect()
    // a pull-request pipeline has no Heroku credentials
    delete process.env.HEROKU_API_KEY
    unmatched.length = 0
    nock.emitter.on('no match', onNoMatch)
  })
  afterEach(() => {
    nock.emitter.removeListener('no match', onNoMatch)
    nock.cleanAll()
    process.env.HEROKU_API_KEY = HEROKU_TOKEN
    expect(unmatched, 'a local check makes no request').to.deep.equal([])
  })

  it('passes a valid spec with exit 0 and says what it holds', async () => {
    const file = fixture('agent-actions.yaml')
    const {exitCode, stderr, stdout} = await run(['applink:spec:validate', file])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal(`${file}: 0 errors, 0 warnings (3 operations, 2 Agentforce actions, topic order_management)\n`)
    expect(stderr).to.equal('')
  })

  it('lists every problem with file:line:column, reason and fix, and exits 2', async () => {
    const file = fixture('broken/incomplete-topic.yaml')
    const {exitCode, stdout} = await run(['applink:spec:validate', file])
    expect(exitCode).to.equal(2)
    expect(stdout).to.equal([
      `${file}:7:5  error  agent topic is missing 'classificationDescription'`,
      '  fix: Add classificationDescription: a sentence saying which requests belong to this topic.',
      `${file}:7:5  error  agent topic is missing 'instructions'`,
      '  fix: Add instructions: a list of rules the agent follows in this topic.',
      `${file}:7:5  error  agent topic 'Order Management' has no actions`,
      '  fix: Mark at least one operation with x-sfdc: {agent: {action: {publishAsAgentAction: true}}}.',
      `${file}:8:7  error  agent topic name 'Order Management' is not a Salesforce API name: it contains " "; use letters, digits and underscores`,
      '  fix: Use snake case, e.g. order_management.',
      '',
      `${file}: 4 errors, 0 warnings`,
      '',
    ].join('\n'))
  })

  it('shows each operation\'s x-sfdc authorization names with --json (names, not secrets)', async () => {
    const {exitCode, json} = await run(['applink:spec:validate', fixture('authorization.json'), '--json'])
    expect(exitCode).to.equal(0)
    const report = json as {operations: Array<{authorization?: unknown; operationId: string}>}
    expect(report.operations.map(o => [o.operationId, o.authorization])).to.deep.equal([
      ['getPayslip', {externalClientApp: 'Payroll_App', permissionSet: 'Payroll_Read'}],
      ['correctPayslip', {connectedApp: 'Payroll_Legacy', permissionSet: 'Payroll_Write'}],
    ])
  })

  it('exits 0 when there are only warnings, and shows them', async () => {
    const file = fixture('warnings-only.yaml')
    const {exitCode, stdout} = await run(['applink:spec:validate', file])
    expect(exitCode).to.equal(0)
    expect(stdout).to.equal([
      `${file}:6:5  warning  server URL http://status.example.com is not https`,
      '  fix: Use https: Salesforce calls the app over TLS.',
      `${file}:9:5  warning  GET /status has no description or summary`,
      '  fix: Add a description: Salesforce shows it in Flow and Apex, and Agentforce uses it to pick actions.',
      '',
      `${file}: 0 errors, 2 warnings (1 operation)`,
      '',
    ].join('\n'))
  })

  it('gives {file, ok, diagnostics, operations} with --json', async () => {
    const file = fixture('broken/operation-ids.yaml')
    const {exitCode, json, stdout} = await run(['applink:spec:validate', file, '--json'])
    expect(exitCode).to.equal(2)
    expect(stdout.trim().startsWith('{')).to.equal(true)
    const report = json as {diagnostics: unknown[]; file: string; ok: boolean; operations: Array<{operationId?: string}>}
    expect(report.file).to.equal(file)
    expect(report.ok).to.equal(false)
    expect(report.diagnostics).to.deep.equal([
      {column: 5, fix: 'Add operationId: postOrders (unique in the document).', line: 13, message: 'POST /orders has no operationId', path: '/paths/~1orders/post', severity: 'error'},
      {column: 7, fix: 'Rename one of them: every operationId must be unique in the document.', line: 20, message: 'operationId \'listOrders\' is also used by GET /orders', path: '/paths/~1orders~1{id}/get/operationId', severity: 'error'},
      {column: 7, fix: 'Rename it, e.g. deleteOrder: Salesforce turns it into an action name.', line: 32, message: 'operationId \'delete-order\' is not an identifier (letters, digits and underscores, starting with a letter)', path: '/paths/~1orders~1{id}/delete/operationId', severity: 'warning'},
    ])
    expect(report.operations.map(o => o.operationId)).to.deep.equal(['listOrders', undefined, 'listOrders', 'delete-order'])
  })

  it('checks metadata and flag conflicts as salesforce:publish does', async () => {
    const {exitCode, stdout} = await run(['applink:spec:validate', fixture('small.json'), '--metadata-dir', fixture('metadata'), '--authorization-connected-app-name', 'Orders_App'])
    expect(exitCode).to.equal(2)
    expect(stdout).to.contain(`${fixture('small.json')}  error  --authorization-connected-app-name Orders_App conflicts with connectedapp-meta.xml in ${fixture('metadata')}: both define the connected app\n`)
  })

  it('reports a syntax error with its position', async () => {
    const file = fixture('broken/syntax-error.json')
    const {exitCode, stdout} = await run(['applink:spec:validate', file])
    expect(exitCode).to.equal(2)
    expect(stdout).to.contain(`${file}:4:3  error  JSON syntax error: expected ',' between values\n  fix: Add the missing comma after the previous value.\n`)
  })

  it('fails with exit 2 and a clear message for a missing file', async () => {
    const {exitCode, json} = await run(['applink:spec:validate', 'missing.yaml', '--json'])
    expect(exitCode).to.equal(2)
    expect(json).to.deep.equal({error: {exit_code: 2, hints: ['Check the path, relative to the current directory.'], id: 'file_not_found', message: 'The spec file missing.yaml does not exist.'}})
  })
})

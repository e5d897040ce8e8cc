import {expect} from 'chai'
import {mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {checkSpecFile, checkSpecText, LIMITS, loadSpecFile} from '../../../src/lib/openapi/check.js'
import {formatReport} from '../../../src/lib/openapi/format.js'
import type {Diagnostic, SpecReport} from '../../../src/lib/openapi/types.js'

const specs = new URL('../../fixtures/specs/', import.meta.url)
const fixture = (name: string) => new URL(name, specs).pathname

type Expected = [severity: Diagnostic['severity'], line: number, column: number, message: RegExp | string, path?: string]

/** The report holds exactly these diagnostics, in this order. */
function expectDiagnostics(report: SpecReport, expected: Expected[]): void {
  const actual = report.diagnostics.map(d => `${d.severity} ${d.line}:${d.column} ${d.message}`)
  expect(report.diagnostics.length, `diagnostics:\n${actual.join('\n')}`).to.equal(expected.length)
  for (const [i, [severity, line, column, message, path]] of expected.entries()) {
    const d = report.diagnostics[i]
    expect(`${d.severity} ${d.line}:${d.column}`, actual[i]).to.equal(`${severity} ${line}:${column}`)
    if (typeof message === 'string') expect(d.message).to.equal(message)
    else expect(d.message).to.match(message)
    if (path !== undefined) expect(d.path).to.equal(path)
    expect(d.fix, `fix of ${actual[i]}`).to.be.a('string').and.not.equal('')
  }

  expect(report.ok).to.equal(!expected.some(e => e[0] === 'error'))
}

describe('spec checks: valid specs', () => {
  it('accepts a small YAML spec and lists its operation', async () => {
    const report = await checkSpecFile(fixture('small.yaml'))
    expectDiagnostics(report, [])
    expect(report).to.deep.include({format: 'yaml', ok: true, title: 'Greetings', version: '1.0'})
    expect(report.operations).to.deep.equal([{agentAction: false, description: 'Says hello to a name.', method: 'GET', operationId: 'sayHello', path: '/hello'}])
  })

  it('accepts the same spec in JSON with the same result', async () => {
    const yaml = await checkSpecFile(fixture('small.yaml'))
    const json = await checkSpecFile(fixture('small.json'))
    expectDiagnostics(json, [])
    expect(json.format).to.equal('json')
    expect(json.operations).to.deep.equal(yaml.operations)
  })

  it('accepts agent actions with a topic and reports both', async () => {
    const report = await checkSpecFile(fixture('agent-actions.yaml'))
    expectDiagnostics(report, [])
    expect(report.operations.map(o => [o.method, o.path, o.operationId, o.agentAction])).to.deep.equal([
      ['GET', '/orders', 'listOrders', false],
      ['POST', '/orders/status', 'getOrderStatus', true],
      ['POST', '/orders/cancel', 'cancelOrder', true],
    ])
    expect(report.operations[2].authorization).to.deep.equal({externalClientApp: 'OrdersApp', permissionSet: 'Orders_Cancel'})
    expect(report.topic?.name).to.equal('order_management')
    expect(report.topic?.instructions).to.have.length(3)
  })

  it('accepts x-sfdc authorization and server variables', async () => {
    const report = await checkSpecFile(fixture('authorization.json'))
    expectDiagnostics(report, [])
    expect(report.servers).to.deep.equal(['https://payroll-app.herokuapp.com'])
    expect(report.operations.map(o => o.authorization)).to.deep.equal([
      {externalClientApp: 'Payroll_App', permissionSet: 'Payroll_Read'},
      {connectedApp: 'Payroll_Legacy', permissionSet: 'Payroll_Write'},
    ])
  })

  it('ships an example spec that passes without warnings', async () => {
    const report = await checkSpecFile(new URL('../../../examples/orders-api.yaml', import.meta.url).pathname)
    expectDiagnostics(report, [])
    expect(report.operations.filter(o => o.agentAction)).to.have.length(2)
  })
})

describe('spec checks: broken specs', () => {
  it('names the line and column of a YAML syntax error', async () => {
    const report = await checkSpecFile(fixture('broken/syntax-error.yaml'))
    expectDiagnostics(report, [['error', 9, 1, /^YAML syntax error: All mapping items must start at the same column/]])
  })

  it('gives a key indented deeper than the line above one error, on that line, with the right indentation as the fix', async () => {
    const text = [
      'openapi: 3.0.3',
      'info:',
      '  title: Orders',
      '  version: 1.0.0',
      'paths:',
      '  /orders:',
      '    get:',
      '      operationId: listOrders',
      '      summary: List orders',
      '       description: one space too many',
      '      responses:',
      '        \'200\':',
      '          description: ok',
      '',
    ].join('\n')
    const report = await checkSpecText(text, 'indent.yaml')
    expectDiagnostics(report, [['error', 10, 8, 'YAML syntax error: description: is indented 7 spaces, deeper than summary: on the line above (6), so it is read as part of that line\'s value']])
    expect(report.diagnostics[0].fix).to.equal('Indent description: by 6 spaces, like summary: on line 9.')
  })

  it('names the line and column of a JSON syntax error', async () => {
    expectDiagnostics(await checkSpecFile(fixture('broken/syntax-error.json')), [['error', 4, 3, 'JSON syntax error: expected \',\' between values']])
    expectDiagnostics(await checkSpecFile(fixture('broken/trailing-comma.json')), [['error', 3, 47, 'JSON syntax error: trailing comma before \'}\'']])
  })

  it('reports duplicate YAML keys and JSON comments with positions', async () => {
    expectDiagnostics(await checkSpecText('openapi: 3.0.3\ninfo:\n  title: A\n  title: B\n', 'dup.yaml'), [['error', 4, 3, /^YAML syntax error: Map keys must be unique/]])
    expectDiagnostics(await checkSpecText('{\n  // a comment\n  "openapi": "3.0.3"\n}\n', 'c.json'), [['error', 2, 3, 'JSON syntax error: comments are not allowed in JSON']])
  })

  it('refuses Swagger 2.0 and OpenAPI 3.1, saying AppLink takes 3.0', async () => {
    expectDiagnostics(await checkSpecFile(fixture('broken/swagger-2.yaml')), [['error', 1, 1, 'this is a Swagger 2.0 document; AppLink takes OpenAPI 3.0', '/swagger']])
    expectDiagnostics(await checkSpecFile(fixture('broken/openapi-3.1.yaml')), [['error', 1, 1, 'this is an OpenAPI 3.1.0 document; AppLink takes OpenAPI 3.0', '/openapi']])
    expectDiagnostics(await checkSpecText('openapi: 3.0\ninfo: {title: a, version: "1"}\npaths: {}\n', 'n.yaml'), [['error', 1, 1, 'openapi must be a string such as "3.0.3", not the number 3']])
  })

  it('reports missing, duplicate and non-identifier operationIds', async () => {
    expectDiagnostics(await checkSpecFile(fixture('broken/operation-ids.yaml')), [
      ['error', 13, 5, 'POST /orders has no operationId', '/paths/~1orders/post'],
      ['error', 20, 7, 'operationId \'listOrders\' is also used by GET /orders', '/paths/~1orders~1{id}/get/operationId'],
      ['warning', 32, 7, /^operationId 'delete-order' is not an identifier/],
    ])
    const report = await checkSpecFile(fixture('broken/operation-ids.yaml'))
    expect(report.diagnostics[0].fix).to.equal('Add operationId: postOrders (unique in the document).')
  })

  it('reports every $ref that does not resolve inside the file', async () => {
    const report = await checkSpecFile(fixture('broken/bad-ref.yaml'))
    expectDiagnostics(report, [
      ['error', 16, 17, '$ref \'#/components/schemas/Ordr\' does not resolve: #/components/schemas has no \'Ordr\''],
      ['error', 18, 11, '$ref \'#/components/responses/NotFound\' does not resolve: #/components has no \'responses\''],
      ['error', 20, 11, /points outside this file; AppLink receives only this file$/],
    ])
    expect(report.diagnostics[0].fix).to.equal('Did you mean \'#/components/schemas/Order\'?')
  })

  it('reports each missing field of an agent topic, a bad topic name and a topic without actions', async () => {
    expectDiagnostics(await checkSpecFile(fixture('broken/incomplete-topic.yaml')), [
      ['error', 7, 5, 'agent topic is missing \'classificationDescription\''],
      ['error', 7, 5, 'agent topic is missing \'instructions\''],
      ['error', 7, 5, 'agent topic \'Order Management\' has no actions'],
      ['error', 8, 7, /^agent topic name 'Order Management' is not a Salesforce API name/],
    ])
  })

  it('reports agent actions without schemas or with malformed flags', async () => {
    expectDiagnostics(await checkSpecFile(fixture('broken/agent-action-no-schema.yaml')), [
      ['error', 7, 5, 'agent action POST /orders has no request body; an Agentforce action needs a request schema'],
      ['error', 15, 9, 'agent action POST /orders has no application/json schema in its 201 response'],
      ['error', 31, 17, 'request property \'query\' of agent action searchOrders has no x-sfdc.agent.action.isUserInput'],
      ['error', 46, 27, 'isDisplayable of response property \'count\' must be true or false, not "true"'],
      ['error', 54, 13, 'publishAsAgentAction must be true or false, not "yes"'],
      ['warning', 58, 11, 'the 200 response of GET /orders/export is text/csv, not JSON'],
    ])
  })

  it('reports a misspelled authorization key and a malformed API name', async () => {
    const report = await checkSpecFile(fixture('broken/bad-authorization.yaml'))
    expectDiagnostics(report, [
      ['error', 13, 13, 'unknown key \'permisionSet\' in x-sfdc.heroku.authorization'],
      ['error', 14, 13, /^authorization externalClientApp 'Orders-App' is not a Salesforce API name/],
    ])
    expect(report.diagnostics[0].fix).to.equal('Did you mean \'permissionSet\'?')
  })

  it('reports OpenAPI structure errors in words, one per problem', async () => {
    expectDiagnostics(await checkSpecFile(fixture('broken/structure.yaml')), [
      ['error', 2, 1, 'info is missing the required field \'title\''],
      ['error', 5, 3, 'path \'orders\' must start with \'/\''],
      ['error', 12, 5, 'GET /orders/{id} has no path parameter \'id\''],
      ['error', 16, 11, 'GET /orders/{id} parameters[0] needs one of \'schema\', \'content\''],
      ['error', 17, 11, 'in of GET /orders/{id} parameters[0] is "body"; allowed: "path", "query", "header", "cookie"'],
      ['error', 19, 9, 'GET /orders/{id} responses.200 is missing the required field \'description\''],
    ])
  })

  it('checks server URLs', async () => {
    expectDiagnostics(await checkSpecFile(fixture('broken/servers.yaml')), [
      ['warning', 6, 5, 'server URL http://localhost:3000 points at this machine; Salesforce cannot reach it'],
      ['warning', 7, 5, 'server URL http://orders.example.com is not https'],
      ['error', 8, 5, 'server URL https://{region}.orders.example.com uses {region} but defines no such variable'],
    ])
  })

  it('reports a YAML alias loop instead of hanging', async () => {
    const report = await checkSpecText('openapi: 3.0.3\ninfo: &a\n  title: t\n  again: *a\n', 'loop.yaml')
    expectDiagnostics(report, [['error', 4, 3, /an alias refers to a node that contains it/]])
  })
})

describe('spec checks: metadata directory and flags', () => {
  it('refuses a permission set or connected app given both as a file and as a flag', async () => {
    const report = await checkSpecFile(fixture('small.yaml'), {
      authorization: {connectedAppName: 'Orders_App', permissionSetName: 'Orders_Perms'},
      metadataDir: 'meta',
      metadataFiles: ['connectedapp-meta.xml', 'permissionset-meta.xml'],
    })
    expectDiagnostics(report, [
      ['error', 0, 0, '--authorization-permission-set-name Orders_Perms conflicts with permissionset-meta.xml in meta: both define the permission set'],
      ['error', 0, 0, '--authorization-connected-app-name Orders_App conflicts with connectedapp-meta.xml in meta: both define the connected app'],
    ])
  })

  it('accepts a metadata file and a flag for different things', async () => {
    const report = await checkSpecFile(fixture('small.yaml'), {authorization: {externalClientAppName: 'Orders_App'}, metadataFiles: ['permissionset-meta.xml']})
    expectDiagnostics(report, [])
  })

  it('refuses authorization flag values that are not API names', async () => {
    expectDiagnostics(await checkSpecFile(fixture('small.yaml'), {authorization: {permissionSetName: 'Orders Perms'}}), [
      ['error', 0, 0, '--authorization-permission-set-name "Orders Perms" is not a Salesforce API name: it contains " "; use letters, digits and underscores'],
    ])
  })
})

describe('spec checks: size limits', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'applink-spec-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  it('refuses a YAML spec over 3 MB from its size alone, naming the limit and the size', async () => {
    const file = join(dir, 'big.yaml')
    writeFileSync(file, '')
    truncateSync(file, LIMITS.yamlBytes + 1) // sparse: only stat() can afford to look at it
    const {data, report} = await loadSpecFile(file)
    expect(data, 'the file is not read').to.equal(undefined)
    expectDiagnostics(report, [['error', 0, 0, 'the spec is 3.00 MB (3,000,001 bytes); AppLink takes YAML specs up to 3 MB (3,000,000 bytes)']])
  })

  it('refuses a JSON spec over 10 MB and accepts one at the limit', async () => {
    const file = join(dir, 'big.json')
    writeFileSync(file, '')
    truncateSync(file, LIMITS.jsonBytes + 1)
    expectDiagnostics(await checkSpecFile(file), [['error', 0, 0, 'the spec is 10.0 MB (10,000,001 bytes); AppLink takes JSON specs up to 10 MB (10,000,000 bytes)']])
    truncateSync(file, LIMITS.jsonBytes)
    const report = await checkSpecFile(file)
    expect(report.diagnostics.map(d => d.message).join()).not.to.include('up to 10 MB')
  })

  it('applies the limits to text given directly (the emulator\'s uploads)', async () => {
    const report = await checkSpecText(Buffer.alloc(LIMITS.yamlBytes + 10, 0x20), 'api-spec.yaml')
    expect(report.ok).to.equal(false)
    expect(report.diagnostics[0].message).to.match(/AppLink takes YAML specs up to 3 MB/)
  })

  it('says when the file does not exist', async () => {
    const error = await checkSpecFile(join(dir, 'missing.yaml')).catch(error_ => error_)
    expect(error).to.include({exitCode: 2, id: 'file_not_found'})
  })
})

describe('spec checks: human output', () => {
  it('prints file:line:column, severity, reason, fix and a summary', async () => {
    const report = await checkSpecFile(fixture('broken/operation-ids.yaml'))
    const text = formatReport({...report, file: 'operation-ids.yaml'})
    expect(text).to.equal([
      'operation-ids.yaml:13:5  error  POST /orders has no operationId',
      '  fix: Add operationId: postOrders (unique in the document).',
      'operation-ids.yaml:20:7  error  operationId \'listOrders\' is also used by GET /orders',
      '  fix: Rename one of them: every operationId must be unique in the document.',
      'operation-ids.yaml:32:7  warning  operationId \'delete-order\' is not an identifier (letters, digits and underscores, starting with a letter)',
      '  fix: Rename it, e.g. deleteOrder: Salesforce turns it into an action name.',
      '',
      'operation-ids.yaml: 2 errors, 1 warning',
      '',
    ].join('\n'))
  })

  it('sums up a clean spec with what it holds', async () => {
    const report = await checkSpecFile(fixture('agent-actions.yaml'))
    expect(formatReport({...report, file: 'a.yaml'})).to.equal('a.yaml: 0 errors, 0 warnings (3 operations, 2 Agentforce actions, topic order_management)\n')
  })

  it('can cap the warnings shown and say how many were left out', async () => {
    const paths = Array.from({length: 25}, (_, i) => `  /r${i}:\n    get:\n      operationId: get${i}\n      responses:\n        "200":\n          description: ok\n`).join('')
    const report = await checkSpecText(`openapi: 3.0.3\ninfo:\n  title: t\n  version: "1"\npaths:\n${paths}`, 'many.yaml')
    expect(report.diagnostics).to.have.length(25)
    const text = formatReport(report, {maxWarnings: 20})
    expect(text.match(/ {2}warning {2}/g)).to.have.length(20)
    expect(text).to.contain('many.yaml:7:5  warning  GET /r0 has no description or summary\n')
    expect(text).to.contain('… and 5 more warnings (see them all with: heroku applink:spec:validate many.yaml)\n')
    expect(text.endsWith('many.yaml: 0 errors, 25 warnings (25 operations)\n')).to.equal(true)
  })

  it('gives JSON and YAML positions for the same problem', async () => {
    const yaml = readFileSync(fixture('small.yaml'), 'utf8').replace('operationId: sayHello', 'summary: hi')
    const json = readFileSync(fixture('small.json'), 'utf8').replace('"operationId": "sayHello",', '')
    const [y, j] = [await checkSpecText(yaml, 'a.yaml'), await checkSpecText(json, 'a.json')]
    expect(y.diagnostics.map(d => [d.message, d.line, d.column])).to.deep.equal([['GET /hello has no operationId', 7, 5]])
    expect(j.diagnostics.map(d => [d.message, d.line, d.column])).to.deep.equal([['GET /hello has no operationId', 6, 7]])
  })
})

/**
 * Small hostile specs: YAML alias bombs and deep nesting give one clear diagnostic at once, never a
 * stack overflow, an out-of-memory crash or minutes of work.
 */
import {expect} from 'chai'

import {checkSpecText} from '../../../src/lib/openapi/check.js'
import {PARSE_LIMITS} from '../../../src/lib/openapi/parse.js'
import {aliasBomb, deepJson} from '../../helpers/hostile.js'

const errors = (report: Awaited<ReturnType<typeof checkSpecText>>) => report.diagnostics.filter(d => d.severity === 'error').map(d => [d.line, d.column, d.message])

describe('spec checks: hostile input', () => {
  it('refuses a YAML alias bomb (1 KB, a billion values expanded) at the alias that passes the limit', async () => {
    const report = await checkSpecText(aliasBomb(), 'bomb.yaml')
    expect(report.ok).to.equal(false)
    // x-l5 holds 10 × x-l4 (about 22,000 values each): with what the aliases before it added, its fourth passes 100,000
    expect(errors(report)).to.deep.equal([[9, 27, 'YAML error: expanding the aliases would add more than 100,000 values to the document']])
  })

  it('refuses more aliases to maps or lists than the limit', async () => {
    const text = `openapi: 3.0.3\ninfo: {title: t, version: "1"}\npaths: {}\nx-a: &a {k: v}\nx-b: [${Array.from({length: PARSE_LIMITS.aliases + 1}, () => '*a').join(', ')}]\n`
    expect(errors(await checkSpecText(text, 'many.yaml'))).to.deep.equal([[1, 1, 'YAML error: the document uses more than 1,000 aliases (*name) to maps or lists']])
  })

  it('still checks a spec that uses a few aliases', async () => {
    const text = [
      'openapi: 3.0.3', 'info: {title: Orders, version: "1"}', 'servers: [{url: "https://orders.example.com"}]', 'paths:', '  /orders:',
      '    get:', '      operationId: listOrders', '      description: List orders', '      responses: &ok {"200": {description: OK}}',
      '    post:', '      operationId: addOrder', '      description: Add an order', '      responses: *ok', '',
    ].join('\n')
    const report = await checkSpecText(text, 'aliases.yaml')
    expect(errors(report)).to.deep.equal([])
    expect(report.operations.map(o => o.operationId)).to.deep.equal(['listOrders', 'addOrder'])
  })

  it('refuses a JSON spec nested 100,000 levels deep, at the first level past the limit', async () => {
    expect(errors(await checkSpecText(deepJson(), 'deep.json'))).to.deep.equal([[1, 101, 'the document nests objects and arrays more than 100 levels deep']])
    // cut short too: the syntax checker never sees it
    expect(errors(await checkSpecText('{"a": ' + '['.repeat(100_000), 'deep.json'))).to.deep.equal([[1, 106, 'the document nests objects and arrays more than 100 levels deep']])
  })

  it('accepts JSON exactly at the depth limit (brackets inside strings do not count)', async () => {
    const inner = '['.repeat(PARSE_LIMITS.depth - 1) + '"[[[["' + ']'.repeat(PARSE_LIMITS.depth - 1)
    const report = await checkSpecText(`{"openapi": "3.0.3", "x-deep": ${inner}}`, 'edge.json')
    expect(report.diagnostics.map(d => d.message)).not.to.include('the document nests objects and arrays more than 100 levels deep')
  })

  it('refuses YAML nested 100,000 levels deep, in block and in flow style', async () => {
    expect(errors(await checkSpecText('- '.repeat(100_000) + 'x\n', 'deep.yaml'))).to.deep.equal([[1, 203, 'the document nests objects and arrays more than 100 levels deep']])
    expect(errors(await checkSpecText('['.repeat(100_000), 'deep.yaml'))).to.deep.equal([[1, 101, 'the document nests objects and arrays more than 100 levels deep']])
  })

  it('refuses aliases that nest deeper than the limit once expanded', async () => {
    const chain = ['openapi: 3.0.3', 'x-0: &d0 [end]']
    for (let i = 1; i <= 3; i++) chain.push(`x-${i}: &d${i} ${'['.repeat(40)}*d${i - 1}${']'.repeat(40)}`)
    expect(errors(await checkSpecText(chain.join('\n') + '\n', 'alias-deep.yaml')).map(e => e[2])).to.deep.equal(['YAML error: with its aliases expanded the document nests objects and arrays more than 100 levels deep'])
  })
})

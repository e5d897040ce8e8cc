import {expect} from 'chai'
import fc from 'fast-check'
import {readFileSync} from 'node:fs'

import {checkSpecText} from '../../../src/lib/openapi/check.js'
import type {SpecReport} from '../../../src/lib/openapi/types.js'

const specs = new URL('../../fixtures/specs/', import.meta.url)
const yamlSpec = readFileSync(new URL('agent-actions.yaml', specs), 'utf8')
const jsonSpec = readFileSync(new URL('authorization.json', specs), 'utf8')

/** A report is well formed whatever the input: positions are numbers, every problem says something. */
function expectWellFormed(report: SpecReport, text: string): void {
  const lines = text.split('\n').length
  expect(report.ok).to.equal(!report.diagnostics.some(d => d.severity === 'error'))
  for (const d of report.diagnostics) {
    expect(['error', 'warning']).to.include(d.severity)
    expect(d.message).to.be.a('string').and.not.equal('')
    expect(Number.isInteger(d.line) && d.line >= 0 && d.line <= lines + 1, `line ${d.line} of ${lines}: ${d.message}`).to.equal(true)
    expect(Number.isInteger(d.column) && d.column >= 0, `column ${d.column}`).to.equal(true)
    expect(d.path).to.be.a('string')
  }

  for (const op of report.operations) expect(op.method).to.match(/^[A-Z]+$/)
}

/** Text edits: delete, insert or replace a slice; duplicate, drop or re-indent a line. */
const textEdit = (text: string) => fc.oneof(
  fc.record({at: fc.nat(text.length), kind: fc.constant('delete' as const), length: fc.integer({max: 40, min: 1})}),
  fc.record({at: fc.nat(text.length), insert: fc.oneof(fc.string({maxLength: 12}), fc.constantFrom(':', '- ', '{', '}', '[', ']', ',', '"', '\'', '\n', '\t', '  ', '&a ', '*a', '$ref: "#/x"', 'null', '~', '#', '\u0000', '\uFEFF')), kind: fc.constant('insert' as const)}),
  fc.record({kind: fc.constant('line' as const), line: fc.nat(200), op: fc.constantFrom('duplicate', 'drop', 'indent', 'dedent')}),
)

function applyEdit(text: string, edit: {at?: number; insert?: string; kind: string; length?: number; line?: number; op?: string}): string {
  if (edit.kind === 'delete') return text.slice(0, edit.at) + text.slice((edit.at ?? 0) + (edit.length ?? 1))
  if (edit.kind === 'insert') return text.slice(0, edit.at) + edit.insert + text.slice(edit.at)
  const lines = text.split('\n')
  const i = (edit.line ?? 0) % lines.length
  if (edit.op === 'duplicate') lines.splice(i, 0, lines[i])
  else if (edit.op === 'drop') lines.splice(i, 1)
  else if (edit.op === 'indent') lines[i] = '  ' + lines[i]
  else lines[i] = lines[i].replace(/^ {1,2}/, '')
  return lines.join('\n')
}

/** Structural edits: put any JSON value at any path of the parsed document. */
function setAt(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value
  const copy: Record<string, unknown> = doc && typeof doc === 'object' ? (Array.isArray(doc) ? {...doc} : {...doc as Record<string, unknown>}) : {}
  copy[path[0]] = setAt(copy[path[0]], path.slice(1), value)
  return copy
}

const segment = fc.constantFrom('openapi', 'info', 'title', 'paths', '/payslips/{employeeId}', 'get', 'put', 'post', 'parameters', '0', 'responses', '200', 'x-sfdc', 'heroku', 'authorization', 'agent', 'action', 'topic', 'publishAsAgentAction', 'requestBody', 'content', 'application/json', 'schema', '$ref', 'properties', 'components', 'schemas', 'Payslip', 'servers', 'url', 'operationId', 'allOf', 'items')

describe('spec checks: random edits never crash the checker (property)', () => {
  it('survives text edits of a YAML spec', async () => {
    await fc.assert(fc.asyncProperty(fc.array(textEdit(yamlSpec), {maxLength: 4, minLength: 1}), async edits => {
      const text = edits.reduce(applyEdit, yamlSpec)
      expectWellFormed(await checkSpecText(text, 'api-spec.yaml'), text)
    }), {numRuns: 150})
  })

  it('survives text edits of a JSON spec', async () => {
    await fc.assert(fc.asyncProperty(fc.array(textEdit(jsonSpec), {maxLength: 4, minLength: 1}), async edits => {
      const text = edits.reduce(applyEdit, jsonSpec)
      expectWellFormed(await checkSpecText(text, 'api-spec.json'), text)
    }), {numRuns: 150})
  })

  it('survives any value at any place of the document, in JSON and YAML', async () => {
    const base = JSON.parse(jsonSpec)
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.array(segment, {maxLength: 7, minLength: 1}), fc.jsonValue({maxDepth: 3})), {maxLength: 3, minLength: 1}), async changes => {
      const doc = changes.reduce<unknown>((d, [path, value]) => setAt(d, path, value), base)
      const json = JSON.stringify(doc, null, 2) ?? 'null'
      expectWellFormed(await checkSpecText(json, 'api-spec.json'), json)
      const yaml = (await import('yaml')).stringify(doc)
      expectWellFormed(await checkSpecText(yaml, 'api-spec.yaml'), yaml)
    }), {numRuns: 150})
  })
})

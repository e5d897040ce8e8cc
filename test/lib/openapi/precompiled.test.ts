/**
 * The OpenAPI 3.0 schema validator compiled at build time (scripts/gen-openapi-validator.mjs) must
 * answer exactly what `@seriousme/openapi-schema-validator` answers: same verdict, same ajv errors.
 */
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {generateSpec} from '../../../bench/gen-spec.js'

const root = fileURLToPath(new URL('../../..', import.meta.url))

describe('openapi: the precompiled OpenAPI 3.0 schema validator', function () {
  this.timeout(60_000)
  let dir: string
  let compiled: ((doc: unknown) => boolean) & {errors?: unknown[] | null}
  let library: {validate(doc: unknown): Promise<{errors?: unknown; valid: boolean}>}

  before(async () => {
    // inside the repository, so the generated code finds ajv's runtime in node_modules
    mkdirSync(join(root, 'tmp'), {recursive: true})
    dir = mkdtempSync(join(root, 'tmp', 'oas30-'))
    const file = join(dir, 'oas30-validator.cjs')
    execFileSync(process.execPath, [join(root, 'scripts', 'gen-openapi-validator.mjs'), file])
    compiled = createRequire(import.meta.url)(file)
    const {Validator} = await import('@seriousme/openapi-schema-validator')
    library = new Validator({allErrors: true}) as never
  })
  after(() => rmSync(dir, {force: true, recursive: true}))

  const base = () => JSON.parse(generateSpec({format: 'json', operations: 4, targetBytes: 6000}))
  const cases: [string, (doc: any) => void][] = [
    ['a valid spec', () => {}],
    ['info without title', doc => delete doc.info.title],
    ['a response without description', doc => delete Object.values(Object.values(doc.paths)[0] as any).map((op: any) => op.responses)[0]['200'].description],
    ['a parameter in an unknown place', doc => (doc.paths['/x'] = {get: {parameters: [{in: 'body', name: 'p'}], responses: {200: {description: 'ok'}}}})],
    ['a bad server URL type and an extra top-level key', doc => Object.assign(doc, {servers: [{url: 7}], wrong: true})],
    ['a schema with a bad type and a bad email', doc => Object.assign(doc.info, {contact: {email: 'not-an-email'}}) && (doc.components = {schemas: {A: {type: 'strin'}}})],
  ]

  for (const [name, change] of cases) {
    it(`${name}: the same verdict and errors as the library`, async () => {
      const doc = base()
      change(doc)
      const expected = await library.validate(structuredClone(doc))
      const valid = compiled(structuredClone(doc))
      expect(expected.valid, 'the library\'s verdict').to.equal(name === 'a valid spec')
      expect(valid).to.equal(expected.valid)
      if (!expected.valid) expect(compiled.errors).to.deep.equal(expected.errors)
    })
  }

  it('agrees on every spec fixture of the test suite', async () => {
    const jsyaml = (await import('js-yaml')).default
    const folder = join(root, 'test', 'fixtures', 'specs')
    // broken/ included: those are the fixtures the validator finds errors in
    const files = readdirSync(folder, {recursive: true, encoding: 'utf8'}).filter(x => /\.(ya?ml|json)$/.test(x))
    const compared: {errors: string[]; valid: string[]} = {errors: [], valid: []}
    for (const f of files) {
      let doc: unknown
      try {
        doc = jsyaml.load(readFileSync(join(folder, f), 'utf8'))
      } catch {
        continue
      }

      if (!doc || typeof doc !== 'object' || !String((doc as {openapi?: unknown}).openapi ?? '').startsWith('3.0')) continue
      const expected = await library.validate(structuredClone(doc))
      const valid = compiled(structuredClone(doc))
      // a valid document may still fail the library's own $ref check, which ./refs.ts does instead
      if (valid) {
        expect(expected.valid || typeof expected.errors === 'string', f).to.equal(true)
        compared.valid.push(f)
      } else {
        expect(compiled.errors, f).to.deep.equal(expected.errors)
        compared.errors.push(f)
      }
    }

    expect(files.length, 'spec fixtures found, broken/ included').to.be.at.least(17)
    // the others: syntax errors (nothing to validate) and OpenAPI 3.1 / Swagger 2 (not this schema's)
    expect(compared.valid.length + compared.errors.length, 'fixtures compared').to.be.at.least(13)
    expect(compared.valid, 'fixtures both call valid').to.include.members(['small.yaml', 'small.json'])
    expect(compared.errors, 'fixtures both find errors in').to.include.members([join('broken', 'structure.yaml')])
  })
})

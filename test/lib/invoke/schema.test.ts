import {expect} from 'chai'

import {microsecondTime, newRequestId} from '../../../src/lib/invoke/request.js'
import {compileSchema, readablePath} from '../../../src/lib/invoke/schema.js'

const doc = {
  components: {
    schemas: {
      Node: {properties: {children: {items: {$ref: '#/components/schemas/Node'}, type: 'array'}, name: {type: 'string'}}, required: ['name'], type: 'object'},
      Tag: {nullable: true, type: 'string'},
      User: {
        properties: {
          id: {readOnly: true, type: 'string'},
          password: {type: 'string', writeOnly: true},
          score: {exclusiveMaximum: true, maximum: 10, type: 'number'},
          tag: {$ref: '#/components/schemas/Tag'},
          team: {allOf: [{$ref: '#/components/schemas/Node'}], nullable: true},
        },
        required: ['id', 'password'],
        type: 'object',
      },
    },
  },
  openapi: '3.0.3',
}

describe('invoke: OpenAPI 3.0 schemas checked with ajv', () => {
  it('does not require readOnly properties in requests, nor writeOnly ones in responses', async () => {
    const request = await compileSchema(doc, '/components/schemas/User', 'request')
    const response = await compileSchema(doc, '/components/schemas/User', 'response')
    expect(request({password: 'x'})).to.deep.equal([])
    expect(request({})).to.deep.equal([{message: 'is required but missing', path: 'password'}])
    expect(response({id: '1'})).to.deep.equal([])
    expect(response({})).to.deep.equal([{message: 'is required but missing', path: 'id'}])
  })

  it('reads nullable (also around allOf) and boolean exclusiveMaximum as OpenAPI 3.0 does', async () => {
    const check = await compileSchema(doc, '/components/schemas/User', 'request')
    expect(check({password: 'x', tag: null, team: null})).to.deep.equal([])
    expect(check({password: 'x', score: 10})).to.deep.equal([{message: 'expected a number < 10, got the integer 10', path: 'score'}])
    expect(check({password: 'x', tag: 3})).to.deep.equal([{message: 'expected a string or null, got the integer 3', path: 'tag'}])
  })

  it('follows recursive references and names nested paths', async () => {
    const check = await compileSchema(doc, '/components/schemas/Node', 'request')
    expect(check({children: [{children: [{}], name: 'b'}, {name: 7}], name: 'a'})).to.deep.equal([
      {message: 'is required but missing', path: 'children[0].children[0].name'},
      {message: 'expected a string, got the integer 7', path: 'children[1].name'},
    ])
  })

  it('writes JSON paths as people read them', () => {
    expect(readablePath('')).to.equal('')
    expect(readablePath('/contact/lastName')).to.equal('contact.lastName')
    expect(readablePath('/items/0/a~1b')).to.equal('items[0]["a/b"]')
    expect(readablePath('/first name')).to.equal('["first name"]')
  })
})

describe('invoke: request ids in Salesforce\'s format', () => {
  it('writes the time in UTC with microseconds', () => {
    expect(microsecondTime(Date.UTC(2024, 8, 3, 20, 56, 27, 608) + 0.444)).to.equal('2024-09-03T20:56:27.608444Z')
    expect(microsecondTime(Date.UTC(2024, 8, 3, 20, 56, 27, 0))).to.equal('2024-09-03T20:56:27.000000Z')
  })

  it('joins the org id, a UUID and the time; the prefix is what x-request-context.id carries', () => {
    const {id, prefix} = newRequestId('00DJS0000000123ABC', Date.UTC(2024, 8, 3, 20, 56, 27, 608) + 0.444, '7c566091-7af3-4e87-8865-4e014444c298')
    expect(id).to.equal('00DJS0000000123ABC-7c566091-7af3-4e87-8865-4e014444c298-2024-09-03T20:56:27.608444Z')
    expect(prefix).to.equal('00DJS0000000123ABC-7c566091-7af3-4e87-8865-4e014444c298')
  })
})

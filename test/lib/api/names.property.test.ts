/**
 * Property-based tests of the name rule (docs/applink-api.md §5): random input never makes the validator
 * throw anything but an invalid-input AppLinkError, every name built from the rule's grammar is
 * accepted, and names that break one rule are rejected for that rule.
 */
import {expect} from 'chai'
import fc from 'fast-check'

import {AppLinkError, ExitCode} from '../../../src/lib/api/errors.js'
import {assertNameOrId} from '../../../src/lib/flows/lookup.js'
import {assertValidName, nameProblem} from '../../../src/lib/api/names.js'

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'
const DIGITS = '0123456789'
const letter = fc.constantFrom(...LETTERS)
const alnum = fc.constantFrom(...LETTERS + DIGITS)

/** The grammar: a letter, then letters/digits with single underscores between them, ending in a letter or digit. */
const grammarName = fc.tuple(letter, fc.array(fc.tuple(fc.boolean(), alnum), {maxLength: 40, minLength: 1}))
.map(([first, rest]) => first + rest.map(([underscore, ch]) => (underscore ? `_${ch}` : ch)).join(''))
.filter(name => name.length >= 3 && name.length <= 30)

/** A reference statement of the rule, to compare the validator with. */
const RULE = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*[A-Za-z0-9]$/
const byRule = (name: string) => name.length >= 3 && name.length <= 30 && RULE.test(name)

/** Strings drawn mostly from the characters that matter, plus anything at all. */
const nearNames = fc.oneof(
  fc.string({maxLength: 35, unit: fc.constantFrom(...LETTERS.slice(0, 6), ...DIGITS.slice(0, 3), '_', '-', ' ', '.', 'é')}),
  fc.string({maxLength: 40}),
  fc.string({maxLength: 40, unit: 'binary'}),
)

function rejection(name: string): AppLinkError {
  try {
    assertValidName('connection name', name)
  } catch (error) {
    expect(error).to.be.instanceOf(AppLinkError)
    return error as AppLinkError
  }

  throw new Error(`${JSON.stringify(name)} was accepted`)
}

describe('name validation (properties)', () => {
  it('never throws anything but an invalid-input error, whatever the string', () => {
    fc.assert(fc.property(fc.oneof(fc.string({unit: 'binary'}), fc.string({unit: 'grapheme'}), nearNames), name => {
      const problem = nameProblem(name)
      expect(problem === undefined || (typeof problem === 'string' && problem.length > 0)).to.equal(true)
      try {
        assertValidName('developer name', name)
        expect(problem).to.equal(undefined)
      } catch (error) {
        expect(error).to.be.instanceOf(AppLinkError)
        const e = error as AppLinkError
        expect(e.id).to.equal('invalid_name')
        expect(e.exitCode).to.equal(ExitCode.INVALID_INPUT)
        expect(e.message).to.equal(`Invalid developer name ${JSON.stringify(name)}: ${problem}.`)
        expect(e.message).not.to.contain('undefined')
      }
    }), {numRuns: 500})
  })

  it('accepts every name built from the grammar', () => {
    fc.assert(fc.property(grammarName, name => {
      expect(nameProblem(name), name).to.equal(undefined)
      assertValidName('API name', name)
      assertNameOrId('connection name', name)
    }), {numRuns: 500})
  })

  it('agrees with a reference statement of the rule on any string', () => {
    fc.assert(fc.property(nearNames, name => {
      expect(nameProblem(name) === undefined, JSON.stringify(name)).to.equal(byRule(name))
    }), {numRuns: 1000})
  })

  describe('rejects names that break one rule, naming that rule', () => {
    it('too short', () => {
      fc.assert(fc.property(fc.string({maxLength: 2, unit: alnum}), name => {
        expect(rejection(name).message).to.match(/; use 3 to 30\.$/)
      }))
    })

    it('too long', () => {
      fc.assert(fc.property(grammarName, grammarName, (a, b) => {
        const name = `${a}${b}`.padEnd(31, 'x')
        expect(rejection(name).message).to.match(/has \d+ characters; use 3 to 30\.$/)
      }))
    })

    it('a character other than letters, digits and underscores', () => {
      const bad = fc.string({maxLength: 1, minLength: 1, unit: 'grapheme'}).filter(c => !/^[\w]$/.test(c) && c.length === 1)
      fc.assert(fc.property(grammarName, bad, fc.nat(), (name, ch, at) => {
        const i = 1 + (at % (name.length - 1))
        const broken = (name.slice(0, i) + ch + name.slice(i)).slice(0, 30)
        expect(rejection(broken).message).to.contain(`it contains ${JSON.stringify(ch)}; use only letters, digits and underscores`)
      }))
    })

    it('not starting with a letter', () => {
      fc.assert(fc.property(grammarName, fc.constantFrom(...DIGITS, '_'), (name, first) => {
        const broken = first + name.slice(0, 29)
        expect(rejection(broken).message).to.match(/it must start with a letter\.$/)
      }))
    })

    it('ending with an underscore', () => {
      fc.assert(fc.property(grammarName, name => {
        expect(rejection(`${name.slice(0, 29)}_`).message).to.match(/it must end with a letter or a digit\.$/)
      }))
    })

    it('two underscores in a row', () => {
      fc.assert(fc.property(grammarName, fc.nat(), (name, at) => {
        const i = 1 + (at % (name.length - 1))
        const broken = (name.slice(0, i) + '__' + name.slice(i)).slice(0, 30)
        fc.pre(/[A-Za-z0-9]$/.test(broken))
        expect(rejection(broken).message).to.match(/two underscores in a row/)
      }))
    })
  })

  it('ids (UUIDs) pass where a name or an id is accepted', () => {
    fc.assert(fc.property(fc.uuid(), id => {
      assertNameOrId('connection name', id)
    }))
  })
})

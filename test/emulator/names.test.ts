/**
 * The plugin (src/lib/api/names.ts) and the emulator (src/emulator/applink/names.ts) each write the
 * contract's name rule (docs/applink-api.md §5) on their own; they must agree on every name below.
 * Each row also says what the contract answers, so a rule wrong on both sides fails too.
 */
import {expect} from 'chai'

import {nameProblem as emulatorProblem, orgTypeLabel as emulatorLabel} from '../../src/emulator/applink/names.js'
import {nameProblem as pluginProblem} from '../../src/lib/api/names.js'
import {orgTypeLabel as pluginLabel} from '../../src/lib/api/types.js'

/** [name, valid by the contract, why] */
const NAMES: [string, boolean, string][] = [
  ['abc', true, 'three characters, the shortest'],
  ['ab', false, 'two characters'],
  ['a', false, 'one character'],
  ['', false, 'empty'],
  ['a'.repeat(30), true, 'thirty characters, the longest'],
  ['a'.repeat(31), false, 'thirty-one characters'],
  [`a${'_b'.repeat(14)}1`, true, 'thirty characters with single underscores'],
  ['my_org_1', true, 'letters, digits, single underscores'],
  ['MyOrg2', true, 'upper case'],
  ['a1b', true, 'a digit inside'],
  ['ab9', true, 'ends with a digit'],
  ['1abc', false, 'starts with a digit'],
  ['_abc', false, 'starts with an underscore'],
  ['abc_', false, 'ends with an underscore'],
  ['ab__c', false, 'two underscores in a row'],
  ['a___b', false, 'three underscores in a row'],
  ['my-org', false, 'a dash'],
  ['my org', false, 'a space'],
  ['my.org', false, 'a dot'],
  ['abc ', false, 'a trailing space'],
  ['abc\n', false, 'a trailing newline'],
  ['café', false, 'a letter outside A–Z'],
  ['Ωmega', false, 'a Greek letter first'],
  ['ab𝟙', false, 'a digit outside 0–9 (and outside the BMP)'],
  ['abc١', false, 'an Arabic-Indic digit'],
  ['ab\u0000c', false, 'a NUL character'],
  ['__proto__', false, 'underscores first and last'],
  ['constructor', true, 'a plain word that is also a property of every object'],
]

describe('name rules: the plugin and the emulator agree', () => {
  for (const [name, valid, why] of NAMES) {
    it(`${JSON.stringify(name)} (${why}) is ${valid ? 'valid' : 'refused'} on both sides`, () => {
      const verdicts = {emulator: emulatorProblem(name) === undefined, plugin: pluginProblem(name) === undefined}
      expect(verdicts).to.deep.equal({emulator: valid, plugin: valid})
    })
  }

  it('a refused name is told why on both sides', () => {
    for (const [name, valid] of NAMES) {
      if (valid) continue
      expect(emulatorProblem(name), name).to.be.a('string').and.not.equal('')
      expect(pluginProblem(name), name).to.be.a('string').and.not.equal('')
    }
  })

  it('org types read the same in the plugin\'s tables and on the dashboard', () => {
    for (const [type, label] of [['SalesforceOrg', 'Salesforce Org'], ['DataCloudOrg', 'Data Cloud Org'], ['DatacloudOrg', 'Data Cloud Org'], ['OtherOrg', 'OtherOrg'], [undefined, '']] as const) {
      expect({emulator: emulatorLabel(type), plugin: pluginLabel(type)}, String(type)).to.deep.equal({emulator: label, plugin: label})
    }
  })
})

/**
 * SOQL evaluation over an org's stored records: the query shapes real AppLink apps send (field
 * lists, parent fields, child subqueries, WHERE, ORDER BY, LIMIT/OFFSET, COUNT(), date literals),
 * checked against the expected records; property tests for comparisons, ordering and the
 * precedence of NOT/AND/OR; and clear MALFORMED_QUERY for what the engine does not evaluate.
 */
import {expect} from 'chai'
import fc from 'fast-check'

import {SfError} from '../../../src/emulator/org/errors.js'
import {idSuffix, newRecordId, normalizeId} from '../../../src/emulator/org/ids.js'
import {createRecord} from '../../../src/emulator/org/records.js'
import {blankOrg} from '../../../src/emulator/org/seed.js'
import {runSoql} from '../../../src/emulator/org/soql.js'
import type {OrgData} from '../../../src/emulator/org/types.js'

const USER = '005000000000001AAA'
/** the date `offset` days from `now`, as SOQL writes a date */
const day = (now: number, offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10)

/** The sample org, every record created at `now` (its CreatedDate) and dated from it. */
function sampleOrg(now: number): {ids: Record<string, string>; org: OrgData} {
  const org = blankOrg('00D000000000001AAA', 'test')
  const ids: Record<string, string> = {}
  const at = new Date(now)
  ids.user = createRecord(org, 'User', {Email: 'ada@acme.example', FirstName: 'Ada', LastName: 'King', Username: 'ada@acme.example'}, USER, at)
  ids.acme = createRecord(org, 'Account', {AnnualRevenue: 2_000_000, Industry: 'Technology', Name: 'Acme', OwnerId: ids.user}, USER, at)
  ids.beta = createRecord(org, 'Account', {AnnualRevenue: 500, Industry: 'Energy', Name: 'beta corp'}, USER, at)
  ids.gamma = createRecord(org, 'Account', {Name: 'Gamma O\'Neil'}, USER, at)
  ids.c1 = createRecord(org, 'Contact', {AccountId: ids.acme, Email: 'zed@acme.example', FirstName: 'Zed', LastName: 'Young'}, USER, at)
  ids.c2 = createRecord(org, 'Contact', {AccountId: ids.acme, LastName: 'Adams'}, USER, at)
  ids.c3 = createRecord(org, 'Contact', {AccountId: ids.beta, Email: 'b@beta.example', LastName: 'Brown'}, USER, at)
  ids.o1 = createRecord(org, 'Opportunity', {AccountId: ids.acme, Amount: 50_000, CloseDate: day(now, -3), Name: 'Big', StageName: 'Prospecting'}, USER, at)
  ids.o2 = createRecord(org, 'Opportunity', {AccountId: ids.beta, CloseDate: day(now, -30), Name: 'Lost one', StageName: 'Closed Lost'}, USER, at)
  ids.o3 = createRecord(org, 'Opportunity', {AccountId: ids.acme, Amount: 9000, CloseDate: day(now, 10), Name: 'Small', StageName: 'Closed Won'}, USER, at)
  ids.case1 = createRecord(org, 'Case', {AccountId: ids.acme, ContactId: ids.c1, Status: 'New', Subject: 'Broken'}, USER, at)
  ids.case2 = createRecord(org, 'Case', {AccountId: ids.beta, Status: 'Closed', Subject: 'Done'}, USER, at)
  return {ids, org}
}

const names = (org: OrgData, soql: string, field = 'Name') => runSoql(org, soql, '62.0').records.map(r => r[field])

function refusal(org: OrgData, soql: string): SfError {
  try {
    runSoql(org, soql, '62.0')
  } catch (error) {
    if (error instanceof SfError) return error
    throw error
  }

  throw new Error(`expected ${soql} to be refused`)
}

describe('emulated org: SOQL', () => {
  // seeded when the tests run, not when the file loads; date literals are evaluated at the same NOW
  let NOW: number
  let ids: Record<string, string>
  let org: OrgData
  before(() => {
    NOW = Date.now()
    ;({ids, org} = sampleOrg(NOW))
  })

  it('answers the queries of the reference apps', () => {
    expect(runSoql(org, 'SELECT Id, Name, Owner.Name FROM Account ORDER BY Name LIMIT 10', '62.0').records).to.deep.equal([
      {Id: ids.acme, Name: 'Acme', Owner: {Name: 'Ada King', attributes: {type: 'User', url: `/services/data/v62.0/sobjects/User/${ids.user}`}}, attributes: {type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.acme}`}},
      {Id: ids.beta, Name: 'beta corp', Owner: {Name: null, attributes: {type: 'User', url: `/services/data/v62.0/sobjects/User/${USER}`}}, attributes: {type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.beta}`}},
      {Id: ids.gamma, Name: 'Gamma O\'Neil', Owner: {Name: null, attributes: {type: 'User', url: `/services/data/v62.0/sobjects/User/${USER}`}}, attributes: {type: 'Account', url: `/services/data/v62.0/sobjects/Account/${ids.gamma}`}},
    ].map(r => (r.Owner.Name === null ? {...r, Owner: null} : r)))
    const withContacts = runSoql(org, 'SELECT Name, (SELECT LastName FROM Contacts ORDER BY LastName) FROM Account WHERE Name != \'Gamma O\\\'Neil\' ORDER BY Name', '62.0').records
    expect(withContacts.map(r => [r.Name, (r.Contacts as any)?.records.map((c: any) => c.LastName), (r.Contacts as any)?.totalSize])).to.deep.equal([['Acme', ['Adams', 'Young'], 2], ['beta corp', ['Brown'], 1]])
    expect(runSoql(org, 'SELECT Name, (SELECT LastName FROM Contacts) FROM Account WHERE Name LIKE \'Gamma%\'', '62.0').records[0].Contacts).to.equal(null)
    expect(names(org, 'SELECT Name, Amount, StageName FROM Opportunity WHERE StageName != \'Closed Lost\' AND Amount > 1000 ORDER BY Amount DESC NULLS LAST')).to.deep.equal(['Big', 'Small'])
    expect(names(org, 'SELECT Id, Subject FROM Case WHERE Status IN (\'New\', \'Working\') AND CreatedDate = LAST_N_DAYS:7', 'Subject')).to.deep.equal(['Broken'])
    expect(runSoql(org, 'SELECT COUNT() FROM Contact WHERE Email = null', '62.0')).to.deep.equal({records: [], totalSize: 1})
    // a null is not < 1000, so NOT keeps it
    expect(names(org, 'SELECT Name FROM Account WHERE IsDeleted = false AND (Industry = \'Technology\' OR NOT AnnualRevenue < 1000)')).to.deep.equal(['Acme', 'Gamma O\'Neil'])
    expect(names(org, 'SELECT LastName, Account.Name FROM Contact WHERE Account.Industry = \'Technology\' ORDER BY LastName', 'LastName')).to.deep.equal(['Adams', 'Young'])
    expect(names(org, 'SELECT Subject, Contact.Account.Name FROM Case WHERE Contact.Email LIKE \'%@acme.example\'', 'Subject')).to.deep.equal(['Broken'])
  })

  it('compares text case-insensitively, ids in 15 or 18 characters, and the object\'s own name as a prefix', () => {
    expect(names(org, 'SELECT Name FROM Account WHERE Name = \'ACME\'')).to.deep.equal(['Acme'])
    expect(names(org, 'SELECT Name FROM Account WHERE Name LIKE \'BETA%\'')).to.deep.equal(['beta corp'])
    expect(names(org, `SELECT Name FROM Account WHERE Id = '${ids.acme.slice(0, 15)}'`)).to.deep.equal(['Acme'])
    expect(names(org, 'SELECT Account.Name FROM Account WHERE Account.Name = \'Acme\'')).to.deep.equal(['Acme'])
    expect(names(org, `SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE LastName = 'Brown')`)).to.deep.equal(['beta corp'])
    expect(names(org, 'SELECT Name FROM Account WHERE Industry != \'Energy\' ORDER BY Name')).to.deep.equal(['Acme', 'Gamma O\'Neil'])
    expect(names(org, 'SELECT Name FROM Account WHERE Industry NOT IN (\'Energy\') ORDER BY Name')).to.deep.equal(['Acme', 'Gamma O\'Neil'])
  })

  it('orders with NULLS FIRST / LAST and pages with LIMIT and OFFSET', () => {
    expect(names(org, 'SELECT Name FROM Opportunity ORDER BY Amount')).to.deep.equal(['Lost one', 'Small', 'Big'])
    expect(names(org, 'SELECT Name FROM Opportunity ORDER BY Amount NULLS LAST')).to.deep.equal(['Small', 'Big', 'Lost one'])
    expect(names(org, 'SELECT Name FROM Opportunity ORDER BY Amount DESC')).to.deep.equal(['Big', 'Small', 'Lost one'])
    expect(names(org, 'SELECT Name FROM Opportunity ORDER BY Amount DESC NULLS FIRST LIMIT 2')).to.deep.equal(['Lost one', 'Big'])
    expect(names(org, 'SELECT Name FROM Opportunity ORDER BY Name LIMIT 1 OFFSET 1')).to.deep.equal(['Lost one'])
    expect(names(org, 'SELECT Name FROM Account ORDER BY Owner.Name NULLS LAST, Name DESC')).to.deep.equal(['Acme', 'Gamma O\'Neil', 'beta corp'])
  })

  it('evaluates date literals and dates', () => {
    const named = (soql: string) => runSoql(org, soql, '62.0', NOW).records.map(r => r.Name)
    expect(named('SELECT Name FROM Opportunity WHERE CloseDate = LAST_N_DAYS:7')).to.deep.equal(['Big'])
    expect(named('SELECT Name FROM Opportunity WHERE CloseDate < LAST_N_DAYS:7')).to.deep.equal(['Lost one'])
    expect(named('SELECT Name FROM Opportunity WHERE CloseDate = NEXT_N_DAYS:30')).to.deep.equal(['Small'])
    expect(named(`SELECT Name FROM Opportunity WHERE CloseDate >= ${day(NOW, 0)} ORDER BY Name`)).to.deep.equal(['Small'])
    expect(runSoql(org, 'SELECT COUNT() FROM Account WHERE CreatedDate = TODAY', '62.0', NOW).totalSize).to.equal(3)
    expect(runSoql(org, 'SELECT COUNT() FROM Account WHERE CreatedDate = YESTERDAY', '62.0', NOW).totalSize).to.equal(0)
    expect(runSoql(org, `SELECT COUNT() FROM Account WHERE CreatedDate > ${new Date(NOW - 3_600_000).toISOString().slice(0, 19)}Z`, '62.0', NOW).totalSize).to.equal(3)
  })

  it('refuses what it does not evaluate with MALFORMED_QUERY naming it, never a wrong answer', () => {
    const cases: Array<[string, string]> = [
      ['SELECT Industry, COUNT(Id) FROM Account GROUP BY Industry', 'GROUP BY is not supported'],
      ['SELECT COUNT(Id) FROM Account', 'COUNT(Id) (aggregate and other functions; only COUNT() is) is not supported'],
      ['SELECT FIELDS(ALL) FROM Account LIMIT 200', 'FIELDS(ALL) (aggregate and other functions; only COUNT() is) is not supported'],
      ['SELECT Id, TYPEOF Owner WHEN User THEN Name END FROM Account', 'TYPEOF is not supported'],
      ['SELECT Name FROM Account WHERE NOT NOT Name = \'x\'', 'NOT directly followed by NOT is not supported'],
      ['SELECT Name FROM Account WHERE NOT (NOT (NOT Name = \'x\'))', 'This nesting of NOT inside parentheses is not supported'],
      ['SELECT Name FROM Opportunity WHERE CloseDate = THIS_QUARTER', 'The date literal THIS_QUARTER is not supported'],
      ['SELECT Name FROM Account FOR UPDATE', 'FOR VIEW / FOR UPDATE is not supported'],
      ['SELECT Name FROM Account a', 'An alias on the FROM object is not supported'],
      ['SELECT Name FROM Account WHERE Name = :bound', 'The query could not be parsed'],
    ]
    for (const [soql, message] of cases) {
      const error = refusal(org, soql)
      expect([error.status, error.errorCode], soql).to.deep.equal([400, 'MALFORMED_QUERY'])
      expect(error.message, soql).to.contain(message)
    }

    expect(refusal(org, 'SELECT Name FROM Account WHERE AnnualRevenue = \'big\'').message).to.equal('value of filter criterion for field \'AnnualRevenue\' must be of type currency and should not be enclosed in quotes')
    expect(refusal(org, 'SELECT Nope__r.Name FROM Account').message).to.contain('Didn\'t understand relationship \'Nope__r\'')
    expect(refusal(org, 'SELECT Id, (SELECT Id FROM Nothings) FROM Account').errorCode).to.equal('INVALID_TYPE')
  })

  it('property: a comparison keeps exactly the records the same comparison in JavaScript keeps', () => {
    fc.assert(fc.property(
      fc.array(fc.option(fc.integer({max: 50, min: -50}), {nil: null}), {maxLength: 25}),
      fc.integer({max: 50, min: -50}),
      fc.constantFrom('=', '!=', '<', '<=', '>', '>='),
      (values, t, op) => {
        const o = blankOrg('00D000000000002AAA', 'prop')
        for (const [i, v] of values.entries()) createRecord(o, 'Account', {Name: `A${i}`, NumberOfEmployees: v}, USER)
        const js = (v: null | number) => {
          if (op === '=') return v === t
          if (op === '!=') return v !== t
          if (v === null) return false
          return op === '<' ? v < t : op === '<=' ? v <= t : op === '>' ? v > t : v >= t
        }

        const expected = values.flatMap((v, i) => (js(v) ? [`A${i}`] : []))
        expect(names(o, `SELECT Name FROM Account WHERE NumberOfEmployees ${op} ${t}`)).to.deep.equal(expected)
      },
    ), {numRuns: 150})
  })

  it('property: ORDER BY with NULLS FIRST/LAST, LIMIT and OFFSET match a stable sort and a slice', () => {
    fc.assert(fc.property(
      fc.array(fc.option(fc.integer({max: 9, min: 0}), {nil: null}), {maxLength: 20}),
      fc.boolean(), fc.option(fc.boolean(), {nil: undefined}), fc.integer({max: 25, min: 1}), fc.integer({max: 25, min: 0}),
      (values, desc, nullsFirst, limit, offset) => {
        const o = blankOrg('00D000000000003AAA', 'prop')
        for (const [i, v] of values.entries()) createRecord(o, 'Account', {Name: `A${String(i).padStart(2, '0')}`, NumberOfEmployees: v}, USER)
        const first = nullsFirst ?? !desc
        const sorted = values.map((v, i) => ({i, v})).sort((a, b) => {
          if (a.v === null && b.v === null) return a.i - b.i
          if (a.v === null) return first ? -1 : 1
          if (b.v === null) return first ? 1 : -1
          return (desc ? b.v - a.v : a.v - b.v) || a.i - b.i
        })
        const expected = sorted.slice(offset, offset + limit).map(x => `A${String(x.i).padStart(2, '0')}`)
        const nulls = nullsFirst === undefined ? '' : nullsFirst ? ' NULLS FIRST' : ' NULLS LAST'
        expect(names(o, `SELECT Name FROM Account ORDER BY NumberOfEmployees ${desc ? 'DESC' : 'ASC'}${nulls} LIMIT ${limit} OFFSET ${offset}`)).to.deep.equal(expected)
      },
    ), {numRuns: 150})
  })

  type Expr = {and: [Expr, Expr]} | {not: Expr} | {or: [Expr, Expr]} | {v: 'X' | 'Y' | 'Z'}
  const expr: fc.Arbitrary<Expr> = fc.letrec<{e: Expr}>(tie => ({
    e: fc.oneof({depthSize: 'small', withCrossShrink: true},
      fc.record({v: fc.constantFrom('X' as const, 'Y' as const, 'Z' as const)}),
      // NOT (NOT (NOT a)) is refused: the parser's tree loses one of them
      fc.record({not: tie('e').filter(x => !('not' in x))}),
      fc.record({and: fc.tuple(tie('e'), tie('e'))}),
      fc.record({or: fc.tuple(tie('e'), tie('e'))})),
  })).e
  const level = (e: Expr) => ('or' in e ? 1 : 'and' in e ? 2 : 3)
  // parentheses only where SOQL's precedence (NOT > AND > OR) needs them
  const render = (e: Expr): string => {
    const wrap = (child: Expr, min: number) => (level(child) < min ? `(${render(child)})` : render(child))
    if ('v' in e) return `${e.v}__c = true`
    if ('not' in e) return 'not' in e.not ? `NOT (${render(e.not)})` : `NOT ${wrap(e.not, 3)}`
    if ('and' in e) return `${wrap(e.and[0], 2)} AND ${wrap(e.and[1], 3)}`
    return `${wrap(e.or[0], 1)} OR ${wrap(e.or[1], 2)}`
  }

  const evaluate = (e: Expr, r: Record<string, boolean>): boolean => ('v' in e ? r[e.v] : 'not' in e ? !evaluate(e.not, r) : 'and' in e ? evaluate(e.and[0], r) && evaluate(e.and[1], r) : evaluate(e.or[0], r) || evaluate(e.or[1], r))

  it('property: NOT, AND and OR follow SOQL precedence, with and without parentheses', () => {
    const o = blankOrg('00D000000000004AAA', 'prop')
    const rows: Array<Record<string, boolean>> = []
    for (let i = 0; i < 8; i++) {
      const r = {X: Boolean(i & 1), Y: Boolean(i & 2), Z: Boolean(i & 4)}
      rows.push(r)
      createRecord(o, 'Flag__c', {Name: `F${i}`, X__c: r.X, Y__c: r.Y, Z__c: r.Z}, USER)
    }

    fc.assert(fc.property(expr, e => {
      const expected = rows.flatMap((r, i) => (evaluate(e, r) ? [`F${i}`] : []))
      const soql = `SELECT Name FROM Flag__c WHERE ${render(e)}`
      let got: unknown[]
      try {
        got = names(o, soql)
      } catch (error) {
        // never a wrong answer: the nestings whose meaning the parser's tree loses are refused instead
        expect(error).to.be.instanceOf(SfError)
        expect((error as SfError).errorCode).to.equal('MALFORMED_QUERY')
        expect((error as SfError).message).to.contain('is not supported')
        expect(soql).to.contain('NOT (NOT')
        return
      }

      expect(got, soql).to.deep.equal(expected)
    }), {numRuns: 300})
  })

  it('property: ids are 18 characters whose suffix encodes the case of the first 15', () => {
    fc.assert(fc.property(fc.constantFrom('001', '003', '006', '500', '00Q', '005', '00D'), fc.string(), (prefix, seed) => {
      const id = newRecordId(prefix, seed)
      expect(id).to.have.length(18)
      expect(id.startsWith(prefix)).to.equal(true)
      expect(normalizeId(id)).to.equal(id)
      expect(normalizeId(id.slice(0, 15))).to.equal(id)
      expect(id.slice(15)).to.equal(idSuffix(id.slice(0, 15)))
      const i = id.slice(3, 15).search(/[a-zA-Z]/)
      if (i >= 0) {
        const flipped = id.slice(0, 3 + i) + (id[3 + i] === id[3 + i].toUpperCase() ? id[3 + i].toLowerCase() : id[3 + i].toUpperCase()) + id.slice(4 + i)
        expect(normalizeId(flipped)).to.equal(undefined)
      }
    }))
  })
})

/** Data Cloud SQL over ingested rows: the supported subset, SQL's null logic, and clear refusals. */
import {expect} from 'chai'

import {SfError} from '../../../src/emulator/org/errors.js'
import {runSql} from '../../../src/emulator/org/sql.js'

const tables = {
  Purchase__dll: [
    {amount: 10, city: 'Paris', id: 'p1'},
    {amount: 25, city: 'Oslo', id: 'p2'},
    {amount: null, city: 'Paris', id: 'p3'},
    {amount: 40, city: null, id: 'p4'},
    {amount: 5, city: 'Lima', id: 'p5'},
  ],
}

const ids = (sql: string) => runSql(sql, tables).rows.map(r => r[0])

function refused(sql: string): string {
  try {
    runSql(sql, tables)
  } catch (error) {
    expect(error).to.be.instanceOf(SfError)
    expect((error as SfError).errorCode).to.equal('INVALID_ARGUMENT')
    return (error as SfError).message
  }

  throw new Error(`expected ${sql} to be refused`)
}

describe('emulated org: Data Cloud SQL', () => {
  it('selects columns with aliases and *, in column order', () => {
    expect(runSql('SELECT id AS "key", amount FROM Purchase__dll LIMIT 2', tables)).to.deep.equal({columns: ['key', 'amount'], rows: [['p1', 10], ['p2', 25]]})
    expect(runSql('SELECT * FROM purchase__dll WHERE id = \'p5\'', tables)).to.deep.equal({columns: ['amount', 'city', 'id'], rows: [[5, 'Lima', 'p5']]})
  })

  it('names a result column as the query wrote it, quoted or not, and matches names in any case', () => {
    expect(runSql('SELECT ID, "City", Amount AS Total FROM PURCHASE__DLL WHERE Id = \'p2\'', tables)).to.deep.equal({columns: ['ID', 'City', 'Total'], rows: [['p2', 'Oslo', 25]]})
    expect(runSql('SELECT COUNT(*) AS "Purchases" FROM purchase__dll', tables)).to.deep.equal({columns: ['Purchases'], rows: [[5]]})
  })

  it('compares ILIKE and NOT ILIKE case-insensitively', () => {
    expect(ids('SELECT id FROM Purchase__dll WHERE city ILIKE \'p%\'')).to.deep.equal(['p1', 'p3'])
    expect(ids('SELECT id FROM Purchase__dll WHERE city NOT ILIKE \'%A%\'')).to.deep.equal(['p2'])
  })

  it('filters with comparisons, LIKE, IN, BETWEEN, IS NULL, and SQL\'s three-valued NOT', () => {
    expect(ids('SELECT id FROM Purchase__dll WHERE amount > 9 AND amount <= 40')).to.deep.equal(['p1', 'p2', 'p4'])
    expect(ids('SELECT id FROM Purchase__dll WHERE city LIKE \'P%\'')).to.deep.equal(['p1', 'p3'])
    expect(ids('SELECT id FROM Purchase__dll WHERE city IN (\'Oslo\', \'Lima\')')).to.deep.equal(['p2', 'p5'])
    expect(ids('SELECT id FROM Purchase__dll WHERE amount BETWEEN 5 AND 10')).to.deep.equal(['p1', 'p5'])
    expect(ids('SELECT id FROM Purchase__dll WHERE amount IS NULL OR city IS NULL')).to.deep.equal(['p3', 'p4'])
    // a null amount is neither = 10 nor NOT = 10
    expect(ids('SELECT id FROM Purchase__dll WHERE NOT (amount = 10)')).to.deep.equal(['p2', 'p4', 'p5'])
    expect(ids('SELECT id FROM Purchase__dll WHERE city <> \'Paris\'')).to.deep.equal(['p2', 'p5'])
    expect(ids('SELECT id FROM Purchase__dll WHERE city = \'paris\'')).to.deep.equal([])
  })

  it('orders (by column or alias, nulls placed as asked) and pages', () => {
    expect(ids('SELECT id, amount AS a FROM Purchase__dll ORDER BY a DESC NULLS FIRST')).to.deep.equal(['p3', 'p4', 'p2', 'p1', 'p5'])
    expect(ids('SELECT id FROM Purchase__dll ORDER BY amount ASC NULLS LAST LIMIT 2 OFFSET 1')).to.deep.equal(['p1', 'p2'])
    expect(ids('SELECT id FROM Purchase__dll ORDER BY city, id DESC')).to.deep.equal(['p5', 'p2', 'p3', 'p1', 'p4'])
  })

  it('aggregates over the whole result', () => {
    expect(runSql('SELECT COUNT(*) AS n, COUNT(amount) AS c, SUM(amount) AS s, MIN(amount) AS lo, MAX(amount) AS hi, AVG(amount) AS mean FROM Purchase__dll', tables))
    .to.deep.equal({columns: ['n', 'c', 's', 'lo', 'hi', 'mean'], rows: [[5, 4, 80, 5, 40, 20]]})
    expect(runSql('SELECT COUNT(*) FROM Purchase__dll WHERE city = \'Paris\'', tables)).to.deep.equal({columns: ['count'], rows: [[2]]})
  })

  it('refuses what it does not evaluate, naming it', () => {
    expect(refused('SELECT city, COUNT(*) FROM Purchase__dll GROUP BY city')).to.match(/^GROUP BY is not supported/)
    expect(refused('SELECT DISTINCT city FROM Purchase__dll')).to.match(/^DISTINCT is not supported/)
    expect(refused('SELECT a.id FROM Purchase__dll a JOIN Other b ON a.id = b.id')).to.match(/^A query over other than exactly one table/)
    expect(refused('SELECT id FROM Purchase__dll WHERE id IN (SELECT id FROM Purchase__dll)')).to.match(/^IN with a subquery is not supported/)
    expect(refused('DELETE FROM Purchase__dll')).to.match(/^A DELETE statement is not supported/)
    expect(refused('SELECT 1 FROM Purchase__dll; SELECT 2 FROM Purchase__dll')).to.match(/^More than one statement is not supported/)
    expect(refused('SELECT UPPER(city) FROM Purchase__dll')).to.match(/is not supported/)
    expect(refused('SELECT id FROM Nowhere')).to.equal('Table "Nowhere" does not exist in this Data Cloud org: ingest rows with POST /api/v1/ingest/sources/{source}/Nowhere first.')
    expect(refused('SELEKT id')).to.match(/^The SQL could not be parsed/)
  })
})

describe('emulated org: Data Cloud SQL on an empty table', () => {
  it('still refuses an unsupported expression that no row reaches', () => {
    expect(() => runSql('SELECT UPPER(city) FROM Empty', {Empty: []})).to.throw(SfError, 'The function UPPER is not supported')
    expect(() => runSql('SELECT id FROM Empty WHERE id IN (SELECT id FROM Empty)', {Empty: []})).to.throw(SfError, 'IN with a subquery is not supported')
  })
})

/**
 * Salesforce's standard objects in the emulated org: the objects an app touches beyond Accounts and
 * Contacts (price books, line items, quotes, orders, tasks, files, permission sets), their defaults
 * and derived values, restricted picklists, lengths, cascading deletes, polymorphic lookups, and
 * the describe answers jsforce (a dependency of the @heroku/applink SDK) reads.
 */
import {expect} from 'chai'
import {createRequire} from 'node:module'

import type {Emulator} from '../../../src/emulator/server/server.js'
import {provision, removeTempDirs, start} from '../helpers.js'
import {authorize, type AuthorizedOrg, orgCall} from './helpers.js'

// jsforce's own Connection class (its index's getter is empty when the SDK's copy was loaded first)
const {default: Connection} = createRequire(import.meta.url)('jsforce/lib/connection')
const V = '/services/data/v62.0'

describe('emulated org: standard objects and describe', function () {
  this.timeout(120_000)
  let emu: Emulator
  let org: AuthorizedOrg
  before(async () => {
    emu = await start()
    org = await authorize(emu, await provision(emu))
  })
  after(async () => {
    await emu?.close()
    removeTempDirs()
  })

  async function create(type: string, fields: Record<string, unknown>): Promise<string> {
    const r = await orgCall(org, 'POST', `${V}/sobjects/${type}`, fields)
    if (r.status !== 201) throw new Error(`create ${type}: ${r.status} ${r.text}`)
    return r.body.id
  }

  async function query(soql: string): Promise<any[]> {
    const r = await orgCall(org, 'GET', `${V}/query?q=${encodeURIComponent(soql)}`)
    if (r.status !== 200) throw new Error(`query: ${r.status} ${r.text}`)
    return r.body.records
  }

  async function refusal(type: string, fields: Record<string, unknown>, method = 'POST', id = ''): Promise<[number, unknown]> {
    const r = await orgCall(org, method, `${V}/sobjects/${type}${id ? `/${id}` : ''}`, fields)
    return [r.status, r.body]
  }

  it('has a Standard Price Book; products, entries and opportunity line items roll up into Amount', async () => {
    const [book] = await query('SELECT Id, Name, IsStandard, IsActive FROM Pricebook2 WHERE IsStandard = true')
    expect([book.Name, book.IsActive]).to.deep.equal(['Standard Price Book', true])
    const product = await create('Product2', {IsActive: true, Name: 'Widget', ProductCode: 'W-1'})
    const custom = await create('Pricebook2', {IsActive: true, Name: 'Partners'})
    expect(await refusal('PricebookEntry', {IsActive: true, Pricebook2Id: custom, Product2Id: product, UnitPrice: 8})).to.deep.equal([400, [{errorCode: 'STANDARD_PRICE_NOT_DEFINED', fields: [], message: 'No standard price defined for this product'}]])
    const entry = await create('PricebookEntry', {IsActive: true, Pricebook2Id: book.Id, Product2Id: product, UnitPrice: 10})
    expect(await refusal('PricebookEntry', {IsActive: true, Pricebook2Id: book.Id, Product2Id: product, UnitPrice: 11})).to.deep.equal([400, [{errorCode: 'DUPLICATE_VALUE', fields: [], message: 'This price definition already exists in this price book'}]])
    const opp = await create('Opportunity', {CloseDate: '2026-12-31', Name: 'Big deal', StageName: 'Qualification'})
    await create('OpportunityLineItem', {OpportunityId: opp, PricebookEntryId: entry, Quantity: 3, UnitPrice: 9})
    await create('OpportunityLineItem', {OpportunityId: opp, PricebookEntryId: entry, Quantity: 2, TotalPrice: 30})
    const [o] = await query(`SELECT Amount, Probability, ForecastCategoryName, HasOpportunityLineItem, Pricebook2Id, (SELECT Name, ListPrice, UnitPrice, TotalPrice, ProductCode FROM OpportunityLineItems ORDER BY TotalPrice) FROM Opportunity WHERE Id = '${opp}'`)
    expect([o.Amount, o.Probability, o.ForecastCategoryName, o.HasOpportunityLineItem, o.Pricebook2Id]).to.deep.equal([57, 10, 'Pipeline', true, book.Id])
    expect(o.OpportunityLineItems.records.map((l: any) => [l.Name, l.ListPrice, l.UnitPrice, l.TotalPrice, l.ProductCode])).to.deep.equal([
      ['Big deal Widget', 10, 9, 27, 'W-1'], ['Big deal Widget', 10, 15, 30, 'W-1'],
    ])
    expect(await refusal('OpportunityLineItem', {OpportunityId: opp, PricebookEntryId: entry, Quantity: 1})).to.deep.equal([400, [{errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: [], message: 'field integrity exception: unknown (must specify either UnitPrice or TotalPrice)'}]])
    // an opportunity line's parent cannot change, as in Salesforce
    const [line] = await query(`SELECT Id FROM OpportunityLineItem WHERE OpportunityId = '${opp}' LIMIT 1`)
    const other = await create('Opportunity', {CloseDate: '2026-12-31', Name: 'Other', StageName: 'Prospecting'})
    expect(await refusal('OpportunityLineItem', {OpportunityId: other}, 'PATCH', line.Id)).to.deep.equal([400, [{errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['OpportunityId'], message: 'Unable to create/update fields: OpportunityId. Please check the security settings of this field and verify that it is read/write for your profile or permission set.'}]])
    // deleting the opportunity deletes its lines
    expect((await orgCall(org, 'DELETE', `${V}/sobjects/Opportunity/${opp}`)).status).to.equal(204)
    expect(await query(`SELECT Id FROM OpportunityLineItem WHERE PricebookEntryId = '${entry}'`)).to.deep.equal([])
  })

  it('takes Probability and the forecast category from the stage, on create and when the stage changes', async () => {
    const id = await create('Opportunity', {CloseDate: '2026-12-31', Name: 'Stages', StageName: 'Proposal/Price Quote'})
    const read = async () => (await orgCall(org, 'GET', `${V}/sobjects/Opportunity/${id}?fields=Probability,ForecastCategoryName,IsClosed,IsWon`)).body
    expect(await read()).to.include({ForecastCategoryName: 'Pipeline', IsClosed: false, IsWon: false, Probability: 75})
    await orgCall(org, 'PATCH', `${V}/sobjects/Opportunity/${id}`, {StageName: 'Closed Won'})
    expect(await read()).to.include({ForecastCategoryName: 'Closed', IsClosed: true, IsWon: true, Probability: 100})
    await orgCall(org, 'PATCH', `${V}/sobjects/Opportunity/${id}`, {Probability: 35, StageName: 'Negotiation/Review'})
    expect(await read()).to.include({ForecastCategoryName: 'Pipeline', Probability: 35})
  })

  it('gives Case, Lead, Task and Order their defaults; Case.ParentId and Case.CaseComments work', async () => {
    const parent = await create('Case', {Subject: 'Parent'})
    const child = await create('Case', {ParentId: parent, Subject: 'Child'})
    await create('CaseComment', {CommentBody: 'First look', ParentId: parent})
    const [c] = await query(`SELECT Status, Priority, Origin, IsClosed, CaseNumber, (SELECT Subject FROM Cases), (SELECT CommentBody FROM CaseComments) FROM Case WHERE Id = '${parent}'`)
    expect([c.Status, c.Priority, c.Origin, c.IsClosed, c.CaseNumber.length]).to.deep.equal(['New', 'Medium', null, false, 8])
    expect(c.Cases.records.map((r: any) => r.Subject)).to.deep.equal(['Child'])
    expect(c.CaseComments.records.map((r: any) => r.CommentBody)).to.deep.equal(['First look'])
    expect((await query(`SELECT Parent.Subject FROM Case WHERE Id = '${child}'`))[0].Parent.Subject).to.equal('Parent')
    const lead = await create('Lead', {Company: 'Initrode', LastName: 'Waddams'})
    expect((await query(`SELECT Status, IsConverted FROM Lead WHERE Id = '${lead}'`))[0]).to.include({IsConverted: false, Status: 'Open - Not Contacted'})
    const task = await create('Task', {Subject: 'Call', WhoId: lead})
    expect((await query(`SELECT Status, Priority, IsClosed, Who.Name FROM Task WHERE Id = '${task}'`))[0]).to.deep.include({IsClosed: false, Priority: 'Normal', Status: 'Not Started'})
    const account = await create('Account', {Name: 'Orders Inc'})
    const order = await create('Order', {AccountId: account, EffectiveDate: '2026-01-01'})
    expect((await query(`SELECT Status, OrderNumber FROM Order WHERE Id = '${order}'`))[0].Status).to.equal('Draft')
  })

  it('follows polymorphic WhoId / WhatId to the record their id names', async () => {
    const account = await create('Account', {Name: 'Poly Co'})
    const contact = await create('Contact', {AccountId: account, LastName: 'Who'})
    const lead = await create('Lead', {Company: 'Lead Co', FirstName: 'Lee', LastName: 'Lead'})
    await create('Task', {Subject: 'About a contact', WhatId: account, WhoId: contact})
    await create('Task', {Subject: 'About a lead', WhoId: lead})
    await create('Event', {DurationInMinutes: 30, StartDateTime: '2026-05-01T10:00:00Z', Subject: 'Meet', WhatId: account})
    const tasks = await query(`SELECT Subject, Who.Name, What.Name, AccountId FROM Task WHERE Subject LIKE 'About%' ORDER BY Subject`)
    expect(tasks.map(t => [t.Subject, t.Who?.Name ?? null, t.What?.Name ?? null, t.AccountId])).to.deep.equal([
      ['About a contact', 'Who', 'Poly Co', account], ['About a lead', 'Lee Lead', null, null],
    ])
    const [a] = await query(`SELECT (SELECT Subject FROM Tasks), (SELECT Subject FROM Events) FROM Account WHERE Id = '${account}'`)
    expect([a.Tasks.records.map((t: any) => t.Subject), a.Events.records.map((t: any) => t.Subject)]).to.deep.equal([['About a contact'], ['Meet']])
    // a WhoId of another object is the field's MALFORMED_ID
    expect(await refusal('Task', {Subject: 'x', WhoId: account})).to.deep.equal([400, [{errorCode: 'MALFORMED_ID', fields: ['WhoId'], message: `Name ID: id value of incorrect type: ${account}`}]])
    // deleting the account deletes its activities and contacts
    await orgCall(org, 'DELETE', `${V}/sobjects/Account/${account}`)
    expect(await query(`SELECT Subject FROM Task WHERE Subject LIKE 'About%'`)).to.have.length(1)
  })

  it('checks restricted picklists, lengths and e-mail addresses with Salesforce\'s errors', async () => {
    expect(await refusal('User', {Email: 'a@b.example', LastName: 'Z', TimeZoneSidKey: 'Mars/Olympus', Username: 'z@b.example'})).to.deep.equal([400, [{errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['TimeZoneSidKey'], message: 'Time Zone: bad value for restricted picklist field: Mars/Olympus'}]])
    expect(await refusal('Opportunity', {CloseDate: '2026-01-01', ForecastCategoryName: 'Maybe', Name: 'X', StageName: 'Prospecting'})).to.deep.equal([400, [{errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['ForecastCategoryName'], message: 'Forecast Category: bad value for restricted picklist field: Maybe'}]])
    // an unrestricted picklist takes any value, as in a new org
    await create('Case', {Status: 'On Hold'})
    const long = 'x'.repeat(256)
    expect(await refusal('Account', {Name: long})).to.deep.equal([400, [{errorCode: 'STRING_TOO_LONG', fields: ['Name'], message: `Account Name: data value too large: ${long} (max length=255)`}]])
    expect(await refusal('Contact', {Email: 'not-an-address', LastName: 'X'})).to.deep.equal([400, [{errorCode: 'INVALID_EMAIL_ADDRESS', fields: ['Email'], message: 'Email: invalid email address: not-an-address'}]])
    expect(await refusal('Quote', {Name: 'Q'})).to.deep.equal([400, [{errorCode: 'REQUIRED_FIELD_MISSING', fields: ['OpportunityId'], message: 'Required fields are missing: [OpportunityId]'}]])
    expect(await refusal('ContentDocument', {Title: 'x'})).to.deep.equal([400, [{errorCode: 'INVALID_TYPE_FOR_OPERATION', message: 'entity type cannot be inserted: Content Document'}]])
    expect(await refusal('Asset', {Name: 'Loose'})).to.deep.equal([400, [{errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['AccountId', 'ContactId'], message: 'Every asset needs an account, a contact, or both.'}]])
  })

  it('creates a ContentDocument and its link for a new ContentVersion', async () => {
    const account = await create('Account', {Name: 'Files Inc'})
    const version = await create('ContentVersion', {FirstPublishLocationId: account, PathOnClient: 'notes.txt', Title: 'Notes', VersionData: Buffer.from('hello').toString('base64')})
    const [v] = await query(`SELECT ContentDocumentId, FileExtension, FileType, ContentSize, IsLatest, VersionNumber FROM ContentVersion WHERE Id = '${version}'`)
    expect([v.FileExtension, v.FileType, v.ContentSize, v.IsLatest, v.VersionNumber]).to.deep.equal(['txt', 'TXT', 5, true, '1'])
    const links = await query(`SELECT ContentDocument.Title, LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = '${v.ContentDocumentId}'`)
    expect(links.map(l => [l.ContentDocument.Title, l.LinkedEntityId])).to.deep.equal([['Notes', account]])
  })

  it('knows the permission objects as plain sObjects', async () => {
    const [user] = await query(`SELECT Id, Profile.Name, Alias FROM User WHERE Id = '${org.userId}'`)
    expect(user.Profile.Name).to.equal('System Administrator')
    const set = await create('PermissionSet', {Label: 'Invoices', Name: 'Invoices'})
    await create('PermissionSetAssignment', {AssigneeId: org.userId, PermissionSetId: set})
    await create('ObjectPermissions', {ParentId: set, PermissionsRead: true, SobjectType: 'Account'})
    await create('FieldPermissions', {Field: 'Account.Name', ParentId: set, PermissionsRead: true, SobjectType: 'Account'})
    const [s] = await query(`SELECT Name, (SELECT Assignee.Username FROM Assignments), (SELECT SobjectType, PermissionsRead, PermissionsEdit FROM ObjectPerms), (SELECT Field FROM FieldPerms) FROM PermissionSet WHERE Id = '${set}'`)
    expect([s.Assignments.records[0].Assignee.Username, s.ObjectPerms.records[0], s.FieldPerms.records[0].Field]).to.deep.equal([
      org.username, {attributes: s.ObjectPerms.records[0].attributes, PermissionsEdit: false, PermissionsRead: true, SobjectType: 'Account'}, 'Account.Name',
    ])
    expect(await query('SELECT Id FROM AuthSession')).to.deep.equal([])
  })

  it('answers describeGlobal and describe in Salesforce\'s shape, as jsforce reads them', async () => {
    const conn = new Connection({accessToken: org.accessToken, instanceUrl: org.instanceUrl, version: '62.0'})
    const global = await conn.describeGlobal()
    expect([global.encoding, global.maxBatchSize]).to.deep.equal(['UTF-8', 200])
    const names = global.sobjects.map((s: any) => s.name)
    for (const name of ['Account', 'Case', 'CaseComment', 'Lead', 'OpportunityLineItem', 'Pricebook2', 'PricebookEntry', 'Product2', 'Quote', 'Order', 'OrderItem', 'Task', 'Event', 'ContentVersion', 'PermissionSetAssignment', 'SessionPermSetActivation']) expect(names).to.include(name)
    expect(global.sobjects.find((s: any) => s.name === 'OpportunityLineItem')).to.deep.include({
      createable: true, custom: false, keyPrefix: '00k', label: 'Opportunity Product', queryable: true,
      urls: {describe: `${V}/sobjects/OpportunityLineItem/describe`, rowTemplate: `${V}/sobjects/OpportunityLineItem/{ID}`, sobject: `${V}/sobjects/OpportunityLineItem`},
    })
    const kase = await conn.describe('Case')
    expect([kase.name, kase.keyPrefix, kase.custom, kase.label, kase.labelPlural]).to.deep.equal(['Case', '500', false, 'Case', 'Cases'])
    const field = (name: string) => kase.fields.find((f: any) => f.name === name)
    expect(field('ParentId')).to.deep.include({createable: true, label: 'Parent Case ID', nillable: true, referenceTo: ['Case'], relationshipName: 'Parent', type: 'reference', updateable: true})
    expect(field('Subject')).to.deep.include({length: 255, type: 'string'})
    expect(field('CaseNumber')).to.deep.include({autoNumber: true, createable: false, updateable: false})
    expect(field('Status')).to.deep.include({defaultedOnCreate: true, nillable: false, restrictedPicklist: false, type: 'picklist'})
    expect(field('Status').picklistValues[0]).to.deep.equal({active: true, defaultValue: true, label: 'New', validFor: null, value: 'New'})
    expect(kase.childRelationships.filter((r: any) => ['Cases', 'CaseComments'].includes(r.relationshipName)).map((r: any) => [r.childSObject, r.field, r.relationshipName, r.cascadeDelete])).to.deep.equal([
      ['Case', 'ParentId', 'Cases', false], ['CaseComment', 'ParentId', 'CaseComments', true],
    ])
    const task = await conn.sobject('Task').describe()
    expect(task.fields.find((f: any) => f.name === 'WhoId')).to.deep.include({polymorphicForeignKey: true, referenceTo: ['Contact', 'Lead'], relationshipName: 'Who'})
    const user = await conn.describe('User')
    expect(user.fields.find((f: any) => f.name === 'TimeZoneSidKey')).to.deep.include({label: 'Time Zone', restrictedPicklist: true})
    const account = await conn.describe('Account')
    expect(account.childRelationships.map((r: any) => r.relationshipName)).to.include.members(['Contacts', 'Opportunities', 'Cases', 'ChildAccounts', 'Tasks', 'Orders', 'Contracts', 'Assets'])
    const unknown = await orgCall(org, 'GET', `${V}/sobjects/Nope/describe`)
    expect([unknown.status, unknown.body]).to.deep.equal([404, [{errorCode: 'NOT_FOUND', message: 'The requested resource does not exist'}]])
  })
})

/**
 * --metadata: an SFDX project's custom objects and fields, and `sf sobject describe --json` output,
 * give the emulated org its shape; bad files are refused naming the file, the element and the field.
 */
import {expect} from 'chai'
import {execFile} from 'node:child_process'
import {existsSync, mkdirSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'
import {promisify} from 'node:util'

import {loadMetadata} from '../../../src/emulator/org/metadata.js'
import type {Emulator} from '../../../src/emulator/server/server.js'
import {provision, removeTempDirs, start, tempDir} from '../helpers.js'
import {authorize, type AuthorizedOrg, orgCall} from './helpers.js'

const V = '/services/data/v62.0'
const root = fileURLToPath(new URL('../../..', import.meta.url))

function write(root: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), {recursive: true})
    writeFileSync(join(root, path), text)
  }

  return root
}

const field = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n<CustomField xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}\n</CustomField>\n`
const OBJ = 'force-app/main/default/objects'

function project(extra: Record<string, string> = {}): string {
  return write(tempDir(), {
    'sfdx-project.json': JSON.stringify({packageDirectories: [{default: true, path: 'force-app'}]}),
    [`${OBJ}/Invoice__c/Invoice__c.object-meta.xml`]: '<?xml version="1.0"?>\n<CustomObject xmlns="http://soap.sforce.com/2006/04/metadata"><label>Invoice</label><pluralLabel>Invoices</pluralLabel></CustomObject>',
    [`${OBJ}/Invoice__c/fields/Number__c.field-meta.xml`]: field('<fullName>Number__c</fullName><label>Invoice Number</label><type>Text</type><length>10</length><required>true</required>'),
    [`${OBJ}/Invoice__c/fields/Status__c.field-meta.xml`]: field(`<fullName>Status__c</fullName><label>Status</label><type>Picklist</type>
  <valueSet><restricted>true</restricted><valueSetDefinition>
    <value><fullName>Draft</fullName><default>true</default><label>Draft</label></value>
    <value><fullName>Paid</fullName><default>false</default><label>Paid</label></value>
  </valueSetDefinition></valueSet>`),
    [`${OBJ}/Invoice__c/fields/Account__c.field-meta.xml`]: field('<fullName>Account__c</fullName><label>Account</label><type>MasterDetail</type><referenceTo>Account</referenceTo><relationshipName>Invoices</relationshipName>'),
    [`${OBJ}/Account/fields/Tier__c.field-meta.xml`]: field('<fullName>Tier__c</fullName><label>Tier</label><type>Number</type><precision>3</precision><scale>0</scale>'),
    ...extra,
  })
}

describe('emulated org: --metadata', function () {
  this.timeout(120_000)
  let emu: Emulator | undefined
  let org: AuthorizedOrg
  afterEach(async () => {
    await emu?.close()
    emu = undefined
    removeTempDirs()
  })

  async function setUp(metadata: string[]) {
    emu = await start({metadata})
    org = await authorize(emu, await provision(emu))
  }

  it('enforces the custom objects, fields and picklists of an SFDX project', async () => {
    const describeFile = join(tempDir(), 'Contact.json')
    writeFileSync(describeFile, JSON.stringify({result: {fields: [{name: 'LastName', type: 'string'}, {custom: true, label: 'Loyalty', length: 5, name: 'Loyalty__c', nillable: true, type: 'string'}], name: 'Contact'}, status: 0}))
    await setUp([project(), describeFile])
    const account = (await orgCall(org, 'POST', `${V}/sobjects/Account`, {Name: 'Meta', Tier__c: 2})).body.id
    const created = await orgCall(org, 'POST', `${V}/sobjects/Invoice__c`, {Account__c: account, Name: 'INV', Number__c: 'A-1'})
    expect(created.status).to.equal(201)
    const bad = await orgCall(org, 'POST', `${V}/sobjects/Invoice__c`, {Account__c: account, Number__c: 'A-2', Status__c: 'Lost'})
    expect([bad.status, bad.body]).to.deep.equal([400, [{errorCode: 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', fields: ['Status__c'], message: 'Status: bad value for restricted picklist field: Lost'}]])
    const missing = await orgCall(org, 'POST', `${V}/sobjects/Invoice__c`, {Status__c: 'Paid'})
    expect(missing.body).to.deep.equal([{errorCode: 'REQUIRED_FIELD_MISSING', fields: ['Account__c', 'Number__c'], message: 'Required fields are missing: [Account__c, Number__c]'}])
    const long = await orgCall(org, 'POST', `${V}/sobjects/Contact`, {LastName: 'L', Loyalty__c: 'platinum'})
    expect(long.body).to.deep.equal([{errorCode: 'STRING_TOO_LONG', fields: ['Loyalty__c'], message: 'Loyalty: data value too large: platinum (max length=5)'}])
    const q = await orgCall(org, 'GET', `${V}/query?q=${encodeURIComponent(`SELECT Tier__c, (SELECT Number__c, Status__c FROM Invoices__r) FROM Account WHERE Id = '${account}'`)}`)
    expect(q.body.records[0].Tier__c).to.equal(2)
    expect(q.body.records[0].Invoices__r.records.map((r: any) => [r.Number__c, r.Status__c])).to.deep.equal([['A-1', 'Draft']])
    const d = await orgCall(org, 'GET', `${V}/sobjects/Invoice__c/describe`)
    expect(d.body.fields.find((f: any) => f.name === 'Status__c')).to.deep.include({custom: true, label: 'Status', restrictedPicklist: true, type: 'picklist'})
    // master-detail: deleting the account deletes its invoices
    await orgCall(org, 'DELETE', `${V}/sobjects/Account/${account}`)
    const left = await orgCall(org, 'GET', `${V}/query?q=${encodeURIComponent('SELECT Id FROM Invoice__c')}`)
    expect(left.body.totalSize).to.equal(0)
  })

  it('lets the REST API write what a seed file named, and nothing it did not', async () => {
    const seed = join(tempDir(), 'seed.json')
    writeFileSync(seed, JSON.stringify({objects: {Gadget__c: [{Color__c: 'red', Name: 'G1'}]}}))
    emu = await start({orgData: seed})
    org = await authorize(emu, await provision(emu))
    expect((await orgCall(org, 'POST', `${V}/sobjects/Gadget__c`, {Color__c: 'blue', Name: 'G2'})).status).to.equal(201)
    const bad = await orgCall(org, 'POST', `${V}/sobjects/Gadget__c`, {Name: 'G3', Size__c: 3})
    expect([bad.status, bad.body]).to.deep.equal([400, [{errorCode: 'INVALID_FIELD', message: 'No such column \'Size__c\' on sobject of type Gadget__c'}]])
  })

  it('refuses a file that does not parse or breaks a type, naming the file, the element and the field, before the store is touched', async () => {
    const cases: Array<[Record<string, string>, string, string]> = [
      [{[`${OBJ}/Invoice__c/fields/Due__c.field-meta.xml`]: field('<fullName>Due__c</fullName><type>Dat</type>')}, `${OBJ}/Invoice__c/fields/Due__c.field-meta.xml`, ': <CustomField> of Invoice__c, field Due__c, element <type>: unknown field type "Dat"'],
      [{[`${OBJ}/Invoice__c/fields/Due__c.field-meta.xml`]: field('<fullName>Due__c</fullName><type>Date</type></label>')}, `${OBJ}/Invoice__c/fields/Due__c.field-meta.xml`, ": line 3: not well-formed XML (Expected closing tag 'CustomField' (opened in line 2, col 1) instead of closing tag 'label')"],
      [{[`${OBJ}/Invoice__c/fields/Code__c.field-meta.xml`]: field('<fullName>Code__c</fullName><type>Text</type><length>ten</length>')}, `${OBJ}/Invoice__c/fields/Code__c.field-meta.xml`, ': <CustomField> of Invoice__c, field Code__c, element <length>: must be a positive whole number, not "ten"'],
    ]
    for (const [extra, file, message] of cases) {
      const root = project(extra)
      expect(() => loadMetadata([root])).to.throw(`The metadata file ${join(root, file)}${message}`)
      const dataDir = join(tempDir(), 'store')
      const error = await start({dataDir, metadata: [root]}).then(() => undefined, e => e)
      expect([error?.name, existsSync(join(dataDir, 'data.json'))]).to.deep.equal(['SeedError', false])
    }

    // the command (compiled: npm run build first): exit 2, the message on stderr, no store
    const bad = project(cases[0][0])
    const dataDir = join(tempDir(), 'cli-store')
    const result = await promisify(execFile)(process.execPath, [join(root, 'bin/run.js'), 'applink:emulator', '--port', '0', '--data-dir', dataDir, '--metadata', bad], {cwd: root, timeout: 60_000})
      .then(r => ({code: 0, ...r}), (e: any) => ({code: e.code as number, stderr: e.stderr as string, stdout: e.stdout as string}))
    expect([result.code, result.stdout, existsSync(dataDir)]).to.deep.equal([2, '', false])
    expect(result.stderr).to.equal(`Error: The metadata file ${join(bad, cases[0][1])}${cases[0][2]} (known: AutoNumber, Checkbox, Currency, Date, DateTime, Email, Html, LongTextArea, Lookup, MasterDetail, MultiselectPicklist, Number, Percent, Phone, Picklist, Text, TextArea, Url)\n`)
  })
})

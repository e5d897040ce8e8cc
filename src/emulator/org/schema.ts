/**
 * A small schema of the standard objects an AppLink app usually touches (Account, Contact,
 * Opportunity, Case, Lead, User): their fields with types, required fields, parent relationships
 * (`Contact.Account`, `*.Owner`) and child relationships (`Account.Contacts`). Custom objects and
 * custom fields (`__c`) are added to an org's schema by their first write. Names are looked up
 * case-insensitively, as Salesforce does, and answered in their canonical spelling.
 */
import {createHash} from 'node:crypto'

import {invalidType} from './errors.js'
import type {CustomField, OrgData} from './types.js'

export type FieldType = 'boolean' | 'currency' | 'date' | 'datetime' | 'double' | 'email' | 'id' | 'int' | 'percent' | 'phone' | 'picklist' | 'reference' | 'string' | 'textarea' | 'url'

export interface FieldDef {
  /** true for fields the org sets (Id, audit fields, compound Name, auto numbers) */
  computed?: boolean
  name: string
  /** the referenced object, for reference fields */
  references?: string
  /** the parent relationship name (`Account` for `AccountId`) */
  relationshipName?: string
  required?: boolean
  type: FieldType
}

export interface ChildRelationship {
  field: string
  name: string
  object: string
}

export interface ObjectDef {
  children: Map<string, ChildRelationship>
  custom: boolean
  /** lower-case name → field */
  fields: Map<string, FieldDef>
  keyPrefix: string
  name: string
  /** lower-case relationship name → reference field */
  relationships: Map<string, FieldDef>
}

type FieldSpec = [name: string, type: FieldType, extra?: Partial<FieldDef>]

const AUDIT: FieldSpec[] = [
  ['Id', 'id', {computed: true}],
  ['IsDeleted', 'boolean', {computed: true}],
  ['CreatedDate', 'datetime', {computed: true}],
  ['CreatedById', 'reference', {computed: true, references: 'User', relationshipName: 'CreatedBy'}],
  ['LastModifiedDate', 'datetime', {computed: true}],
  ['LastModifiedById', 'reference', {computed: true, references: 'User', relationshipName: 'LastModifiedBy'}],
  ['SystemModstamp', 'datetime', {computed: true}],
]
const OWNER: FieldSpec = ['OwnerId', 'reference', {references: 'User', relationshipName: 'Owner'}]
const ADDRESS = (p: string): FieldSpec[] => [[`${p}Street`, 'textarea'], [`${p}City`, 'string'], [`${p}State`, 'string'], [`${p}PostalCode`, 'string'], [`${p}Country`, 'string']]
const ACCOUNT_REF: FieldSpec = ['AccountId', 'reference', {references: 'Account', relationshipName: 'Account'}]

const STANDARD: Record<string, {fields: FieldSpec[]; keyPrefix: string}> = {
  Account: {
    fields: [['Name', 'string', {required: true}], ['Type', 'picklist'], ['Industry', 'picklist'], ['AnnualRevenue', 'currency'], ['NumberOfEmployees', 'int'],
      ['Phone', 'phone'], ['Website', 'url'], ['Description', 'textarea'], ['AccountNumber', 'string'], ['Rating', 'picklist'],
      ['ParentId', 'reference', {references: 'Account', relationshipName: 'Parent'}], ...ADDRESS('Billing'), ...ADDRESS('Shipping'), OWNER],
    keyPrefix: '001',
  },
  Case: {
    fields: [['CaseNumber', 'string', {computed: true}], ['Subject', 'string'], ['Description', 'textarea'], ['Status', 'picklist'], ['Priority', 'picklist'],
      ['Origin', 'picklist'], ['Type', 'picklist'], ['Reason', 'picklist'], ['IsClosed', 'boolean'], ACCOUNT_REF,
      ['ContactId', 'reference', {references: 'Contact', relationshipName: 'Contact'}], ['SuppliedEmail', 'email'], OWNER],
    keyPrefix: '500',
  },
  Contact: {
    fields: [['FirstName', 'string'], ['LastName', 'string', {required: true}], ['Name', 'string', {computed: true}], ['Salutation', 'picklist'], ['Title', 'string'],
      ['Email', 'email'], ['Phone', 'phone'], ['MobilePhone', 'phone'], ['Department', 'string'], ['Birthdate', 'date'], ['LeadSource', 'picklist'],
      ['Description', 'textarea'], ACCOUNT_REF, ...ADDRESS('Mailing'), OWNER],
    keyPrefix: '003',
  },
  Lead: {
    fields: [['FirstName', 'string'], ['LastName', 'string', {required: true}], ['Name', 'string', {computed: true}], ['Company', 'string', {required: true}],
      ['Title', 'string'], ['Email', 'email'], ['Phone', 'phone'], ['Status', 'picklist'], ['LeadSource', 'picklist'], ['Industry', 'picklist'],
      ['Rating', 'picklist'], ['AnnualRevenue', 'currency'], ['NumberOfEmployees', 'int'], ['IsConverted', 'boolean'], ['Description', 'textarea'], ...ADDRESS(''), OWNER],
    keyPrefix: '00Q',
  },
  Opportunity: {
    fields: [['Name', 'string', {required: true}], ['StageName', 'picklist', {required: true}], ['CloseDate', 'date', {required: true}], ['Amount', 'currency'],
      ['Probability', 'percent'], ['Type', 'picklist'], ['LeadSource', 'picklist'], ['NextStep', 'string'], ['Description', 'textarea'],
      ['IsClosed', 'boolean'], ['IsWon', 'boolean'], ['ForecastCategoryName', 'picklist'], ACCOUNT_REF, OWNER],
    keyPrefix: '006',
  },
  User: {
    fields: [['Username', 'string', {required: true}], ['FirstName', 'string'], ['LastName', 'string', {required: true}], ['Name', 'string', {computed: true}],
      ['Email', 'email', {required: true}], ['Alias', 'string'], ['Title', 'string'], ['Department', 'string'], ['IsActive', 'boolean'],
      ['TimeZoneSidKey', 'picklist'], ['LocaleSidKey', 'picklist'], ['LanguageLocaleKey', 'picklist'], ['EmailEncodingKey', 'picklist'],
      ['ManagerId', 'reference', {references: 'User', relationshipName: 'Manager'}]],
    keyPrefix: '005',
  },
}

/** Child relationship names of the standard objects: parent → [name, child object, field]. */
const CHILDREN: Record<string, Array<[string, string, string]>> = {
  Account: [['Contacts', 'Contact', 'AccountId'], ['Opportunities', 'Opportunity', 'AccountId'], ['Cases', 'Case', 'AccountId'], ['ChildAccounts', 'Account', 'ParentId']],
  Contact: [['Cases', 'Case', 'ContactId']],
}

function buildObject(name: string, keyPrefix: string, specs: FieldSpec[], custom: boolean): ObjectDef {
  const fields = new Map<string, FieldDef>()
  const relationships = new Map<string, FieldDef>()
  for (const [fieldName, type, extra] of [...AUDIT, ...specs]) {
    const def: FieldDef = {name: fieldName, type, ...extra}
    fields.set(fieldName.toLowerCase(), def)
    if (def.relationshipName) relationships.set(def.relationshipName.toLowerCase(), def)
  }

  if (custom) fields.set('name', {name: 'Name', type: 'string'})
  const children = new Map<string, ChildRelationship>()
  for (const [rel, object, field] of CHILDREN[name] ?? []) children.set(rel.toLowerCase(), {field, name: rel, object})
  return {children, custom, fields, keyPrefix, name, relationships}
}

const STANDARD_OBJECTS = new Map(Object.entries(STANDARD).map(([name, s]) => [name.toLowerCase(), buildObject(name, s.keyPrefix, s.fields, false)]))

export const STANDARD_OBJECT_NAMES = Object.keys(STANDARD)

const CUSTOM_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*__c$/

/** True when `name` is a valid custom object or field API name (`Something__c`). */
export function isCustomName(name: string): boolean {
  return CUSTOM_NAME.test(name) && name.length <= 43
}

/** The key prefix of a custom object: `a0` and one more character derived from its name. */
export function customKeyPrefix(org: OrgData, name: string): string {
  const used = new Set(Object.values(org.custom_objects))
  const hash = createHash('sha256').update(name.toLowerCase()).digest()
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  for (let i = 0; i < hash.length; i++) {
    const prefix = `a${chars[hash[i] % 10]}${chars[hash[(i + 1) % hash.length] % 36]}`
    if (!used.has(prefix)) return prefix
  }

  throw new Error('no free key prefix')
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined
}

/**
 * The schema of an object in this org: a standard object, or a custom one created by a write (with
 * the custom fields writes have added). Undefined when the org has no such object.
 */
export function describe(org: OrgData, name: string): ObjectDef | undefined {
  const lower = name.toLowerCase()
  let def = STANDARD_OBJECTS.get(lower)
  if (!def) {
    const canonical = Object.keys(org.custom_objects).find(k => k.toLowerCase() === lower)
    if (!canonical) return undefined
    def = buildObject(canonical, org.custom_objects[canonical], [], true)
  } else {
    def = {...def, fields: new Map(def.fields), relationships: new Map(def.relationships)}
  }

  const custom = own(org.custom_fields, def.name) ?? {}
  for (const [fieldName, f] of Object.entries(custom)) addCustomField(def, fieldName, f)
  return def
}

function addCustomField(def: ObjectDef, fieldName: string, f: CustomField): void {
  const field: FieldDef = {name: fieldName, type: f.type}
  if (f.type === 'reference' && f.references) {
    field.references = f.references
    field.relationshipName = fieldName.replace(/__c$/, '__r')
    def.relationships.set(field.relationshipName.toLowerCase(), field)
  }

  def.fields.set(fieldName.toLowerCase(), field)
}

/** Like describe(), but INVALID_TYPE when the object does not exist. */
export function requireObject(org: OrgData, name: string): ObjectDef {
  const def = describe(org, name)
  if (!def) throw invalidType(name)
  return def
}

/** Child relationships of `parent`, including those of custom reference fields pointing at it. */
export function childRelationship(org: OrgData, parent: ObjectDef, name: string): ChildRelationship | undefined {
  const found = parent.children.get(name.toLowerCase())
  if (found) return found
  // custom lookups: Child__c.Parent__c → relationship "Children__r" is not derivable; accept the child object's plural form `{Child}s__r` or `{Child}__r`
  for (const [object, fields] of Object.entries(org.custom_fields)) {
    for (const [field, f] of Object.entries(fields)) {
      if (f.type !== 'reference' || f.references !== parent.name) continue
      const base = object.replace(/__c$/, '')
      if ([`${base}s__r`, `${base}__r`].some(n => n.toLowerCase() === name.toLowerCase())) return {field, name, object}
    }
  }

  return undefined
}

/**
 * sObject records of an emulated org: create, read, update and delete with Salesforce's checks
 * (unknown fields, read-only fields, required fields, ids and references, value types). Pure
 * functions over an OrgData; they validate completely before they change anything.
 */
import {notFoundError, SfError} from './errors.js'
import {newRecordId, normalizeId} from './ids.js'
import {customKeyPrefix, describe, type FieldDef, isCustomName, type ObjectDef, requireObject, standardObjectOfPrefix} from './schema.js'
import {STAGES} from './standard-objects.js'
import type {CustomField, OrgData, SObjectRecord} from './types.js'
import {isDate, parseDateTime, sfDateTime} from './values.js'

export const API_PATH = (version: string) => `/services/data/v${version}`

/** The records of an object (created empty on first use). */
export function recordsOf(org: OrgData, object: string): SObjectRecord[] {
  if (!Object.hasOwn(org.objects, object)) org.objects[object] = []
  return org.objects[object]
}

/** The object whose key prefix `id` has, or undefined. */
export function objectOfId(org: OrgData, id: string): string | undefined {
  const prefix = id.slice(0, 3)
  return standardObjectOfPrefix(prefix) ?? Object.entries(org.custom_objects).find(([, p]) => p === prefix)?.[0]
}

export function findRecord(org: OrgData, object: string, id: string): SObjectRecord | undefined {
  return Object.hasOwn(org.objects, object) ? org.objects[object].find(r => r.Id === id) : undefined
}

/** A stored record by type and id, or the Salesforce error a real org answers. */
export function requireRecord(org: OrgData, def: ObjectDef, rawId: string): SObjectRecord {
  const id = normalizeId(rawId)
  if (!id || id.slice(0, 3) !== def.keyPrefix) {
    throw new SfError(404, 'NOT_FOUND', `Provided external ID field does not exist or is not accessible: ${rawId}`)
  }

  const record = findRecord(org, def.name, id)
  if (record) return record
  if (Object.hasOwn(org.deleted, id)) throw new SfError(404, 'ENTITY_IS_DELETED', 'entity is deleted')
  throw notFoundError()
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'START_ARRAY'
  if (typeof value === 'object') return 'START_OBJECT'
  if (typeof value === 'string') return 'VALUE_STRING'
  if (typeof value === 'boolean') return value ? 'VALUE_TRUE' : 'VALUE_FALSE'
  return Number.isInteger(value) ? 'VALUE_NUMBER_INT' : 'VALUE_NUMBER_FLOAT'
}

function parserError(field: FieldDef, value: unknown, type: string): SfError {
  return new SfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize instance of ${type} from ${jsonKind(value)} value ${JSON.stringify(value)} or request may be missing a required field at [field ${field.name}]`)
}

/** A value checked and converted for a field, as the org stores it. */
function coerce(org: OrgData, field: FieldDef, value: unknown): unknown {
  if (value === null) return null
  switch (field.type) {
    case 'boolean': {
      if (typeof value !== 'boolean') throw parserError(field, value, 'boolean')
      return value
    }

    case 'currency':
    case 'double':
    case 'int':
    case 'percent': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value
      if (typeof n !== 'number' || !Number.isFinite(n)) throw parserError(field, value, field.type === 'int' ? 'int' : 'double')
      if (field.type === 'int' && !Number.isInteger(n)) throw parserError(field, value, 'int')
      return n
    }

    case 'date': {
      if (typeof value !== 'string' || !isDate(value.slice(0, 10)) || (value.length > 10 && parseDateTime(value) === undefined)) {
        throw new SfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize value of type date from ${JSON.stringify(value)}: expected format "yyyy-MM-dd" at [field ${field.name}]`)
      }

      return value.slice(0, 10)
    }

    case 'datetime': {
      const t = typeof value === 'string' ? parseDateTime(value) ?? (isDate(value) ? Date.parse(`${value}T00:00:00Z`) : undefined) : undefined
      if (t === undefined) throw new SfError(400, 'JSON_PARSER_ERROR', `Cannot deserialize value of type datetime from ${JSON.stringify(value)}: expected an ISO 8601 date and time at [field ${field.name}]`)
      return sfDateTime(new Date(t))
    }

    case 'reference': {
      const id = normalizeId(value)
      const targets = field.referenceTo ?? [field.references ?? '']
      const target = id === undefined ? undefined : targets.find(t => describe(org, t)?.keyPrefix === id.slice(0, 3))
      if (!id || !target) {
        throw new SfError(400, 'MALFORMED_ID', `${field.label}: id value of incorrect type: ${String(value)}`, [field.name])
      }

      if (!findRecord(org, target, id)) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${id}`, [field.name])
      return id
    }

    default: {
      if (typeof value !== 'number' && typeof value !== 'boolean' && typeof value !== 'string') throw parserError(field, value, 'String')
      return checkText(field, String(value))
    }
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Length, e-mail syntax and restricted picklist values, with Salesforce's errors. */
function checkText(field: FieldDef, text: string): string {
  if (field.length !== undefined && field.type !== 'picklist' && field.type !== 'multipicklist' && text.length > field.length) {
    throw new SfError(400, 'STRING_TOO_LONG', `${field.label}: data value too large: ${text} (max length=${field.length})`, [field.name])
  }

  if (field.type === 'email' && text !== '' && !EMAIL.test(text)) {
    throw new SfError(400, 'INVALID_EMAIL_ADDRESS', `${field.label}: invalid email address: ${text}`, [field.name])
  }

  if (field.picklist?.restricted && text !== '') {
    const chosen = field.type === 'multipicklist' ? text.split(';') : [text]
    const bad = chosen.find(v => !field.picklist!.values.includes(v))
    if (bad !== undefined) throw new SfError(400, 'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST', `${field.label}: bad value for restricted picklist field: ${bad}`, [field.name])
  }

  return text
}

/** The type a custom field gets from its first value. */
function inferCustomField(org: OrgData, value: unknown): CustomField {
  if (typeof value === 'boolean') return {type: 'boolean'}
  if (typeof value === 'number') return {type: 'double'}
  const id = normalizeId(value)
  const references = id === undefined ? undefined : objectOfId(org, id)
  if (id && references && findRecord(org, references, id)) return {references, type: 'reference'}
  return {type: 'string'}
}

interface Prepared {
  newFields: Map<string, CustomField>
  values: Map<string, unknown>
}

/** Checks a create or update body: every key a writable field (custom `__c` fields are added). */
function prepare(org: OrgData, def: ObjectDef, body: unknown, mode: 'create' | 'update', id: string | undefined, invent: boolean): Prepared {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field names and values.')
  }

  const values = new Map<string, unknown>()
  const newFields = new Map<string, CustomField>()
  for (const key of Object.keys(body)) {
    const value = (body as Record<string, unknown>)[key]
    if (key === 'attributes') continue
    let field = def.fields.get(key.toLowerCase())
    if (!field && invent && isCustomName(key) && value !== null && (value === undefined || typeof value !== 'object')) {
      const custom = inferCustomField(org, value)
      newFields.set(key, custom)
      field = {custom: true, label: key.replace(/__c$/, '').replaceAll('_', ' '), name: key, nillable: true, references: custom.references, referenceTo: custom.references ? [custom.references] : undefined, type: custom.type}
    }

    if (!field) throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`)
    if (field.name === 'Id' && mode === 'update') {
      if (normalizeId(value) !== id) throw new SfError(400, 'INVALID_ID_FIELD', `The Id field should not be specified in the sobject data.`)
      continue
    }

    if (field.computed || (mode === 'update' && field.noUpdate)) {
      throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, [field.name])
    }

    values.set(field.name, coerce(org, field, value))
  }

  return {newFields, values}
}

/** What the org derives from a record's own fields after each write. */
function applyComputed(org: OrgData, def: ObjectDef, record: SObjectRecord, changed: Map<string, unknown>): void {
  if (['Contact', 'Lead', 'User'].includes(def.name)) {
    record.Name = [record.FirstName, record.LastName].filter(v => typeof v === 'string' && v !== '').join(' ')
  }

  if (def.name === 'Opportunity' && typeof record.StageName === 'string') {
    record.IsClosed = /^closed/i.test(record.StageName)
    record.IsWon = /^closed won$/i.test(record.StageName)
    const stage = Object.hasOwn(STAGES, record.StageName) ? STAGES[record.StageName] : undefined
    if (stage && changed.has('StageName') && !changed.has('Probability')) record.Probability = stage[0]
    if (stage && changed.has('StageName') && !changed.has('ForecastCategoryName')) record.ForecastCategoryName = stage[1]
    record.ForecastCategory = {'Best Case': 'BestCase', Commit: 'Forecast'}[String(record.ForecastCategoryName)] ?? record.ForecastCategoryName ?? null
    record.ExpectedRevenue = typeof record.Amount === 'number' && typeof record.Probability === 'number' ? record.Amount * record.Probability / 100 : null
  }

  if (def.name === 'Case') {
    const closed = /^closed$/i.test(String(record.Status ?? ''))
    if (closed && !record.IsClosed) record.ClosedDate = record.LastModifiedDate
    if (!closed) record.ClosedDate = null
    record.IsClosed = closed
  }

  if (def.name === 'Task') {
    record.IsClosed = record.Status === 'Completed' || record.Status === 'Deferred'
    record.IsHighPriority = record.Priority === 'High'
  }

  if (def.name === 'Task' || def.name === 'Event') record.AccountId = activityAccount(org, record)
  void org
}

/** The Account a Task or Event belongs to: its WhatId's account, else its Contact's. */
function activityAccount(org: OrgData, record: SObjectRecord): unknown {
  for (const key of ['WhatId', 'WhoId']) {
    const id = record[key]
    if (typeof id !== 'string') continue
    const object = objectOfId(org, id)
    if (object === 'Account') return id
    const parent = object ? findRecord(org, object, id) : undefined
    if (parent && typeof parent.AccountId === 'string') return parent.AccountId
  }

  return null
}

function missingRequired(def: ObjectDef, record: Record<string, unknown>, mode: 'create' | 'update' = 'create'): string[] {
  return [...def.fields.values()].filter(f => (mode === 'create' ? f.required : !f.nillable && !f.computed) && (record[f.name] === undefined || record[f.name] === null || record[f.name] === '')).map(f => f.name)
}

function requiredError(missing: string[]): SfError {
  return new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)
}

function addCustomFields(org: OrgData, object: string, fields: Map<string, CustomField>): void {
  if (fields.size === 0) return
  if (!Object.hasOwn(org.custom_fields, object)) org.custom_fields[object] = {}
  for (const [name, f] of fields) org.custom_fields[object][name] = f
}

/** The defaults a create gets: each field's default value, and what the org derives (`auto`). */
function defaults(org: OrgData, def: ObjectDef, given: Map<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const f of def.fields.values()) {
    if (f.defaultValue === undefined || given.has(f.name)) continue
    if (f.defaultValue !== 'auto') out[f.name] = f.defaultValue
    else if (f.name === 'Alias') out.Alias = String(given.get('FirstName') ?? '').slice(0, 1) + String(given.get('LastName') ?? '').slice(0, 7)
    else if (f.name === 'ProfileId') out.ProfileId = recordsOf(org, 'Profile').find(p => p.Name === 'System Administrator')?.Id ?? null
  }

  return out
}

/** The records every org has: the Standard Price Book and the standard profiles. */
export function ensureStandardRecords(org: OrgData, userId: string, now = new Date()): void {
  const stamp = sfDateTime(now)
  const add = (object: string, fields: Record<string, unknown>) => {
    const def = describe(org, object)!
    const record: SObjectRecord = {Id: newRecordId(def.keyPrefix), IsDeleted: false, ...fields, CreatedById: userId, CreatedDate: stamp, LastModifiedById: userId, LastModifiedDate: stamp, SystemModstamp: stamp}
    recordsOf(org, object).push(record)
  }

  if (!recordsOf(org, 'Pricebook2').some(p => p.IsStandard === true)) {
    add('Pricebook2', {Description: null, IsActive: true, IsArchived: false, IsStandard: true, Name: 'Standard Price Book'})
  }

  for (const name of ['System Administrator', 'Standard User']) {
    if (!recordsOf(org, 'Profile').some(p => p.Name === name)) {
      add('Profile', {Description: null, Name: name, PermissionsApiEnabled: true, PermissionsModifyAllData: name === 'System Administrator', PermissionsViewAllData: name === 'System Administrator', UserType: 'Standard'})
    }
  }
}

/**
 * Resolves an object name for a write: a known object, or a new custom object (`Thing__c`),
 * created on its first record. INVALID_TYPE otherwise.
 */
function objectForWrite(org: OrgData, type: string, invent: boolean): {create: boolean; def: ObjectDef} {
  const def = describe(org, type)
  if (def) return {create: false, def}
  if (!invent || !isCustomName(type)) return {create: false, def: requireObject(org, type)}
  const prefix = customKeyPrefix(org, type)
  org.custom_objects[type] = prefix
  const created = describe(org, type)!
  delete org.custom_objects[type]
  return {create: true, def: created}
}

/**
 * Creates a record; returns its id. With `invent` (seeds, --invent-fields) a custom object or field
 * the body names is created by this write; without it, it is INVALID_TYPE / INVALID_FIELD.
 */
export function createRecord(org: OrgData, type: string, body: unknown, userId: string, now = new Date(), invent = true): string {
  const {create, def} = objectForWrite(org, type, invent)
  if (!def.createable) throw new SfError(400, 'INVALID_TYPE_FOR_OPERATION', `entity type cannot be inserted: ${def.label}`)
  ensureStandardRecords(org, userId, now)
  const {newFields, values} = prepare(org, def, body, 'create', undefined, invent)
  const fields: Record<string, unknown> = defaults(org, def, values)
  for (const [k, v] of values) fields[k] = v
  const missing = missingRequired(def, fields)
  if (missing.length > 0) throw requiredError(missing)
  const related = beforeCreate(org, def, fields)
  if (create) org.custom_objects[def.name] = def.keyPrefix
  addCustomFields(org, def.name, newFields)
  const stamp = sfDateTime(now)
  const id = newRecordId(def.keyPrefix)
  const record: SObjectRecord = {
    Id: id,
    IsDeleted: false,
    ...(def.fields.has('ownerid') ? {OwnerId: userId} : {}),
    ...fields,
    CreatedById: userId,
    CreatedDate: stamp,
    LastModifiedById: userId,
    LastModifiedDate: stamp,
    SystemModstamp: stamp,
  }
  for (const f of def.fields.values()) if (f.autoNumber) record[f.name] = autoNumber(org, def, f.name)
  applyComputed(org, def, record, values)
  recordsOf(org, def.name).push(record)
  related?.(record)
  rollUp(org, def, record)
  return id
}

export function updateRecord(org: OrgData, type: string, rawId: string, body: unknown, userId: string, now = new Date(), invent = true): void {
  const def = requireObject(org, type)
  const record = requireRecord(org, def, rawId)
  const {newFields, values} = prepare(org, def, body, 'update', record.Id, invent)
  const next: Record<string, unknown> = {...record}
  for (const [k, v] of values) next[k] = v
  const missing = missingRequired(def, next, 'update').filter(f => values.has(f))
  if (missing.length > 0) throw requiredError(missing)
  addCustomFields(org, def.name, newFields)
  for (const [k, v] of values) record[k] = v
  const stamp = sfDateTime(now)
  record.LastModifiedById = userId
  record.LastModifiedDate = stamp
  record.SystemModstamp = stamp
  applyComputed(org, def, record, values)
  rollUp(org, def, record)
}

/**
 * Deletes a record, and with it the children of its cascading child relationships (an Account's
 * Contacts, Opportunities and Cases, an Opportunity's line items, …), as Salesforce does; other
 * references to it are cleared.
 */
export function deleteRecord(org: OrgData, type: string, rawId: string): void {
  const def = requireObject(org, type)
  const record = requireRecord(org, def, rawId)
  const gone = new Set<string>()
  cascade(org, def, record, gone)
  for (const [object, list] of Object.entries(org.objects)) {
    const d = describe(org, object)
    if (!d) continue
    const refs = [...d.fields.values()].filter(f => f.type === 'reference' && !f.computed)
    for (const r of list) for (const f of refs) if (typeof r[f.name] === 'string' && gone.has(r[f.name] as string)) r[f.name] = null
  }

  rollUp(org, def, record)
}

function cascade(org: OrgData, def: ObjectDef, record: SObjectRecord, gone: Set<string>): void {
  if (gone.has(record.Id)) return
  gone.add(record.Id)
  remove(org, def.name, record.Id)
  for (const rel of def.children.values()) {
    if (!rel.cascadeDelete) continue
    const childDef = describe(org, rel.object)
    if (!childDef) continue
    for (const child of [...recordsOf(org, rel.object)]) if (child[rel.field] === record.Id) cascade(org, childDef, child, gone)
  }
}

/** The next value of an auto-number field (`00001001` for the first Case, as a new org numbers them). */
function autoNumber(org: OrgData, def: ObjectDef, field: string): string {
  const start = def.name === 'Case' ? 1001 : 100
  const used = recordsOf(org, def.name).map(r => Number(r[field])).filter(n => Number.isFinite(n))
  return String(Math.max(start - 1, ...used) + 1).padStart(8, '0')
}

type Fields = Record<string, unknown>

/**
 * The checks and derived values of objects whose records depend on others (price book entries,
 * line items, files, assets). Runs after the required-field check; may return a step to run once
 * the record is stored.
 */
function beforeCreate(org: OrgData, def: ObjectDef, fields: Fields): ((record: SObjectRecord) => void) | undefined {
  const get = (object: string, id: unknown) => (typeof id === 'string' ? findRecord(org, object, id) : undefined)
  switch (def.name) {
    case 'Asset': {
      if (!fields.AccountId && !fields.ContactId) throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'Every asset needs an account, a contact, or both.', ['AccountId', 'ContactId'])
      return undefined
    }

    case 'PricebookEntry': {
      const book = get('Pricebook2', fields.Pricebook2Id)
      const entries = recordsOf(org, 'PricebookEntry').filter(e => e.Product2Id === fields.Product2Id)
      if (entries.some(e => e.Pricebook2Id === fields.Pricebook2Id)) throw new SfError(400, 'DUPLICATE_VALUE', 'This price definition already exists in this price book', [])
      if (book && book.IsStandard !== true) {
        const standard = entries.find(e => get('Pricebook2', e.Pricebook2Id)?.IsStandard === true)
        if (!standard) throw new SfError(400, 'STANDARD_PRICE_NOT_DEFINED', 'No standard price defined for this product', [])
        if (fields.UseStandardPrice === true) fields.UnitPrice = standard.UnitPrice
      }

      const product = get('Product2', fields.Product2Id)
      fields.Name = product?.Name ?? null
      fields.ProductCode = product?.ProductCode ?? null
      return undefined
    }

    case 'OpportunityLineItem':
    case 'OrderItem':
    case 'QuoteLineItem': {
      const parentField = {OpportunityLineItem: 'OpportunityId', OrderItem: 'OrderId', QuoteLineItem: 'QuoteId'}[def.name]
      const parentObject = parentField.replace(/Id$/, '')
      const entry = get('PricebookEntry', fields.PricebookEntryId)
        ?? recordsOf(org, 'PricebookEntry').find(e => e.Product2Id === fields.Product2Id && e.Pricebook2Id === get(parentObject, fields[parentField])?.Pricebook2Id)
      if (!entry) throw requiredError(['PricebookEntryId'])
      const parent = get(parentObject, fields[parentField])
      if (parent && parent.Pricebook2Id && parent.Pricebook2Id !== entry.Pricebook2Id) {
        throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: PricebookEntryId (pricebook entry is in a different pricebook than the one assigned to the parent)', ['PricebookEntryId'])
      }

      if (entry.IsActive !== true) throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: PricebookEntryId (pricebook entry is inactive)', ['PricebookEntryId'])
      fields.PricebookEntryId = entry.Id
      fields.Product2Id = entry.Product2Id
      fields.ListPrice = entry.UnitPrice
      const quantity = Number(fields.Quantity)
      if (def.name === 'OpportunityLineItem') {
        if (fields.UnitPrice === undefined && fields.TotalPrice === undefined) {
          throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: unknown (must specify either UnitPrice or TotalPrice)', [])
        }

        if (fields.UnitPrice !== undefined && fields.TotalPrice !== undefined) {
          throw new SfError(400, 'FIELD_INTEGRITY_EXCEPTION', 'field integrity exception: TotalPrice (cannot specify both unit price and total price)', ['TotalPrice'])
        }

        fields.ProductCode = get('Product2', entry.Product2Id)?.ProductCode ?? null
        fields.Name = `${String(parent?.Name ?? '')} ${String(get('Product2', entry.Product2Id)?.Name ?? '')}`.trim()
        if (fields.UnitPrice === undefined) fields.UnitPrice = Number(fields.TotalPrice) / quantity
      }

      if (def.name !== 'OpportunityLineItem' || fields.TotalPrice === undefined) fields.TotalPrice = Number(fields.UnitPrice) * quantity
      if (def.name === 'QuoteLineItem') fields.Subtotal = fields.TotalPrice
      return () => {
        if (parent && !parent.Pricebook2Id) parent.Pricebook2Id = entry.Pricebook2Id
      }
    }

    case 'ContentVersion': {
      const data = typeof fields.VersionData === 'string' ? fields.VersionData : ''
      const extension = /\.([A-Za-z0-9]+)$/.exec(String(fields.PathOnClient ?? ''))?.[1]?.toLowerCase() ?? null
      fields.ContentSize = Buffer.from(data, 'base64').length
      fields.FileExtension = extension
      fields.FileType = extension ? extension.toUpperCase() : 'UNKNOWN'
      fields.IsLatest = true
      const doc = get('ContentDocument', fields.ContentDocumentId)
      fields.VersionNumber = String(recordsOf(org, 'ContentVersion').filter(v => doc && v.ContentDocumentId === doc.Id).length + 1)
      return version => {
        const stamp = {CreatedById: version.CreatedById, CreatedDate: version.CreatedDate, LastModifiedById: version.LastModifiedById, LastModifiedDate: version.LastModifiedDate, SystemModstamp: version.SystemModstamp}
        const docFields = {ContentSize: version.ContentSize, FileExtension: version.FileExtension, FileType: version.FileType, LatestPublishedVersionId: version.Id, Title: version.Title}
        if (doc) {
          for (const v of recordsOf(org, 'ContentVersion')) if (v.ContentDocumentId === doc.Id && v.Id !== version.Id) v.IsLatest = false
          Object.assign(doc, docFields, {LastModifiedDate: version.LastModifiedDate, SystemModstamp: version.SystemModstamp})
          return
        }

        const docId = newRecordId(describe(org, 'ContentDocument')!.keyPrefix)
        recordsOf(org, 'ContentDocument').push({Description: version.Description ?? null, Id: docId, IsArchived: false, IsDeleted: false, OwnerId: version.OwnerId, PublishStatus: 'R', ...docFields, ...stamp})
        version.ContentDocumentId = docId
        if (typeof version.FirstPublishLocationId === 'string') {
          const linkId = newRecordId(describe(org, 'ContentDocumentLink')!.keyPrefix)
          recordsOf(org, 'ContentDocumentLink').push({ContentDocumentId: docId, Id: linkId, IsDeleted: false, LinkedEntityId: version.FirstPublishLocationId, ShareType: 'I', Visibility: 'AllUsers', ...stamp})
        }
      }
    }

    case 'Attachment': {
      fields.BodyLength = typeof fields.Body === 'string' ? Buffer.from(fields.Body, 'base64').length : 0
      return undefined
    }

    default: {
      return undefined
    }
  }
}

/** Totals a parent keeps of its children: an Opportunity's Amount from its line items, an Order's and a Quote's totals. */
function rollUp(org: OrgData, def: ObjectDef, record: SObjectRecord): void {
  const sum = (object: string, field: string, id: unknown) => recordsOf(org, object).filter(r => r[field] === id).reduce((t, r) => t + Number(r.TotalPrice ?? 0), 0)
  const touch = (object: string, id: unknown, apply: (parent: SObjectRecord, id: string) => void) => {
    const parent = typeof id === 'string' ? findRecord(org, object, id) : undefined
    if (parent) apply(parent, parent.Id)
  }

  if (def.name === 'OpportunityLineItem') {
    touch('Opportunity', record.OpportunityId, (o, id) => {
      const has = recordsOf(org, 'OpportunityLineItem').some(r => r.OpportunityId === id)
      o.HasOpportunityLineItem = has
      if (has) o.Amount = sum('OpportunityLineItem', 'OpportunityId', id)
      o.ExpectedRevenue = typeof o.Amount === 'number' && typeof o.Probability === 'number' ? o.Amount * o.Probability / 100 : null
    })
  }

  if (def.name === 'OrderItem') touch('Order', record.OrderId, (o, id) => {
    o.TotalAmount = sum('OrderItem', 'OrderId', id)
  })
  if (def.name === 'QuoteLineItem') touch('Quote', record.QuoteId, (q, id) => {
    q.Subtotal = q.TotalPrice = sum('QuoteLineItem', 'QuoteId', id)
    q.GrandTotal = Number(q.TotalPrice) + Number(q.Tax ?? 0) + Number(q.ShippingHandling ?? 0)
  })
}

function remove(org: OrgData, object: string, id: string): void {
  org.objects[object] = recordsOf(org, object).filter(r => r.Id !== id)
  org.deleted[id] = object
}

/** A record as `GET /sobjects/{Type}/{Id}` answers it: attributes, then every field (or `fields`). */
export function recordJson(def: ObjectDef, record: SObjectRecord, version: string, only?: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {attributes: {type: def.name, url: `${API_PATH(version)}/sobjects/${def.name}/${record.Id}`}}
  const names = only ?? [...def.fields.values()].map(f => f.name)
  for (const name of names) {
    const field = def.fields.get(name.toLowerCase())
    if (!field) throw new SfError(400, 'INVALID_FIELD', `No such column '${name}' on entity '${def.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`)
    out[field.name] = record[field.name] ?? null
  }

  return out
}


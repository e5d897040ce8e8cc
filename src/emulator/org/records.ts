/**
 * sObject records of an emulated org: create, read, update and delete with Salesforce's checks
 * (unknown fields, read-only fields, required fields, ids and references, value types). Pure
 * functions over an OrgData; they validate completely before they change anything.
 */
import {notFoundError, SfError} from './errors.js'
import {newRecordId, normalizeId} from './ids.js'
import {customKeyPrefix, describe, type FieldDef, isCustomName, type ObjectDef, requireObject, STANDARD_OBJECT_NAMES} from './schema.js'
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
  for (const name of STANDARD_OBJECT_NAMES) if (describe(org, name)?.keyPrefix === prefix) return name
  return Object.entries(org.custom_objects).find(([, p]) => p === prefix)?.[0]
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
      const target = field.references ?? ''
      const def = describe(org, target)
      if (!id || (def && id.slice(0, 3) !== def.keyPrefix)) {
        throw new SfError(400, 'MALFORMED_ID', `${target} ID: id value of incorrect type: ${String(value)}`, [field.name])
      }

      if (!findRecord(org, target, id)) throw new SfError(400, 'INVALID_CROSS_REFERENCE_KEY', `invalid cross reference id: ${id}`, [field.name])
      return id
    }

    default: {
      if (typeof value === 'number' || typeof value === 'boolean') return String(value)
      if (typeof value !== 'string') throw parserError(field, value, 'String')
      return value
    }
  }
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
function prepare(org: OrgData, def: ObjectDef, body: unknown, mode: 'create' | 'update', id?: string): Prepared {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body must be a JSON object of field names and values.')
  }

  const values = new Map<string, unknown>()
  const newFields = new Map<string, CustomField>()
  for (const key of Object.keys(body)) {
    const value = (body as Record<string, unknown>)[key]
    if (key === 'attributes') continue
    let field = def.fields.get(key.toLowerCase())
    if (!field && isCustomName(key) && value !== null && (value === undefined || typeof value !== 'object')) {
      const custom = inferCustomField(org, value)
      newFields.set(key, custom)
      field = {name: key, references: custom.references, type: custom.type}
    }

    if (!field) throw new SfError(400, 'INVALID_FIELD', `No such column '${key}' on sobject of type ${def.name}`)
    if (field.name === 'Id' && mode === 'update') {
      if (normalizeId(value) !== id) throw new SfError(400, 'INVALID_ID_FIELD', `The Id field should not be specified in the sobject data.`)
      continue
    }

    if (field.computed) {
      throw new SfError(400, 'INVALID_FIELD_FOR_INSERT_UPDATE', `Unable to create/update fields: ${field.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`, [field.name])
    }

    values.set(field.name, coerce(org, field, value))
  }

  return {newFields, values}
}

function applyComputed(org: OrgData, def: ObjectDef, record: SObjectRecord): void {
  if (['Contact', 'Lead', 'User'].includes(def.name)) {
    record.Name = [record.FirstName, record.LastName].filter(v => typeof v === 'string' && v !== '').join(' ')
  }

  if (def.name === 'Opportunity' && typeof record.StageName === 'string') {
    record.IsClosed = /^closed/i.test(record.StageName)
    record.IsWon = /^closed won$/i.test(record.StageName)
  }

  if (def.name === 'Case') record.IsClosed = /^closed$/i.test(String(record.Status ?? ''))
  void org
}

function missingRequired(def: ObjectDef, record: Record<string, unknown>): string[] {
  return [...def.fields.values()].filter(f => f.required && (record[f.name] === undefined || record[f.name] === null || record[f.name] === '')).map(f => f.name)
}

function requiredError(missing: string[]): SfError {
  return new SfError(400, 'REQUIRED_FIELD_MISSING', `Required fields are missing: [${missing.join(', ')}]`, missing)
}

function addCustomFields(org: OrgData, object: string, fields: Map<string, CustomField>): void {
  if (fields.size === 0) return
  if (!Object.hasOwn(org.custom_fields, object)) org.custom_fields[object] = {}
  for (const [name, f] of fields) org.custom_fields[object][name] = f
}

const DEFAULTS: Record<string, Record<string, unknown>> = {
  Account: {},
  Case: {Origin: 'Web', Priority: 'Medium', Status: 'New'},
  Contact: {},
  Lead: {IsConverted: false, Status: 'Open - Not Contacted'},
  Opportunity: {},
  User: {IsActive: true, LanguageLocaleKey: 'en_US', LocaleSidKey: 'en_US', TimeZoneSidKey: 'GMT'},
}

/**
 * Resolves an object name for a write: a known object, or a new custom object (`Thing__c`),
 * created on its first record. INVALID_TYPE otherwise.
 */
function objectForWrite(org: OrgData, type: string): {create: boolean; def: ObjectDef} {
  const def = describe(org, type)
  if (def) return {create: false, def}
  if (!isCustomName(type)) return {create: false, def: requireObject(org, type)}
  const prefix = customKeyPrefix(org, type)
  org.custom_objects[type] = prefix
  const created = describe(org, type)!
  delete org.custom_objects[type]
  return {create: true, def: created}
}

/** Creates a record; returns its id. */
export function createRecord(org: OrgData, type: string, body: unknown, userId: string, now = new Date()): string {
  const {create, def} = objectForWrite(org, type)
  const {newFields, values} = prepare(org, def, body, 'create')
  const fields: Record<string, unknown> = {...DEFAULTS[def.name]}
  for (const [k, v] of values) fields[k] = v
  const missing = missingRequired(def, fields)
  if (missing.length > 0) throw requiredError(missing)
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
  if (def.name === 'Case') record.CaseNumber = String(1001 + recordsOf(org, 'Case').length).padStart(8, '0')
  applyComputed(org, def, record)
  recordsOf(org, def.name).push(record)
  return id
}

export function updateRecord(org: OrgData, type: string, rawId: string, body: unknown, userId: string, now = new Date()): void {
  const def = requireObject(org, type)
  const record = requireRecord(org, def, rawId)
  const {newFields, values} = prepare(org, def, body, 'update', record.Id)
  const next: Record<string, unknown> = {...record}
  for (const [k, v] of values) next[k] = v
  const missing = missingRequired(def, next).filter(f => values.has(f))
  if (missing.length > 0) throw requiredError(missing)
  addCustomFields(org, def.name, newFields)
  for (const [k, v] of values) record[k] = v
  const stamp = sfDateTime(now)
  record.LastModifiedById = userId
  record.LastModifiedDate = stamp
  record.SystemModstamp = stamp
  applyComputed(org, def, record)
}

/** Deletes a record; deleting an Account deletes its Contacts, Opportunities and Cases, as Salesforce does. */
export function deleteRecord(org: OrgData, type: string, rawId: string): void {
  const def = requireObject(org, type)
  const record = requireRecord(org, def, rawId)
  remove(org, def.name, record.Id)
  if (def.name === 'Account') {
    for (const child of ['Contact', 'Opportunity', 'Case']) {
      for (const r of [...recordsOf(org, child)]) if (r.AccountId === record.Id) remove(org, child, r.Id)
    }
  }

  // other references to it are cleared
  for (const [object, list] of Object.entries(org.objects)) {
    const d = describe(org, object)
    if (!d) continue
    const refs = [...d.fields.values()].filter(f => f.type === 'reference' && f.references === def.name && !f.computed)
    for (const r of list) for (const f of refs) if (r[f.name] === record.Id) r[f.name] = null
  }
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


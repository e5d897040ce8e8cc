/**
 * The schema of an emulated org: Salesforce's standard objects (built from the tables of
 * `standard-objects.ts`) with their fields, types, lengths, defaults, picklists, parent
 * relationships (`Contact.Account`, `Task.Who`) and child relationships (`Account.Contacts`), and
 * the custom objects and fields (`__c`) an org gains by writes. Names are looked up
 * case-insensitively, as Salesforce does, and answered in their canonical spelling.
 */
import {createHash} from 'node:crypto'

import {invalidType} from './errors.js'
import {PICKLISTS, STANDARD_OBJECTS} from './standard-objects.js'
import type {CustomField, OrgData} from './types.js'

export type FieldType = 'base64' | 'boolean' | 'combobox' | 'currency' | 'date' | 'datetime' | 'double' | 'email' | 'id' | 'int' | 'multipicklist' | 'percent' | 'phone' | 'picklist' | 'reference' | 'string' | 'textarea' | 'url'

export interface Picklist {
  /** the default value on create, if any */
  defaultValue?: string
  restricted: boolean
  values: string[]
}

export interface FieldDef {
  /** an auto number the org sets on create */
  autoNumber?: boolean
  /** true for fields the org sets (Id, audit fields, compound Name, auto numbers, roll-ups) */
  computed?: boolean
  /** true for custom (`__c`) fields */
  custom?: boolean
  /** the value a create without this field gets (`auto`: the org derives one) */
  defaultValue?: unknown
  label: string
  /** maximum length of text values */
  length?: number
  name: string
  /** false when the field cannot be empty */
  nillable: boolean
  /** createable but not updateable */
  noUpdate?: boolean
  picklist?: Picklist
  /** the referenced object (the first one, for a polymorphic lookup) */
  references?: string
  /** every object a reference may point at (more than one: polymorphic, `Task.WhoId`) */
  referenceTo?: string[]
  /** the parent relationship name (`Account` for `AccountId`) */
  relationshipName?: string
  /** must be given on create (not nillable, no default, not set by the org) */
  required?: boolean
  type: FieldType
}

export interface ChildRelationship {
  /** deleting the parent deletes these children */
  cascadeDelete?: boolean
  field: string
  name: string
  object: string
}

export interface ObjectDef {
  children: Map<string, ChildRelationship>
  /** false for objects the API cannot insert into */
  createable: boolean
  custom: boolean
  /** lower-case name → field */
  fields: Map<string, FieldDef>
  keyPrefix: string
  label: string
  labelPlural: string
  name: string
  /** lower-case relationship name → reference field */
  relationships: Map<string, FieldDef>
}

const AUDIT = `
  Id id ro label=Record_ID
  IsDeleted boolean ro =false label=Deleted
  CreatedDate datetime ro
  CreatedById ref(User) ro rel=CreatedBy
  LastModifiedDate datetime ro
  LastModifiedById ref(User) ro rel=LastModifiedBy
  SystemModstamp datetime ro label=System_Modstamp`

const DEFAULT_LENGTH: Partial<Record<FieldType, number>> = {combobox: 255, email: 80, id: 18, multipicklist: 4099, phone: 40, picklist: 255, reference: 18, string: 255, textarea: 32_000, url: 255}

/** `AccountId` → `Account ID`, `BillingPostalCode` → `Billing Postal Code`. */
function words(name: string): string {
  return name.replace(/Id$/, ' ID').replace(/([a-z0-9])([A-Z])/g, '$1 $2').trim()
}

/** Child relationships found while parsing, by parent object. */
type ChildSpec = ChildRelationship & {parent: string}

/** Parses one field line of a table (see standard-objects.ts). */
function parseField(object: string, line: string, children: ChildSpec[]): FieldDef {
  const [name, typeSpec, ...flags] = line.trim().split(/\s+/)
  const m = /^(\w+)(?:\(([^)]*)\))?$/.exec(typeSpec)
  if (!m) throw new Error(`bad field spec ${object}.${line}`)
  let type = m[1] as FieldType
  const field: FieldDef = {label: words(name), name, nillable: true, type}
  if (type === ('ref' as FieldType)) {
    type = field.type = 'reference'
    field.referenceTo = m[2].split('|')
    field.references = field.referenceTo[0]
    field.relationshipName = name.replace(/Id$/, '')
  } else if (m[2]) {
    field.length = Number(m[2])
  }

  field.length ??= DEFAULT_LENGTH[type]
  let child: string | undefined
  let cascade = false
  for (const flag of flags) {
    if (flag === '!') field.nillable = false
    else if (flag === 'ro') field.computed = true
    else if (flag === 'auto') field.computed = field.autoNumber = true
    else if (flag === 'once') field.noUpdate = true
    else if (flag === 'cascade') cascade = true
    else if (flag === 'restricted') field.picklist = {restricted: true, values: []}
    else if (flag.startsWith('=')) field.defaultValue = parseDefault(type, flag.slice(1))
    else if (flag.startsWith('rel=')) field.relationshipName = flag.slice(4)
    else if (flag.startsWith('child=')) child = flag.slice(6)
    else if (flag.startsWith('label=')) field.label = flag.slice(6).replaceAll('_', ' ')
    else throw new Error(`bad field flag ${object}.${name}: ${flag}`)
  }

  if (type === 'picklist' || type === 'multipicklist') {
    const listed = (PICKLISTS[`${object}.${name}`] ?? '').split('|').filter(Boolean)
    const values = listed.map(v => v.replace(/^\*/, ''))
    const marked = listed.find(v => v.startsWith('*'))?.slice(1)
    const defaultValue = typeof field.defaultValue === 'string' ? field.defaultValue : marked
    field.picklist = {restricted: field.picklist?.restricted ?? false, values, ...(defaultValue ? {defaultValue} : {})}
    if (defaultValue !== undefined) field.defaultValue = defaultValue
  }

  if (child) for (const parent of field.referenceTo ?? []) children.push({cascadeDelete: cascade, field: name, name: child, object, parent})
  field.required = !field.nillable && !field.computed && field.defaultValue === undefined && type !== 'boolean'
  return field
}

function parseDefault(type: FieldType, text: string): unknown {
  if (type === 'boolean') return text === 'true'
  if (type === 'int' || type === 'double') return Number(text)
  return text.replaceAll('_', ' ')
}

function buildObject(name: string, spec: {createable?: boolean; fields: string; keyPrefix: string; label: string; labelPlural: string}, custom: boolean, children: ChildSpec[]): ObjectDef {
  const fields = new Map<string, FieldDef>()
  const relationships = new Map<string, FieldDef>()
  for (const line of `${AUDIT}\n${spec.fields}`.split('\n')) {
    if (line.trim() === '') continue
    const def = parseField(name, line, children)
    fields.set(def.name.toLowerCase(), def)
    if (def.relationshipName) relationships.set(def.relationshipName.toLowerCase(), def)
  }

  return {children: new Map(), createable: spec.createable ?? true, custom, fields, keyPrefix: spec.keyPrefix, label: spec.label, labelPlural: spec.labelPlural, name, relationships}
}

function buildStandard(): Map<string, ObjectDef> {
  const children: ChildSpec[] = []
  const objects = new Map(Object.entries(STANDARD_OBJECTS).map(([name, spec]) => [name.toLowerCase(), buildObject(name, spec, false, children)]))
  for (const {parent, ...rel} of children) {
    const def = objects.get(parent.toLowerCase())
    if (!def) throw new Error(`child relationship ${rel.object}.${rel.field} names an unknown object ${parent}`)
    def.children.set(rel.name.toLowerCase(), rel)
  }

  return objects
}

const STANDARD = buildStandard()

export const STANDARD_OBJECT_NAMES = Object.keys(STANDARD_OBJECTS)

/** The standard object with this key prefix. */
const BY_PREFIX = new Map([...STANDARD.values()].map(d => [d.keyPrefix, d.name]))

/** The standard object whose records have this key prefix, if any. */
export function standardObjectOfPrefix(prefix: string): string | undefined {
  return BY_PREFIX.get(prefix)
}

/** Custom objects have an owner, as standard ones do. */
const OWNER_FIELD = 'OwnerId ref(User) rel=Owner'

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
  let def = STANDARD.get(lower)
  if (!def) {
    const canonical = Object.keys(org.custom_objects).find(k => k.toLowerCase() === lower)
    if (!canonical) return undefined
    const label = canonical.replace(/__c$/, '').replaceAll('_', ' ')
    def = buildObject(canonical, {fields: `Name string(80) label=${label.replaceAll(' ', '_')}_Name\n${OWNER_FIELD}`, keyPrefix: org.custom_objects[canonical], label, labelPlural: label}, true, [])
  } else {
    def = {...def, children: new Map(def.children), fields: new Map(def.fields), relationships: new Map(def.relationships)}
  }

  const custom = own(org.custom_fields, def.name) ?? {}
  for (const [fieldName, f] of Object.entries(custom)) addCustomField(def, fieldName, f)
  // child relationships that custom lookups defined with a name (--metadata) give this object
  for (const [object, fields] of Object.entries(org.custom_fields)) {
    for (const [field, f] of Object.entries(fields)) {
      if (f.references === def.name && f.childName) def.children.set(f.childName.toLowerCase(), {cascadeDelete: f.cascade, field, name: f.childName, object})
    }
  }

  return def
}

function addCustomField(def: ObjectDef, fieldName: string, f: CustomField): void {
  const field: FieldDef = {
    custom: true, label: f.label ?? fieldName.replace(/__c$/, '').replaceAll('_', ' '), length: f.length ?? DEFAULT_LENGTH[f.type], name: fieldName,
    nillable: !f.required, type: f.type,
    ...(f.computed ? {computed: true} : {}), ...(f.defaultValue === undefined ? {} : {defaultValue: f.defaultValue}),
    ...(f.picklist ? {picklist: f.picklist} : {}), ...(f.required && !f.computed && f.defaultValue === undefined && f.picklist?.defaultValue === undefined ? {required: true} : {}),
  }
  if (f.picklist?.defaultValue !== undefined) field.defaultValue = f.picklist.defaultValue
  if (f.type === 'reference' && f.references) {
    field.references = f.references
    field.referenceTo = [f.references]
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
      if (f.childName?.toLowerCase() === name.toLowerCase()) return {cascadeDelete: f.cascade, field, name: f.childName, object}
      const base = object.replace(/__c$/, '')
      if ([`${base}s__r`, `${base}__r`].some(n => n.toLowerCase() === name.toLowerCase())) return {field, name, object}
    }
  }

  return undefined
}

/**
 * The describe answers of the REST API, in Salesforce's shape, from an org's schema:
 * `GET sobjects` (describeGlobal), `GET sobjects/{Type}` (basic information) and
 * `GET sobjects/{Type}/describe`, as jsforce's describeGlobal() and describe() read them.
 */
import {notFoundError} from './errors.js'
import {API_PATH} from './records.js'
import {describe, type FieldDef, type ObjectDef, STANDARD_OBJECT_NAMES} from './schema.js'
import type {OrgData} from './types.js'

const SOAP_TYPE: Record<string, string> = {
  base64: 'xsd:base64Binary', boolean: 'xsd:boolean', currency: 'xsd:double', date: 'xsd:date', datetime: 'xsd:dateTime',
  double: 'xsd:double', id: 'tns:ID', int: 'xsd:int', percent: 'xsd:double', reference: 'tns:ID',
}

/** Every object of the org: the standard ones, then its custom ones. */
function objectsOf(org: OrgData): ObjectDef[] {
  return [...STANDARD_OBJECT_NAMES, ...Object.keys(org.custom_objects)].map(name => describe(org, name)!).sort((a, b) => a.name.localeCompare(b.name))
}

function urls(def: ObjectDef, version: string): Record<string, string> {
  const base = `${API_PATH(version)}/sobjects/${def.name}`
  return {describe: `${base}/describe`, rowTemplate: `${base}/{ID}`, sobject: base}
}

/** The object-level properties both describes share. */
function objectInfo(def: ObjectDef, version: string): Record<string, unknown> {
  return {
    activateable: false, createable: def.createable, custom: def.custom, customSetting: false, deletable: true, deprecatedAndHidden: false,
    feedEnabled: false, hasSubtypes: false, isSubtype: false, keyPrefix: def.keyPrefix, label: def.label, labelPlural: def.labelPlural,
    layoutable: true, mergeable: ['Account', 'Contact', 'Lead', 'Case'].includes(def.name), mruEnabled: true, name: def.name,
    queryable: true, replicateable: true, retrieveable: true, searchable: true, triggerable: true, undeletable: true,
    updateable: def.name !== 'AuthSession', urls: urls(def, version),
  }
}

/** The object named in a describe URL; an unknown one is 404 NOT_FOUND, as Salesforce answers it. */
function objectOfUrl(org: OrgData, type: string): ObjectDef {
  const def = describe(org, type)
  if (!def) throw notFoundError()
  return def
}

/** `GET sobjects`: describeGlobal. */
export function describeGlobal(org: OrgData, version: string): Record<string, unknown> {
  return {encoding: 'UTF-8', maxBatchSize: 200, sobjects: objectsOf(org).map(def => objectInfo(def, version))}
}

/** `GET sobjects/{Type}`: the object's basic information and its recently viewed records (none here). */
export function describeBasic(org: OrgData, type: string, version: string): Record<string, unknown> {
  return {objectDescribe: objectInfo(objectOfUrl(org, type), version), recentItems: []}
}

function fieldJson(def: ObjectDef, f: FieldDef): Record<string, unknown> {
  const text = !['base64', 'boolean', 'currency', 'date', 'datetime', 'double', 'int', 'percent'].includes(f.type)
  const number = ['currency', 'double', 'percent'].includes(f.type)
  const length = text ? f.length ?? 0 : 0
  const nameField = f.name === (def.fields.has('name') ? 'Name' : def.fields.has('casenumber') ? 'CaseNumber' : 'Subject')
  const createable = !f.computed && f.name !== 'Id'
  return {
    aggregatable: f.type !== 'textarea' && f.type !== 'base64', autoNumber: Boolean(f.autoNumber), byteLength: length * 3,
    calculated: false, calculatedFormula: null, cascadeDelete: false, caseSensitive: false, compoundFieldName: null,
    controllerName: null, createable, custom: Boolean(f.custom), defaultValue: f.picklist || f.type === 'boolean' ? (f.defaultValue ?? (f.type === 'boolean' ? false : null)) : null,
    defaultValueFormula: null, defaultedOnCreate: f.defaultValue !== undefined || (f.computed === true && f.name !== 'Name'), dependentPicklist: false,
    deprecatedAndHidden: false, digits: f.type === 'int' ? 9 : 0, externalId: false, filterable: f.type !== 'textarea' && f.type !== 'base64',
    groupable: !['textarea', 'base64', 'currency', 'double', 'percent', 'datetime', 'multipicklist'].includes(f.type), htmlFormatted: false,
    idLookup: f.name === 'Id' || (def.name === 'User' && f.name === 'Username') || f.autoNumber === true, inlineHelpText: null,
    label: f.label, length, name: f.name, nameField, namePointing: (f.referenceTo?.length ?? 0) > 1, nillable: f.nillable && f.type !== 'boolean',
    permissionable: f.nillable && !f.computed, picklistValues: (f.picklist?.values ?? []).map(value => ({active: true, defaultValue: value === f.picklist?.defaultValue, label: value, validFor: null, value})),
    polymorphicForeignKey: (f.referenceTo?.length ?? 0) > 1, precision: number ? 18 : 0, referenceTargetField: null,
    referenceTo: f.referenceTo ?? [], relationshipName: f.relationshipName ?? null, relationshipOrder: null,
    restrictedPicklist: Boolean(f.picklist?.restricted), scale: number ? 2 : 0, soapType: SOAP_TYPE[f.type] ?? 'xsd:string',
    sortable: f.type !== 'textarea' && f.type !== 'base64' && f.type !== 'multipicklist', type: f.type, unique: f.name === 'Username' && def.name === 'User',
    updateable: createable && !f.noUpdate, writeRequiresMasterRead: false,
  }
}

/** `GET sobjects/{Type}/describe`. */
export function describeObject(org: OrgData, type: string, version: string): Record<string, unknown> {
  const def = objectOfUrl(org, type)
  const childRelationships = objectsOf(org).flatMap(child => {
    const found = [...def.children.values()].filter(r => r.object === child.name)
    const custom = [...child.fields.values()].filter(f => f.custom && f.references === def.name && !found.some(r => r.field === f.name))
      .map(f => ({cascadeDelete: false, field: f.name, name: `${child.name.replace(/__c$/, '')}s__r`, object: child.name}))
    return [...found, ...custom].map(r => ({
      cascadeDelete: Boolean(r.cascadeDelete), childSObject: r.object, deprecatedAndHidden: false, field: r.field,
      junctionIdListNames: [], junctionReferenceTo: [], relationshipName: r.name, restrictedDelete: false,
    }))
  })
  const info = objectInfo(def, version)
  return {
    ...info,
    actionOverrides: [], childRelationships, compactLayoutable: true, fields: [...def.fields.values()].map(f => fieldJson(def, f)),
    listviewable: null, lookupLayoutable: null, namedLayoutInfos: [], networkScopeFieldName: null, recordTypeInfos: [],
    searchLayoutable: true, supportedScopes: [{label: 'All', name: 'everything'}],
    urls: {...(info.urls as Record<string, string>), compactLayouts: `${API_PATH(version)}/sobjects/${def.name}/describe/compactLayouts`, layouts: `${API_PATH(version)}/sobjects/${def.name}/describe/layouts`},
  }
}

/**
 * Your org's own shape, loaded from files (`applink:emulator --metadata PATH`, repeatable): an SFDX
 * project (sfdx-project.json's packageDirectories → `objects/X/X.object-meta.xml` and
 * `objects/X/fields/F.field-meta.xml`) or the JSON `sf sobject describe --sobject X --json` prints
 * (`{status, result: <describe>}`). Custom objects and custom fields (`__c`) are taken; the
 * standard objects' own fields stay as the emulator defines them. Everything is checked before
 * anything is used: a file that does not parse or breaks a type throws SeedError naming the file,
 * the element and the field.
 */
import {existsSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {basename, dirname, join, resolve} from 'node:path'

import {customKeyPrefix, describe, isCustomName} from './schema.js'
import {SeedError} from './seed-error.js'
import type {CustomField, OrgData} from './types.js'
import {childText, parseXml, type XmlElement, XmlError} from './xml.js'

/** Custom objects and fields by object name. */
export interface OrgSchema {
  fields: Record<string, Record<string, CustomField>>
  objects: string[]
}

const XML_TYPES: Record<string, CustomField['type']> = {
  AutoNumber: 'string', Checkbox: 'boolean', Currency: 'currency', Date: 'date', DateTime: 'datetime', Email: 'email',
  Html: 'textarea', LongTextArea: 'textarea', Lookup: 'reference', MasterDetail: 'reference', MultiselectPicklist: 'multipicklist',
  Number: 'double', Percent: 'percent', Phone: 'phone', Picklist: 'picklist', Text: 'string', TextArea: 'textarea', Url: 'url',
}
const DESCRIBE_TYPES = new Set(['base64', 'boolean', 'combobox', 'currency', 'date', 'datetime', 'double', 'email', 'int', 'multipicklist', 'percent', 'phone', 'picklist', 'reference', 'string', 'textarea', 'url'])

function fail(file: string, where: string, problem: string): SeedError {
  return new SeedError(`The metadata file ${file}: ${where}: ${problem}`)
}

function readXml(file: string): XmlElement {
  try {
    return parseXml(readFileSync(file, 'utf8'))
  } catch (error) {
    if (error instanceof XmlError) throw fail(file, `line ${error.line}`, `not well-formed XML (${error.message})`)
    throw new SeedError(`Cannot read the metadata file ${file}: ${(error as Error).message}`)
  }
}

/** A `<CustomField>` of an `.field-meta.xml` file (or inside an `.object-meta.xml`). */
function xmlField(file: string, object: string, el: XmlElement): [string, CustomField] {
  const name = childText(el, 'fullName') ?? ''
  const where = `<${el.name}> of ${object}${name ? `, field ${name}` : ''}`
  if (!isCustomName(name)) throw fail(file, where, `<fullName> must be a custom field name (Name__c), not ${JSON.stringify(name)}`)
  const xmlType = childText(el, 'type') ?? ''
  const type = XML_TYPES[xmlType]
  if (!type) throw fail(file, `${where}, element <type>`, `unknown field type ${JSON.stringify(xmlType)} (known: ${Object.keys(XML_TYPES).join(', ')})`)
  const field: CustomField = {type}
  const label = childText(el, 'label')
  if (label) field.label = label
  const length = childText(el, 'length')
  if (length !== undefined) {
    if (!/^\d+$/.test(length) || Number(length) === 0) throw fail(file, `${where}, element <length>`, `must be a positive whole number, not ${JSON.stringify(length)}`)
    field.length = Number(length)
  } else if (xmlType === 'Text') {
    throw fail(file, where, 'a Text field needs a <length>')
  }

  if (childText(el, 'required') === 'true' || xmlType === 'MasterDetail') field.required = true
  if (xmlType === 'AutoNumber' || childText(el, 'formula') !== undefined) field.computed = true
  const dflt = childText(el, 'defaultValue')
  if (type === 'boolean') field.defaultValue = dflt === 'true'
  if (type === 'reference') {
    const target = childText(el, 'referenceTo')
    if (!target) throw fail(file, `${where}, element <referenceTo>`, `a ${xmlType} field needs the object it refers to`)
    field.references = target
    const rel = childText(el, 'relationshipName')
    if (rel) field.childName = `${rel}__r`
    if (xmlType === 'MasterDetail') field.cascade = true
  }

  if (type === 'picklist' || type === 'multipicklist') {
    const set = el.children.find(c => c.name === 'valueSet')
    const definition = set?.children.find(c => c.name === 'valueSetDefinition')
    const values = (definition?.children ?? []).filter(c => c.name === 'value')
    field.picklist = {restricted: childText(set ?? el, 'restricted') === 'true', values: values.map(v => childText(v, 'fullName') ?? '')}
    const chosen = values.find(v => childText(v, 'default') === 'true')
    if (chosen) field.picklist.defaultValue = childText(chosen, 'fullName')
    if (field.picklist.values.includes('')) throw fail(file, `${where}, element <valueSet>`, 'every <value> needs a <fullName>')
  }

  return [name, field]
}

function walk(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, {withFileTypes: true})) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path, out)
    else if (/\.(object|field)-meta\.xml$/.test(entry.name)) out.push(path)
  }
}

/** The object and field files of an SFDX project. */
function projectFiles(root: string): string[] {
  const projectFile = join(root, 'sfdx-project.json')
  let project: {packageDirectories?: Array<{path?: unknown}>}
  try {
    project = JSON.parse(readFileSync(projectFile, 'utf8'))
  } catch (error) {
    throw fail(projectFile, 'the top level', `not valid JSON (${(error as Error).message})`)
  }

  const dirs = Array.isArray(project.packageDirectories) ? project.packageDirectories : []
  if (dirs.length === 0 || dirs.some(d => typeof d?.path !== 'string')) throw fail(projectFile, 'packageDirectories', 'must be a list of {"path": "…"}')
  const files: string[] = []
  for (const d of dirs) {
    const dir = resolve(root, d.path as string)
    if (!existsSync(dir)) throw fail(projectFile, `packageDirectories path ${JSON.stringify(d.path)}`, 'no such directory')
    walk(dir, files)
  }

  return files.sort()
}

function addProject(schema: OrgSchema, root: string): void {
  for (const file of projectFiles(root)) {
    const object = file.endsWith('.object-meta.xml') ? basename(file, '.object-meta.xml') : basename(dirname(dirname(file)))
    const el = readXml(file)
    if (file.endsWith('.object-meta.xml')) {
      if (el.name !== 'CustomObject') throw fail(file, `<${el.name}>`, 'the root element must be <CustomObject>')
      if (isCustomName(object) && !schema.objects.includes(object)) schema.objects.push(object)
      for (const f of el.children.filter(c => c.name === 'fields')) setField(schema, file, object, xmlField(file, object, {...f, name: 'fields'}))
      continue
    }

    if (el.name !== 'CustomField') throw fail(file, `<${el.name}>`, 'the root element must be <CustomField>')
    if (!isCustomName(basename(file, '.field-meta.xml'))) continue
    setField(schema, file, object, xmlField(file, object, el))
  }
}

function setField(schema: OrgSchema, file: string, object: string, [name, field]: [string, CustomField]): void {
  if (!isCustomName(object) && !describe(blank, object)) throw fail(file, `object ${object}`, 'is neither a standard object the emulator knows nor a custom object (Name__c)')
  if (isCustomName(object) && !schema.objects.includes(object)) schema.objects.push(object)
  schema.fields[object] ??= {}
  schema.fields[object][name] = field
}

/** `sf sobject describe --sobject X --json` output: `{status, result}` (or the describe itself). */
function addDescribe(schema: OrgSchema, file: string): void {
  let raw: any
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw fail(file, 'the top level', `not valid JSON (${(error as Error).message})`)
  }

  const result = raw && typeof raw === 'object' && 'result' in raw ? raw.result : raw
  if (!result || typeof result.name !== 'string' || !Array.isArray(result.fields)) throw fail(file, 'result', 'must be an object describe with "name" and "fields" (the JSON `sf sobject describe --sobject X --json` prints)')
  const object: string = result.name
  if (isCustomName(object) && !schema.objects.includes(object)) schema.objects.push(object)
  for (const [i, f] of result.fields.entries()) {
    const where = `result.fields[${i}]${typeof f?.name === 'string' ? ` (${f.name})` : ''}`
    if (typeof f?.name !== 'string') throw fail(file, where, 'a field needs a "name"')
    if (!f.custom && !isCustomName(f.name)) continue
    if (!isCustomName(f.name)) throw fail(file, `${where}, "name"`, 'a custom field name ends in __c')
    if (!DESCRIBE_TYPES.has(f.type)) throw fail(file, `${where}, "type"`, `unknown or unsupported field type ${JSON.stringify(f.type)}`)
    const field: CustomField = {type: f.type}
    if (typeof f.label === 'string') field.label = f.label
    if (typeof f.length === 'number' && f.length > 0) field.length = f.length
    if (f.nillable === false && f.createable === true && f.defaultedOnCreate !== true && f.type !== 'boolean') field.required = true
    if (f.createable === false && f.updateable === false) field.computed = true
    if (f.type === 'boolean') field.defaultValue = f.defaultValue === true
    if (f.type === 'reference') {
      if (!Array.isArray(f.referenceTo) || typeof f.referenceTo[0] !== 'string') throw fail(file, `${where}, "referenceTo"`, 'a reference field names the object it refers to')
      field.references = f.referenceTo[0]
      field.cascade = f.cascadeDelete === true
    }

    if (Array.isArray(f.picklistValues) && (f.type === 'picklist' || f.type === 'multipicklist')) {
      field.picklist = {restricted: f.restrictedPicklist === true, values: f.picklistValues.filter((v: any) => v?.active !== false).map((v: any) => String(v?.value))}
      const chosen = f.picklistValues.find((v: any) => v?.defaultValue === true)
      if (chosen) field.picklist.defaultValue = String(chosen.value)
    }

    setField(schema, file, object, [f.name, field])
  }
}

const blank: OrgData = {created_at: '', custom_fields: {}, custom_objects: {}, data_cloud: false, datacloud: {}, deleted: {}, edition: 'production', id: '', instance_url: '', name: '', objects: {}, sessions: []}

/** Reads every --metadata path (an SFDX project directory, its sfdx-project.json, or a describe JSON file). */
export function loadMetadata(paths: string[]): OrgSchema {
  const schema: OrgSchema = {fields: {}, objects: []}
  for (const path of paths) {
    if (!existsSync(path)) throw new SeedError(`The metadata path ${path} does not exist. Give an SFDX project directory (with sfdx-project.json) or a JSON file of \`sf sobject describe --sobject X --json\`.`)
    if (statSync(path).isDirectory()) {
      if (!existsSync(join(path, 'sfdx-project.json'))) throw new SeedError(`The metadata directory ${path} has no sfdx-project.json: give the root of an SFDX project.`)
      addProject(schema, path)
    } else if (basename(path) === 'sfdx-project.json') {
      addProject(schema, dirname(path))
    } else {
      addDescribe(schema, path)
    }
  }

  // references must reach an object the org will know
  for (const [object, fields] of Object.entries(schema.fields)) {
    for (const [name, f] of Object.entries(fields)) {
      if (f.references && !schema.objects.includes(f.references) && !describe(blank, f.references)) {
        throw new SeedError(`The metadata of ${object}.${name} refers to ${f.references}, which is neither a standard object nor a custom object of the metadata.`)
      }
    }
  }

  return schema
}

/** Gives an org the custom objects and fields of the metadata (definitions replace earlier ones). */
export function applySchema(org: OrgData, schema: OrgSchema): void {
  for (const object of schema.objects) if (!Object.hasOwn(org.custom_objects, object)) org.custom_objects[object] = customKeyPrefix(org, object)
  for (const [object, fields] of Object.entries(schema.fields)) {
    if (!Object.hasOwn(org.custom_fields, object)) org.custom_fields[object] = {}
    Object.assign(org.custom_fields[object], fields)
  }
}

/**
 * The data a new emulated org starts with: a small realistic set (Accounts with Contacts,
 * Opportunities and Cases), or the records of a `--org-data FILE`:
 *
 *   {"objects": {"Account": [{"referenceId": "acme", "Name": "Acme"}],
 *                "Contact": [{"LastName": "Lee", "AccountId": "@{acme.id}"}]},
 *    "datacloud": {"Purchase__dll": [{"id": "p1", "amount": 20}]}}
 *
 * Objects are created in the order given; `referenceId` names a record and `@{name.id}` refers to
 * it from a later one, as in a composite graph. Every record is checked as an API create would be.
 */
import {readFileSync} from 'node:fs'

import {SfError} from './errors.js'
import {applySchema, type OrgSchema} from './metadata.js'
import {createRecord} from './records.js'
import {SeedError} from './seed-error.js'
import type {OrgData, OrgEdition} from './types.js'

export interface OrgSeed {
  datacloud: Record<string, Record<string, unknown>[]>
  objects: Array<[string, Record<string, unknown>[]]>
  /** the custom objects and fields of --metadata, given to every org before its records */
  schema?: OrgSchema
}

export {SeedError} from './seed-error.js'

const today = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)

/** The default data set (dates relative to today, so date literals find something). */
export function defaultSeed(): OrgSeed {
  const accounts = [
    ['acme', 'Acme Corporation', 'Manufacturing', 'San Francisco', 'Customer - Direct', 1_200_000, 250],
    ['globex', 'Globex Inc', 'Technology', 'Chicago', 'Prospect', 5_400_000, 1200],
    ['initech', 'Initech', 'Technology', 'Austin', 'Customer - Channel', 880_000, 90],
    ['umbrella', 'Umbrella Health', 'Healthcare', 'Boston', 'Customer - Direct', 9_750_000, 4200],
    ['stark', 'Stark Energy', 'Energy', 'Denver', 'Prospect', 15_000_000, 800],
  ] as const
  const contacts = [
    ['acme', 'Ada', 'Lovelace', 'CTO'], ['acme', 'Grace', 'Hopper', 'VP Engineering'], ['globex', 'Hank', 'Scorpio', 'CEO'],
    ['globex', 'Mindy', 'Simmons', 'Buyer'], ['initech', 'Bill', 'Lumbergh', 'Division VP'], ['initech', 'Peter', 'Gibbons', 'Engineer'],
    ['umbrella', 'Alice', 'Abernathy', 'Director of Operations'], ['stark', 'Pepper', 'Potts', 'COO'],
  ] as const
  const opportunities = [
    ['acme', 'Acme - Robotics Line', 'Prospecting', 30, 250_000], ['acme', 'Acme - Support Renewal', 'Closed Won', -10, 48_000],
    ['globex', 'Globex - Platform', 'Negotiation/Review', 14, 900_000], ['initech', 'Initech - TPS Upgrade', 'Qualification', 45, 35_000],
    ['umbrella', 'Umbrella - Analytics', 'Closed Lost', -30, 410_000], ['stark', 'Stark - Grid Pilot', 'Proposal/Price Quote', 60, 1_500_000],
  ] as const
  const cases = [
    ['acme', 'Robot arm calibration drifts', 'Working', 'High'], ['globex', 'Invoice shows the wrong currency', 'New', 'Medium'],
    ['initech', 'Printer jams on every report', 'Escalated', 'High'], ['umbrella', 'Data export times out', 'Closed', 'Low'],
  ] as const
  return {
    datacloud: {},
    objects: [
      ['Account', accounts.map(([ref, Name, Industry, BillingCity, Type, AnnualRevenue, NumberOfEmployees]) => ({AnnualRevenue, BillingCity, Industry, Name, NumberOfEmployees, referenceId: ref, Type}))],
      ['Contact', contacts.map(([acc, FirstName, LastName, Title]) => ({AccountId: `@{${acc}.id}`, Email: `${FirstName.toLowerCase()}.${LastName.toLowerCase()}@${acc}.example`, FirstName, LastName, Title}))],
      ['Opportunity', opportunities.map(([acc, Name, StageName, days, Amount]) => ({AccountId: `@{${acc}.id}`, Amount, CloseDate: today(days), Name, StageName}))],
      ['Case', cases.map(([acc, Subject, Status, Priority]) => ({AccountId: `@{${acc}.id}`, Priority, Status, Subject}))],
    ],
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value)
}

/** Reads and checks a `--org-data` file. */
export function loadSeedFile(file: string, schema?: OrgSchema): OrgSeed {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new SeedError(`Cannot read the org data file ${file}: ${(error as Error).message}`)
  }

  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new SeedError(`The org data file ${file} is not valid JSON (${(error as Error).message}). See "Seed file" in the emulator docs for the format.`)
  }

  const fail = (what: string) => new SeedError(`The org data file ${file} is not in the expected format: ${what}. It holds {"objects": {"Account": [{...}], ...}, "datacloud": {"Table": [{...}]}}.`)
  if (!isPlainObject(raw)) throw fail('the top level must be a JSON object')
  for (const key of Object.keys(raw)) if (key !== 'objects' && key !== 'datacloud') throw fail(`unknown key "${key}" (use "objects" and "datacloud")`)
  const objects = raw.objects ?? {}
  const datacloud = raw.datacloud ?? {}
  if (!isPlainObject(objects)) throw fail('"objects" must be an object of object names to lists of records')
  if (!isPlainObject(datacloud)) throw fail('"datacloud" must be an object of table names to lists of rows')
  const seed: OrgSeed = {datacloud: Object.create(null), objects: [], ...(schema ? {schema} : {})}
  for (const [name, list] of Object.entries(objects)) {
    if (!Array.isArray(list) || !list.every(r => isPlainObject(r))) throw fail(`objects.${name} must be a list of records (JSON objects)`)
    seed.objects.push([name, list])
  }

  for (const [name, list] of Object.entries(datacloud)) {
    if (!/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(name)) throw fail(`datacloud table name ${JSON.stringify(name)} must hold letters, digits and underscores, and start with a letter`)
    if (!Array.isArray(list) || !list.every(r => isPlainObject(r))) throw fail(`datacloud.${name} must be a list of rows (JSON objects)`)
    seed.datacloud[name] = list
  }

  // a trial run on an empty org shows every record problem before the emulator starts
  try {
    applySeed(blankOrg('00D000000000000AAA', 'check'), seed, '005000000000000AAA')
  } catch (error) {
    if (error instanceof SeedError) throw new SeedError(`The org data file ${file}: ${error.message}`)
    throw error
  }

  return seed
}

/** An org with no records; its My Domain URL is `https://{name}.my.salesforce.com` unless given. */
export function blankOrg(id: string, name: string, instanceUrl = `https://${name}.my.salesforce.com`, edition: OrgEdition = 'production'): OrgData {
  return {created_at: new Date().toISOString(), custom_fields: {}, custom_objects: {}, data_cloud: false, datacloud: {}, deleted: {}, edition, id, instance_url: instanceUrl, name, objects: {}, sessions: []}
}

const REF = /^@\{([^.{}]+)\.id\}$/

/** Creates the seed's records in `org`, resolving `@{ref.id}`. Throws SeedError naming the record. */
export function applySeed(org: OrgData, seed: OrgSeed, userId: string): void {
  if (seed.schema) applySchema(org, seed.schema)
  const refs = new Map<string, string>()
  for (const [object, list] of seed.objects) {
    for (const [i, input] of list.entries()) {
      const where = `objects.${object}[${i}]`
      const fields: Record<string, unknown> = {}
      let ref: string | undefined
      for (const [key, value] of Object.entries(input)) {
        if (key === 'referenceId') {
          if (typeof value !== 'string' || value === '') throw new SeedError(`${where}.referenceId must be a non-empty string`)
          if (refs.has(value)) throw new SeedError(`${where}.referenceId "${value}" is used twice`)
          ref = value
          continue
        }

        const m = typeof value === 'string' ? REF.exec(value) : null
        if (m) {
          const id = refs.get(m[1])
          if (!id) throw new SeedError(`${where}.${key} refers to "${m[1]}", which no earlier record names as its referenceId`)
          fields[key] = id
        } else {
          fields[key] = value
        }
      }

      try {
        const id = createRecord(org, object, fields, userId)
        if (ref) refs.set(ref, id)
      } catch (error) {
        if (error instanceof SfError) throw new SeedError(`${where} cannot be created: ${error.errorCode}: ${error.message}`)
        throw error
      }
    }
  }

  for (const [table, rows] of Object.entries(seed.datacloud)) org.datacloud[table] = rows.map(r => ({...r}))
}

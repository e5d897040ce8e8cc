/**
 * Field paths of a SOQL query (`Owner.Name`, `Account.Owner.Email`) and the lookups that follow
 * them: what SELECT, WHERE and ORDER BY share.
 */
import {invalidField} from './errors.js'
import {objectOfId, recordsOf} from './records.js'
import {type FieldDef, type ObjectDef, requireObject} from './schema.js'
import type {OrgData, SObjectRecord} from './types.js'

/** A field reached from an object, through zero or more parent relationships. */
export interface FieldPath {
  field: FieldDef
  /** the reference fields followed, with the object each leads to */
  hops: Array<{def: ObjectDef; via: FieldDef}>
  text: string
}

/** Lookups of one query: records by id and children by parent, indexed on first use. */
export class Index {
  private readonly byId = new Map<string, Map<string, SObjectRecord>>()
  private readonly byParent = new Map<string, Map<unknown, SObjectRecord[]>>()
  constructor(readonly org: OrgData) {}

  children(object: string, field: string, parentId: string): SObjectRecord[] {
    const key = `${object}.${field}`
    let groups = this.byParent.get(key)
    if (!groups) {
      groups = new Map()
      for (const r of recordsOf(this.org, object)) {
        const list = groups.get(r[field])
        if (list) list.push(r)
        else groups.set(r[field], [r])
      }

      this.byParent.set(key, groups)
    }

    return groups.get(parentId) ?? []
  }

  record(object: string, id: string): SObjectRecord | undefined {
    let records = this.byId.get(object)
    if (!records) {
      records = new Map(recordsOf(this.org, object).map(r => [r.Id, r]))
      this.byId.set(object, records)
    }

    return records.get(id)
  }
}

/** Resolves `a.b.Field` from `def`; the object's own name may prefix a field (`Account.Name` FROM Account). */
export function resolvePath(org: OrgData, def: ObjectDef, text: string, allowPrefix = true): FieldPath {
  let parts = text.split('.')
  if (allowPrefix && parts.length > 1 && parts[0].toLowerCase() === def.name.toLowerCase() && !def.relationships.has(parts[0].toLowerCase())) parts = parts.slice(1)
  const hops: FieldPath['hops'] = []
  let current = def
  for (const rel of parts.slice(0, -1)) {
    const via = current.relationships.get(rel.toLowerCase())
    if (!via || !via.references) throw invalidField(`Didn't understand relationship '${rel}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name.`)
    current = requireObject(org, via.references)
    hops.push({def: current, via})
  }

  const name = parts.at(-1)!
  const field = current.fields.get(name.toLowerCase())
  if (!field) {
    throw invalidField(`No such column '${name}' on entity '${current.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name.`)
  }

  return {field, hops, text}
}

/** The object a hop leads to for this id: a polymorphic lookup (Task.Who) leads to the object the id names. */
export function hopObject(org: OrgData, hop: FieldPath['hops'][number], id: string): string {
  return (hop.via.referenceTo?.length ?? 0) > 1 ? objectOfId(org, id) ?? hop.def.name : hop.def.name
}

export function valueAt(index: Index, record: SObjectRecord, path: FieldPath): unknown {
  let current: SObjectRecord | undefined = record
  for (const hop of path.hops) {
    const id: unknown = current[hop.via.name]
    current = typeof id === 'string' ? index.record(hopObject(index.org, hop, id), id) : undefined
    if (!current) return null
  }

  return current[path.field.name] ?? null
}

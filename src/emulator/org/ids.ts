/**
 * Salesforce record ids: 15 case-sensitive characters (a 3-character key prefix, then base 62),
 * plus a 3-character suffix that encodes the case of the first 15, making 18.
 */
import {createHash, randomBytes} from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345'

/** The 3-character case suffix of a 15-character id. */
export function idSuffix(id15: string): string {
  let out = ''
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0
    for (let i = 0; i < 5; i++) {
      const c = id15[chunk * 5 + i]
      if (c >= 'A' && c <= 'Z') bits |= 1 << i
    }

    out += SUFFIX[bits]
  }

  return out
}

/** A new 18-character id with `prefix`; derived from `seed` when given (stable across runs). */
export function newRecordId(prefix: string, seed?: string): string {
  const bytes = seed === undefined ? randomBytes(12) : createHash('sha256').update(seed).digest()
  // like real ids: the prefix, a pod-ish "0", then base 62 digits
  let id = `${prefix}0`
  for (let i = 0; id.length < 15; i++) id += BASE62[bytes[i] % 62]
  return id + idSuffix(id)
}

/** A valid 18-character Salesforce id of an org or a user (no pod digit, unlike records) (case suffix included) with the given 3-character key prefix (`00D` org, `005` user). */
export function salesforceId(prefix: string, seed?: string): string {
  const bytes = seed === undefined ? randomBytes(15) : createHash('sha256').update(seed).digest()
  let out = prefix
  for (let i = 0; out.length < 15; i++) out += BASE62[bytes[i] % 62]
  return out + idSuffix(out)
}

const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/

/** The 18-character form of a 15- or 18-character id, or undefined when `value` is not an id. */
export function normalizeId(value: unknown): string | undefined {
  if (typeof value !== 'string' || !ID_PATTERN.test(value)) return undefined
  const id15 = value.slice(0, 15)
  const full = id15 + idSuffix(id15)
  if (value.length === 18 && value.toUpperCase() !== full.toUpperCase()) return undefined
  return full
}

/**
 * The AppLink API's rules for what it is sent, written here from the contract
 * (docs/applink-api.md §3, §5), not taken from the plugin: the emulator is the other side, so a
 * wrong rule in the plugin must fail against it. test/emulator/names.test.ts checks that both
 * sides agree on a table of names.
 */
import {badRequest} from '../http/reply.js'
import {requiredString} from '../http/util.js'
import {ORG_TYPE} from '../store/records.js'

const MIN = 3
const MAX = 30

/** The rules of §5 in the order they are reported: each returns the problem, or undefined. */
const RULES: ((name: string) => string | undefined)[] = [
  name => (name.length < MIN ? `it has ${name.length} character${name.length === 1 ? '' : 's'}; use ${MIN} to ${MAX}` : undefined),
  name => (name.length > MAX ? `it has ${name.length} characters; use ${MIN} to ${MAX}` : undefined),
  name => {
    // by UTF-16 unit, as the service counts length
    const other = name.split('').find(ch => !isLetter(ch) && !isDigit(ch) && ch !== '_')
    return other === undefined ? undefined : `it contains ${JSON.stringify(other)}; use only letters, digits and underscores`
  },
  name => (isLetter(name[0]) ? undefined : 'it must start with a letter'),
  name => (isLetter(name.at(-1)) || isDigit(name.at(-1)) ? undefined : 'it must end with a letter or a digit'),
  name => (name.includes('__') ? 'it contains two underscores in a row; use single underscores' : undefined),
]

function isLetter(ch: string | undefined): boolean {
  return ch !== undefined && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z'))
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9'
}

/**
 * A connection name, developer name or data action target API name (§5): 3 to 30 characters, a
 * letter first, a letter or digit last, only letters, digits and single underscores. The first
 * rule `name` breaks, or undefined when it keeps them all.
 */
export function nameProblem(name: string): string | undefined {
  for (const rule of RULES) {
    const problem = rule(name)
    if (problem) return problem
  }

  return undefined
}

/** How an `org.type` reads in a table: the service has also sent `DatacloudOrg` for Data Cloud (§3). */
export function orgTypeLabel(type: string | undefined): string {
  if (type === ORG_TYPE.salesforce) return 'Salesforce Org'
  if (type === ORG_TYPE.datacloud || type === 'DatacloudOrg') return 'Data Cloud Org'
  return type ?? ''
}

/** A required name field that keeps the contract's rules (names.ts), or 400 saying which rule it breaks. */
export function validName(body: Record<string, unknown>, field: string): string {
  const name = requiredString(body, field)
  const problem = nameProblem(name)
  if (problem) throw badRequest(`Invalid ${field} ${JSON.stringify(name)}: ${problem}. Names have 3 to 30 characters, start with a letter, end with a letter or digit, and hold only letters, digits and single underscores.`)
  return name
}

import {invalidInput} from './errors.js'

/** What a name is, as the user knows it; used in error messages. */
export type NameKind = 'API name' | 'connection name' | 'developer name'

/**
 * The rule for connection names, developer names and data action target API names (docs/applink-api.md §5):
 * 3–30 characters, starts with a letter, ends with a letter or digit, only letters, digits and
 * single underscores. Returns the first broken rule, or undefined when the name is valid.
 */
export function nameProblem(name: string): string | undefined {
  if (name.length < 3) return `it has ${name.length} character${name.length === 1 ? '' : 's'}; use 3 to 30`
  if (name.length > 30) return `it has ${name.length} characters; use 3 to 30`
  const bad = name.match(/[^A-Za-z0-9_]/)
  if (bad) return `it contains ${JSON.stringify(bad[0])}; use only letters, digits and underscores`
  if (!/^[A-Za-z]/.test(name)) return 'it must start with a letter'
  if (!/[A-Za-z0-9]$/.test(name)) return 'it must end with a letter or a digit'
  if (name.includes('__')) return 'it contains two underscores in a row; use single underscores'
  return undefined
}

/** Throws an invalid-input AppLinkError naming the broken rule. */
export function assertValidName(kind: NameKind, name: string): void {
  const problem = nameProblem(name)
  if (problem) {
    throw invalidInput(
      'invalid_name',
      `Invalid ${kind} ${JSON.stringify(name)}: ${problem}.`,
      [`A ${kind} has 3–30 characters, starts with a letter, ends with a letter or digit, and holds only letters, digits and single underscores (e.g. my_org_1).`],
    )
  }
}

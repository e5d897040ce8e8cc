/**
 * What the checks of a spec share (`structure.ts`, `refs.ts`, `rules.ts`, `sfdc.ts`, `check.ts`):
 * the shape of a problem found before its position is known, and the plain-object test. It imports
 * only the report's types, so every check can import it without making an import cycle.
 */
import type {Diagnostic} from './types.js'

/** A diagnostic before its position is known. */
export type Draft = Omit<Diagnostic, 'column' | 'line'>

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * What the parsers share: positions, JSON pointers, and the bounds that keep a hostile file from
 * exhausting the checker (see `parse.ts`).
 */
import type {Diagnostic} from './types.js'

export interface Position {
  /** 1-based */
  column: number
  /** 1-based */
  line: number
}

export interface ParsedSpec {
  format: 'json' | 'yaml'
  /**
   * Positions of JSON pointers (`/paths/~1orders/get`), resolved together for speed. A member of
   * an object points at its key; an array item at the item. A pointer that does not exist
   * resolves to its deepest existing ancestor.
   */
  locate(pointers: Iterable<string>): Promise<Map<string, Position>>
  value: unknown
}

export type ParseResult = {diagnostics: Diagnostic[]; ok: false} | {ok: true; spec: ParsedSpec}

/** Splits a JSON pointer into unescaped segments: '/a~1b/0' → ['a/b', '0']. */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer.slice(1).split('/').map(s => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

export function toPointer(segments: Array<number | string>): string {
  return segments.map(s => '/' + String(s).replaceAll('~', '~0').replaceAll('/', '~1')).join('')
}

/** 1-based line and column of offsets in `text`, with the line starts computed once, on first use. */
export function offsetLocator(text: string): (offset: number) => Position {
  let starts: number[] | undefined
  return (offset: number) => {
    if (!starts) {
      starts = [0]
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
    }

    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }

    return {column: offset - starts[lo] + 1, line: lo + 1}
  }
}

// ---------------------------------------------------------------- limits

/**
 * Bounds that keep a small hostile file from exhausting the stack, the memory or the time of the
 * checker (and of the emulator, which runs the same checks on uploads). Documented in docs/security.md.
 */
export const PARSE_LIMITS = {
  /** nested objects and arrays, the document itself being level 1 */
  depth: 100,
  /** YAML aliases (`*name`) to a map or a list */
  aliases: 1000,
  /** values (objects, arrays, scalars) that expanding the aliases adds to the document */
  aliasValues: 100_000,
} as const

export function tooDeep(line: number, column: number, path: string): Diagnostic {
  return {column, fix: `Flatten the document: AppLink specs need far fewer than ${PARSE_LIMITS.depth} levels (move nested schemas to components/schemas and use $ref).`, line, message: `the document nests objects and arrays more than ${PARSE_LIMITS.depth} levels deep`, path, severity: 'error'}
}

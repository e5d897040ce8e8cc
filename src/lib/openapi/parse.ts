/**
 * Parsing a spec's text (JSON or YAML) into a value, with positions on demand.
 *
 * Speed matters (specs up to 10 MB): values come from the fast parsers (`JSON.parse`, `js-yaml`
 * with the YAML 1.2 core schema), and positions are computed only when there are diagnostics to
 * place: for JSON in one pass of `jsonc-parser`'s scanner, for YAML from a `yaml` Document, whose
 * nodes keep their source ranges. A syntax error becomes a diagnostic with line and column (all of
 * them for YAML, as `yaml` reports them). Every parser is imported when first needed.
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

export async function parseSpecText(text: string, format: 'json' | 'yaml'): Promise<ParseResult> {
  return format === 'json' ? parseJson(text) : parseYaml(text)
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

function tooDeep(line: number, column: number, path: string): Diagnostic {
  return {column, fix: `Flatten the document: AppLink specs need far fewer than ${PARSE_LIMITS.depth} levels (move nested schemas to components/schemas and use $ref).`, line, message: `the document nests objects and arrays more than ${PARSE_LIMITS.depth} levels deep`, path, severity: 'error'}
}

/**
 * The offset where JSON text first opens more than `max` nested objects or arrays, or -1. One pass
 * over the characters (strings skipped), no recursion: safe on any input.
 */
export function jsonDepthOffset(text: string, max: number): number {
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5C) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) {
      inString = true
    } else if (c === 0x7B || c === 0x5B) {
      if (++depth > max) return i
    } else if (c === 0x7D || c === 0x5D) {
      depth--
    }
  }

  return -1
}

interface Measure {
  /** aliases to collections met */
  aliases: number
  /** pointer of the first node that contains itself */
  cycle?: string
  /** pointer of the first node past the depth limit, counting through aliases */
  deep?: string
  /** values that expanding the aliases adds, and the pointer of the alias that passes the limit */
  added: number
  large?: string
}

/**
 * Walks a parsed YAML value once per distinct node (an alias is a second reference to the same
 * object), without recursion: counts aliases, the values with aliases expanded and the depth with
 * aliases followed, and finds loops. Sizes and heights are memoised, so a file that would expand to
 * billions of values is measured in time proportional to its own size. Each alias adds a full copy
 * of its node's (expanded) values, so the values aliases add are the sum of those sizes.
 */
export function measureValue(root: unknown): Measure {
  const size = new Map<object, number>()
  const height = new Map<object, number>()
  const onPath = new Set<object>()
  const result: Measure = {added: 0, aliases: 0}
  interface Frame {
    children: Array<[string, unknown]>
    next: number
    node: object
    size: number
    height: number
  }
  const path: string[] = []
  const stack: Frame[] = []
  const enter = (node: object) => {
    onPath.add(node)
    stack.push({children: Object.entries(node), height: 0, next: 0, node, size: 1})
  }

  if (root === null || typeof root !== 'object') return result
  enter(root)
  while (stack.length > 0) {
    const top = stack.at(-1) as Frame
    if (top.next < top.children.length) {
      const [key, child] = top.children[top.next++]
      if (child === null || typeof child !== 'object') {
        top.size++
        continue
      }

      path.push(key)
      if (onPath.has(child)) {
        result.cycle = toPointer(path)
        return result
      }

      const known = size.get(child)
      if (known === undefined) {
        enter(child)
        continue
      }

      // a node seen before: an alias, which adds a copy of everything under it
      result.aliases++
      result.added += known
      if (result.large === undefined && result.added > PARSE_LIMITS.aliasValues) result.large = toPointer(path)
      top.size += known
      top.height = Math.max(top.height, height.get(child) as number)
      path.pop()
      continue
    }

    stack.pop()
    onPath.delete(top.node)
    const h = top.height + 1
    size.set(top.node, top.size)
    height.set(top.node, h)
    // depth of this node (its ancestors on the stack, plus itself) and what hangs under it
    if (result.deep === undefined && stack.length + h > PARSE_LIMITS.depth) result.deep = toPointer(path)
    const parent = stack.at(-1)
    if (parent) {
      parent.size += top.size
      parent.height = Math.max(parent.height, h)
      path.pop()
    }
  }

  return result
}

// ---------------------------------------------------------------- JSON

const JSON_ERRORS: Record<number, [string, string]> = {
  1: ['unexpected character', 'Check for a missing quote, comma or bracket just before this point.'],
  2: ['invalid number', 'Write numbers as JSON numbers (no leading zeros, no trailing dot), or quote the value.'],
  3: ['expected a property name in double quotes', 'Quote the property name with double quotes.'],
  4: ['expected a value', 'Add the missing value, or remove the stray comma.'],
  5: ['expected \':\' after the property name', 'Put a colon between the property name and its value.'],
  6: ['expected \',\' between values', 'Add the missing comma after the previous value.'],
  7: ['expected \'}\' to close the object', 'Close the object, or add the missing comma.'],
  8: ['expected \']\' to close the array', 'Close the array, or add the missing comma.'],
  9: ['unexpected content after the end of the document', 'Remove what follows the closing bracket, or wrap everything in one object.'],
  10: ['comments are not allowed in JSON', 'Remove the comment, or write the spec in YAML, which allows comments.'],
  11: ['unterminated comment', 'Remove the comment: JSON does not allow comments.'],
  12: ['unterminated string', 'Close the string with a double quote.'],
  13: ['unterminated number', 'Complete the number.'],
  14: ['invalid unicode escape', 'Write \\u followed by four hexadecimal digits.'],
  15: ['invalid escape sequence in a string', 'Use one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX.'],
  16: ['control character inside a string', 'Escape it (\\n, \\t) or remove it.'],
}

async function parseJson(text: string): Promise<ParseResult> {
  const body = text.charCodeAt(0) === 0xFE_FF ? text.slice(1) : text
  // before any parser: the position finders recurse, and would overflow the stack on deep input
  const deep = jsonDepthOffset(body, PARSE_LIMITS.depth)
  if (deep !== -1) {
    const at = offsetLocator(body)(deep)
    return {diagnostics: [tooDeep(at.line, at.column, '')], ok: false}
  }

  let value: unknown
  try {
    value = JSON.parse(body)
  } catch (error) {
    return {diagnostics: [await jsonSyntaxError(body, (error as Error).message)], ok: false}
  }

  return {ok: true, spec: {format: 'json', locate: pointers => locateJson(body, pointers), value}}
}

async function jsonSyntaxError(text: string, fallback: string): Promise<Diagnostic> {
  const {visit} = await import('jsonc-parser')
  let first: {code: number; column: number; line: number; offset: number} | undefined
  visit(text, {
    onError(code, offset, _length, line, column) {
      first ??= {code, column: column + 1, line: line + 1, offset}
    },
  }, {allowEmptyContent: false, allowTrailingComma: false, disallowComments: true})
  if (!first) return {column: 0, line: 0, message: `not valid JSON: ${fallback}`, path: '', severity: 'error'}
  // a trailing comma shows up as "expected a property name / value" at the closing bracket
  if ((first.code === 3 || first.code === 4) && /[}\]]/.test(text[first.offset] ?? '')) {
    let i = first.offset - 1
    while (i >= 0 && /\s/.test(text[i])) i--
    if (text[i] === ',') {
      const at = offsetLocator(text)(i)
      return {...at, fix: 'Remove the comma: JSON does not allow a comma before a closing bracket.', message: `JSON syntax error: trailing comma before '${text[first.offset]}'`, path: '', severity: 'error'}
    }
  }

  if (first.offset >= text.length && first.code === 4) {
    return {column: first.column, fix: 'The file is empty or cut short: check that it was saved completely.', line: first.line, message: 'JSON syntax error: unexpected end of file', path: '', severity: 'error'}
  }

  const [message, fix] = JSON_ERRORS[first.code] ?? ['syntax error', 'Fix the JSON syntax at this point.']
  return {column: first.column, fix, line: first.line, message: `JSON syntax error: ${message}`, path: '', severity: 'error'}
}

interface TrieNode {
  children: Map<string, TrieNode>
  pointer?: string
}

function buildTrie(pointers: Iterable<string>): TrieNode {
  const root: TrieNode = {children: new Map()}
  for (const pointer of pointers) {
    let node = root
    for (const seg of pointerSegments(pointer)) {
      let next = node.children.get(seg)
      if (!next) {
        next = {children: new Map()}
        node.children.set(seg, next)
      }

      node = next
    }

    node.pointer = pointer
  }

  return root
}

/** Resolves every wanted pointer in one scan; subtrees that hold no wanted pointer are skipped. */
async function locateJson(text: string, pointers: Iterable<string>): Promise<Map<string, Position>> {
  const {visit} = await import('jsonc-parser')
  const trie = buildTrie(pointers)
  const found = new Map<string, Position>()
  // positions of the deepest nodes reached on each wanted path, for pointers that do not exist
  const reached = new Map<TrieNode, Position>()
  interface Frame {
    array: boolean
    index: number
    node: TrieNode | undefined
  }
  const stack: Frame[] = []
  let pending: TrieNode | undefined = trie

  const mark = (node: TrieNode | undefined, line: number, column: number) => {
    if (!node) return
    const pos = {column: column + 1, line: line + 1}
    reached.set(node, pos)
    if (node.pointer !== undefined) found.set(node.pointer, pos)
  }

  // the trie node of the value that starts now (array items are keyed by index)
  const valueStart = (line: number, column: number): TrieNode | undefined => {
    const top = stack.at(-1)
    if (!top) {
      mark(pending, line, column)
      return pending
    }

    if (top.array) {
      const child = top.node?.children.get(String(top.index++))
      mark(child, line, column)
      return child
    }

    return pending
  }

  visit(text, {
    onArrayBegin(_o, _l, line, column) {
      const node = valueStart(line, column)
      stack.push({array: true, index: 0, node})
      return node !== undefined && node.children.size > 0
    },
    onArrayEnd() {
      stack.pop()
    },
    onLiteralValue(_v, _o, _l, line, column) {
      valueStart(line, column)
    },
    onObjectBegin(_o, _l, line, column) {
      const node = valueStart(line, column)
      stack.push({array: false, index: 0, node})
      return node !== undefined && node.children.size > 0
    },
    onObjectEnd() {
      stack.pop()
    },
    onObjectProperty(name, _o, _l, line, column) {
      const child = stack.at(-1)?.node?.children.get(name)
      mark(child, line, column)
      pending = child
    },
  })
  fillMissing(trie, undefined, reached, found)
  return found
}

/** Pointers never reached get the position of their deepest reached ancestor (or 1:1). */
function fillMissing(node: TrieNode, inherited: Position | undefined, reached: Map<TrieNode, Position>, found: Map<string, Position>): void {
  const here = reached.get(node) ?? inherited
  if (node.pointer !== undefined && !found.has(node.pointer)) found.set(node.pointer, here ?? {column: 1, line: 1})
  for (const child of node.children.values()) fillMissing(child, here, reached, found)
}

// ---------------------------------------------------------------- YAML

const YAML_FIXES: Record<string, string> = {
  BAD_INDENT: 'Indent the lines of one block by the same number of spaces.',
  BLOCK_AS_IMPLICIT_KEY: 'Put a colon and a space after the key, or quote the text.',
  DUPLICATE_KEY: 'Remove or rename one of the two keys: YAML keys must be unique in a map.',
  MISSING_CHAR: 'Add the missing character (a closing quote or bracket).',
  MULTIPLE_DOCS: 'Keep one document in the file: remove the `---` separator and what follows.',
  TAB_AS_INDENT: 'Indent with spaces: YAML does not allow tabs for indentation.',
  UNEXPECTED_TOKEN: 'Check the indentation and quoting of this line.',
}

async function parseYaml(text: string): Promise<ParseResult> {
  const jsyaml = (await import('js-yaml')).default
  let value: unknown
  try {
    // YAML 1.2 core schema (no timestamps or other YAML 1.1 surprises), with merge keys
    // (`types` is exported by js-yaml 4 but missing from its type definitions)
    const {merge} = (jsyaml as unknown as {types: {merge: InstanceType<typeof jsyaml.Type>}}).types
    // js-yaml counts the scalar at the bottom as a level too (`maxDepth` is missing from its type definitions)
    value = jsyaml.load(text, {maxDepth: PARSE_LIMITS.depth + 1, schema: jsyaml.CORE_SCHEMA.extend([merge])} as Parameters<typeof jsyaml.load>[1])
  } catch (error) {
    const e = error as Error & {mark?: {column: number; line: number}; reason?: string}
    // not handed to the `yaml` parser for positions: deep block nesting makes it run out of memory
    if (/exceeded maxDepth/.test(e.reason ?? '')) return {diagnostics: [tooDeep((e.mark?.line ?? -1) + 1, (e.mark?.column ?? -1) + 1, '')], ok: false}
    return {diagnostics: await yamlSyntaxErrors(text, e), ok: false}
  }

  const at = offsetLocator(text)
  let document: Promise<{YAML: YamlModule; doc: ReturnType<YamlModule['parseDocument']>}> | undefined
  const spec: ParsedSpec = {
    format: 'yaml',
    // positions come from a second, position-keeping parse, done only when there is something to show
    async locate(pointers) {
      document ??= import('yaml').then(YAML => ({doc: YAML.parseDocument(text, {merge: true}), YAML}))
      const {doc, YAML} = await document
      const out = new Map<string, Position>()
      for (const pointer of pointers) out.set(pointer, at(yamlOffset(YAML, doc.contents, pointerSegments(pointer))))
      return out
    },
    value,
  }
  // aliases need anchors: without one the value is a plain tree, already bounded in depth by js-yaml
  if (text.includes('&')) {
    const problem = aliasProblem(measureValue(value))
    if (problem) {
      const pos = (await spec.locate([problem.path])).get(problem.path)
      return {diagnostics: [{...problem, column: pos?.column ?? 0, line: pos?.line ?? 0}], ok: false}
    }
  }

  return {ok: true, spec}
}

/** Syntax errors with positions: every error the `yaml` parser finds, else js-yaml's own. */
async function yamlSyntaxErrors(text: string, error: Error & {mark?: {column: number; line: number}; reason?: string}): Promise<Diagnostic[]> {
  const YAML = await import('yaml')
  const doc = YAML.parseDocument(text, {merge: true, prettyErrors: true, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const lines = text.split(/\r?\n/)
    const out: Diagnostic[] = []
    const replaced = new Set<number>()
    for (const e of doc.errors) {
      const line = e.linePos?.[0].line ?? 0
      if (replaced.has(line)) continue
      // a key line indented deeper than the `key: value` line above it: the parser reports the line
      // above (twice, as a compact mapping and a multi-line key); say what is really wrong, once
      const indent = e.code === 'BLOCK_AS_IMPLICIT_KEY' || e.code === 'MULTILINE_IMPLICIT_KEY' ? overIndented(lines, line) : undefined
      if (indent) {
        replaced.add(line)
        out.push(indent)
        continue
      }

      out.push({
        column: e.linePos?.[0].col ?? 0,
        fix: YAML_FIXES[e.code] ?? 'Fix the YAML syntax at this point.',
        line,
        message: `YAML syntax error: ${yamlReason(e.message)}`,
        path: '',
        severity: 'error',
      })
    }

    return out
  }

  const reason = error.reason ?? yamlReason(error.message)
  return [{
    column: error.mark ? error.mark.column + 1 : 0,
    fix: /duplicat/i.test(reason) ? YAML_FIXES.DUPLICATE_KEY : 'Fix the YAML syntax at this point.',
    line: error.mark ? error.mark.line + 1 : 0,
    message: `YAML syntax error: ${reason}`,
    path: '',
    severity: 'error',
  }]
}

const KEY_LINE = /^(\s*(?:- )?)([^\s#:'"][^#:]*?|'[^']*'|"[^"]*"):(?:\s|$)/

/**
 * When line `line` (1-based) is `key: value` and the next non-blank line is a key indented deeper,
 * the diagnostic for that next line: YAML reads it as a continuation of the value above.
 */
function overIndented(lines: string[], line: number): Diagnostic | undefined {
  const above = KEY_LINE.exec(lines[line - 1] ?? '')
  let n = line
  while (n < lines.length && lines[n].trim() === '') n++
  const below = KEY_LINE.exec(lines[n] ?? '')
  if (!above || !below || below[1].length <= above[1].length) return undefined
  const want = above[1].length
  const has = below[1].length
  return {
    column: has + 1,
    fix: `Indent ${below[2]}: by ${want} space${want === 1 ? '' : 's'}, like ${above[2]}: on line ${line}.`,
    line: n + 1,
    message: `YAML syntax error: ${below[2]}: is indented ${has} spaces, deeper than ${above[2]}: on the line above (${want}), so it is read as part of that line's value`,
    path: '',
    severity: 'error',
  }
}

/** What is wrong with a YAML value's aliases (a loop, too many, too large or deep once expanded), if anything. */
function aliasProblem(m: Measure): Omit<Diagnostic, 'column' | 'line'> | undefined {
  if (m.cycle !== undefined) return {fix: 'Do not use an alias (*name) inside the node its anchor (&name) marks.', message: 'YAML error: an alias refers to a node that contains it (the document would be infinite)', path: m.cycle, severity: 'error'}
  if (m.aliases > PARSE_LIMITS.aliases) return {fix: 'Write the repeated parts once under components and refer to them with $ref instead of YAML aliases.', message: `YAML error: the document uses more than ${PARSE_LIMITS.aliases.toLocaleString('en-US')} aliases (*name) to maps or lists`, path: '', severity: 'error'}
  if (m.large !== undefined) return {fix: 'Write the repeated parts once under components and refer to them with $ref instead of nesting aliases in aliases.', message: `YAML error: expanding the aliases would add more than ${PARSE_LIMITS.aliasValues.toLocaleString('en-US')} values to the document`, path: m.large, severity: 'error'}
  if (m.deep !== undefined) return {fix: `Flatten the document: with aliases expanded it must stay within ${PARSE_LIMITS.depth} levels.`, message: `YAML error: with its aliases expanded the document nests objects and arrays more than ${PARSE_LIMITS.depth} levels deep`, path: m.deep, severity: 'error'}
  return undefined
}

/** The first line of a yaml error message, without its "at line X, column Y:" tail. */
function yamlReason(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '').trim()
}

type YamlModule = typeof import('yaml')

function yamlOffset(YAML: YamlModule, root: unknown, segments: string[]): number {
  let node = root
  let offset = nodeStart(node) ?? 0
  for (const seg of segments) {
    if (YAML.isAlias(node)) break
    if (YAML.isMap(node)) {
      const pair = node.items.find(p => String(YAML.isScalar(p.key) ? p.key.value : p.key) === seg)
      if (!pair) break
      offset = nodeStart(pair.key) ?? nodeStart(pair.value) ?? offset
      node = pair.value
    } else if (YAML.isSeq(node)) {
      const item = node.items[Number(seg)]
      if (item === undefined) break
      offset = nodeStart(item) ?? offset
      node = item
    } else {
      break
    }
  }

  return offset
}

function nodeStart(node: unknown): number | undefined {
  const range = (node as {range?: [number, number, number]} | null)?.range
  return range ? range[0] : undefined
}

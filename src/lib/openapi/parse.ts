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
    value = jsyaml.load(text, {schema: jsyaml.CORE_SCHEMA.extend([merge])})
  } catch (error) {
    return {diagnostics: await yamlSyntaxErrors(text, error as Error & {mark?: {column: number; line: number}; reason?: string}), ok: false}
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
  if (text.includes('&')) {
    const loop = findCycle(value)
    if (loop !== undefined) {
      const pos = (await spec.locate([loop])).get(loop)
      return {diagnostics: [{column: pos?.column ?? 0, fix: 'Do not use an alias (*name) inside the node its anchor (&name) marks.', line: pos?.line ?? 0, message: 'YAML error: an alias refers to a node that contains it (the document would be infinite)', path: loop, severity: 'error'}], ok: false}
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

/** The pointer of the first object that contains itself (YAML aliases can make loops), if any. */
function findCycle(root: unknown): string | undefined {
  const onPath = new Set<object>()
  const done = new Set<object>()
  const path: string[] = []
  const visit = (node: unknown): boolean => {
    if (node === null || typeof node !== 'object') return false
    if (onPath.has(node)) return true
    if (done.has(node)) return false
    onPath.add(node)
    for (const [key, child] of Object.entries(node)) {
      path.push(key)
      if (visit(child)) return true
      path.pop()
    }

    onPath.delete(node)
    done.add(node)
    return false
  }

  return visit(root) ? toPointer(path) : undefined
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

/**
 * JSON specs: `JSON.parse` for the value, `jsonc-parser` (imported when needed) for syntax errors
 * with positions and for the positions of diagnostics, in one scan of the text.
 */
import {offsetLocator, PARSE_LIMITS, type ParseResult, pointerSegments, type Position, tooDeep} from './position.js'
import type {Diagnostic} from './types.js'

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

export async function parseJson(text: string): Promise<ParseResult> {
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
  visit(text, trieVisitor(trie, (node, line, column) => {
    const pos = {column: column + 1, line: line + 1}
    reached.set(node, pos)
    if (node.pointer !== undefined) found.set(node.pointer, pos)
  }))
  fillMissing(trie, undefined, reached, found)
  return found
}

type Visitor = Parameters<typeof import('jsonc-parser').visit>[1]

/** jsonc-parser callbacks that follow the trie down the document and mark each wanted node met (0-based). */
function trieVisitor(trie: TrieNode, mark: (node: TrieNode, line: number, column: number) => void): Visitor {
  interface Frame {
    array: boolean
    index: number
    node: TrieNode | undefined
  }
  const stack: Frame[] = []
  let pending: TrieNode | undefined = trie
  const markIf = (node: TrieNode | undefined, line: number, column: number) => {
    if (node) mark(node, line, column)
  }

  // the trie node of the value that starts now (array items are keyed by index)
  const valueStart = (line: number, column: number): TrieNode | undefined => {
    const top = stack.at(-1)
    if (!top) {
      markIf(pending, line, column)
      return pending
    }

    if (!top.array) return pending
    const child = top.node?.children.get(String(top.index++))
    markIf(child, line, column)
    return child
  }

  const open = (array: boolean) => (_o: number, _l: number, line: number, column: number) => {
    const node = valueStart(line, column)
    stack.push({array, index: 0, node})
    return node !== undefined && node.children.size > 0
  }

  const close = () => {
    stack.pop()
  }

  return {
    onArrayBegin: open(true),
    onArrayEnd: close,
    onLiteralValue(_v, _o, _l, line, column) {
      valueStart(line, column)
    },
    onObjectBegin: open(false),
    onObjectEnd: close,
    onObjectProperty(name, _o, _l, line, column) {
      const child = stack.at(-1)?.node?.children.get(name)
      markIf(child, line, column)
      pending = child
    },
  }
}

/** Pointers never reached get the position of their deepest reached ancestor (or 1:1). */
function fillMissing(node: TrieNode, inherited: Position | undefined, reached: Map<TrieNode, Position>, found: Map<string, Position>): void {
  const here = reached.get(node) ?? inherited
  if (node.pointer !== undefined && !found.has(node.pointer)) found.set(node.pointer, here ?? {column: 1, line: 1})
  for (const child of node.children.values()) fillMissing(child, here, reached, found)
}

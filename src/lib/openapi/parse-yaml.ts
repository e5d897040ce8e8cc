/**
 * YAML specs: `js-yaml` (YAML 1.2 core schema, merge keys) for the value; the `yaml` package,
 * imported only when there is something to place, for syntax errors and positions (its nodes keep
 * their source ranges). Aliases are measured so that a small file cannot expand without bound.
 */
import {offsetLocator, PARSE_LIMITS, type ParsedSpec, type ParseResult, pointerSegments, type Position, toPointer, tooDeep} from './position.js'
import type {Diagnostic} from './types.js'

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
  const w: Walk = {height: new Map(), onPath: new Set(), path: [], result: {added: 0, aliases: 0}, size: new Map(), stack: []}
  if (root === null || typeof root !== 'object') return w.result
  enter(w, root)
  while (w.stack.length > 0) {
    const top = w.stack.at(-1) as Frame
    if (top.next < top.children.length) {
      const [key, child] = top.children[top.next++]
      if (!visitChild(w, top, key, child)) return w.result
    } else {
      leave(w, top)
    }
  }

  return w.result
}

interface Frame {
  children: Array<[string, unknown]>
  next: number
  node: object
  size: number
  height: number
}

/** The state of measureValue's walk: memoised sizes and heights, the current path and stack. */
interface Walk {
  height: Map<object, number>
  onPath: Set<object>
  path: string[]
  result: Measure
  size: Map<object, number>
  stack: Frame[]
}

function enter(w: Walk, node: object): void {
  w.onPath.add(node)
  w.stack.push({children: Object.entries(node), height: 0, next: 0, node, size: 1})
}

/** One child of the node on top; false when it closes a loop (the walk stops there). */
function visitChild(w: Walk, top: Frame, key: string, child: unknown): boolean {
  if (child === null || typeof child !== 'object') {
    top.size++
    return true
  }

  w.path.push(key)
  if (w.onPath.has(child)) {
    w.result.cycle = toPointer(w.path)
    return false
  }

  const known = w.size.get(child)
  if (known === undefined) {
    enter(w, child)
    return true
  }

  // a node seen before: an alias, which adds a copy of everything under it
  w.result.aliases++
  w.result.added += known
  if (w.result.large === undefined && w.result.added > PARSE_LIMITS.aliasValues) w.result.large = toPointer(w.path)
  top.size += known
  top.height = Math.max(top.height, w.height.get(child) as number)
  w.path.pop()
  return true
}

/** A node whose children are all measured: memoise it and add it to its parent. */
function leave(w: Walk, top: Frame): void {
  w.stack.pop()
  w.onPath.delete(top.node)
  const h = top.height + 1
  w.size.set(top.node, top.size)
  w.height.set(top.node, h)
  // depth of this node (its ancestors on the stack, plus itself) and what hangs under it
  if (w.result.deep === undefined && w.stack.length + h > PARSE_LIMITS.depth) w.result.deep = toPointer(w.path)
  const parent = w.stack.at(-1)
  if (parent) {
    parent.size += top.size
    parent.height = Math.max(parent.height, h)
    w.path.pop()
  }
}

const YAML_FIXES: Record<string, string> = {
  BAD_INDENT: 'Indent the lines of one block by the same number of spaces.',
  BLOCK_AS_IMPLICIT_KEY: 'Put a colon and a space after the key, or quote the text.',
  DUPLICATE_KEY: 'Remove or rename one of the two keys: YAML keys must be unique in a map.',
  MISSING_CHAR: 'Add the missing character (a closing quote or bracket).',
  MULTIPLE_DOCS: 'Keep one document in the file: remove the `---` separator and what follows.',
  TAB_AS_INDENT: 'Indent with spaces: YAML does not allow tabs for indentation.',
  UNEXPECTED_TOKEN: 'Check the indentation and quoting of this line.',
}

export async function parseYaml(text: string): Promise<ParseResult> {
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

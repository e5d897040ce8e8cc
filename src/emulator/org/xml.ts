/**
 * Salesforce metadata files (`*.object-meta.xml`, `*.field-meta.xml`) read with `fast-xml-parser`
 * (loaded on first use): checked for well-formedness first, so that a broken file is refused with
 * the line of the problem, then turned into a plain tree of elements and their text. Attributes are
 * skipped: metadata keeps its values in elements.
 */
import {createRequire} from 'node:module'

export interface XmlElement {
  children: XmlElement[]
  name: string
  text: string
}

export class XmlError extends Error {
  constructor(message: string, readonly line: number) {
    super(message)
    this.name = 'XmlError'
  }
}

/** A node of fast-xml-parser's ordered output: `{tag: [children]}` or `{'#text': value}`. */
type Ordered = Record<string, unknown>

interface FastXml {
  XMLParser: new (options: object) => {parse(text: string): Ordered[]}
  XMLValidator: {validate(text: string): true | {err: {code: string; line: number; msg: string}}}
}

let library: FastXml | undefined

const TEXT = '#text'

function element(node: Ordered): XmlElement | undefined {
  const name = Object.keys(node).find(k => k !== ':@' && k !== TEXT)
  if (name === undefined) return undefined
  const out: XmlElement = {children: [], name, text: ''}
  for (const child of node[name] as Ordered[]) {
    if (Object.hasOwn(child, TEXT)) out.text += String(child[TEXT])
    else {
      const el = element(child)
      if (el) out.children.push(el)
    }
  }

  return out
}

/** The root element of an XML document. */
export function parseXml(source: string): XmlElement {
  library ??= createRequire(import.meta.url)('fast-xml-parser') as FastXml
  const valid = library.XMLValidator.validate(source)
  if (valid !== true) throw new XmlError(valid.err.msg.replace(/\.$/, ''), valid.err.line)
  const parser = new library.XMLParser({ignoreAttributes: true, ignoreDeclaration: true, ignorePiTags: true, parseTagValue: false, preserveOrder: true, trimValues: false})
  const roots = parser.parse(source).map(n => element(n)).filter((e): e is XmlElement => e !== undefined)
  if (roots.length === 0) throw new XmlError('no root element', 1)
  return roots[0]
}

/** The text of the first child element named `name`, trimmed; undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find(c => c.name === name)?.text.trim()
}

/**
 * A small XML reader for Salesforce metadata files (`*.object-meta.xml`, `*.field-meta.xml`):
 * elements, text, entities, comments, CDATA and the XML declaration; attributes are skipped
 * (metadata keeps its values in elements). A file that is not well formed throws XmlError with the
 * line of the problem.
 */

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

const ENTITIES: Record<string, string> = {amp: '&', apos: "'", gt: '>', lt: '<', quot: '"'}

function decode(text: string, line: number): string {
  return text.replaceAll(/&(#x[0-9a-f]+|#\d+|\w+);|&/gi, (whole, name: string | undefined) => {
    if (!name) throw new XmlError('a bare "&" (write &amp;)', line)
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(Number.parseInt(name.slice(2), 16))
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)))
    if (!Object.hasOwn(ENTITIES, name)) throw new XmlError(`an unknown entity ${whole}`, line)
    return ENTITIES[name]
  })
}

/** The root element of an XML document. */
export function parseXml(source: string): XmlElement {
  const stack: XmlElement[] = [{children: [], name: '#document', text: ''}]
  let i = 0
  const lineAt = (at: number) => source.slice(0, at).split('\n').length
  while (i < source.length) {
    const lt = source.indexOf('<', i)
    const text = source.slice(i, lt === -1 ? source.length : lt)
    if (text.trim() !== '') {
      if (stack.length === 1) throw new XmlError('text outside the root element', lineAt(i))
      stack.at(-1)!.text += decode(text, lineAt(i))
    }

    if (lt === -1) break
    const close = (marker: string, from: number) => {
      const end = source.indexOf(marker, from)
      if (end === -1) throw new XmlError(`an unclosed ${source.slice(lt, lt + 9)}…`, lineAt(lt))
      return end + marker.length
    }

    if (source.startsWith('<?', lt)) i = close('?>', lt)
    else if (source.startsWith('<!--', lt)) i = close('-->', lt)
    else if (source.startsWith('<![CDATA[', lt)) {
      i = close(']]>', lt)
      stack.at(-1)!.text += source.slice(lt + 9, i - 3)
    } else if (source.startsWith('<!', lt)) i = close('>', lt)
    else {
      const end = close('>', lt)
      const tag = source.slice(lt + 1, end - 1)
      i = end
      const m = /^(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)$/.exec(tag)
      if (!m) throw new XmlError(`a malformed tag <${tag}>`, lineAt(lt))
      const [, closing, name, , selfClosing] = m
      if (closing) {
        const open = stack.pop()!
        if (open.name !== name) throw new XmlError(stack.length === 0 ? `a closing </${name}> with no open element` : `</${name}> closes <${open.name}>`, lineAt(lt))
        continue
      }

      if (stack.length === 1 && stack[0].children.length > 0) throw new XmlError('a second root element', lineAt(lt))
      const element: XmlElement = {children: [], name, text: ''}
      stack.at(-1)!.children.push(element)
      if (!selfClosing) stack.push(element)
    }
  }

  if (stack.length > 1) throw new XmlError(`<${stack.at(-1)!.name}> is never closed`, lineAt(source.length))
  const root = stack[0].children[0]
  if (!root) throw new XmlError('no root element', 1)
  return root
}

/** The text of the first child element named `name`, trimmed; undefined when there is none. */
export function childText(element: XmlElement, name: string): string | undefined {
  return element.children.find(c => c.name === name)?.text.trim()
}

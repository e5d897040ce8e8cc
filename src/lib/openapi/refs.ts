/**
 * `$ref` resolution inside the one file AppLink receives: every reference must be a local JSON
 * pointer (`#/components/...`) that exists. Every broken reference is reported, with the closest
 * existing name as a suggestion.
 */
import {pointerSegments, toPointer} from './parse.js'
import {type Draft, isObject} from './common.js'

/** Walks the document (skipping example values, which may hold anything) and checks each `$ref`. */
export function refDrafts(doc: Record<string, unknown>): Draft[] {
  const drafts: Draft[] = []
  const cache = new Map<string, Draft | null>()
  const path: string[] = []
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) {
        if (item !== null && typeof item === 'object') {
          path.push(String(i))
          walk(item)
          path.pop()
        }
      }

      return
    }

    if (!isObject(node)) return
    for (const key of Object.keys(node)) {
      const value = node[key]
      if (key === '$ref' && typeof value === 'string') {
        let problem = cache.get(value)
        if (problem === undefined) {
          problem = checkRef(doc, value)
          cache.set(value, problem)
        }

        if (problem) drafts.push({...problem, path: toPointer([...path, '$ref'])})
        continue
      }

      if (key === 'example' || value === null || typeof value !== 'object') continue
      // Example Objects keep literal data in `value`
      if (key === 'value' && path.at(-2) === 'examples') continue
      path.push(key)
      walk(value)
      path.pop()
    }
  }

  walk(doc)
  return drafts
}

function checkRef(doc: Record<string, unknown>, ref: string): Draft | null {
  if (!ref.startsWith('#')) {
    return {
      fix: 'Inline the referenced definition under components and point at it with #/components/…',
      message: `$ref '${ref}' points outside this file; AppLink receives only this file`,
      path: '',
      severity: 'error',
    }
  }

  let fragment: string
  try {
    fragment = decodeURIComponent(ref.slice(1))
  } catch {
    return {fix: 'Escape the reference correctly (%XX).', message: `$ref '${ref}' is not a valid URI fragment`, path: '', severity: 'error'}
  }

  if (fragment !== '' && !fragment.startsWith('/')) {
    return {fix: 'Use a JSON pointer such as #/components/schemas/Order.', message: `$ref '${ref}' is not a JSON pointer`, path: '', severity: 'error'}
  }

  let node: unknown = doc
  const segs = pointerSegments(fragment)
  for (const [i, seg] of segs.entries()) {
    const next = Array.isArray(node) ? node[Number(seg)] : isObject(node) && Object.hasOwn(node, seg) ? node[seg] : undefined
    if (next === undefined) {
      const where = i === 0 ? 'the document' : `#${toPointer(segs.slice(0, i))}`
      const names = isObject(node) ? Object.keys(node) : []
      const close = closest(seg, names)
      return {
        fix: close ? `Did you mean '#${toPointer([...segs.slice(0, i), close])}'?` : `Define '${seg}' under ${where}, or correct the reference.`,
        message: `$ref '${ref}' does not resolve: ${where} has no '${seg}'`,
        path: '',
        severity: 'error',
      }
    }

    node = next
  }

  return null
}

/** The most similar name (edit distance at most a third of the length), for "did you mean". */
export function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1
  const lower = word.toLowerCase()
  for (const c of candidates) {
    const d = c.toLowerCase() === lower ? 0 : distance(lower, c.toLowerCase())
    if (d < bestDistance) {
      best = c
      bestDistance = d
    }
  }

  return best
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return Number.POSITIVE_INFINITY
  let prev = Array.from({length: b.length + 1}, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    prev = row
  }

  return prev[b.length]
}

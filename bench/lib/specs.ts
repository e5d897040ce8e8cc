/**
 * The specs the publish figures use, made with bench/gen-spec.ts: the largest the service takes
 * (just under 3,000,000 bytes of YAML and 10,000,000 bytes of JSON, which fit whether "MB" means
 * 10^6 or 2^20 bytes, each with 2,000 operations) and one YAML spec over the limit either way.
 * Files are cached in .bench/specs/ and made again when missing.
 */
import {existsSync, mkdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {generateSpec} from '../gen-spec.js'

export interface BenchSpec {
  bytes: number
  /** operations in the spec */
  operations: number
  file: string
  format: 'json' | 'yaml'
  /** true for the spec that must be refused */
  overLimit: boolean
}

/**
 * The generator's text for `format` with as many bytes as it can get at most `limit`, with about
 * `operations` operations. The generator pads every operation by whole schema properties, so its
 * size moves in steps of several hundred KB; the operation count is nudged (by at most 10 %) to
 * land within 3 % of the limit.
 */
export function largestSpec(format: 'json' | 'yaml', limit: number, operations = 2000): {operations: number; text: string} {
  let best = {operations, text: ''}
  let ops = operations
  for (let i = 0; i < 6; i++) {
    const text = generateSpec({format, operations: ops, targetBytes: limit})
    const size = Buffer.byteLength(text)
    if (size <= limit && size > Buffer.byteLength(best.text)) best = {operations: ops, text}
    if (size <= limit && size >= limit * 0.97) break
    ops = Math.min(Math.round(operations * 1.1), Math.max(Math.round(operations * 0.9), Math.floor((ops * limit * 0.99) / size / 2) * 2))
  }

  return best
}

export function benchSpecs(dir: string, log: (s: string) => void): BenchSpec[] {
  mkdirSync(dir, {recursive: true})
  const wanted = [
    {file: join(dir, 'largest.yaml'), format: 'yaml' as const, limit: 3_000_000, overLimit: false},
    {file: join(dir, 'largest.json'), format: 'json' as const, limit: 10_000_000, overLimit: false},
    {file: join(dir, 'over-limit.yaml'), format: 'yaml' as const, limit: 3_400_000, overLimit: true},
  ]
  return wanted.map(w => {
    const meta = `${w.file}.operations`
    if (!existsSync(w.file) || !existsSync(meta)) {
      log(`generating ${w.file}`)
      const spec = w.overLimit ? {operations: 2000, text: generateSpec({format: w.format, operations: 2000, targetBytes: w.limit})} : largestSpec(w.format, w.limit)
      writeFileSync(w.file, spec.text)
      writeFileSync(meta, String(spec.operations))
    }

    return {bytes: statSync(w.file).size, file: w.file, format: w.format, operations: Number(readFileSync(meta, 'utf8')), overLimit: w.overLimit}
  })
}

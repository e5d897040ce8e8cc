/**
 * Parsing a spec's text (JSON or YAML) into a value, with positions on demand.
 *
 * Speed matters (specs up to 10 MB): values come from the fast parsers (`JSON.parse`, `js-yaml`
 * with the YAML 1.2 core schema), and positions are computed only when there are diagnostics to
 * place: for JSON in one pass of `jsonc-parser`'s scanner, for YAML from a `yaml` Document, whose
 * nodes keep their source ranges. A syntax error becomes a diagnostic with line and column (all of
 * them for YAML, as `yaml` reports them). Every parser is imported when first needed.
 */
import {parseJson} from './parse-json.js'
import {parseYaml} from './parse-yaml.js'
import type {ParseResult} from './position.js'

export {offsetLocator, PARSE_LIMITS, type ParsedSpec, type ParseResult, pointerSegments, type Position, toPointer} from './position.js'
export {jsonDepthOffset} from './parse-json.js'
export {measureValue} from './parse-yaml.js'

export async function parseSpecText(text: string, format: 'json' | 'yaml'): Promise<ParseResult> {
  return format === 'json' ? parseJson(text) : parseYaml(text)
}

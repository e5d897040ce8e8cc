/**
 * Checking an OpenAPI spec for AppLink, locally and before anything is sent: size limits, syntax
 * (with positions), OpenAPI 3.0 structure, `$ref`s, AppLink's rules, and conflicts between
 * `--metadata-dir` files and the authorization flags. Every problem is reported at once, each with
 * a line, a column, a reason and a fix. Shared by `salesforce:publish`, `applink:spec:validate`
 * and the emulator (which calls `checkSpecText` on uploads): no CLI dependencies here.
 */
import {readFile, stat} from 'node:fs/promises'
import {extname} from 'node:path'

import {MB, PUBLISH_LIMITS, specLimit} from '../../contract/limits.js'
import {AppLinkError, ExitCode, invalidInput} from '../api/errors.js'
import {parseSpecText} from './parse.js'
import {refDrafts} from './refs.js'
import {type Draft, isObject} from './common.js'
import {apiNameProblem, applinkRules} from './rules.js'
import {schemaDrafts, versionDrafts} from './structure.js'
import type {Diagnostic, SpecReport} from './types.js'

/**
 * Limits of the publish API, checked before anything is read or sent: the contract's numbers
 * (decimal MB), shared with the emulator (`src/contract/limits.ts`).
 */
export {MB, PUBLISH_LIMITS as LIMITS} from '../../contract/limits.js'

export const METADATA_FILES = ['connectedapp-meta.xml', 'permissionset-meta.xml'] as const

export interface AuthorizationNames {
  /** --authorization-connected-app-name (deprecated) */
  connectedAppName?: string
  /** --authorization-external-client-app-name */
  externalClientAppName?: string
  /** --authorization-permission-set-name */
  permissionSetName?: string
}

export interface CheckOptions {
  /** the flags that name what Salesforce creates from AppLink's templates */
  authorization?: AuthorizationNames
  /** 'json' or 'yaml'; by default from the file name's extension, else from the first character */
  format?: 'json' | 'yaml'
  /** how to name the metadata directory in messages (e.g. the --metadata-dir value) */
  metadataDir?: string
  /** names of the files that go with the spec (from --metadata-dir, or the uploaded zip) */
  metadataFiles?: string[]
}

export function formatFromName(fileName: string): 'json' | 'yaml' | undefined {
  const ext = extname(fileName).toLowerCase()
  if (ext === '.json') return 'json'
  if (ext === '.yaml' || ext === '.yml') return 'yaml'
  return undefined
}

/** "3.57 MB (3,565,158 bytes)" */
export function sizeText(bytes: number): string {
  const exact = `${bytes.toLocaleString('en-US')} bytes`
  if (bytes < 1000) return exact
  const value = bytes >= MB ? `${(bytes / MB).toFixed(bytes < 10 * MB ? 2 : 1)} MB` : `${(bytes / 1000).toFixed(1)} KB`
  return `${value} (${exact})`
}

/** The size-limit diagnostic, or undefined when the spec fits. */
export function sizeDiagnostic(bytes: number, format: 'json' | 'yaml'): Diagnostic | undefined {
  const limit = specLimit(format)
  if (bytes <= limit) return undefined
  return {
    column: 0,
    fix: format === 'yaml'
      ? `Trim the spec (unused schemas, long examples), split the API, or publish it as JSON, whose limit is ${PUBLISH_LIMITS.jsonBytes / MB} MB.`
      : 'Trim the spec (unused schemas, long examples) or split the API into several publications.',
    line: 0,
    message: `the spec is ${sizeText(bytes)}; AppLink takes ${format.toUpperCase()} specs up to ${limit / MB} MB (${limit.toLocaleString('en-US')} bytes)`,
    path: '',
    severity: 'error',
  }
}

function report(file: string, format: 'json' | 'yaml', bytes: number, diagnostics: Diagnostic[], extra: Partial<SpecReport> = {}): SpecReport {
  return {bytes, diagnostics, file, format, ok: !diagnostics.some(d => d.severity === 'error'), operations: [], ...extra}
}

/** Checks the text (or bytes) of a spec. `fileName` is used in messages and to pick the format. */
export async function checkSpecText(text: string | Uint8Array, fileName: string, options: CheckOptions = {}): Promise<SpecReport> {
  return (await checkSpecDocument(text, fileName, options)).report
}

/** `checkSpecText`, also returning the parsed document when it could be parsed (for `applink:invoke`). */
export async function checkSpecDocument(text: string | Uint8Array, fileName: string, options: CheckOptions = {}): Promise<{document?: unknown; report: SpecReport}> {
  const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.byteLength
  const format = options.format ?? formatFromName(fileName) ?? sniffFormat(text)
  const pre: Diagnostic[] = []
  if (!options.format && !formatFromName(fileName)) {
    pre.push({column: 0, fix: 'Rename the file to end in .json, .yaml or .yml.', line: 0, message: `the file name has no .json, .yaml or .yml extension; AppLink needs one to name the spec in the upload (read as ${format.toUpperCase()} here)`, path: '', severity: 'error'})
  }

  // problems with the flags and the metadata directory have no position in the spec
  pre.push(...metadataDrafts(options).map(d => ({...d, column: 0, line: 0})))
  const tooBig = sizeDiagnostic(bytes, format)
  if (tooBig) return {report: report(fileName, format, bytes, [...pre, tooBig])}

  let source: string
  if (typeof text === 'string') {
    source = text
  } else {
    try {
      source = new TextDecoder('utf-8', {fatal: true}).decode(text)
    } catch {
      return {report: report(fileName, format, bytes, [...pre, {column: 0, fix: 'Save the file as UTF-8.', line: 0, message: 'the file is not UTF-8 text', path: '', severity: 'error'}])}
    }
  }

  if (source.trim() === '') {
    return {report: report(fileName, format, bytes, [...pre, {column: 0, fix: 'Write the OpenAPI 3.0 document into the file.', line: 0, message: 'the file is empty', path: '', severity: 'error'}])}
  }

  const parsed = await parseSpecText(source, format)
  if (!parsed.ok) return {report: report(fileName, format, bytes, [...pre, ...parsed.diagnostics])}

  const doc = parsed.spec.value
  const drafts = versionDrafts(doc)
  let extra: Partial<SpecReport> = {}
  if (drafts.length === 0 && isObject(doc)) {
    const structure = await schemaDrafts(doc)
    const rules = applinkRules(doc)
    drafts.push(...structure, ...refDrafts(doc), ...rules.drafts)
    const info = isObject(doc.info) ? doc.info : {}
    extra = {
      operations: rules.operations,
      servers: rules.servers,
      ...(typeof info.title === 'string' ? {title: info.title} : {}),
      ...(rules.topic ? {topic: rules.topic} : {}),
      ...(typeof info.version === 'string' ? {version: info.version} : {}),
    }
  }

  const diagnostics = await place(drafts, parsed.spec.locate)
  return {document: doc, report: report(fileName, format, bytes, [...pre, ...diagnostics], extra)}
}

/** Gives drafts their positions (one lookup pass), drops repeats, and sorts them by position. */
async function place(drafts: Draft[], locate: (pointers: Iterable<string>) => Promise<Map<string, {column: number; line: number}>>): Promise<Diagnostic[]> {
  if (drafts.length === 0) return []
  const positions = await locate(new Set(drafts.map(d => d.path)))
  const seen = new Set<string>()
  const out: Diagnostic[] = []
  for (const d of drafts) {
    const key = `${d.path}\u0000${d.message}`
    if (seen.has(key)) continue
    seen.add(key)
    const pos = positions.get(d.path)
    out.push({column: pos?.column ?? 0, ...(d.fix ? {fix: d.fix} : {}), line: pos?.line ?? 0, message: d.message, path: d.path, severity: d.severity})
  }

  return out.sort((a, b) => a.line - b.line || a.column - b.column)
}

/** Conflicts between --metadata-dir files and the authorization flags, and malformed flag values. */
function metadataDrafts(options: CheckOptions): Draft[] {
  const drafts: Draft[] = []
  const files = new Set(options.metadataFiles ?? [])
  const dir = options.metadataDir ?? 'the metadata directory'
  const auth = options.authorization ?? {}
  // a metadata file and the flag that define the same thing
  const overlaps: Array<[file: string, flag: string, value: string | undefined, what: string]> = [
    ['permissionset-meta.xml', '--authorization-permission-set-name', auth.permissionSetName, 'the permission set'],
    ['connectedapp-meta.xml', '--authorization-connected-app-name', auth.connectedAppName, 'the connected app'],
  ]
  for (const [file, flag, value, what] of overlaps) {
    if (!files.has(file) || !value) continue
    drafts.push({
      fix: `Keep one: remove ${flag}, or remove ${file} from the directory.`,
      message: `${flag} ${value} conflicts with ${file} in ${dir}: both define ${what}`,
      path: '',
      severity: 'error',
    })
  }

  const flagNames: Array<[string, string | undefined]> = [
    ['--authorization-connected-app-name', auth.connectedAppName],
    ['--authorization-external-client-app-name', auth.externalClientAppName],
    ['--authorization-permission-set-name', auth.permissionSetName],
  ]
  for (const [flag, value] of flagNames) {
    if (value === undefined) continue
    const problem = apiNameProblem(value)
    if (problem) drafts.push({fix: 'Use a Salesforce API name: a letter first, then letters, digits and single underscores.', message: `${flag} ${JSON.stringify(value)} is not a Salesforce API name: ${problem}`, path: '', severity: 'error'})
  }

  return drafts
}

function sniffFormat(text: string | Uint8Array): 'json' | 'yaml' {
  const head = typeof text === 'string' ? text.slice(0, 64) : Buffer.from(text.subarray(0, 64)).toString('utf8')
  return /^\uFEFF?\s*[{[]/.test(head) ? 'json' : 'yaml'
}

export interface LoadedSpec {
  /** the file's bytes, unchanged (undefined when a limit stopped the check before reading) */
  data?: Buffer
  /** the parsed document, when it could be parsed */
  document?: unknown
  report: SpecReport
}

/**
 * Checks a spec file. The size is checked with `stat` before the file is read, so an oversized
 * spec is refused at once. A missing or unreadable file is an invalid-input AppLinkError.
 */
export async function loadSpecFile(path: string, options: CheckOptions = {}): Promise<LoadedSpec> {
  let size: number
  try {
    const s = await stat(path)
    if (s.isDirectory()) throw invalidInput('spec_is_directory', `${path} is a directory, not an OpenAPI spec file.`, ['Give the path of the .json or .yaml spec file.'])
    size = s.size
  } catch (error) {
    if (error instanceof AppLinkError) throw error
    throw fileError(path, error)
  }

  const format = options.format ?? formatFromName(path)
  const tooBig = format ? sizeDiagnostic(size, format) : sizeDiagnostic(size, 'json')
  if (tooBig) {
    const pre: Diagnostic[] = format ? [] : [{column: 0, fix: 'Rename the file to end in .json, .yaml or .yml.', line: 0, message: 'the file name has no .json, .yaml or .yml extension', path: '', severity: 'error'}]
    return {report: report(path, format ?? 'json', size, [...pre, tooBig])}
  }

  let data: Buffer
  try {
    data = await readFile(path)
  } catch (error) {
    throw fileError(path, error)
  }

  return {data, ...(await checkSpecDocument(data, path, options))}
}

/** `loadSpecFile` without the bytes. */
export async function checkSpecFile(path: string, options: CheckOptions = {}): Promise<SpecReport> {
  return (await loadSpecFile(path, options)).report
}

function fileError(path: string, error: unknown): AppLinkError {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'ENOENT') return invalidInput('file_not_found', `The spec file ${path} does not exist.`, ['Check the path, relative to the current directory.'])
  if (code === 'EACCES' || code === 'EPERM') return invalidInput('file_unreadable', `The spec file ${path} cannot be read (permission denied).`)
  return new AppLinkError(`The spec file ${path} cannot be read: ${(error as Error).message}`, {exitCode: ExitCode.INVALID_INPUT, id: 'file_unreadable'})
}

/** A spec with errors: carries the diagnostics into `--json` error output. */
export class SpecError extends AppLinkError {
  readonly diagnostics: Diagnostic[]
  readonly report: SpecReport

  /**
   * `dryRun`: the check of `salesforce:publish --dry-run`, which never publishes anyway; `outcome` and
   * `hint` name what did not happen for another command (publishing, by default)
   */
  constructor(report: SpecReport, options: {dryRun?: boolean; hint?: string; outcome?: string} = {}) {
    const errors = report.diagnostics.filter(d => d.severity === 'error').length
    const count = `${report.file} has ${errors} error${errors === 1 ? '' : 's'}`
    const check = 'Check a spec alone with: heroku applink:spec:validate FILE'
    super(options.dryRun ? `${count}: it cannot be published until ${errors === 1 ? 'it is' : 'they are'} fixed (dry run: nothing was sent).` : `${count}; ${options.outcome ?? 'nothing was published'}.`, {
      exitCode: ExitCode.INVALID_INPUT,
      hints: [options.dryRun
        ? `Fix the ${errors === 1 ? 'error' : 'errors'} listed above, then run the dry run again.`
        : `${options.hint ?? 'Fix the errors listed above, then publish again.'} ${check}`],
      id: 'invalid_spec',
    })
    this.diagnostics = report.diagnostics
    this.report = report
  }

  toJSON(): Record<string, unknown> {
    return {...super.toJSON(), diagnostics: this.diagnostics}
  }
}

/**
 * What the mesh runs with: `heroku-applink-service-mesh.yaml` (read strictly, as the production
 * mesh decodes it: an unknown key is an error), the ports (`--port`, else `PORT`, else 8070 for the
 * mesh; `--app-port`, else `APP_PORT`, else the YAML's `app.port`, else 3000 for the app) and the
 * switches of the environment (`HEROKU_APPLINK_SERVICE_MESH_BYPASS_ALL_ROUTES`, `GO_LOG`).
 */
import {readFile} from 'node:fs/promises'
import {resolve} from 'node:path'

import {invalidInput} from '../api/errors.js'

export const CONFIG_FILE = 'heroku-applink-service-mesh.yaml'
export const DEFAULT_MESH_PORT = 8070
export const DEFAULT_APP_PORT = 3000

export interface MeshFileConfig {
  app: {host: string; port?: string}
  bypassRoutes: string[]
  healthcheck: {enable: string; route: string}
  /** the file read, when there was one */
  file?: string
}

/** The keys the production mesh knows; anything else is refused as it refuses it. */
const SHAPE: Record<string, 'list' | 'scalar' | Record<string, unknown>> = {
  app: {host: 'scalar', port: 'scalar'},
  mesh: {authentication: {bypassRoutes: 'list'}, healthcheck: {enable: 'scalar', route: 'scalar'}},
}

const KNOWN = 'app.host, app.port, mesh.authentication.bypassRoutes, mesh.healthcheck.enable, mesh.healthcheck.route'

function configError(file: string, line: number | undefined, problem: string): Error {
  return invalidInput('invalid_mesh_config', `${file}${line ? ` line ${line}` : ''}: ${problem}; the mesh did not start.`, [
    `The mesh reads ${KNOWN} (docs/mesh.md). Fix the file, or give another with --config FILE.`,
  ])
}

/**
 * Reads the YAML file: `--config FILE` (which must exist), else `heroku-applink-service-mesh.yaml`
 * in `cwd` when there is one, else the defaults. A file that does not parse, or holds an unknown
 * key or a value of the wrong kind, is one error naming the file and the line (exit 2).
 */
export async function loadMeshConfig(configFlag: string | undefined, cwd: string): Promise<MeshFileConfig> {
  const defaults: MeshFileConfig = {app: {host: 'http://127.0.0.1'}, bypassRoutes: [], healthcheck: {enable: 'true', route: '/healthcheck'}}
  const file = configFlag ?? CONFIG_FILE
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (!configFlag && code === 'ENOENT') return defaults
    throw invalidInput('invalid_mesh_config', `--config ${file}: ${code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? (error as Error).message})`}; the mesh did not start.`, [`Give the path of the mesh's YAML file, e.g. --config ${CONFIG_FILE}.`])
  }

  const {LineCounter, parseDocument, isMap, isScalar, isSeq} = await import('yaml')
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: true, uniqueKeys: true})
  const lineOf = (node: unknown) => {
    const range = (node as {range?: [number, number, number]} | undefined)?.range
    return range ? lines.linePos(range[0]).line : undefined
  }

  if (doc.errors.length > 0) {
    const [first] = doc.errors
    throw configError(file, first.linePos?.[0].line, `not valid YAML: ${first.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`)
  }

  const out: MeshFileConfig = {...defaults, file}
  const walk = (node: unknown, shape: Record<string, unknown>, path: string[]): void => {
    if (node === null || node === undefined || (isScalar(node) && (node.value === null))) return
    if (!isMap(node)) throw configError(file, lineOf(node), `${path.join('.') || 'the file'} must be a mapping of keys`)
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
      const want = shape[key]
      const here = [...path, key]
      if (!want) throw configError(file, lineOf(pair.key), `unknown key "${key}"${path.length > 0 ? ` under ${path.join('.')}` : ''}`)
      if (want === 'scalar') {
        if (!isScalar(pair.value) || pair.value.value === null || typeof pair.value.value === 'object') throw configError(file, lineOf(pair.value ?? pair.key), `${here.join('.')} must be a single value`)
        assign(out, here.join('.'), String(pair.value.value))
      } else if (want === 'list') {
        if (!isSeq(pair.value)) throw configError(file, lineOf(pair.value ?? pair.key), `${here.join('.')} must be a list of routes`)
        const items = pair.value.items.map(item => {
          if (!isScalar(item) || item.value === null || typeof item.value === 'object') throw configError(file, lineOf(item), `${here.join('.')} must hold routes (text), one per item`)
          return String(item.value)
        })
        out.bypassRoutes = items
      } else {
        walk(pair.value, want as Record<string, unknown>, here)
      }
    }
  }

  walk(doc.contents, SHAPE, [])
  return out
}

function assign(out: MeshFileConfig, key: string, value: string): void {
  if (key === 'app.host') out.app = {...out.app, host: value}
  else if (key === 'app.port') out.app = {...out.app, port: value}
  else if (key === 'mesh.healthcheck.enable') out.healthcheck = {...out.healthcheck, enable: value}
  else if (key === 'mesh.healthcheck.route') out.healthcheck = {...out.healthcheck, route: value}
}

/** Go's `strconv.ParseBool`: undefined for anything else. */
export function parseGoBool(value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false
  return undefined
}

/** A port from a flag or a variable: an integer 0–65535 (0: a free one), else an input error naming where it came from. */
export function parsePort(value: number | string, from: string): number {
  const text = String(value).trim()
  const n = Number(text)
  if (!/^\d+$/.test(text) || n > 65_535) throw invalidInput('invalid_port', `${from} is ${JSON.stringify(String(value))}, not a port number (0–65535).`, [`Give a port such as 3000${from.startsWith('--') ? '' : `, e.g. ${from.replace(/^\$/, '')}=3000`}.`])
  return n
}

export interface Ports {
  /** where the app listens and the mesh forwards */
  appPort: number
  /** what names the app port in messages: `--app-port`, `$APP_PORT`, `app.port` of the file, or the default */
  appPortFrom: string
  port: number
}

/** The mesh's port and the app's, by the production mesh's rules, with the flags first. */
export function resolvePorts(flags: {appPort?: number; port?: number}, env: NodeJS.ProcessEnv, file: MeshFileConfig): Ports {
  const port = flags.port ?? (env.PORT ? parsePort(env.PORT, '$PORT') : DEFAULT_MESH_PORT)
  let appPort = DEFAULT_APP_PORT
  let appPortFrom = 'the default app port'
  if (flags.appPort !== undefined) [appPort, appPortFrom] = [flags.appPort, '--app-port']
  else if (env.APP_PORT) [appPort, appPortFrom] = [parsePort(env.APP_PORT, '$APP_PORT'), '$APP_PORT']
  else if (file.app.port) [appPort, appPortFrom] = [parsePort(file.app.port, `app.port of ${file.file}`), `app.port of ${file.file}`]
  if (port !== 0 && port === appPort) {
    throw invalidInput('invalid_port', `The mesh and the app cannot both listen on port ${port} (${appPortFrom} and the mesh's port are the same).`, ['The mesh listens on --port (else $PORT, else 8070) and the app on --app-port (else $APP_PORT, else 3000): give them different ports.'])
  }

  return {appPort, appPortFrom, port}
}

/** The host the mesh forwards to, from the YAML's `app.host` (`http://127.0.0.1` by default). */
export function appHostname(file: MeshFileConfig): string {
  const raw = file.app.host
  try {
    const url = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`)
    if (url.protocol !== 'http:') throw new Error('not http')
    return url.hostname.replace(/^\[|\]$/g, '')
  } catch {
    throw invalidInput('invalid_mesh_config', `${file.file ?? CONFIG_FILE}: app.host ${JSON.stringify(raw)} is not an http:// address; the mesh did not start.`, ['Write it as http://127.0.0.1 (the default), or leave it out.'])
  }
}

/** The mesh's flags that take a value (the rest of the command line after the first other word is the app's). */
const VALUE_FLAGS = new Set(['-a', '--app', '-r', '--remote', '--addon', '-p', '--port', '--app-port', '--config'])

/**
 * Splits a command line as the production binary reads its own: the mesh's flags first, then the
 * app's command, either after `--` or from the first word that is not a flag of the mesh
 * (`heroku applink:mesh npm start`, `heroku applink:mesh --port 5000 -- uvicorn app:app --port 3000`).
 */
export function splitCommandLine(argv: string[]): {command: string[]; flags: string[]} {
  const flags: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]
    if (word === '--') return {command: argv.slice(i + 1), flags}
    if (!word.startsWith('-') || word === '-') return {command: argv.slice(i), flags}
    flags.push(word)
    if (VALUE_FLAGS.has(word) && i + 1 < argv.length) flags.push(argv[++i])
  }

  return {command: [], flags}
}

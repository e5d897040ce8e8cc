/**
 * `applink:emulator:exec`: the emulator around one command (a test run). It starts the emulator in
 * this process (on a fresh temporary data directory unless one is given), optionally makes the app
 * and its add-ons, runs the command with the emulator's (and the app's) environment, passes its
 * exit code through, and stops everything afterwards.
 *
 * No process is ever left behind:
 * - the command runs in a session and process group of its own: a signal this process gets
 *   (SIGINT, SIGTERM) is forwarded to the whole group, this process waits for the command to end,
 *   then stops the emulator; what the command left running in its group is stopped too (SIGTERM,
 *   then SIGKILL after GRACE_MS);
 * - the emulator runs in this process, so it dies with it;
 * - a watchdog process holds a pipe from this one: if this process dies without cleaning up
 *   (kill -9), the pipe closes and the watchdog stops the command's group and removes the
 *   temporary data directory.
 * Process groups are POSIX: Linux and macOS.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import {accessSync, constants as fsConstants, mkdtempSync, rmSync, statSync} from 'node:fs'
import {constants as osConstants, tmpdir} from 'node:os'
import {delimiter, join, resolve} from 'node:path'

import type {Emulator} from '../server/server.js'

/** How long what is left in the command's process group gets between SIGTERM and SIGKILL. */
export const GRACE_MS = 3000

export interface ExecOptions {
  /** add-on services to create on `app` when it has none of them (`--addons heroku-applink`) */
  addons: string[]
  app?: string
  autoApprove: boolean
  /** the command and its arguments (what follows `--`) */
  command: string[]
  /** create `app` when the emulator has no such app */
  createApp: boolean
  /** a data directory to use and keep; undefined: a fresh temporary one, removed afterwards */
  dataDir?: string
  orgData?: string
  port: number
  /** stdin is a terminal: the command gets none (it has no controlling terminal to read it from) */
  stdinIsTerminal: boolean
  verbose: boolean
}

export interface ExecHooks {
  /**
   * From now until the returned function is called, SIGINT and SIGTERM go to `onSignal` only: the
   * process must not exit by itself (it waits for the command, then stops the emulator).
   */
  holdSignals(onSignal: (signal: NodeJS.Signals) => void): () => void
  /** a line for stderr (the emulator's log with --verbose) */
  note(line: string): void
}

/** A failure before or around the command, with the exit code a shell would give (127 not found, 126 not executable). */
export class ExecError extends Error {
  readonly exitCode: number
  readonly hints: string[]
  readonly id: string

  constructor(message: string, options: {exitCode: number; hints?: string[]; id: string}) {
    super(message)
    this.name = 'ExecError'
    this.exitCode = options.exitCode
    this.hints = options.hints ?? []
    this.id = options.id
  }
}

/** 128 + the signal's number, as shells report a command a signal ended (130 for SIGINT). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (osConstants.signals[signal] ?? 0)
}

/**
 * Checks that `name` can be run as a shell would look it up (a path when it holds a `/`, else the
 * first executable file of that name in PATH): 127 when there is none, 126 when it is not executable.
 */
export function checkCommand(name: string, path: string | undefined, cwd = process.cwd()): void {
  const executable = (file: string): 'missing' | 'not-executable' | 'ok' => {
    try {
      if (!statSync(file).isFile()) return 'not-executable'
      accessSync(file, fsConstants.X_OK)
      return 'ok'
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'not-executable'
    }
  }

  if (name.includes('/')) {
    const state = executable(resolve(cwd, name))
    if (state === 'missing') throw new ExecError(`${name}: no such file.`, {exitCode: 127, hints: ['Check the path of the command after --.'], id: 'command_not_found'})
    if (state === 'not-executable') throw new ExecError(`${name}: not an executable file.`, {exitCode: 126, hints: [`Make it executable (chmod +x ${name}), or run it through its interpreter (sh ${name}).`], id: 'command_not_executable'})
    return
  }

  for (const dir of (path ?? '').split(delimiter)) {
    if (executable(resolve(cwd, dir || '.', name)) === 'ok') return
  }

  throw new ExecError(`${name}: command not found.`, {exitCode: 127, hints: ['Check its spelling, install it, or give its path (./script.sh); it is looked up in PATH.'], id: 'command_not_found'})
}

/** The emulator's answer to one of our own setup calls. */
async function api(emu: Emulator, method: string, path: string, body?: unknown): Promise<{body: any; status: number}> {
  const res = await fetch(`${emu.url}${path}`, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${emu.apiKey}`, 'content-type': 'application/json'},
    method,
  })
  const text = await res.text()
  return {body: text ? JSON.parse(text) : undefined, status: res.status}
}

/** The app's environment on a dyno: its config vars, HEROKU_APP_ID and HEROKU_APP_NAME; the app (and add-ons) made first when asked. */
async function appEnvironment(emu: Emulator, options: ExecOptions, note: (line: string) => void): Promise<Record<string, string>> {
  const name = options.app!
  const ref = encodeURIComponent(name)
  let app = await api(emu, 'GET', `/apps/${ref}`)
  if (app.status === 404 && options.createApp) {
    app = await api(emu, 'POST', '/apps', {name})
    if (app.status !== 201) throw new ExecError(`Cannot create the app ${name}: ${app.body?.message}`, {exitCode: 2, id: 'invalid_app'})
    note(`applink:emulator:exec: created the app ${name}`)
  }

  if (app.status === 404) {
    throw new ExecError(`The emulator has no app ${name}.`, {exitCode: 2, hints: [`Add --create-app to create it before the command runs${options.dataDir ? '' : ' (the emulator starts empty without --data-dir)'}.`], id: 'app_not_found'})
  }

  if (app.status !== 200 && app.status !== 201) throw new ExecError(`Cannot read the app ${name}: HTTP ${app.status} ${app.body?.message ?? ''}`.trim(), {exitCode: 1, id: 'emulator_failed'})
  for (const service of options.addons) {
    const addons = await api(emu, 'GET', `/apps/${ref}/addons`)
    if ((addons.body as {addon_service?: {name?: string}}[]).some(a => a.addon_service?.name === service)) continue
    const created = await api(emu, 'POST', `/apps/${ref}/addons`, {plan: service})
    if (created.status !== 201) throw new ExecError(`Cannot create the add-on ${service} on ${name}: ${created.body?.message}`, {exitCode: 2, id: 'invalid_addon'})
    note(`applink:emulator:exec: created the add-on ${created.body.name} (${service}) on ${name}`)
  }

  const vars = await api(emu, 'GET', `/apps/${ref}/config-vars`)
  return {...vars.body as Record<string, string>, HEROKU_APP_ID: app.body.id, HEROKU_APP_NAME: app.body.name}
}

/**
 * The watchdog: a small process that reads a pipe from this one. Its first line says which
 * process group to stop and which directory to remove; when the pipe closes before this process
 * killed it (this process died), it does both and exits.
 */
const WATCHDOG = `
let text = '', job
const alive = pgid => { try { process.kill(-pgid, 0); return true } catch (e) { return e.code === 'EPERM' } }
process.on('SIGINT', () => {})
process.stdin.setEncoding('utf8')
process.stdin.on('data', d => { text += d; if (!job && text.includes('\\n')) job = JSON.parse(text.slice(0, text.indexOf('\\n'))) })
process.stdin.on('close', async () => {
  if (job && job.pgid) {
    try { process.kill(-job.pgid, 'SIGTERM') } catch {}
    const end = Date.now() + ${GRACE_MS}
    while (alive(job.pgid) && Date.now() < end) await new Promise(r => setTimeout(r, 50))
    try { process.kill(-job.pgid, 'SIGKILL') } catch {}
  }
  if (job && job.dir) require('node:fs').rmSync(job.dir, {force: true, recursive: true, maxRetries: 3})
  process.exit(0)
})
`

function startWatchdog(): ChildProcess {
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG], {detached: true, stdio: ['pipe', 'ignore', 'ignore']})
  watchdog.on('error', () => {})
  watchdog.stdin!.on('error', () => {})
  watchdog.unref()
  return watchdog
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {}
}

/** Stops what is left in the command's group: SIGTERM, then SIGKILL after GRACE_MS. */
async function endGroup(pgid: number): Promise<void> {
  if (!groupAlive(pgid)) return
  signalGroup(pgid, 'SIGTERM')
  const end = Date.now() + GRACE_MS
  while (groupAlive(pgid) && Date.now() < end) {
    await new Promise(r => {
      setTimeout(r, 50)
    })
  }

  signalGroup(pgid, 'SIGKILL')
}

/** The command's end: its exit code or signal, or the error that kept it from starting. */
function ended(child: ChildProcess): Promise<{code: null | number; error?: NodeJS.ErrnoException; signal: NodeJS.Signals | null}> {
  return new Promise(resolveEnd => {
    child.once('error', error => resolveEnd({code: null, error, signal: null}))
    child.once('exit', (code, signal) => resolveEnd({code, signal}))
  })
}

async function startEmulatorFor(options: ExecOptions, dataDir: string, note: (line: string) => void): Promise<Emulator> {
  const {startEmulator} = await import('../server/server.js')
  try {
    return await startEmulator({
      autoApprove: options.autoApprove,
      dataDir,
      log(line, kind) {
        if (kind === 'error' || options.verbose) note(`emulator: ${line}`)
      },
      orgData: options.orgData,
      port: options.port,
    })
  } catch (error) {
    const badSeed = (error as Error).name === 'SeedError'
    throw new ExecError((error as Error).message, {exitCode: badSeed ? 2 : 1, id: badSeed ? 'invalid_org_data' : 'emulator_failed'})
  }
}

/** Runs the command around an emulator; resolves with the exit code to exit with. Throws ExecError before the command runs. */
export async function execWithEmulator(options: ExecOptions, hooks: ExecHooks): Promise<number> {
  const [command, ...args] = options.command
  checkCommand(command, process.env.PATH)
  const tempDir = options.dataDir === undefined ? mkdtempSync(join(tmpdir(), 'applink-emulator-exec-')) : undefined
  const dataDir = options.dataDir ?? tempDir!
  let interrupted: NodeJS.Signals | undefined
  let child: ChildProcess | undefined
  let signals = 0
  const release = hooks.holdSignals(signal => {
    signals++
    interrupted ??= signal
    // a third Ctrl-C does not wait any more
    if (child?.pid) signalGroup(child.pid, signals >= 3 ? 'SIGKILL' : signal)
  })
  const stopIfInterrupted = () => {
    if (interrupted) throw new ExecError(`Interrupted before ${command} started.`, {exitCode: signalExitCode(interrupted), id: 'interrupted'})
  }

  let emu: Emulator | undefined
  let watchdog: ChildProcess | undefined
  try {
    // --snapshot FILE (planned, not built yet): the store it names is put into dataDir here, before the emulator opens it
    emu = await startEmulatorFor(options, dataDir, hooks.note)
    if (options.verbose) hooks.note(`applink:emulator:exec: emulator on ${emu.url}, store ${emu.store.file}${tempDir ? ' (removed afterwards)' : ''}`)
    stopIfInterrupted()
    const appEnv = options.app === undefined ? {} : await appEnvironment(emu, options, options.verbose ? hooks.note : () => {})
    stopIfInterrupted()
    const env = {...process.env, ...appEnv, HEROKU_API_KEY: emu.apiKey, HEROKU_HOST: emu.url}
    watchdog = startWatchdog()
    child = spawn(command, args, {detached: true, env, stdio: [options.stdinIsTerminal ? 'ignore' : 'inherit', 'inherit', 'inherit']})
    if (child.pid) watchdog.stdin!.write(`${JSON.stringify({dir: tempDir, pgid: child.pid})}\n`)
    const end = await ended(child)
    if (end.error) {
      const missing = end.error.code === 'ENOENT'
      throw new ExecError(`${command}: ${missing ? 'command not found' : end.error.message}.`, {exitCode: missing ? 127 : 126, id: missing ? 'command_not_found' : 'command_not_executable'})
    }

    await endGroup(child.pid!)
    const code = interrupted ? signalExitCode(interrupted) : end.signal ? signalExitCode(end.signal) : end.code ?? 1
    if (options.verbose) hooks.note(`applink:emulator:exec: ${command} ${end.signal ? `ended by ${end.signal}` : `exited with ${end.code}`}; exit ${code}`)
    return code
  } finally {
    watchdog?.kill('SIGKILL')
    await emu?.close()
    if (tempDir) rmSync(tempDir, {force: true, maxRetries: 3, recursive: true})
    release()
  }
}

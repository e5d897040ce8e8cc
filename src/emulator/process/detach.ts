/**
 * `applink:emulator --detach` and `--stop`: start the emulator as a background process that
 * outlives the command (its log in `emulator.log` of the data directory), and stop the one that
 * holds a data directory's lock.
 */
import {spawn} from 'node:child_process'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync} from 'node:fs'
import {chmod, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {LOCK_FILE, pidAlive} from '../store/lock.js'

export const LOG_FILE = 'emulator.log'

export interface DetachedOptions {
  autoApprove?: boolean
  dataDir: string
  inventFields?: boolean
  /** the --metadata paths, as given */
  metadata?: string[]
  /** the --org-data file, as given (the daemon starts in this process's working directory) */
  orgData?: string
  port?: number
  reset?: boolean
  verbose?: boolean
}

export interface Detached {
  apiKey: string
  logFile: string
  pid: number
  store: string
  url: string
  wasReset: boolean
}

/** Starts the emulator in a detached process; resolves once it listens, rejects with its start error. */
export async function startDetached(options: DetachedOptions, timeoutMs = 60_000): Promise<Detached> {
  mkdirSync(options.dataDir, {recursive: true})
  const logFile = join(options.dataDir, LOG_FILE)
  const log = openSync(logFile, 'a')
  // from dist/ the compiled daemon.js; from src/ (tests, oclif development mode) daemon.ts through tsx
  const self = fileURLToPath(import.meta.url)
  const entry = join(self, '..', self.endsWith('.ts') ? 'daemon.ts' : 'daemon.js')
  const child = spawn(process.execPath, [...process.execArgv, entry], {
    detached: true,
    env: {...process.env, APPLINK_EMULATOR_OPTIONS: JSON.stringify(options)},
    stdio: ['ignore', log, log, 'ipc'],
  })
  closeSync(log)
  try {
    return await new Promise<Detached>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGTERM')
        reject(new Error(`The emulator did not start within ${Math.round(timeoutMs / 1000)} s; see ${logFile}.`))
      }, timeoutMs)
      const onExit = (code: null | number) => {
        clearTimeout(timer)
        reject(new Error(`The emulator stopped before it was ready (exit code ${code}); see ${logFile}.`))
      }

      child.once('exit', onExit)
      child.once('message', (m: Partial<Detached> & {error?: string; errorName?: string}) => {
        clearTimeout(timer)
        child.off('exit', onExit)
        // the error's name travels too: a bad --org-data file (SeedError) is invalid input
        if (m.error) reject(Object.assign(new Error(m.error), m.errorName ? {name: m.errorName} : {}))
        else resolve({apiKey: m.apiKey!, logFile, pid: child.pid!, store: m.store!, url: m.url!, wasReset: Boolean(m.wasReset)})
      })
    })
  } finally {
    if (child.connected) child.disconnect()
    child.unref()
  }
}

/** Stops the emulator that holds `dataDir`'s lock (SIGTERM), waiting until it has exited; its pid, or undefined when none runs there. */
export async function stopEmulator(dataDir: string, timeoutMs = 30_000): Promise<number | undefined> {
  const lock = join(dataDir, LOCK_FILE)
  if (!existsSync(lock)) return undefined
  const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10)
  if (!Number.isInteger(pid) || pid <= 0 || !pidAlive(pid)) return undefined
  process.kill(pid, 'SIGTERM')
  const deadline = Date.now() + timeoutMs
  while (pidAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`The emulator (pid ${pid}) did not stop within ${Math.round(timeoutMs / 1000)} s after SIGTERM.`)
    await new Promise(resolve => {
      setTimeout(resolve, 100)
    })
  }

  return pid
}

/** The shell lines that point the heroku CLI at an emulator. */
export function exportLines(url: string, apiKey: string): string {
  return `export HEROKU_HOST=${url}\nexport HEROKU_API_KEY=${apiKey}\n`
}

/** Writes the export lines to `file`, readable by its owner only (it holds the emulator's API key). */
export async function writeExportFile(file: string, url: string, apiKey: string): Promise<void> {
  await writeFile(file, exportLines(url, apiKey), {mode: 0o600})
  await chmod(file, 0o600)
}

/**
 * End-to-end fixture: the real `heroku` CLI with this plugin linked (shared per process), and one
 * local AppLink emulator per test file, started through the CLI itself
 * (`heroku applink:emulator --port 0 --data-dir TMP [--auto-approve]`) and stopped after the file.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type CliHandle, type Emulator, startEmulator, startHeroku} from '../../../scripts/lib/heroku-env.mjs'
import {type CliResult, explain, heroku, sharedStage} from '../../integration/helpers/cli.js'

export interface EmulatorFixture {
  dataDir: string
  emulator: Emulator
  /** HEROKU_HOST and HEROKU_API_KEY of the emulator */
  env: Record<string, string>
  /** runs `heroku ...args` against the emulator, no TTY, hard timeout */
  heroku(args: string[], options?: {env?: Record<string, string | undefined>; timeoutMs?: number}): Promise<CliResult>
  /** starts `heroku ...args` against the emulator in the background */
  start(args: string[]): CliHandle
  stop(): Promise<void>
}

export async function startEmulatorFixture(options: {autoApprove?: boolean} = {}): Promise<EmulatorFixture> {
  const stage = await sharedStage()
  const dataDir = mkdtempSync(join(tmpdir(), 'applink-e2e-data-'))
  const emulator = await startEmulator(stage, {autoApprove: options.autoApprove, dataDir, timeoutMs: 30_000})
  if (!emulator.env.HEROKU_API_KEY) {
    await emulator.stop()
    throw new Error(`applink:emulator did not print export HEROKU_API_KEY=…:\n${emulator.handle.stdout}${emulator.handle.stderr}`)
  }

  const env = {HEROKU_API_KEY: emulator.env.HEROKU_API_KEY, HEROKU_HOST: emulator.env.HEROKU_HOST}
  return {
    dataDir,
    emulator,
    env,
    async heroku(args, opts = {}) {
      const r = await heroku(args, {env: {...env, ...opts.env}, timeoutMs: opts.timeoutMs ?? 45_000})
      // SHOW_OUTPUT=1 prints every command with what it printed, to write or debug a test
      if (process.env.SHOW_OUTPUT) console.error(`$ heroku ${args.join(' ')}\n${explain(r)}`)
      return r
    },
    start: args => startHeroku(stage, args, {env}),
    async stop() {
      const r = await emulator.stop()
      rmSync(dataDir, {force: true, maxRetries: 3, recursive: true})
      if (process.env.E2E_SHOW_EMULATOR) console.error(r.stdout + r.stderr)
    },
  }
}

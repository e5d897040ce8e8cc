/**
 * End-to-end fixture: the real `heroku` CLI with this plugin linked (shared per process), and one
 * local AppLink emulator per test file, started through the CLI itself
 * (`heroku applink:emulator --port 0 --data-dir TMP [--auto-approve]`) and stopped after the file.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Emulator, startEmulator} from '../../../scripts/lib/heroku-env.mjs'
import {type CliResult, heroku, herokuInBackground, sharedStage} from '../../integration/helpers/cli.js'

export interface EmulatorFixture {
  dataDir: string
  emulator: Emulator
  /** HEROKU_HOST and HEROKU_API_KEY of the emulator */
  env: Record<string, string>
  /** runs `heroku ...args` against the emulator, no TTY, hard timeout */
  heroku(args: string[], options?: {env?: Record<string, string | undefined>; timeoutMs?: number}): Promise<CliResult>
  /** starts `heroku ...args` against the emulator in the background */
  start(args: string[]): ReturnType<typeof herokuInBackground>
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
    heroku: (args, opts = {}) => heroku(args, {env: {...env, ...opts.env}, timeoutMs: opts.timeoutMs ?? 45_000}),
    start: args => herokuInBackground(args, {env}),
    async stop() {
      const r = await emulator.stop()
      rmSync(dataDir, {force: true, recursive: true})
      if (process.env.E2E_SHOW_EMULATOR) console.error(r.stdout + r.stderr)
    },
  }
}

/**
 * The process behind `applink:emulator --detach`: started by `startDetached()` (detach.ts) as a
 * detached child with its options in APPLINK_EMULATOR_OPTIONS (JSON) and an IPC channel. It starts
 * the emulator, reports `{url, apiKey, store}` (or `{error}`) over IPC, closes the channel and
 * serves until SIGTERM or SIGINT. Its log (errors; every request with `verbose`) goes to the log
 * file the parent gave it as stdout and stderr.
 */
import type {DetachedOptions} from './detach.js'
import {startEmulator} from '../server/server.js'

const options = JSON.parse(process.env.APPLINK_EMULATOR_OPTIONS ?? '{}') as DetachedOptions
delete process.env.APPLINK_EMULATOR_OPTIONS

function report(message: Record<string, unknown>): Promise<void> {
  return new Promise(resolve => {
    if (!process.send) {
      resolve()
      return
    }

    process.send(message, () => {
      process.disconnect?.()
      resolve()
    })
  })
}

try {
  const emu = await startEmulator({
    autoApprove: options.autoApprove,
    dataDir: options.dataDir,
    log(line, kind) {
      if (kind === 'error' || options.verbose) process.stderr.write(`${new Date().toISOString()} emulator: ${line}\n`)
    },
    inventFields: options.inventFields,
    metadata: options.metadata,
    orgData: options.orgData,
    port: options.port,
    reset: options.reset,
  })
  const stop = () => {
    emu.close().finally(() => {
      process.stderr.write(`${new Date().toISOString()} emulator: stopped\n`)
      process.exit(0)
    })
  }

  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  process.stderr.write(`${new Date().toISOString()} emulator: listening on ${emu.url} (pid ${process.pid})\n`)
  await report({apiKey: emu.apiKey, store: emu.store.file, url: emu.url, wasReset: emu.wasReset})
} catch (error) {
  process.stderr.write(`${new Date().toISOString()} emulator: ${(error as Error).message}\n`)
  await report({error: (error as Error).message, errorName: (error as Error).name})
  process.exit(1)
}

/**
 * What `applink:emulator` runs: start the emulator in the foreground or in the background, and
 * the lines that announce it (notes the command writes on stderr, and for stdout only the shell
 * lines, so that `eval "$(heroku applink:emulator --detach)"` works). The command file
 * (src/commands/applink/emulator/index.ts) hands in its IO and turns failures into the plugin's errors.
 */
import type {Emulator} from '../server/server.js'

/** The command's flags this needs. */
export interface EmulatorFlags {
  'auto-approve': boolean
  'export-file'?: string
  'invent-fields'?: boolean
  metadata?: string[]
  'org-data'?: string
  port: number
  reset: boolean
  verbose: boolean
}

/** Where the text goes: the command's IO (`note` shows control characters as escapes, adds the newline). */
export interface EmulatorOutput {
  err(text: string): void
  note(text: string): void
  out(text: string): void
}

/**
 * Runs the emulator in this process until the process ends: its log lines stream as notes on
 * stderr, the export and listening lines go to stdout. `onStop` gets, before the first line is
 * printed (whoever reads it may stop us at once), what Ctrl-C / SIGTERM must run synchronously:
 * it closes the emulator (store saved, lock removed) and says so.
 */
export async function runInForeground(dataDir: string, flags: EmulatorFlags, io: EmulatorOutput, onStop: (stop: () => void) => void): Promise<void> {
  // log lines quote request paths from any client: control characters are shown, not sent
  const emu = await startInForeground(dataDir, flags, line => io.note(line))
  onStop(() => {
    emu.closeNow()
    io.err('AppLink emulator: stopped\n')
  })
  io.out(await announce(emu, flags, text => io.err(text)))
  await new Promise<void>(() => {})
}

/** Starts the emulator in this process; `note` gets its log lines (errors, and every request with --verbose). */
export async function startInForeground(dataDir: string, flags: EmulatorFlags, note: (line: string) => void): Promise<Emulator> {
  const {startEmulator} = await import('../server/server.js')
  return startEmulator({
    autoApprove: flags['auto-approve'],
    dataDir,
    log(line, kind) {
      if (kind === 'error' || flags.verbose) note(`emulator: ${line}`)
    },
    inventFields: flags['invent-fields'],
    metadata: flags.metadata,
    orgData: flags['org-data'],
    port: flags.port,
    reset: flags.reset,
  })
}

/** Says (through `note`) how to reach and stop a started emulator, writes the --export-file; the text for stdout. */
export async function announce(emu: Emulator, flags: EmulatorFlags, note: (text: string) => void): Promise<string> {
  const {exportLines, writeExportFile} = await import('./detach.js')
  note(`AppLink emulator: store ${emu.store.file}${emu.wasReset ? ' (emptied by --reset)' : ''}\n`)
  if (flags['auto-approve']) note('AppLink emulator: OAuth logins approve themselves after about a second (--auto-approve)\n')
  note(`AppLink emulator: dashboard at ${emu.url}/ ; stop with Ctrl-C\n`)
  if (flags['export-file']) await writeExportFile(flags['export-file'], emu.url, emu.apiKey)
  return `${exportLines(emu.url, emu.apiKey)}listening on ${emu.url}\n`
}

/** Starts the emulator in a background process (resolves once it listens), writes the --export-file, says (through `note`) how to stop it; the text for stdout. */
export async function startInBackground(dataDir: string, flags: EmulatorFlags, argv: string[], note: (text: string) => void): Promise<string> {
  const {exportLines, startDetached, writeExportFile} = await import('./detach.js')
  const emu = await startDetached({autoApprove: flags['auto-approve'], dataDir, inventFields: flags['invent-fields'], metadata: flags.metadata, orgData: flags['org-data'], port: flags.port, reset: flags.reset, verbose: flags.verbose})
  if (flags['export-file']) await writeExportFile(flags['export-file'], emu.url, emu.apiKey)
  // the stop command printed names --data-dir when the user gave one
  const dataDirArg = argv.some(a => a === '--data-dir' || a.startsWith('--data-dir=')) ? ` --data-dir ${dataDir}` : ''
  note(`AppLink emulator: store ${emu.store}${emu.wasReset ? ' (emptied by --reset)' : ''}; log ${emu.logFile}\n`)
  note(`AppLink emulator: listening on ${emu.url} in the background (pid ${emu.pid}); dashboard at ${emu.url}/ ; stop with: heroku applink:emulator --stop${dataDirArg}\n`)
  return exportLines(emu.url, emu.apiKey)
}

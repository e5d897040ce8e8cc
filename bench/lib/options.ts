/**
 * The bench's command line (see run.ts for the flags) and what follows from it: the work folder,
 * the run counts, the groups to measure. Read once, when the bench starts.
 */
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'
import {parseArgs} from 'node:util'

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
/** where every measured command runs: outside any git checkout, so no git remote is picked up */
export const runDir = mkdtempSync(join(tmpdir(), 'applink-bench-cwd-'))

export const GROUPS = ['version', 'help', 'startup', 'read', 'platform', 'oauth', 'publish', 'validate', 'invoke', 'mesh'] as const
export type Group = typeof GROUPS[number]
/** Issue 13's goals. */
export const GOAL = {invokeSeconds: 0.7, oauthExitSeconds: 0.5, oauthRatio: 0.25, publishMiB: 250, publishSeconds: 2, ratio: 0.7, validateSeconds: 1.5}
/** an app no server knows: every command that resolves it stops at the first Platform API answer (404) */
export const MISSING_APP = 'bench-no-such-app'

export const {values: opts} = parseArgs({
  options: {
    heroku: {type: 'string'},
    'no-build': {type: 'boolean'},
    official: {type: 'string'},
    only: {type: 'string'},
    runs: {default: '10', type: 'string'},
    server: {default: 'auto', type: 'string'},
    warmup: {default: '1', type: 'string'},
    work: {type: 'string'},
    'write-docs': {type: 'boolean'},
  },
})
/** packages, HOMEs, specs and results: .bench/ unless --work says otherwise (two runs at once need two) */
export const work = opts.work ? resolve(opts.work) : join(repo, '.bench')

export const runs = Math.max(1, Number(opts.runs))
export const warmup = Math.max(0, Number(opts.warmup))
/** the OAuth flows take seconds each (the official plugin's about 11 s): fewer runs */
export const flowRuns = Math.min(runs, 5)
export const only = new Set<Group>(opts.only ? opts.only.split(',').map(s => s.trim() as Group) : GROUPS)
if (!['auto', 'emulator'].includes(opts.server as string)) throw new Error(`--server: the emulator is the only local server (auto or emulator), not ${opts.server}`)
for (const g of only) if (!GROUPS.includes(g)) throw new Error(`--only: unknown group ${g}; use ${GROUPS.join(',')}`)
export const log = (s: string) => process.stderr.write(`[bench] ${s}\n`)

/**
 * `npm run bench`: measures this plugin, installed in the real `heroku` CLI from its packed file,
 * against a local server, and with `--official FILE.tgz` the official AppLink plugin beside it
 * (installed the same way, its runs alternating with ours). Prints one table: median (min–max) of
 * each, the ratio, the goal of issue 13, and pass/fail.
 *
 *   npm run bench                       # ours alone: build, pack, install, measure (10 runs each)
 *   npm run bench -- --official ../shared/anchors/heroku-cli-plugin-applink-2.0.3.tgz   # both, side by side
 *   npm run bench -- --runs 20          # more runs
 *   npm run bench -- --no-build         # reuse dist/ from an earlier `npm run build`
 *   npm run bench -- --only help,read   # some groups: version,help,startup,read,platform,oauth,publish,validate,invoke,mesh
 *   npm run bench -- --write-docs       # also write the table into docs/performance.md
 *   npm run bench -- --work DIR         # work files in DIR instead of .bench/
 *
 * Needs: `hyperfine` and GNU `time` (Debian: apt-get install -y hyperfine time), the npm registry
 * (to install the plugins' production dependencies). Work files go to .bench/ (git-ignored).
 */
import {rmSync} from 'node:fs'
import {cpus, loadavg} from 'node:os'
import {join} from 'node:path'

import {benchSpecs} from './lib/specs.js'
import type {Row} from './lib/report.js'
import {type Backend, emulatorBackend, emulatorModulePath} from './lib/backend.js'
import type {Installed} from './lib/stage.js'
import {log, only, runDir, work} from './lib/options.js'
import {setup} from './lib/setup.js'
import type {Target} from './lib/targets.js'
import {report} from './lib/results.js'
import {helpRows, platformRows, readRows, startupRows, versionRows} from './lib/groups/commands.js'
import {oauthRows} from './lib/groups/oauth.js'
import {publishRows, validateRows} from './lib/groups/publish.js'
import {invokeRows} from './lib/groups/invoke.js'
import {meshRows} from './lib/groups/mesh.js'

/** The rows of the groups --only names (all by default), in the table's order. */
async function measureGroups(bare: Installed, targets: Target[], server: Backend): Promise<Row[]> {
  const rows: Row[] = []
  if (only.has('version')) rows.push(...await versionRows(bare))
  if (only.has('help')) rows.push(...await helpRows(targets))
  if (only.has('startup')) rows.push(...await startupRows(targets, server))
  if (only.has('read')) rows.push(...await readRows(targets, server))
  if (only.has('platform')) rows.push(...await platformRows(targets, server))
  if (only.has('oauth')) rows.push(...await oauthRows(targets, server))
  const specs = only.has('publish') || only.has('validate') ? benchSpecs(join(work, 'specs'), log) : []
  if (only.has('publish')) rows.push(...await publishRows(targets, server, specs))
  // ours only: the official plugin has neither applink:invoke nor applink:spec:validate
  if (only.has('invoke')) rows.push(...await invokeRows(targets[0], server))
  if (only.has('validate')) rows.push(...await validateRows(targets, specs))
  // ours only: the official plugin has no local mesh
  if (only.has('mesh')) rows.push(...await meshRows(targets[0], server))
  return rows
}

async function main(): Promise<void> {
  const started = Date.now()
  const loadAtStart = loadavg()
  if (loadAtStart[0] > 1) log(`warning: the load average is ${loadAtStart[0].toFixed(1)} on ${cpus().length} cores: other work will slow the figures down`)
  const {bare, targets} = await setup()
  // the emulator of the installed package: what users get, and safe from a rebuild of dist/ meanwhile
  const emulatorFile = emulatorModulePath(targets[0].inst?.root as string)
  if (!emulatorFile) throw new Error('the installed plugin has no dist/emulator/server/server.js: the bench needs its emulator')
  const server = await emulatorBackend(emulatorFile)
  log(`local server: ${server.name} on ${server.env.HEROKU_HOST}`)
  let rows: Row[]
  try {
    rows = await measureGroups(bare, targets, server)
  } finally {
    await server.close()
  }

  report(rows, targets, {loadAtStart, serverName: server.name, started})
  const failed = rows.filter(r => r.pass === false)
  if (failed.length > 0) process.exitCode = 1
}

main().catch(error => {
  process.stderr.write(`[bench] failed: ${(error as Error).message}\n`)
  process.exitCode = 2
}).finally(() => {
  rmSync(runDir, {force: true, recursive: true})
  if (process.env.BENCH_KEEP !== '1') rmSync(join(work, 'home-bare'), {force: true, recursive: true})
})

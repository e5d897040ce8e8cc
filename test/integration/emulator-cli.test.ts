/**
 * `heroku applink:emulator` as a script uses it, through the real `heroku` CLI with telemetry at its
 * default: `--detach` prints the export lines once the emulator listens and returns, `--stop`
 * stops it, and a second emulator on the same data directory prints one clear error.
 *
 * The plugin is staged with its own copy of `@oclif/core`, as `heroku plugins:install` gives a
 * user: the CLI's copy then does not know the plugin's error classes (the shared copy of a linked
 * checkout would hide the "EEXIT: 1" noise this checks for).
 */
import {expect} from 'chai'
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type CliResult, repoRoot, runHeroku, type Stage, stagePlugin} from '../../scripts/lib/heroku-env.mjs'
import {explain} from './helpers/cli.js'

/** Replaces the staged plugin's node_modules link by a folder of links, with a real copy of @oclif/core. */
function ownOclifCore(stage: Stage): void {
  const nm = join(stage.pluginDir, 'node_modules')
  const source = join(repoRoot, 'node_modules')
  rmSync(nm, {force: true, recursive: true})
  mkdirSync(join(nm, '@oclif'), {recursive: true})
  for (const entry of readdirSync(source)) if (entry !== '@oclif') symlinkSync(join(source, entry), join(nm, entry))
  for (const entry of readdirSync(join(source, '@oclif'))) {
    if (entry === 'core') cpSync(join(source, '@oclif', entry), join(nm, '@oclif', entry), {recursive: true})
    else symlinkSync(join(source, '@oclif', entry), join(nm, '@oclif', entry))
  }
}

describe('applink:emulator in scripts, through the heroku CLI (telemetry on)', function () {
  this.timeout(180_000)
  let stage: Stage
  let dataDir: string
  const cli = (args: string[]): Promise<CliResult> => runHeroku(stage, args, {env: {DISABLE_TELEMETRY: undefined}, timeoutMs: 90_000})

  before(async function () {
    this.timeout(240_000)
    stage = await stagePlugin()
    ownOclifCore(stage)
    dataDir = mkdtempSync(join(tmpdir(), 'applink-emu-detach-'))
  })
  after(async () => {
    // never leave a background emulator behind, even when a test failed half-way
    await cli(['applink:emulator', '--stop', '--data-dir', dataDir])
    rmSync(dataDir, {force: true, recursive: true})
    stage?.cleanup()
  })

  it('--detach returns once it listens and prints only export lines; --stop stops it', async () => {
    const exportFile = join(dataDir, 'emu.env')
    const r = await cli(['applink:emulator', '--detach', '--port', '0', '--data-dir', dataDir, '--export-file', exportFile])
    expect(r.code, explain(r)).to.equal(0)
    const m = /^export HEROKU_HOST=(http:\/\/127\.0\.0\.1:\d+)\nexport HEROKU_API_KEY=(emu-\w+)\n$/.exec(r.stdout)
    expect(m, explain(r)).not.to.equal(null)
    const [, host, key] = m!
    expect(r.stderr).to.contain(`listening on ${host} in the background`)
    expect(r.stderr).to.contain(`stop with: heroku applink:emulator --stop --data-dir ${dataDir}`)
    expect(readFileSync(exportFile, 'utf8')).to.equal(r.stdout)
    expect(statSync(exportFile).mode & 0o777).to.equal(0o600)

    // it serves after the command returned: the CLI, pointed at it with those lines, works
    const apps = await runHeroku(stage, ['apps', '--json'], {env: {HEROKU_API_KEY: key, HEROKU_HOST: host}, timeoutMs: 60_000})
    expect(apps.code, explain(apps)).to.equal(0)
    expect(JSON.parse(apps.stdout)).to.deep.equal([])

    // a second one on the same directory: the clear error and nothing else
    const second = await cli(['applink:emulator', '--port', '0', '--data-dir', dataDir])
    expect(second.code, explain(second)).to.equal(1)
    expect(second.stdout).to.equal('')
    expect(second.stderr).to.match(/^Error: Another emulator \(pid \d+\) is already using \S+\. Stop it first, or give this one another --data-dir\.\n$/)

    const stop = await cli(['applink:emulator', '--stop', '--data-dir', dataDir])
    expect(stop.code, explain(stop)).to.equal(0)
    expect(stop.stderr).to.match(/^AppLink emulator \(pid \d+\) on \S+: stopped\n$/)
    const gone = await fetch(`${host}/`).then(() => 'answered', (error: Error) => error.message)
    expect(gone).to.equal('fetch failed')
    expect(readdirSync(dataDir)).not.to.include('emulator.lock')
  })

  it('--stop with nothing running says so, exit 1', async () => {
    const r = await cli(['applink:emulator', '--stop', '--data-dir', dataDir])
    expect(r.code, explain(r)).to.equal(1)
    expect(r.stderr).to.equal(`Error: No emulator is running on ${dataDir}.\n  › Start one with: heroku applink:emulator --detach\n`)
  })

  it('the help example for scripts is one that returns', async () => {
    const r = await cli(['applink:emulator', '--help'])
    expect(r.stdout).to.contain('eval "$(heroku applink:emulator --detach --port 0)"')
    expect(r.stdout).not.to.contain('head -2')
  })
})

/**
 * `heroku applink:emulator` as a script uses it, through the real `heroku` CLI with telemetry at its
 * default: `--detach` prints the export lines once the emulator listens and returns, `--stop`
 * stops it, and a second emulator on the same data directory prints one clear error.
 *
 * The plugin is staged with its own copies of `@oclif/core` and `@heroku-cli/command`, as `heroku
 * plugins:install` gives a user (a linked checkout shares the CLI's copies, which would hide the
 * difference): under `heroku` the plugin must still run on the CLI's copies (src/lib/ui/oclif.ts,
 * src/lib/api/heroku-command.ts), and no "EEXIT: 1" noise may come from two copies meeting.
 */
import {expect} from 'chai'
import {appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type CliResult, repoRoot, runHeroku, type Stage, stagePlugin} from '../../scripts/lib/heroku-env.mjs'
import {explain} from './helpers/cli.js'

/**
 * The packages a plugin installed with `plugins:install` has copies of, beside the CLI's; the
 * HTTP layer too, whose debug output the plugin guards in the copy its client is made from.
 */
const OWN_COPIES: Record<string, string[]> = {'@heroku': ['http-call'], '@heroku-cli': ['command'], '@oclif': ['core']}

/**
 * Replaces the staged plugin's node_modules link by a folder of links, with real copies of
 * @oclif/core and @heroku-cli/command that note when they are loaded, in the file
 * APPLINK_TEST_CORE_MARKER names.
 */
function ownCopies(stage: Stage): void {
  const nm = join(stage.pluginDir, 'node_modules')
  const source = join(repoRoot, 'node_modules')
  rmSync(nm, {force: true, recursive: true})
  mkdirSync(nm, {recursive: true})
  for (const entry of readdirSync(source)) {
    const copied = OWN_COPIES[entry]
    if (!copied) {
      symlinkSync(join(source, entry), join(nm, entry))
      continue
    }

    mkdirSync(join(nm, entry))
    for (const inside of readdirSync(join(source, entry))) {
      if (copied.includes(inside)) cpSync(join(source, entry, inside), join(nm, entry, inside), {recursive: true})
      else symlinkSync(join(source, entry, inside), join(nm, entry, inside))
    }
  }

  appendFileSync(join(nm, '@oclif', 'core', 'lib', 'index.js'), "\nif (process.env.APPLINK_TEST_CORE_MARKER) require('node:fs').appendFileSync(process.env.APPLINK_TEST_CORE_MARKER, 'the plugin\\'s own @oclif/core\\n')\n")
  // an ES module; vars.js is imported by its main module and by lib/git.js alike
  appendFileSync(join(nm, '@heroku-cli', 'command', 'lib', 'vars.js'), "\nimport {appendFileSync as markLoaded} from 'node:fs'\nif (process.env.APPLINK_TEST_CORE_MARKER) markLoaded(process.env.APPLINK_TEST_CORE_MARKER, 'the plugin\\'s own @heroku-cli/command\\n')\n")
}

describe('applink:emulator in scripts, through the heroku CLI (telemetry on)', function () {
  this.timeout(180_000)
  let stage: Stage
  let dataDir: string
  const cli = (args: string[]): Promise<CliResult> => runHeroku(stage, args, {env: {DISABLE_TELEMETRY: undefined}, timeoutMs: 90_000})

  before(async function () {
    this.timeout(240_000)
    stage = await stagePlugin()
    ownCopies(stage)
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

  it('runs on the heroku CLI\'s own @oclif/core, and on its own copy only when run alone (bin/run.js)', async () => {
    const marker = join(dataDir, 'core-loaded')
    const env = {APPLINK_TEST_CORE_MARKER: marker, DISABLE_TELEMETRY: undefined}
    const missing = join(dataDir, 'no-such-spec.yaml')
    const validate = await runHeroku(stage, ['applink:spec:validate', missing], {env, timeoutMs: 90_000})
    expect(validate.code, explain(validate)).to.equal(2)
    expect(validate.stderr).to.contain(`Error: The spec file ${missing} does not exist.`)
    const stop = await runHeroku(stage, ['applink:emulator', '--stop', '--data-dir', dataDir], {env, timeoutMs: 90_000})
    expect(stop.code, explain(stop)).to.equal(1)
    expect(stop.stderr).to.equal(`Error: No emulator is running on ${dataDir}.\n  › Start one with: heroku applink:emulator --detach\n`)
    expect(existsSync(marker), 'the plugin loaded its own @oclif/core under heroku').to.equal(false)

    // alone, there is no CLI's copy: the plugin's own is the one (the marker works)
    const alone = await runHeroku({...stage, bin: join(stage.pluginDir, 'bin', 'run.js')}, ['applink:emulator', '--stop', '--data-dir', dataDir], {env, timeoutMs: 90_000})
    expect(alone.code, explain(alone)).to.equal(1)
    expect(alone.stderr).to.equal(`Error: No emulator is running on ${dataDir}.\n  › Start one with: heroku applink:emulator --detach\n`)
    expect(readFileSync(marker, 'utf8')).to.equal('the plugin\'s own @oclif/core\n')
  })

  it('takes the Heroku API client from the heroku CLI\'s @heroku-cli/command, whose debug output still hides the AppLink token; its own copy only alone', async () => {
    const marker = join(dataDir, 'command-loaded')
    const up = await cli(['applink:emulator', '--detach', '--port', '0', '--data-dir', dataDir])
    expect(up.code, explain(up)).to.equal(0)
    const [, host, key] = /^export HEROKU_HOST=(\S+)\nexport HEROKU_API_KEY=(\S+)\n$/.exec(up.stdout)!
    const api = {HEROKU_API_KEY: key, HEROKU_HOST: host}
    for (const args of [['apps:create', 'own-copies', '--no-remote'], ['addons:create', 'heroku-applink', '-a', 'own-copies']]) {
      const r = await runHeroku(stage, args, {env: api, timeoutMs: 60_000})
      expect(r.code, explain(r)).to.equal(0)
    }

    const config = await runHeroku(stage, ['config', '-a', 'own-copies', '--json'], {env: api, timeoutMs: 60_000})
    const token = JSON.parse(config.stdout).HEROKU_APPLINK_TOKEN as string
    expect(token, explain(config)).to.match(/^\S{16,}$/)

    // HEROKU_DEBUG: the CLI's own client and its request trace, with the config vars hidden
    const env = {...api, APPLINK_TEST_CORE_MARKER: marker, DISABLE_TELEMETRY: undefined, HEROKU_DEBUG: '1'}
    const traced = await runHeroku(stage, ['applink:connections', '-a', 'own-copies'], {env, timeoutMs: 90_000})
    expect(traced.code, explain(traced)).to.equal(0)
    expect(traced.stdout).to.equal('=== Heroku AppLink connections for app own-copies\n\nThere are no Heroku AppLink connections for app own-copies.\n')
    expect(traced.stderr).to.match(/GET .*\/apps\/own-copies\/config-vars/)
    expect(traced.stdout + traced.stderr).not.to.contain(token)
    // no token at all: the CLI's client finds none, and the error says which key to set
    const anonymous = await runHeroku(stage, ['applink:connections', '-a', 'own-copies'], {env: {APPLINK_TEST_CORE_MARKER: marker, DISABLE_TELEMETRY: undefined, HEROKU_API_KEY: undefined, HEROKU_HOST: host}, timeoutMs: 90_000})
    expect(anonymous.code, explain(anonymous)).to.equal(1)
    expect(anonymous.stderr).to.contain(`Error: HEROKU_HOST points at a local emulator (${host}) but HEROKU_API_KEY is not set.`)
    expect(existsSync(marker), 'the plugin loaded its own @heroku-cli/command under heroku').to.equal(false)

    // alone, the plugin's own copies, its client's trace guarded all the same
    const alone = await runHeroku({...stage, bin: join(stage.pluginDir, 'bin', 'run.js')}, ['applink:connections', '-a', 'own-copies'], {env, timeoutMs: 90_000})
    expect(alone.code, explain(alone)).to.equal(0)
    expect(alone.stderr).to.match(/GET .*\/apps\/own-copies\/config-vars/)
    expect(alone.stdout + alone.stderr).not.to.contain(token)
    expect(readFileSync(marker, 'utf8').split('\n').sort()).to.deep.equal(['', 'the plugin\'s own @heroku-cli/command', 'the plugin\'s own @oclif/core'])

    const stop = await cli(['applink:emulator', '--stop', '--data-dir', dataDir])
    expect(stop.code, explain(stop)).to.equal(0)
  })

  it('the help example for scripts is one that returns', async () => {
    const r = await cli(['applink:emulator', '--help'])
    expect(r.stdout).to.contain('eval "$(heroku applink:emulator --detach --port 0)"')
    expect(r.stdout).not.to.contain('head -2')
  })
})

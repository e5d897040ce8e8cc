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
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type CliResult, runHeroku, type Stage} from '../../scripts/lib/heroku-env.mjs'
import {explain} from './helpers/cli.js'
import {installedStage, OWN_COPY_MARKER, TELEMETRY_DEFAULT} from './helpers/installed.js'

describe('applink:emulator in scripts, through the heroku CLI (telemetry on)', function () {
  this.timeout(180_000)
  let stage: Stage
  let dataDir: string
  type Env = Record<string, string | undefined>
  /** `heroku ARGS` with telemetry at its default; `alone`: the plugin's own bin/run.js instead of heroku */
  const cli = (args: string[], env: Env = {}, alone = false): Promise<CliResult> =>
    runHeroku(alone ? {...stage, bin: join(stage.pluginDir, 'bin', 'run.js')} : stage, args, {env: {...TELEMETRY_DEFAULT, ...env}, timeoutMs: 90_000})

  before(async function () {
    this.timeout(240_000)
    stage = await installedStage()
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
    const apps = await cli(['apps', '--json'], {HEROKU_API_KEY: key, HEROKU_HOST: host})
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
    const env = {[OWN_COPY_MARKER]: marker}
    const missing = join(dataDir, 'no-such-spec.yaml')
    const validate = await cli(['applink:spec:validate', missing], env)
    expect(validate.code, explain(validate)).to.equal(2)
    expect(validate.stderr).to.contain(`Error: The spec file ${missing} does not exist.`)
    const stop = await cli(['applink:emulator', '--stop', '--data-dir', dataDir], env)
    expect(stop.code, explain(stop)).to.equal(1)
    expect(stop.stderr).to.equal(`Error: No emulator is running on ${dataDir}.\n  › Start one with: heroku applink:emulator --detach\n`)
    expect(existsSync(marker), 'the plugin loaded its own @oclif/core under heroku').to.equal(false)

    // alone, there is no CLI's copy: the plugin's own is the one (the marker works)
    const alone = await cli(['applink:emulator', '--stop', '--data-dir', dataDir], env, true)
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
      const r = await cli(args, api)
      expect(r.code, explain(r)).to.equal(0)
    }

    const config = await cli(['config', '-a', 'own-copies', '--json'], api)
    const token = JSON.parse(config.stdout).HEROKU_APPLINK_TOKEN as string
    expect(token, explain(config)).to.match(/^\S{16,}$/)

    // HEROKU_DEBUG: the CLI's own client and its request trace, with the config vars hidden
    const env = {...api, [OWN_COPY_MARKER]: marker, HEROKU_DEBUG: '1'}
    const traced = await cli(['applink:connections', '-a', 'own-copies'], env)
    expect(traced.code, explain(traced)).to.equal(0)
    expect(traced.stdout).to.equal('=== Heroku AppLink connections for app own-copies\n\nThere are no Heroku AppLink connections for app own-copies.\n')
    expect(traced.stderr).to.match(/GET .*\/apps\/own-copies\/config-vars/)
    expect(traced.stdout + traced.stderr).not.to.contain(token)
    // no token at all: the CLI's client finds none, and the error says which key to set
    const anonymous = await cli(['applink:connections', '-a', 'own-copies'], {[OWN_COPY_MARKER]: marker, HEROKU_API_KEY: undefined, HEROKU_HOST: host})
    expect(anonymous.code, explain(anonymous)).to.equal(1)
    expect(anonymous.stderr).to.contain(`Error: HEROKU_HOST points at a local emulator (${host}) but HEROKU_API_KEY is not set.`)
    expect(existsSync(marker), 'the plugin loaded its own @heroku-cli/command under heroku').to.equal(false)

    // alone, the plugin's own copies, its client's trace guarded all the same
    const alone = await cli(['applink:connections', '-a', 'own-copies'], env, true)
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

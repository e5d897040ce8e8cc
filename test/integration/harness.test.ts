import {expect} from 'chai'
import {execFileSync, spawn} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join, resolve} from 'node:path'

import {cliEnv, repoRoot, stagePlugin, stripAnsi} from '../../scripts/lib/heroku-env.mjs'
import {explain, heroku, sharedStage} from './helpers/cli.js'
import {ScriptedServer} from './helpers/server.js'

const pjson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))

describe('integration harness: the plugin linked into the real heroku CLI', function () {
  this.timeout(120_000)

  it('links the packed, compiled plugin (no src/, no tsconfig.json) into a throwaway HOME', async () => {
    const stage = await sharedStage()
    expect(existsSync(join(stage.pluginDir, 'oclif.manifest.json'))).to.equal(true)
    expect(existsSync(join(stage.pluginDir, 'dist', 'commands', 'applink', 'connections', 'index.js'))).to.equal(true)
    expect(existsSync(join(stage.pluginDir, 'src'))).to.equal(false)
    expect(existsSync(join(stage.pluginDir, 'tsconfig.json'))).to.equal(false)
    expect(stage.env.HOME).to.equal(stage.home)
    expect(stage.env.HEROKU_API_KEY).to.equal(undefined)

    const r = await heroku(['plugins'])
    expect(r.code, explain(r)).to.equal(0)
    // with CI set, the CLI dims the version even in a pipe
    expect(stripAnsi(r.stdout)).to.contain(`${pjson.name} ${pjson.version} (link) ${stage.pluginDir}`)
  })

  it('runs heroku on the Node APPLINK_TEST_NODE names, else on the Node running the tests', async () => {
    const stage = await sharedStage()
    const named = process.env.APPLINK_TEST_NODE
    expect(stage.node).to.equal(named ? resolve(repoRoot, named) : process.execPath)
    const version = execFileSync(stage.node, ['--version'], {encoding: 'utf8'}).trim()
    const r = await heroku(['version'])
    expect(r.code, explain(r)).to.equal(0)
    expect(r.stdout).to.match(new RegExp(`^heroku/\\S+ \\S+ node-${version.replaceAll('.', String.raw`\.`)}\\n`))
  })

  it('runs a plugin command\'s help through the CLI, with nothing on stderr', async () => {
    const r = await heroku(['applink:connections', '--help'])
    expect(r.code, explain(r)).to.equal(0)
    expect(r.stdout).to.contain('$ heroku applink:connections -a <value>')
    expect(r.stderr).to.equal('')
  })

  it('kills a command that hangs and fails with the command line', async () => {
    // a Platform API that accepts connections and never answers
    const server = await ScriptedServer.start()
    server.faults.always('*', /./, 'stall')
    try {
      let error: Error | undefined
      try {
        await heroku(['applink:connections', '-a', 'my-app'], {env: {HEROKU_API_KEY: 'k', HEROKU_HOST: server.url}, timeoutMs: 4000})
      } catch (error_) {
        error = error_ as Error
      }

      expect(error?.message).to.match(/^heroku applink:connections -a my-app hung: killed after 4 s/)
    } finally {
      await server.close()
    }
  })

  it('cleanup stops what the CLI left running detached with the stage\'s HOME or data dir (the telemetry worker)', async function () {
    if (!existsSync('/proc/self/environ')) this.skip()
    const stage = await stagePlugin()
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0)
        return true
      } catch {
        return false
      }
    }

    // like heroku's telemetry worker: detached, in a session of its own, with the stage's HOME; or
    // with a HOME a test gave the CLI (test/integration/credentials.test.ts) and the stage's data dir
    const idle = (env: NodeJS.ProcessEnv) => spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {detached: true, env, stdio: 'ignore'})
    const strays = [idle(stage.env), idle({...stage.env, HOME: `${stage.home}-of-a-test`})]
    // another stage's: another HOME and data dir
    const other = idle(cliEnv(`${stage.home}-other`))
    for (const child of [...strays, other]) child.unref()
    try {
      await new Promise(resolve => setTimeout(resolve, 200))
      for (const stray of strays) expect(alive(stray.pid as number)).to.equal(true)
      stage.cleanup()
      await new Promise(resolve => setTimeout(resolve, 200))
      expect(strays.map(stray => alive(stray.pid as number)), 'the stray processes').to.deep.equal([false, false])
      expect(alive(other.pid as number), 'a process of another stage').to.equal(true)
    } finally {
      for (const child of [...strays, other]) child.kill('SIGKILL')
    }
  })
})

#!/usr/bin/env node
/**
 * `npm run demo`: the whole AppLink workflow in one command, with nothing to sign up for.
 *
 * Links the compiled plugin into the real `heroku` CLI (throwaway HOME), starts the local AppLink
 * emulator through the CLI with --auto-approve on a free port, then runs, printing each step:
 * apps:create, addons:create heroku-applink, salesforce:connect, datacloud:connect,
 * salesforce:authorizations:add, salesforce:publish examples/orders-api.yaml, and the three
 * listings. Stops the emulator at the end, also on failure or Ctrl-C. Exit 0 when every step passed.
 *
 * Run `npm run build` first (`npm run demo` does). DEMO_VERBOSE=1 also prints the emulator's request
 * log (on stderr, as it happens).
 */
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot, runHeroku, stagePlugin, startEmulator, stopAllHeroku} from './lib/heroku-env.mjs'

const APP = 'applink-demo'
// run from the repository, so the spec's path reads as in the README
const SPEC = 'examples/orders-api.yaml'
const verbose = Boolean(process.env.DEMO_VERBOSE)

const out = text => process.stdout.write(text)
const bold = text => (process.stdout.isTTY && !process.env.NO_COLOR ? `\u001B[1m${text}\u001B[22m` : text)

/** The steps after the emulator is up: [what it shows, heroku arguments]. */
function steps(app) {
  return [
    ['Create an app', ['apps:create', app]],
    ['Add the AppLink add-on', ['addons:create', 'heroku-applink', '-a', app]],
    ['Connect a Salesforce org (the emulator approves the login)', ['salesforce:connect', 'demo_org', '-a', app]],
    ['Connect a Data Cloud org', ['datacloud:connect', 'demo_datacloud', '-a', app]],
    ['Add an authorization that the app can use at run time', ['salesforce:authorizations:add', 'demo_auth', '-a', app]],
    ['Check the example spec (it marks operations as Agentforce actions)', ['applink:spec:validate', SPEC]],
    ['Publish it to the Salesforce org', ['salesforce:publish', SPEC, '-c', 'OrdersAPI', '--connection-name', 'demo_org', '-a', app]],
    ['List connections', ['applink:connections', '-a', app]],
    ['List authorizations', ['applink:authorizations', '-a', app]],
    ['List publications', ['salesforce:publications', '-a', app]],
  ]
}

let emulator
let stage
let dataDir
let stopping = false

async function shutdown() {
  if (stopping) return
  stopping = true
  if (emulator) {
    out(`\n${bold('==> Stop the emulator')}\n`)
    await emulator.stop()
    out('stopped\n')
  }

  // a step still running (after Ctrl-C) would write into the folders removed below
  await stopAllHeroku()
  for (const remove of [() => stage?.cleanup(), () => dataDir && rmSync(dataDir, {force: true, maxRetries: 3, recursive: true})]) {
    try {
      remove()
    } catch (error) {
      process.stderr.write(`could not remove a temporary folder: ${error.message}\n`)
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    process.stderr.write(`\ndemo interrupted (${signal})\n`)
    shutdown().finally(() => process.exit(130))
  })
}

async function main() {
  if (!existsSync(join(repoRoot, SPEC))) throw new Error(`The example spec ${SPEC} is missing.`)
  const pjson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
  const cli = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'heroku', 'package.json'), 'utf8'))
  out(`${bold(`AppLink demo: heroku CLI ${cli.version} with ${pjson.name} ${pjson.version} linked, against a local AppLink emulator`)}\n`)

  out(`\n${bold('==> Link the plugin')} (heroku plugins:link --no-install, in a throwaway HOME)\n`)
  stage = await stagePlugin({build: 'auto'})
  out(`linked ${stage.name} from ${stage.pluginDir}\n`)

  dataDir = mkdtempSync(join(tmpdir(), 'applink-demo-data-'))
  out(`\n${bold('==> Start the emulator')} $ heroku applink:emulator --port 0 --auto-approve --data-dir ${dataDir}\n`)
  emulator = await startEmulator(stage, {autoApprove: true, dataDir, echo: verbose, verbose})
  out(`listening on ${emulator.url} (dashboard: ${emulator.url}/)\n`)
  const env = {...emulator.env}

  for (const [title, args] of steps(APP)) {
    const shown = args.join(' ')
    out(`\n${bold(`==> ${title}`)}\n$ heroku ${shown}\n`)
    // apps:create would add a git remote in a checkout: only the spec steps run in the repository
    const cwd = args.includes(SPEC) ? repoRoot : stage.cwd
    const r = await runHeroku(stage, args, {cwd, env, timeoutMs: 60_000})
    if (r.stderr) out(r.stderr.replace(/^/gm, '  ').replace(/ +$/gm, ''))
    if (r.stdout) out(r.stdout)
    if (r.code !== 0) throw new Error(`Step failed: heroku ${shown} exited with ${r.code}.`)
  }
}

try {
  await main()
  await shutdown()
  out(`\n${bold('Demo finished: every step passed.')}\n`)
} catch (error) {
  process.stderr.write(`\ndemo failed: ${error.message}\n`)
  await shutdown()
  process.exitCode = 1
}

#!/usr/bin/env node
/**
 * `npm run demo`: the whole AppLink workflow in one command, with nothing to sign up for.
 *
 * Links the compiled plugin into the real `heroku` CLI (throwaway HOME), starts the local AppLink
 * emulator through the CLI with --auto-approve on a free port, then runs, printing each step:
 * apps:create, addons:create heroku-applink, salesforce:connect, datacloud:connect,
 * salesforce:authorizations:add, salesforce:publish examples/orders-api.yaml, and the three
 * listings. Then it runs the example app (examples/accounts-app, the real @heroku/applink SDK) with
 * the config vars a dyno would have, publishes its API, calls two of its operations with
 * applink:invoke as Salesforce would, and reads back from the emulated org, through the SDK, the
 * records they created. Every login is approved as the emulator's one default admin user, so the
 * connections and the authorization share one org: the app is published to the org it works in. Stops the app and the emulator at the end, also on failure or Ctrl-C. Exit 0
 * when every step passed.
 *
 * Run `npm run build` first (`npm run demo` does). DEMO_VERBOSE=1 also prints the emulator's request
 * log (on stderr, as it happens).
 */
import {spawn} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {createServer} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {repoRoot, runHeroku, stagePlugin, startEmulator, stopAllHeroku} from './lib/heroku-env.mjs'

const APP = 'applink-demo'
// run from the repository, so the spec's path reads as in the README
const SPEC = 'examples/orders-api.yaml'
const APP_DIR = 'examples/accounts-app'
const APP_SPEC = `${APP_DIR}/api-spec.yaml`
const NEW_ACCOUNT = {contact: {email: 'ada@dunes.example', firstName: 'Ada', lastName: 'Lovelace'}, industry: 'Energy', name: 'Dunes Energy Ltd'}
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

/** The steps once the example app listens at `url`. */
function appSteps(app, url) {
  const invoke = (operation, ...rest) => ['applink:invoke', operation, ...rest, '--spec', APP_SPEC, '--url', url, '-a', app, '--authorization', 'demo_auth']
  return [
    ['Publish the example app\'s API', ['salesforce:publish', APP_SPEC, '-c', 'AccountsAPI', '--connection-name', 'demo_org', '-a', app]],
    ['Invoke createAccount as Salesforce would (an Account and its Contact in one unit of work)', invoke('createAccount', '--data', JSON.stringify(NEW_ACCOUNT))],
    ['Invoke listAccounts', invoke('listAccounts', '-p', 'limit=50')],
  ]
}

let emulator
let exampleApp
let stage
let dataDir
let stopping = false

async function shutdown() {
  if (stopping) return
  stopping = true
  if (exampleApp && exampleApp.exitCode === null) {
    out(`\n${bold('==> Stop the example app')}\n`)
    const exited = new Promise(resolve => {
      exampleApp.once('exit', resolve)
    })
    exampleApp.kill('SIGTERM')
    await exited
    out('stopped\n')
  }

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

  for (const [title, args] of steps(APP)) await showStep(title, args, env)

  // the config vars a dyno of the app would have (not printed: HEROKU_APPLINK_TOKEN is a secret)
  const dyno = await dynoEnv(env)
  const port = await freePort()
  out(`\n${bold('==> Start the example app with the config vars a dyno would have')}\n$ APP_PORT=${port} node ${APP_DIR}/server.js\n`)
  exampleApp = spawn(process.execPath, [join(APP_DIR, 'server.js')], {cwd: repoRoot, env: {...process.env, ...dyno, APP_PORT: String(port)}, stdio: ['ignore', 'pipe', 'pipe']})
  out(`${await listening(exampleApp)}\n`)
  for (const [title, args] of appSteps(APP, `http://127.0.0.1:${port}`)) await showStep(title, args, env)
  await showRecords(dyno)
}

/** Runs one step, printing it as the user would see it; a non-zero exit fails the demo. */
async function showStep(title, args, env) {
  const shown = args.map(a => (/[\s"{}]/.test(a) ? `'${a}'` : a)).join(' ')
  out(`\n${bold(`==> ${title}`)}\n$ heroku ${shown}\n`)
  // apps:create would add a git remote in a checkout: only the spec steps run in the repository
  const cwd = args.some(a => a === SPEC || a === APP_SPEC) ? repoRoot : stage.cwd
  const r = await runHeroku(stage, args, {cwd, env, timeoutMs: 60_000})
  if (r.stderr) out(r.stderr.replace(/^/gm, '  ').replace(/ +$/gm, ''))
  if (r.stdout) out(r.stdout)
  if (r.code !== 0) throw new Error(`Step failed: heroku ${shown} exited with ${r.code}.`)
}

/** HEROKU_APPLINK_API_URL, HEROKU_APPLINK_TOKEN and HEROKU_APP_ID of the demo app, read through the CLI. */
async function dynoEnv(env) {
  const read = async args => {
    const r = await runHeroku(stage, args, {cwd: stage.cwd, env, timeoutMs: 60_000})
    if (r.code !== 0) throw new Error(`heroku ${args.join(' ')} exited with ${r.code}: ${r.stderr}`)
    return JSON.parse(r.stdout)
  }

  const vars = await read(['config', '-a', APP, '--json'])
  const info = await read(['apps:info', '-a', APP, '--json'])
  const dyno = {HEROKU_APP_ID: info.app.id}
  for (const [k, v] of Object.entries(vars)) if (k.startsWith('HEROKU_APPLINK_')) dyno[k] = v
  return dyno
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const {port} = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Resolves the app's "listening on" line; rejects when it exits first or stays silent for 30 s. */
function listening(child) {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`The example app did not start within 30 s:\n${output}`)), 30_000)
    const seen = chunk => {
      output += chunk
      const line = output.split('\n').find(l => /listening on/.test(l))
      if (line) {
        clearTimeout(timer)
        resolve(line.trim())
      }
    }

    child.stdout.setEncoding('utf8').on('data', seen)
    child.stderr.setEncoding('utf8').on('data', chunk => {
      output += chunk
      if (verbose) process.stderr.write(chunk)
    })
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`The example app exited with ${code} before listening:\n${output}`))
    })
  })
}

/** Reads back, as the app's own SDK would, the Account and Contact that createAccount made. */
async function showRecords(dyno) {
  out(`\n${bold('==> The new records in the emulated org, read through the @heroku/applink SDK')}\n`)
  Object.assign(process.env, dyno)
  const {default: applink} = await import('@heroku/applink')
  const org = await applink.init().addons.applink.getAuthorization('demo_auth')
  // one org: the authorization, both connections and the publications all reach it (the emulator logs every approval in as one admin user)
  out(`getAuthorization("demo_auth"): org ${org.id}, user ${org.user.username} (the org of demo_org and demo_datacloud too, where both APIs were published)\n`)
  const soql = `SELECT Id, Name, Industry, (SELECT Id, FirstName, LastName, Email FROM Contacts) FROM Account WHERE Name = '${NEW_ACCOUNT.name}'`
  out(`dataApi.query("${soql}")\n`)
  const result = await org.dataApi.query(soql)
  if (result.records.length !== 1) throw new Error(`Expected one ${NEW_ACCOUNT.name} Account in the emulated org, found ${result.records.length}.`)
  for (const account of result.records) {
    const f = account.fields
    out(`  Account ${f.id}  ${f.name}  (${f.industry})\n`)
    for (const contact of account.subQueryResults?.contacts?.records ?? []) {
      const c = contact.fields
      out(`    Contact ${c.id}  ${c.firstname} ${c.lastname}  ${c.email}\n`)
    }
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

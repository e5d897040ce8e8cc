/**
 * `npm run demo` (after the build that `npm test` already did): scripts/demo.mjs must run every step
 * through the real heroku CLI against the emulator, print each one, exit 0, and leave no emulator
 * behind, also when it is interrupted.
 */
import {expect} from 'chai'
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {connect} from 'node:net'
import {join} from 'node:path'

import {repoRoot} from '../../scripts/lib/heroku-env.mjs'

interface Demo {
  done: Promise<{code: null | number; stderr: string; stdout: string}>
  kill(signal: NodeJS.Signals): void
  output(): string
}

function startDemo(): Demo {
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'demo.mjs')], {cwd: repoRoot, env: {...process.env, NODE_OPTIONS: undefined}, stdio: ['ignore', 'pipe', 'pipe']})
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', d => {
    stdout += d
  })
  child.stderr.setEncoding('utf8').on('data', d => {
    stderr += d
  })
  const done = new Promise<{code: null | number; stderr: string; stdout: string}>(resolve => {
    child.on('close', code => resolve({code, stderr, stdout}))
  })
  return {done, kill: signal => child.kill(signal), output: () => stdout}
}

/**
 * Resolves 'open' when something accepts a TCP connection at the URL's port, else the error code.
 * A raw socket, so that HTTP mocking elsewhere in the test process (nock) cannot interfere.
 */
function probe(url: string): Promise<string> {
  const {hostname, port} = new URL(url)
  return new Promise(resolve => {
    const socket = connect({host: hostname, port: Number(port)}, () => {
      socket.destroy()
      resolve('open')
    })
    socket.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'))
    socket.setTimeout(3000, () => {
      socket.destroy()
      resolve('timeout')
    })
  })
}

/** The staged plugin (with its HOME) and the emulator's data directory were removed. */
function expectTempFoldersGone(stdout: string): void {
  const staged = /^linked \S+ from (\S+)\/plugin$/m.exec(stdout)?.[1]
  const dataDir = /--data-dir (\S+)/.exec(stdout)?.[1]
  expect(staged, 'staging folder in the output').to.be.a('string')
  expect(dataDir, 'data directory in the output').to.be.a('string')
  expect(existsSync(staged!), `${staged} left behind`).to.equal(false)
  expect(existsSync(dataDir!), `${dataDir} left behind`).to.equal(false)
}

async function waitForText(demo: Demo, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    const m = re.exec(demo.output())
    if (m) return m
    await new Promise(resolve => {
      setTimeout(resolve, 100)
    })
  }

  throw new Error(`demo did not print ${re} within ${timeoutMs / 1000} s:\n${demo.output()}`)
}

describe('e2e: npm run demo (scripts/demo.mjs)', function () {
  this.timeout(300_000)

  it('runs every step through the heroku CLI, prints each, stops the emulator, exit 0', async () => {
    const demo = startDemo()
    const timer = setTimeout(() => demo.kill('SIGKILL'), 290_000)
    const {code, stderr, stdout} = await demo.done
    clearTimeout(timer)
    expect(code, `${stdout}\n${stderr}`).to.equal(0)
    expect(stderr).to.equal('')
    const steps = [...stdout.matchAll(/^\$ heroku (\S+)/gm)].map(m => m[1])
    expect(steps).to.deep.equal([
      'apps:create', 'addons:create', 'salesforce:connect', 'datacloud:connect', 'salesforce:authorizations:add',
      'applink:spec:validate', 'salesforce:publish', 'applink:connections', 'applink:authorizations', 'salesforce:publications',
      'salesforce:publish', 'applink:invoke', 'applink:invoke',
    ])
    expect(stdout).to.match(/==> Start the emulator \$ heroku applink:emulator --port 0 --auto-approve --data-dir \S+/)
    // one org: every login was approved as the one default admin user
    const orgId = /demo_org\s+Salesforce Org\s+(00D\w{15})\s+connected\s+admin@emulated-org\.example\n/.exec(stdout)?.[1]
    expect(orgId, 'demo_org in the connections').to.be.a('string')
    expect(stdout).to.match(new RegExp(`demo_datacloud\\s+Data Cloud Org\\s+${orgId}\\s+connected\\s+admin@emulated-org\\.example\\n`))
    expect(stdout).to.match(new RegExp(`demo_auth\\s+Salesforce Org\\s+${orgId}\\s+authorized`))
    expect(stdout).to.contain('Published orders-api.yaml to connection demo_org as OrdersAPI')
    expect(stdout).to.match(/getOrderStatus\s+Agentforce action/)
    expect(stdout).to.match(/demo_org\s+00D\w+\s+OrdersAPI/)
    // the example app, invoked as Salesforce would, wrote to the emulated org through the real SDK
    expect(stdout).to.match(/\$ APP_PORT=\d+ node examples\/accounts-app\/server\.js\naccounts-app listening on http:\/\/127\.0\.0\.1:\d+/)
    expect(stdout).to.contain('Published api-spec.yaml to connection demo_org as AccountsAPI')
    const created = /\{\n {2}"accountId": "(001\w{15})",\n {2}"contactId": "(003\w{15})"\n\}/.exec(stdout)
    expect(created, 'createAccount answered with both ids').to.not.equal(null)
    expect(stdout).to.match(/201 Created {2}POST http:\/\/127\.0\.0\.1:\d+\/accounts/)
    expect(stdout).to.contain(`"id": "${created![1]}",\n      "industry": "Energy",\n      "name": "Dunes Energy Ltd"`)
    expect(stdout).to.contain(`getAuthorization("demo_auth"): org ${orgId}, user admin@emulated-org.example (the org of demo_org and demo_datacloud too, where both APIs were published)\n`)
    expect(stdout).to.contain(`  Account ${created![1]}  Dunes Energy Ltd  (Energy)\n    Contact ${created![2]}  Ada Lovelace  ada@dunes.example\n`)
    // no org access token or add-on token on the way: neither the token's config var with its
    // value nor the value alone (the demo hands it to the example app), in the emulator's token
    // format (48 hex digits, test/emulator/platform.test.ts)
    const output = stdout + stderr
    expect(output).not.to.match(/00D\w{15}![0-9a-f]{20}/)
    expect(output).not.to.match(/HEROKU_APPLINK_TOKEN["=:]/)
    expect(output).not.to.match(/\b[0-9a-f]{48}\b/)
    expect(stdout).to.contain('==> Stop the example app\nstopped\n')
    expect(stdout).to.contain('==> Stop the emulator\nstopped\n')
    expect(stdout.trimEnd().endsWith('Demo finished: every step passed.')).to.equal(true)
    const [, url] = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)!
    expect(await probe(url)).to.equal('ECONNREFUSED')
    expectTempFoldersGone(stdout)
  })

  it('stops the emulator and exits 130 when interrupted', async () => {
    const demo = startDemo()
    const [, url] = await waitForText(demo, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 90_000)
    expect(await probe(url)).to.equal('open')
    demo.kill('SIGINT')
    const {code, stderr} = await demo.done
    expect(code).to.equal(130)
    expect(stderr).to.contain('demo interrupted (SIGINT)')
    expect(await probe(url)).to.equal('ECONNREFUSED')
    expectTempFoldersGone(demo.output())
  })
})

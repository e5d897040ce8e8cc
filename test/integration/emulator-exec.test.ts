/**
 * `heroku applink:emulator:exec` and `applink:emulator:wait` as a CI script uses them, through the
 * real `heroku` CLI with telemetry at its default (so the CLI's own SIGINT / SIGTERM handlers are
 * there, as for a user): the command's environment and exit code, Ctrl-C, and kill -9 of the
 * command and of the CLI itself, checked by the pids of every process involved; bad input.
 * Each run gets TMPDIR set to a folder of this file, so the temporary data directory is seen.
 */
import {expect} from 'chai'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type CliResult, explain, heroku, herokuInBackground, sharedStage, type Stage} from './helpers/cli.js'
import {TELEMETRY_DEFAULT} from './helpers/installed.js'

/** Prints the emulator's and the app's variables and what GET /apps/{HEROKU_APP_NAME} answers, then exits with argv[2]. */
const ENV_SCRIPT = `
const pick = ['HEROKU_HOST', 'HEROKU_API_KEY', 'HEROKU_APP_ID', 'HEROKU_APP_NAME', 'HEROKU_APPLINK_API_URL', 'HEROKU_APPLINK_TOKEN']
const env = Object.fromEntries(pick.filter(k => k in process.env).map(k => [k, process.env[k]]))
const app = process.env.HEROKU_APP_NAME ?? ''
const res = await fetch(process.env.HEROKU_HOST + '/apps/' + app, {headers: {authorization: 'Bearer ' + process.env.HEROKU_API_KEY}})
console.log(JSON.stringify({env, status: res.status}))
process.exit(Number(process.argv[2]))
`

/**
 * A command with a grandchild in its process group that ignores SIGINT (only the clean-up of the
 * group stops it). On SIGINT the command still reaches the emulator (its teardown), then exits 0.
 */
const CHILD_SCRIPT = `
import {spawn} from 'node:child_process'
const gc = spawn(process.execPath, ['-e', "process.on('SIGINT', () => {}); setInterval(() => {}, 1000)"], {stdio: 'ignore'})
process.on('SIGINT', async () => {
  console.log('command got SIGINT')
  const res = await fetch(process.env.HEROKU_HOST + '/apps', {headers: {authorization: 'Bearer ' + process.env.HEROKU_API_KEY}})
  console.log('its teardown reached the emulator: ' + res.status)
  process.exit(0)
})
gc.on('spawn', () => console.log('ready command=' + process.pid + ' grandchild=' + gc.pid + ' host=' + process.env.HEROKU_HOST))
setInterval(() => {}, 1000)
`

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Waits (10 s at most) until none of `pids` runs; returns those still running. */
async function stillRunning(pids: number[]): Promise<number[]> {
  const deadline = Date.now() + 10_000
  while (pids.some(p => alive(p)) && Date.now() < deadline) await new Promise(r => setTimeout(r, 100))
  return pids.filter(p => alive(p))
}

async function answers(url: string): Promise<string> {
  return fetch(`${url}/__emulator/health`).then(r => `HTTP ${r.status}`, (error: Error) => error.message)
}

describe('applink:emulator:exec and :wait through the heroku CLI (telemetry on)', function () {
  this.timeout(180_000)
  let stage: Stage
  let tmp: string
  let scripts: string
  /** TMPDIR of the runs: the temporary data directory goes there */
  let runTmp: string
  const started: number[] = []

  before(async function () {
    this.timeout(240_000)
    stage = await sharedStage()
    tmp = mkdtempSync(join(tmpdir(), 'applink-exec-test-'))
    scripts = join(tmp, 'scripts')
    runTmp = join(tmp, 'run-tmp')
    mkdirSync(scripts)
    mkdirSync(runTmp)
    writeFileSync(join(scripts, 'env.mjs'), ENV_SCRIPT)
    writeFileSync(join(scripts, 'child.mjs'), CHILD_SCRIPT)
  })
  after(() => {
    // a failed test must not leave its processes behind either
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL')
    rmSync(tmp, {force: true, recursive: true})
  })

  const env = () => ({...TELEMETRY_DEFAULT, TMPDIR: runTmp})
  /** the temporary data directories in TMPDIR (tsx, which runs the tests, keeps its cache there too) */
  const leftovers = () => readdirSync(runTmp).filter(name => name.startsWith('applink-emulator-exec-'))
  const exec = (args: string[]): Promise<CliResult> => heroku(['applink:emulator:exec', ...args], {env: env(), timeoutMs: 90_000})
  const node = process.execPath

  it('runs the command with the emulator\'s and the app\'s environment, passes exit code 0 through, and stops it all', async () => {
    const r = await exec(['-a', 'my-app', '--create-app', '--addons', 'heroku-applink', '-v', '--', node, join(scripts, 'env.mjs'), '0'])
    expect(r.code, explain(r)).to.equal(0)
    const {env: seen, status} = JSON.parse(r.stdout)
    const host = seen.HEROKU_HOST as string
    expect(host).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(seen.HEROKU_API_KEY).to.match(/^emu-\w+$/)
    expect(seen.HEROKU_APP_NAME).to.equal('my-app')
    expect(seen.HEROKU_APP_ID).to.match(/^[\da-f-]{36}$/)
    expect(seen.HEROKU_APPLINK_API_URL).to.match(new RegExp(`^${host}/addons/[\\da-f-]{36}$`))
    expect(seen.HEROKU_APPLINK_TOKEN).to.match(/^\S{16,}$/)
    expect(status).to.equal(200)
    expect(r.stderr).to.match(/applink:emulator:exec: created the app my-app\n/)
    expect(r.stderr).to.match(/applink:emulator:exec: created the add-on \S+ \(heroku-applink\) on my-app\n/)
    expect(r.stderr).not.to.contain(seen.HEROKU_APPLINK_TOKEN)
    // stopped, its temporary data directory removed
    expect(await answers(host)).to.equal('fetch failed')
    expect(leftovers()).to.deep.equal([])
  })

  it('passes exit code 1 through, and 130 for a command SIGINT ended (128+N for signal N)', async () => {
    const failed = await exec(['--', node, join(scripts, 'env.mjs'), '1'])
    expect(failed.code, explain(failed)).to.equal(1)
    expect(failed.stderr).to.equal('')
    expect(JSON.parse(failed.stdout).status).to.equal(200)

    const interrupted = await exec(['--', node, '-e', 'process.kill(process.pid, "SIGINT")'])
    expect(interrupted.code, explain(interrupted)).to.equal(130)
    const terminated = await exec(['--', node, '-e', 'process.kill(process.pid, "SIGTERM")'])
    expect(terminated.code, explain(terminated)).to.equal(143)
    expect(leftovers()).to.deep.equal([])
  })

  it('Ctrl-C: passes SIGINT to the command\'s group, waits for it (the emulator still serves its teardown), stops the rest, exits 130', async () => {
    const h = await herokuInBackground(['applink:emulator:exec', '--', node, join(scripts, 'child.mjs')], {env: env()})
    started.push(h.child.pid!)
    const [, command, grandchild, host] = await h.waitFor(/ready command=(\d+) grandchild=(\d+) host=(\S+)/, {timeoutMs: 90_000})
    started.push(Number(command), Number(grandchild))
    expect(leftovers()).to.have.length(1)
    process.kill(h.child.pid!, 'SIGINT')
    const r = await h.done
    expect(r.code, explain(r)).to.equal(130)
    expect(r.stdout).to.contain('command got SIGINT\nits teardown reached the emulator: 200\n')
    expect(await stillRunning([Number(command), Number(grandchild)])).to.deep.equal([])
    expect(await answers(host)).to.equal('fetch failed')
    expect(leftovers()).to.deep.equal([])
  })

  it('kill -9 of the command: the rest of its group and the emulator stop, exit 137', async () => {
    const h = await herokuInBackground(['applink:emulator:exec', '--', node, join(scripts, 'child.mjs')], {env: env()})
    started.push(h.child.pid!)
    const [, command, grandchild, host] = await h.waitFor(/ready command=(\d+) grandchild=(\d+) host=(\S+)/, {timeoutMs: 90_000})
    started.push(Number(command), Number(grandchild))
    process.kill(Number(command), 'SIGKILL')
    const r = await h.done
    expect(r.code, explain(r)).to.equal(137)
    expect(await stillRunning([Number(command), Number(grandchild)])).to.deep.equal([])
    expect(await answers(host)).to.equal('fetch failed')
    expect(leftovers()).to.deep.equal([])
  })

  it('kill -9 of the heroku process itself: the watchdog stops the command and its group and removes the data directory', async () => {
    const h = await herokuInBackground(['applink:emulator:exec', '--', node, join(scripts, 'child.mjs')], {env: env()})
    const cli = h.child.pid!
    started.push(cli)
    const [, command, grandchild, host] = await h.waitFor(/ready command=(\d+) grandchild=(\d+) host=(\S+)/, {timeoutMs: 90_000})
    started.push(Number(command), Number(grandchild))
    process.kill(cli, 'SIGKILL')
    const r = await h.done
    expect(r.signal).to.equal('SIGKILL')
    expect(await stillRunning([cli, Number(command), Number(grandchild)])).to.deep.equal([])
    expect(await answers(host)).to.equal('fetch failed')
    const deadline = Date.now() + 10_000
    while (leftovers().length > 0 && Date.now() < deadline) await new Promise(res => setTimeout(res, 100))
    expect(leftovers()).to.deep.equal([])
  })

  it('bad input: no command, a command not found (127), a port in use, an unknown app: one clear error each, nothing run or left', async () => {
    const usage = 'Error: No command to run: give it after --, e.g. heroku applink:emulator:exec -- npm test.\n'
    for (const args of [[], ['--'], ['-v', '--']]) {
      const r = await exec(args)
      expect([r.code, r.stdout, r.stderr], args.join(' ')).to.deep.equal([2, '', usage])
    }

    const before = await exec(['npm', 'test'])
    expect([before.code, before.stderr]).to.deep.equal([2, 'Error: Put the command to run after --: heroku applink:emulator:exec [FLAGS] -- COMMAND [ARGS...] (got "npm" before it).\n'])

    const missing = await exec(['--', 'no-such-command-xyz', 'arg'])
    expect([missing.code, missing.stderr]).to.deep.equal([127, 'Error: no-such-command-xyz: command not found.\n  › Check its spelling, install it, or give its path (./script.sh); it is looked up in PATH.\n'])

    const marker = join(tmp, 'ran')
    const taken: Server = createServer()
    await new Promise<void>(resolve => {
      taken.listen(0, '127.0.0.1', resolve)
    })
    const {port} = taken.address() as {port: number}
    try {
      const busy = await exec(['--port', String(port), '--', node, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`])
      expect([busy.code, busy.stderr]).to.deep.equal([1, `Error: Port ${port} on 127.0.0.1 is already in use: choose another --port, or 0 for a free one.\n`])
    } finally {
      taken.close()
    }

    const noApp = await exec(['-a', 'nope', '--', node, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`])
    expect([noApp.code, noApp.stderr]).to.deep.equal([2, 'Error: The emulator has no app nope.\n  › Add --create-app to create it before the command runs (the emulator starts empty without --data-dir).\n'])
    expect(existsSync(marker)).to.equal(false)
    expect(leftovers()).to.deep.equal([])
  })

  it('wait: exit 0 once the emulator answers (HEROKU_HOST), 3 with the reason on timeout, 2 without a URL', async () => {
    const ready = await exec(['--', node, stage.bin, 'applink:emulator:wait', '--timeout', '20'])
    expect(ready.code, explain(ready)).to.equal(0)
    expect(ready.stderr).to.match(/^AppLink emulator at http:\/\/127\.0\.0\.1:\d+: ready\n$/)

    const closed: Server = createServer()
    await new Promise<void>(resolve => {
      closed.listen(0, '127.0.0.1', resolve)
    })
    const {port} = closed.address() as {port: number}
    await new Promise(resolve => {
      closed.close(resolve)
    })
    const late = await heroku(['applink:emulator:wait', '--url', `http://127.0.0.1:${port}`, '--timeout', '1'])
    expect(late.code, explain(late)).to.equal(3)
    expect(late.stderr).to.equal(`Error: The AppLink emulator at http://127.0.0.1:${port} did not answer within 1 s (last try: connection refused).\n  › Start one with: heroku applink:emulator --detach, or eval "$(heroku applink:emulator --detach --port 0)" to set HEROKU_HOST too\n`)

    const none = await heroku(['applink:emulator:wait'], {env: {HEROKU_HOST: undefined}})
    expect(none.code, explain(none)).to.equal(2)
    expect(none.stderr).to.contain('Error: No emulator to wait for: give --url URL or set HEROKU_HOST.\n')
  })
})

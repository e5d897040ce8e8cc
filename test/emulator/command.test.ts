/**
 * `applink:emulator` as a user runs it: a foreground process that prints the export lines and the
 * listening line on stdout, serves until SIGINT/SIGTERM and then exits 0.
 */
import {expect} from 'chai'
import {type ChildProcess, spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {LOCK_FILE, STORE_FILE} from '../../src/emulator/store/store.js'
import {removeTempDirs, request, tempDir} from './helpers.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const runner = fileURLToPath(new URL('fixtures/dev-run.mjs', import.meta.url))

interface Running {
  child: ChildProcess
  /** resolves with the exit code and all output once the process ends */
  done: Promise<{code: null | number; signal: NodeJS.Signals | null; stderr: string; stdout: string}>
  output: () => {stderr: string; stdout: string}
}

const children = new Set<ChildProcess>()

function launch(args: string[]): Running {
  const child = spawn(process.execPath, [runner, 'applink:emulator', ...args], {cwd: root, env: {...process.env, NO_COLOR: '1'}, stdio: ['ignore', 'pipe', 'pipe']})
  children.add(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', d => {
    stdout += d
  })
  child.stderr!.on('data', d => {
    stderr += d
  })
  // never outlive the test (generous: a start through tsx on a loaded 2-core machine can take long)
  const guard = setTimeout(() => child.kill('SIGKILL'), 150_000)
  const done = new Promise<{code: null | number; signal: NodeJS.Signals | null; stderr: string; stdout: string}>(resolve => {
    child.once('exit', (code, signal) => {
      children.delete(child)
      clearTimeout(guard)
      resolve({code, signal, stderr, stdout})
    })
  })
  return {child, done, output: () => ({stderr, stdout})}
}

async function listening(run: Running): Promise<string> {
  const deadline = Date.now() + 25_000
  for (;;) {
    const m = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(run.output().stdout)
    if (m) return m[1]
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`the emulator did not start: ${JSON.stringify(run.output())}`)
    await new Promise(r => {
      setTimeout(r, 50)
    })
  }
}

describe('applink:emulator', function () {
  this.timeout(180_000)
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL')
    removeTempDirs()
  })

  it('prints export lines that work, refuses a second emulator on the same dir, and stops on SIGINT with exit 0', async () => {
    const dataDir = tempDir()
    const first = launch(['--port', '0', '--data-dir', dataDir, '--auto-approve'])
    const url = await listening(first)
    const lines = first.output().stdout.trim().split('\n')
    expect(lines).to.have.length(3)
    expect(lines[0]).to.equal(`export HEROKU_HOST=${url}`)
    expect(lines[1]).to.match(/^export HEROKU_API_KEY=emu-[0-9a-f]{36}$/)
    const key = lines[1].split('=')[1]
    expect((await request(`${url}/account`, {headers: {authorization: `Bearer ${key}`}})).status).to.equal(200)
    expect(first.output().stderr).to.contain(`AppLink emulator: store ${join(dataDir, STORE_FILE)}`)
    expect(first.output().stderr).to.contain('--auto-approve')

    const second = await launch(['--port', '0', '--data-dir', dataDir]).done
    expect(second.code).to.equal(1)
    expect(second.stdout).to.equal('')
    expect(second.stderr).to.contain(`Error: Another emulator (pid ${first.child.pid}) is already using ${dataDir}. Stop it first, or give this one another --data-dir.`)

    const port = new URL(url).port
    const busy = await launch(['--port', port, '--data-dir', tempDir()]).done
    expect(busy.code).to.equal(1)
    expect(busy.stderr).to.contain(`Error: Port ${port} on 127.0.0.1 is already in use: choose another --port, or 0 for a free one.`)

    first.child.kill('SIGINT')
    const ended = await first.done
    expect(ended.code).to.equal(0)
    expect(ended.stderr).to.contain('AppLink emulator: stopped')
    expect(existsSync(join(dataDir, LOCK_FILE))).to.equal(false)
  })

  it('keeps its store across runs, empties it with --reset (and says so), and stops on SIGTERM with exit 0', async () => {
    const dataDir = tempDir()
    const first = launch(['--port', '0', '--data-dir', dataDir])
    const url = await listening(first)
    const key = /HEROKU_API_KEY=(\S+)/.exec(first.output().stdout)![1]
    const created = await request(`${url}/apps`, {body: JSON.stringify({name: 'kept-app'}), headers: {authorization: `Bearer ${key}`, 'content-type': 'application/json'}, method: 'POST'})
    expect(created.status).to.equal(201)
    first.child.kill('SIGTERM')
    expect((await first.done).code).to.equal(0)

    const again = launch(['--port', '0', '--data-dir', dataDir])
    const url2 = await listening(again)
    expect(again.output().stdout).to.contain(`export HEROKU_API_KEY=${key}\n`)
    expect((await request(`${url2}/apps/kept-app`, {headers: {authorization: `Bearer ${key}`}})).status).to.equal(200)
    again.child.kill('SIGTERM')
    expect((await again.done).code).to.equal(0)

    const reset = launch(['--port', '0', '--data-dir', dataDir, '--reset'])
    const url3 = await listening(reset)
    expect(reset.output().stderr).to.contain('(emptied by --reset)')
    expect((await request(`${url3}/apps`, {headers: {authorization: `Bearer ${key}`}})).body).to.deep.equal([])
    reset.child.kill('SIGTERM')
    expect((await reset.done).code).to.equal(0)
  })

  it('rejects an invalid --port with exit 2 before starting', async () => {
    const result = await launch(['--port', '70000', '--data-dir', tempDir()]).done
    expect(result.code).to.equal(2)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.contain('Expected an integer less than or equal to 65535 but received: 70000')
  })
})

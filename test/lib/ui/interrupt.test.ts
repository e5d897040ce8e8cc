/**
 * The interrupt guard on a fake process: it goes before other listeners, answers synchronously,
 * and the exit code stays its own when another listener (the heroku CLI's telemetry) exits first.
 * The real process is covered in test/integration/as-users-run-it.ts.
 */
import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {EventEmitter} from 'node:events'

import {AppLinkError} from '../../../src/lib/api/errors.js'
import {createInterruptGuard, holdSignals, interruptedError} from '../../../src/lib/ui/interrupt.js'

function fakeProcess() {
  const calls: string[] = []
  const proc = Object.assign(new EventEmitter(), {
    exit(code: number) {
      calls.push(`exit ${code}`)
    },
    exitCode: undefined as number | string | null | undefined,
  })
  return {calls, proc}
}

describe('interrupt guard', () => {
  it('runs the top handler first, renders its error, and exits with its code when it is the only listener', () => {
    const {calls, proc} = fakeProcess()
    const guard = createInterruptGuard(proc)
    guard.setRenderer(e => calls.push(`render ${e.message}`))
    guard.onInterrupt(() => interruptedError('outer'))
    const release = guard.onInterrupt(() => interruptedError('inner'))
    release()
    const error = new AppLinkError('Interrupted: stopped waiting.', {exitCode: 130, id: 'interrupted'})
    guard.onInterrupt(signal => {
      calls.push(`handler ${signal}`)
      return error
    })
    proc.emit('SIGTERM', 'SIGTERM')
    expect(calls).to.deep.equal(['handler SIGTERM', 'render Interrupted: stopped waiting.', 'exit 130'])
    expect(guard.interrupted).to.equal(true)
  })

  it('lets a listener that was there before run after it, and keeps 130 when that one exits 1', () => {
    const {calls, proc} = fakeProcess()
    // the heroku CLI's telemetry listener: process.exit(1)
    proc.on('SIGINT', () => {
      calls.push('cli listener')
      proc.emit('exit', 1)
      calls.push(`exit code ${proc.exitCode}`)
    })
    const deferred: (() => void)[] = []
    const guard = createInterruptGuard(proc, fn => deferred.push(fn))
    guard.setRenderer(() => calls.push('render'))
    guard.onInterrupt(() => interruptedError())
    proc.emit('SIGINT', 'SIGINT')
    expect(calls).to.deep.equal(['render', 'cli listener', 'exit code 130'])
    // had the other listener not exited, the guard does on the next turn
    for (const fn of deferred) fn()
    expect(calls.at(-1)).to.equal('exit 130')
  })

  it('a handler may return a plain exit code (the emulator stops with 0), and a second signal exits at once', () => {
    const {calls, proc} = fakeProcess()
    const guard = createInterruptGuard(proc)
    guard.setRenderer(() => calls.push('render'))
    guard.onInterrupt(() => {
      calls.push('handler')
      return 0
    })
    proc.emit('SIGINT', 'SIGINT')
    proc.emit('SIGINT', 'SIGINT')
    // the handler ran once: the second signal exits without running it again
    expect(calls).to.deep.equal(['handler', 'exit 0', 'exit 0'])
  })

  it('in a real process, an exit(1) from another listener after ours still ends with 130', () => {
    const script = `
      const {createInterruptGuard, interruptedError} = await import(${JSON.stringify(new URL('../../../src/lib/ui/interrupt.ts', import.meta.url).href)})
      process.on('SIGINT', () => process.exit(1))
      const guard = createInterruptGuard(process)
      guard.onInterrupt(() => interruptedError('stopped'))
      process.kill(process.pid, 'SIGINT')
      setTimeout(() => {}, 5000)
    `
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {encoding: 'utf8', timeout: 20_000})
    expect(r.status, r.stderr).to.equal(130)
    expect(r.stderr).to.equal('Error: stopped\n')
  })
})

describe('holdSignals', () => {
  it('gives SIGINT and SIGTERM to its handler alone while held, then puts the other listeners back in their order', () => {
    const owner = new EventEmitter()
    const calls: string[] = []
    const first = () => calls.push('first')
    const second = () => calls.push('second')
    owner.on('SIGINT', first)
    owner.on('SIGINT', second)
    owner.on('SIGTERM', first)
    const release = holdSignals(signal => calls.push(`held ${signal}`), owner)
    owner.emit('SIGINT', 'SIGINT')
    owner.emit('SIGTERM', 'SIGTERM')
    expect(calls).to.deep.equal(['held SIGINT', 'held SIGTERM'])
    release()
    release()
    calls.length = 0
    owner.emit('SIGINT', 'SIGINT')
    owner.emit('SIGTERM', 'SIGTERM')
    expect(calls).to.deep.equal(['first', 'second', 'first'])
    expect(owner.listenerCount('SIGINT')).to.equal(2)
  })
})

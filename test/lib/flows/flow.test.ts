import {expect} from 'chai'
import {spawnSync} from 'node:child_process'
import {EventEmitter} from 'node:events'
import {fileURLToPath} from 'node:url'

import {browserLauncher, openBrowser} from '../../../src/lib/ui/browser.js'
import {AppLinkError} from '../../../src/lib/api/errors.js'
import {createInterruptGuard} from '../../../src/lib/ui/interrupt.js'
import {runFlow} from '../../../src/lib/flows/flow.js'
import type {FlowResource, FlowSpec} from '../../../src/lib/flows/flow-spec.js'
import {type FlowIO, lineProgress} from '../../../src/lib/flows/flow-io.js'
import {formatDuration, nextPollDelay, pollIntervalOverride, waitTimeoutMs} from '../../../src/lib/flows/flow-timing.js'
import {type KeyAnswer, type KeyInput, waitForKey} from '../../../src/lib/ui/keypress.js'

describe('flow: poll schedule', () => {
  it('polls every 0.4 s for 10 s, every 1 s until 60 s, then grows ×1.5 up to 5 s', () => {
    const delays: number[] = []
    let elapsed = 0
    let delay = 0
    while (elapsed < 120_000) {
      delay = nextPollDelay(elapsed, delay)
      delays.push(delay)
      elapsed += delay
    }

    expect(delays.slice(0, 25)).to.deep.equal(Array.from({length: 25}, () => 400))
    expect(delays.slice(25, 75)).to.deep.equal(Array.from({length: 50}, () => 1000))
    expect(delays.slice(75, 81)).to.deep.equal([1500, 2250, 3375, 5000, 5000, 5000])
    expect(Math.max(...delays)).to.equal(5000)
  })

  it('takes a fixed interval from APPLINK_POLL_INTERVAL_MS, ignoring nonsense', () => {
    expect(pollIntervalOverride({APPLINK_POLL_INTERVAL_MS: '25'})).to.equal(25)
    expect(pollIntervalOverride({APPLINK_POLL_INTERVAL_MS: 'soon'})).to.equal(undefined)
    expect(pollIntervalOverride({APPLINK_POLL_INTERVAL_MS: '0'})).to.equal(undefined)
    expect(pollIntervalOverride({})).to.equal(undefined)
  })

  it('reads --wait-timeout as positive seconds, 10 minutes by default', () => {
    expect(waitTimeoutMs(undefined)).to.equal(600_000)
    expect(waitTimeoutMs('90')).to.equal(90_000)
    expect(waitTimeoutMs('0.5')).to.equal(500)
    for (const bad of ['0', '-5', '10m', 'abc', '1e3']) {
      expect(() => waitTimeoutMs(bad), bad).to.throw(AppLinkError).with.property('exitCode', 2)
    }
  })

  it('formats durations for messages', () => {
    expect(formatDuration(600_000)).to.equal('10 minutes')
    expect(formatDuration(90_000)).to.equal('1 minute 30 seconds')
    expect(formatDuration(1000)).to.equal('1 second')
    expect(formatDuration(200)).to.equal('0.2 seconds')
  })
})

type Res = FlowResource & {id: string}

interface Harness {
  io: FlowIO
  keys: KeyAnswer[]
  opened: {app?: string; url: string}[]
  /** where the fake process receives signals (the real interrupt guard listens on it) */
  signals: EventEmitter
  stderr: string[]
  sleeps: number[]
  /** exit codes the guard asked for */
  exits: number[]
  /** errors the guard rendered */
  rendered: AppLinkError[]
  /** interrupt handlers the flow has in place */
  active: number
}

/** A fake terminal, clock and process: sleeping advances the clock at once; signals go through the real guard. */
function harness(options: {interactive?: boolean; keys?: KeyAnswer[]; openOk?: boolean; onSleep?: (n: number) => void} = {}): Harness {
  let clock = 1_000_000
  const stderr: string[] = []
  const signals = Object.assign(new EventEmitter(), {exit: (code: number) => h.exits.push(code), exitCode: undefined as number | undefined})
  const guard = createInterruptGuard(signals, fn => fn())
  guard.setRenderer(error => h.rendered.push(error))
  const h: Harness = {
    active: 0,
    exits: [],
    io: {
      interactive: options.interactive ?? false,
      maxFailures: 3,
      now: () => clock,
      onInterrupt(handler) {
        h.active++
        const release = guard.onInterrupt(handler)
        return () => {
          h.active--
          release()
        }
      },
      async openUrl(url, app) {
        h.opened.push({app, url})
        return options.openOk ?? true
      },
      progress: lineProgress(t => stderr.push(t)),
      schedule: nextPollDelay,
      async sleep(ms) {
        h.sleeps.push(ms)
        clock += ms
        options.onSleep?.(h.sleeps.length)
      },
      async waitForKey() {
        return h.keys.shift() ?? 'go'
      },
      write: t => stderr.push(t),
    },
    keys: options.keys ?? [],
    opened: [],
    rendered: [],
    signals,
    sleeps: [],
    stderr,
  }
  return h
}

function spec(statuses: (Error | string)[], overrides: Partial<FlowSpec<Res>> = {}): FlowSpec<Res> & {gets: number} {
  const s = {
    action: 'Connecting Salesforce org my_org to my-app',
    browser: {prompt: 'Press any key to open up the browser to connect my_org to my-app, or q to exit'},
    checkHint: 'Check it with: heroku applink:connections:info my_org -a my-app',
    async create(): Promise<Res> {
      return {id: 'c1', redirect_uri: 'https://login.example.com/authorize?state=s1', status: 'connecting'}
    },
    async get(created: Res): Promise<Res> {
      expect(created.id).to.equal('c1')
      const next = statuses[Math.min(s.gets++, statuses.length - 1)]
      if (next instanceof Error) throw next
      return {error: next === 'failed' ? {id: 'org_connection_failed', message: 'Login expired'} : undefined, id: 'c1', status: next}
    },
    gets: 0,
    isPending: (status: string) => status === 'connecting',
    isSuccess: (status: string) => status === 'connected',
    kind: 'connection',
    subject: 'Salesforce connection my_org',
    timeoutMs: 600_000,
    ...overrides,
  }
  return s
}

async function failure(promise: Promise<unknown>): Promise<AppLinkError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(AppLinkError)
    return error as AppLinkError
  }

  throw new Error('expected the flow to fail')
}

describe('flow: runner', () => {
  it('without a TTY prints the URL, never waits for a key, and reports one line per status change', async () => {
    const h = harness()
    h.io.waitForKey = async () => {
      throw new Error('must not wait for a key without a TTY')
    }

    const s = spec(['connecting', 'connecting', 'connecting', 'connected'])
    const result = await runFlow(s, h.io)
    expect(result.status).to.equal('connected')
    expect(s.gets).to.equal(4)
    expect(h.opened).to.deep.equal([])
    expect(h.stderr).to.deep.equal([
      'Open this URL in a browser to log in: https://login.example.com/authorize?state=s1\n',
      'Connecting Salesforce org my_org to my-app: connecting\n',
      'Connecting Salesforce org my_org to my-app: connected\n',
    ])
    expect(h.sleeps).to.deep.equal([400, 400, 400, 400])
    expect(h.active).to.equal(0)
  })

  it('without a TTY still tries the browser named with --browser, and prints the URL anyway', async () => {
    const h = harness({openOk: false})
    await runFlow(spec(['connected'], {browser: {app: 'firefox', prompt: 'press'}}), h.io)
    expect(h.opened).to.deep.equal([{app: 'firefox', url: 'https://login.example.com/authorize?state=s1'}])
    expect(h.stderr.join('')).to.contain('Open this URL in a browser to log in: https://login.example.com/authorize?state=s1\nCould not open firefox.\n')
  })

  it('on a TTY asks for a key, then opens the browser (URL printed only when that fails)', async () => {
    const h = harness({interactive: true})
    await runFlow(spec(['connected']), h.io)
    expect(h.stderr[0]).to.equal('Press any key to open up the browser to connect my_org to my-app, or q to exit\n')
    expect(h.opened).to.deep.equal([{app: undefined, url: 'https://login.example.com/authorize?state=s1'}])
    expect(h.stderr.join('')).not.to.contain('https://login.example.com')

    const h2 = harness({interactive: true, openOk: false})
    await runFlow(spec(['connected']), h2.io)
    expect(h2.stderr.join('')).to.contain('Could not open a browser. Open this URL in a browser to log in: https://login.example.com/authorize?state=s1')
  })

  it('checks at once after a browser opened (a logged-in session comes straight back), then every 0.4 s', async () => {
    const h = harness({interactive: true})
    const s = spec(['connecting', 'connecting', 'connected'])
    await runFlow(s, h.io)
    expect(s.gets).to.equal(3)
    expect(h.sleeps).to.deep.equal([400, 400])

    // --browser without a terminal: the same
    const named = harness()
    const s2 = spec(['connected'], {browser: {app: 'firefox', prompt: 'press'}})
    await runFlow(s2, named.io)
    expect([s2.gets, named.sleeps]).to.deep.equal([1, []])

    // when the browser did not open, the user has yet to open the URL: the first check waits
    const failed = harness({interactive: true, openOk: false})
    const s3 = spec(['connected'])
    await runFlow(s3, failed.io)
    expect([s3.gets, failed.sleeps]).to.deep.equal([1, [400]])
  })

  it('q at the prompt quits with exit 130, without polling, and says how to finish and check', async () => {
    const h = harness({interactive: true, keys: ['quit']})
    const s = spec(['connected'])
    const error = await failure(runFlow(s, h.io))
    expect(error.exitCode).to.equal(130)
    expect(error.message).to.equal('Quit before logging in: Salesforce connection my_org is waiting for a login (status connecting).')
    expect(error.hints).to.deep.equal(['To log in, open this URL in a browser: https://login.example.com/authorize?state=s1', 'Check it with: heroku applink:connections:info my_org -a my-app'])
    expect(s.gets).to.equal(0)
    expect(h.opened).to.deep.equal([])
  })

  it('Ctrl-C at the prompt (raw mode, so a key, not a signal) stops with exit 130 before any poll', async () => {
    const h = harness({interactive: true, keys: ['interrupt']})
    const s = spec(['connected'])
    const error = await failure(runFlow(s, h.io))
    expect(error.exitCode).to.equal(130)
    expect(error.id).to.equal('interrupted')
    expect(error.message).to.equal('Interrupted before logging in: Salesforce connection my_org is waiting for a login (status connecting).')
    expect(s.gets).to.equal(0)
    expect(h.active).to.equal(0)
    expect(h.rendered).to.deep.equal([])
  })

  it('ends failed with exit 1 and the service\'s message', async () => {
    const h = harness()
    const error = await failure(runFlow(spec(['connecting', 'failed'], {retryHint: 'Try again with: heroku salesforce:connect my_org -a my-app'}), h.io))
    expect(error.exitCode).to.equal(1)
    expect(error.id).to.equal('org_connection_failed')
    expect(error.message).to.equal('Salesforce connection my_org failed: Login expired')
    expect(error.hints).to.deep.equal(['Try again with: heroku salesforce:connect my_org -a my-app', 'Check it with: heroku applink:connections:info my_org -a my-app'])
    expect(h.stderr.at(-1)).to.equal('Connecting Salesforce org my_org to my-app: failed\n')
  })

  it('times out with exit 3 after --wait-timeout, naming the command to check later', async () => {
    const h = harness()
    const s = spec(['connecting'], {timeoutMs: 3000})
    const error = await failure(runFlow(s, h.io))
    expect(error.exitCode).to.equal(3)
    expect(error.id).to.equal('wait_timeout')
    expect(error.message).to.equal('Timed out after 3 seconds waiting for Salesforce connection my_org (status connecting). It may still complete.')
    expect(error.hints).to.include('Check it with: heroku applink:connections:info my_org -a my-app')
    expect(h.sleeps.reduce((a, b) => a + b, 0)).to.equal(3000)
    expect(s.gets).to.equal(8)
    expect(h.stderr.at(-1)).to.equal('Connecting Salesforce org my_org to my-app: timed out\n')
  })

  it('keeps polling through a transient failure, and gives up after 3 in a row', async () => {
    const unavailable = () => new AppLinkError('Service Unavailable', {id: 'service_unavailable', request: 'GET /x', status: 503})
    const h = harness()
    const ok = await runFlow(spec(['connecting', unavailable(), unavailable(), 'connected']), h.io)
    expect(ok.status).to.equal('connected')
    expect(h.stderr.filter(l => l.startsWith('Checking the status failed'))).to.deep.equal(['Checking the status failed (Service Unavailable); trying again.\n'])

    const h2 = harness()
    const error = await failure(runFlow(spec([unavailable(), unavailable(), unavailable(), 'connected']), h2.io))
    expect(error.exitCode).to.equal(1)
    expect(error.status).to.equal(503)
    expect(error.message).to.equal('Stopped waiting for Salesforce connection my_org (status connecting): the last 3 status checks failed (Service Unavailable). It may still complete.')
    expect(error.hints).to.deep.equal(['Check it with: heroku applink:connections:info my_org -a my-app'])
  })

  it('stops at once on a poll error that is not transient', async () => {
    const h = harness()
    const notFound = new AppLinkError('Not found', {id: 'record_not_found', status: 404})
    const error = await failure(runFlow(spec(['connecting', notFound, 'connected']), h.io))
    expect(error).to.equal(notFound)
  })

  it('SIGINT or SIGTERM stops polling: the progress line ends, the error is shown at once, exit 130; a second one exits again at once', async () => {
    for (const signal of ['SIGINT', 'SIGTERM']) {
      const h = harness({onSleep: n => n === 3 && h.signals.emit(signal)})
      const s = spec(['connecting'], {resumeHint: 'Go on waiting with: heroku salesforce:connect my_org -a my-app'})
      const error = await failure(runFlow(s, h.io))
      expect(error.exitCode, signal).to.equal(130)
      expect(error.message).to.equal('Interrupted: stopped waiting for Salesforce connection my_org (status connecting). It may still complete.')
      expect(error.hints).to.deep.equal([
        'To log in, open this URL in a browser: https://login.example.com/authorize?state=s1',
        'Check it with: heroku applink:connections:info my_org -a my-app',
        'Go on waiting with: heroku salesforce:connect my_org -a my-app',
      ])
      // shown synchronously, from inside the signal listener: under the heroku CLI nothing later runs
      expect(h.rendered).to.deep.equal([error])
      expect(h.exits).to.deep.equal([130])
      expect(s.gets).to.equal(2)
      expect(h.stderr.at(-1)).to.equal('Connecting Salesforce org my_org to my-app: interrupted\n')
      expect(h.stderr.filter(l => l.endsWith('interrupted\n'))).to.have.length(1)
      expect(h.active).to.equal(0)
    }

    const h = harness({onSleep: () => {
      h.signals.emit('SIGINT')
      h.signals.emit('SIGINT')
    }})
    await failure(runFlow(spec(['connecting']), h.io))
    expect(h.exits).to.deep.equal([130, 130])
    expect(h.rendered).to.have.length(1)
  })

  it('SIGTERM at the key prompt stops with the prompt message, before any poll', async () => {
    const h = harness({interactive: true})
    h.io.waitForKey = signal => new Promise(resolve => {
      signal.addEventListener('abort', () => resolve('interrupt'))
      setImmediate(() => h.signals.emit('SIGTERM'))
    })
    const s = spec(['connected'])
    const error = await failure(runFlow(s, h.io))
    expect(error.message).to.equal('Interrupted before logging in: Salesforce connection my_org is waiting for a login (status connecting).')
    expect(h.rendered).to.deep.equal([error])
    expect(s.gets).to.equal(0)
  })

  it('Ctrl-C while the create request is under way says it may or may not exist', async () => {
    const h = harness()
    const s = spec([], {create: () => {
      setImmediate(() => h.signals.emit('SIGINT'))
      return new Promise<Res>(() => {})
    }})
    const error = await failure(runFlow(s, h.io))
    expect(error.exitCode).to.equal(130)
    expect(error.message).to.equal('Interrupted while starting Salesforce connection my_org: it may or may not have been created.')
    expect(error.hints).to.deep.equal(['Check it with: heroku applink:connections:info my_org -a my-app'])
    expect(h.rendered).to.deep.equal([error])
  })

  it('a SIGINT while a status check is in flight does not wait for its answer', async () => {
    const h = harness()
    const s = spec([], {get: () => {
      setImmediate(() => h.signals.emit('SIGINT'))
      return new Promise<Res>(() => {})
    }})
    const error = await failure(runFlow(s, h.io))
    expect(error.exitCode).to.equal(130)
  })

  it('returns at once when the create answer is already final, and fails on a final failure there', async () => {
    const h = harness()
    const s = spec([], {browser: undefined, create: async () => ({id: 'c1', status: 'connected'})})
    expect((await runFlow(s, h.io)).status).to.equal('connected')
    expect(h.stderr).to.deep.equal([])

    const error = await failure(runFlow(spec([], {create: async () => ({id: 'c1', status: 'failed'})}), harness().io))
    expect(error.message).to.equal('Salesforce connection my_org failed.')
    expect(error.id).to.equal('connection_failed')
  })
})

class FakeTty extends EventEmitter implements KeyInput {
  isRaw = false
  isTTY = true
  modes: boolean[] = []
  paused = true
  pause() {
    this.paused = true
  }

  resume() {
    this.paused = false
  }

  setRawMode(mode: boolean) {
    this.modes.push(mode)
    this.isRaw = mode
  }
}

describe('keypress', () => {
  it('returns at once without a TTY, never touching stdin', async () => {
    const input = new FakeTty()
    input.isTTY = false
    expect(await waitForKey(input)).to.equal('go')
    expect(input.listenerCount('data')).to.equal(0)
    expect(input.modes).to.deep.equal([])
  })

  for (const [key, answer] of [['x', 'go'], ['\r', 'go'], ['q', 'quit'], ['Q', 'quit'], ['\u0004', 'quit'], ['\u0003', 'interrupt']] as const) {
    it(`answers ${answer} for ${JSON.stringify(key)}, restoring the terminal`, async () => {
      const input = new FakeTty()
      const waiting = waitForKey(input)
      expect(input.paused).to.equal(false)
      input.emit('data', Buffer.from(key))
      expect(await waiting).to.equal(answer)
      expect(input.modes).to.deep.equal([true, false])
      expect(input.paused).to.equal(true)
      expect(input.listenerCount('data') + input.listenerCount('end')).to.equal(0)
    })
  }

  it('treats end of input as go, and an abort as interrupt', async () => {
    const input = new FakeTty()
    const waiting = waitForKey(input)
    input.emit('end')
    expect(await waiting).to.equal('go')

    const controller = new AbortController()
    const input2 = new FakeTty()
    const waiting2 = waitForKey(input2, controller.signal)
    controller.abort()
    expect(await waiting2).to.equal('interrupt')
    expect(input2.isRaw).to.equal(false)
  })
})

describe('browser', () => {
  const original = browserLauncher.launch
  afterEach(() => {
    browserLauncher.launch = original
  })

  function launched(then: (child: EventEmitter) => void): {calls: unknown[][]} {
    const calls: unknown[][] = []
    browserLauncher.launch = async (...args) => {
      calls.push(args)
      const child = new EventEmitter()
      setImmediate(() => then(child))
      return child
    }

    return {calls}
  }

  it('passes --browser as the app to open, without waiting for it', async () => {
    const {calls} = launched(child => child.emit('exit', 0))
    expect(await openBrowser('https://x.example/a', 'firefox')).to.equal(true)
    expect(calls).to.deep.equal([['https://x.example/a', {app: {name: 'firefox'}, wait: false}]])
  })

  it('reports failure on a spawn error or a non-zero exit, success when the launcher keeps running', async () => {
    launched(child => child.emit('error', new Error('spawn firefox ENOENT')))
    expect(await openBrowser('https://x.example/a', 'firefox')).to.equal(false)
    launched(child => child.emit('exit', 3))
    expect(await openBrowser('https://x.example/a')).to.equal(false)
    launched(() => {})
    expect(await openBrowser('https://x.example/a', undefined, 20)).to.equal(true)
    browserLauncher.launch = async () => {
      throw new Error('no xdg-open')
    }

    expect(await openBrowser('https://x.example/a')).to.equal(false)
  })

  it('keeps the process alive while it waits for the launcher (which is detached and unref\'d)', () => {
    // with nothing else pending, an unref'd wait would end the process with exit 13 (unsettled await)
    const browserTs = fileURLToPath(new URL('../../../src/lib/ui/browser.ts', import.meta.url))
    const code = `import {EventEmitter} from 'node:events'
      import {browserLauncher, openBrowser} from ${JSON.stringify(browserTs)}
      browserLauncher.launch = async () => new EventEmitter()
      process.stdout.write(String(await openBrowser('https://x.example/a', undefined, 100)))`
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {encoding: 'utf8', timeout: 20_000})
    expect(r.status, r.stderr).to.equal(0)
    expect(r.stdout).to.equal('true')
  })
})

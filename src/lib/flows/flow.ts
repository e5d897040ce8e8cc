/**
 * The one runner for commands that start something on the AppLink service and wait for it to end:
 * create → (OAuth only) open the browser at `redirect_uri` → poll with back-off → report.
 * Used by `salesforce:connect`, `datacloud:connect`, `*:authorizations:add` and
 * `datacloud:data-action-target:create`.
 *
 * - On a terminal the user presses a key before the browser opens (q quits); without one the URL is
 *   printed on stderr and nothing ever waits for input.
 * - Progress goes to stderr: oclif's spinner on a terminal, else one plain line per status change.
 * - Exit codes: 0 on success, 1 when the flow ends failed (the service's message is shown) or the
 *   service cannot be reached several polls in a row, 3 on --wait-timeout, 130 on q, Ctrl-C or SIGTERM.
 * - Time, keys, the browser and signals come in through `FlowIO`, so tests never really wait.
 */
import {Flags} from '@oclif/core'

import type {AppLinkClient} from '../api/applink-client.js'
import {AppLinkError, ExitCode, invalidInput} from '../api/errors.js'
import type {KeyAnswer} from '../ui/keypress.js'
import {forTerminal} from '../ui/terminal-text.js'
import {orNotFound} from './lookup.js'
import {createOrResume} from './records.js'
import {addCommand, infoCommand} from '../ui/hints.js'
import {createOrRecover} from './recover.js'
import type {ApiError, Authorization, Connection, DataActionTarget, OrgKind} from '../api/types.js'

/** What every waited-for resource has. */
export interface FlowResource {
  error?: ApiError
  redirect_uri?: string
  status: string
}

export interface FlowSpec<T extends FlowResource> {
  /** progress label, e.g. `Connecting Salesforce org my_org to my-app` */
  action: string
  /** how messages name the resource, e.g. `connection my_org` */
  subject: string
  /** prefix of our error ids: `connection` → `connection_failed` */
  kind: string
  /** how to look at the result later, e.g. `Check it with: heroku applink:connections:info …` */
  checkHint: string
  /** how to try again after a failure, when there is a command for it */
  retryHint?: string
  /** how to go on waiting after a timeout or an interrupt (running the command again picks the record up) */
  resumeHint?: string
  /** total time to poll for, once the browser step is over */
  timeoutMs: number
  create(): Promise<T>
  get(created: T): Promise<T>
  isPending(status: string): boolean
  isSuccess(status: string): boolean
  /** the OAuth browser step; absent for flows without a login */
  browser?: {
    /** `--browser NAME`, passed to `open` as the app name */
    app?: string
    /** the question shown on a terminal before opening */
    prompt: string
  }
}

/** Progress on stderr: a spinner, or plain lines. */
export interface Progress {
  start(action: string, status: string): void
  update(status: string): void
  stop(status: string): void
  /** a message on a line of its own, without breaking the spinner */
  note(text: string): void
}

export interface FlowIO {
  /** a person is at a terminal (stdin and stderr are TTYs, CI unset) */
  interactive: boolean
  /** writes to stderr */
  write(text: string): void
  now(): number
  /** waits `ms`, returning early when `signal` aborts */
  sleep(ms: number, signal: AbortSignal): Promise<void>
  /** the delay before the next poll; see nextPollDelay */
  schedule(elapsedMs: number, previousMs: number): number
  waitForKey(signal: AbortSignal): Promise<KeyAnswer>
  /** true when the browser was (probably) opened */
  openUrl(url: string, app?: string): Promise<boolean>
  progress: Progress
  /**
   * Runs `handler` synchronously on Ctrl-C / SIGTERM until the returned function is called; what it
   * returns is shown and the process exits with its code (see src/lib/ui/interrupt.ts).
   */
  onInterrupt(handler: () => AppLinkError): () => void
  /** polls in a row that may fail with a network error or 5xx before the runner gives up */
  maxFailures: number
}

// ---------------------------------------------------------------------------------------------
// timing

export const DEFAULT_WAIT_TIMEOUT_S = 600

/**
 * The poll schedule: every 0.5 s for the first 10 s (a login usually ends within seconds, and the
 * command must exit soon after), every 1 s until 60 s, then ×1.5 per poll up to every 5 s.
 */
export function nextPollDelay(elapsedMs: number, previousMs: number): number {
  if (elapsedMs < 10_000) return 500
  if (elapsedMs < 60_000) return 1000
  return Math.min(5000, Math.round(Math.max(1000, previousMs) * 1.5))
}

/** `APPLINK_POLL_INTERVAL_MS`: a fixed poll interval instead of the schedule (tests, tuning). */
export function pollIntervalOverride(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const ms = Number(env.APPLINK_POLL_INTERVAL_MS)
  return env.APPLINK_POLL_INTERVAL_MS && Number.isFinite(ms) && ms > 0 ? ms : undefined
}

/** `--wait-timeout SECONDS` (or APPLINK_WAIT_TIMEOUT) in ms; a positive number, default 10 minutes. */
export function waitTimeoutMs(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_WAIT_TIMEOUT_S * 1000
  const seconds = Number(value)
  if (!/^\s*\d+(\.\d+)?\s*$/.test(value) || !(seconds > 0)) {
    throw invalidInput('invalid_wait_timeout', `Invalid --wait-timeout ${JSON.stringify(value)}: use a number of seconds greater than 0.`, [
      `E.g. --wait-timeout 900 to wait 15 minutes (the default is ${DEFAULT_WAIT_TIMEOUT_S}; APPLINK_WAIT_TIMEOUT sets it too).`,
    ])
  }

  return Math.round(seconds * 1000)
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000)
  if (total < 60) return `${ms < 1000 ? ms / 1000 : total} second${total === 1 ? '' : 's'}`
  const minutes = Math.floor(total / 60)
  const seconds = total % 60
  return `${minutes} minute${minutes === 1 ? '' : 's'}${seconds ? ` ${seconds} second${seconds === 1 ? '' : 's'}` : ''}`
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve()
      return
    }

    const onAbort = () => {
      clearTimeout(timer)
      resolve()
    }

    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, {once: true})
  })
}

// ---------------------------------------------------------------------------------------------
// progress and the real IO

/** Plain lines for logs and pipes: one per status change, never one per poll. */
export function lineProgress(write: (text: string) => void): Progress {
  let action = ''
  let last: string | undefined
  const line = (status: string) => {
    if (status === last) return
    last = status
    write(`${action}: ${status}\n`)
  }

  return {
    note: text => write(`${text}\n`),
    start(a, status) {
      action = a
      last = undefined
      line(status)
    },
    stop: line,
    update: line,
  }
}

async function spinnerProgress(): Promise<Progress> {
  const {ux} = await import('@oclif/core/ux')
  return {
    note(text) {
      if (ux.action.running) ux.action.pause(() => process.stderr.write(`${forTerminal(text)}\n`))
      else process.stderr.write(`${forTerminal(text)}\n`)
    },
    start: (action, status) => ux.action.start(forTerminal(action, {oneLine: true}), forTerminal(status, {oneLine: true})),
    stop: status => ux.action.stop(forTerminal(status, {oneLine: true})),
    update(status) {
      ux.action.status = forTerminal(status, {oneLine: true})
    },
  }
}

/** The real terminal, clock, browser and signals. */
export async function flowIO(interactive: boolean): Promise<FlowIO> {
  const [{waitForKey}, {openBrowser}, {interrupts}] = await Promise.all([import('../ui/keypress.js'), import('../ui/browser.js'), import('../ui/interrupt.js')])
  // the same test as oclif's spinner, made now rather than when @oclif/core/ux was first loaded
  const spinner = Boolean(process.stderr.isTTY) && !process.env.CI && !['dumb', 'emacs-color'].includes(process.env.TERM ?? '')
  // statuses, messages and the login URL come from the service: no control characters reach the terminal
  const write = (text: string) => {
    process.stderr.write(forTerminal(text))
  }

  const fixed = pollIntervalOverride()
  return {
    interactive,
    maxFailures: 3,
    now: () => Date.now(),
    onInterrupt: handler => interrupts.onInterrupt(handler),
    openUrl: openBrowser,
    progress: spinner ? await spinnerProgress() : lineProgress(write),
    schedule: fixed ? () => fixed : nextPollDelay,
    sleep,
    waitForKey: signal => waitForKey(process.stdin, signal),
    write,
  }
}

// ---------------------------------------------------------------------------------------------
// the runner

class Interrupted extends Error {}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Interrupted())
    if (signal.aborted) onAbort()
    signal.addEventListener('abort', onAbort, {once: true})
    promise.then(value => {
      signal.removeEventListener('abort', onAbort)
      resolve(value)
    }, error => {
      signal.removeEventListener('abort', onAbort)
      reject(error)
    })
  })
}

/** A poll failure worth another try: the network, a timeout, a 5xx/429, or a garbled answer. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof AppLinkError)) return false
  if (['invalid_response', 'network_error', 'timeout'].includes(error.id)) return true
  return error.status !== undefined && (error.status >= 500 || error.status === 429)
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

function loginHint(resource: FlowResource, spec: FlowSpec<FlowResource>): string[] {
  return spec.browser && resource.redirect_uri && spec.isPending(resource.status)
    ? [`To log in, open this URL in a browser: ${resource.redirect_uri}`]
    : []
}

/** The hints after a flow stopped waiting: the login URL, how to check, how to wait again. */
function laterHints(spec: FlowSpec<FlowResource>, resource: FlowResource): string[] {
  return [...loginHint(resource, spec), spec.checkHint, ...(spec.resumeHint ? [spec.resumeHint] : [])]
}

function failedError(spec: FlowSpec<FlowResource>, resource: FlowResource): AppLinkError {
  const what = resource.status === 'failed' ? 'failed'
    : resource.status === 'disconnected' ? 'was disconnected'
      : resource.status === 'creation_failed' ? 'could not be created'
        : `ended with status ${resource.status}`
  const reason = resource.error?.message ? `: ${resource.error.message}` : '.'
  return new AppLinkError(`${capitalize(spec.subject)} ${what}${reason}`, {
    hints: [spec.retryHint, spec.checkHint].filter((h): h is string => Boolean(h)),
    id: resource.error?.id || `${spec.kind}_failed`,
  })
}

/**
 * `quit`: q at the prompt; `prompt`: Ctrl-C at the prompt; `poll`: Ctrl-C or SIGTERM while polling;
 * `create`: Ctrl-C or SIGTERM while the create request was under way (no resource yet).
 */
function interruptedError(spec: FlowSpec<FlowResource>, resource: FlowResource | undefined, when: 'create' | 'poll' | 'prompt' | 'quit'): AppLinkError {
  if (!resource) {
    return new AppLinkError(`Interrupted while starting ${spec.subject}: it may or may not have been created.`, {
      exitCode: ExitCode.INTERRUPTED,
      hints: [spec.checkHint, ...(spec.resumeHint ? [spec.resumeHint] : [])],
      id: 'interrupted',
    })
  }

  const message = when === 'poll'
    ? `Interrupted: stopped waiting for ${spec.subject} (status ${resource.status}). It may still complete.`
    : `${when === 'quit' ? 'Quit' : 'Interrupted'} before logging in: ${spec.subject} is waiting for a login (status ${resource.status}).`
  return new AppLinkError(message, {
    exitCode: ExitCode.INTERRUPTED,
    hints: laterHints(spec, resource),
    id: when === 'quit' ? 'quit' : 'interrupted',
  })
}

function timeoutError(spec: FlowSpec<FlowResource>, resource: FlowResource): AppLinkError {
  return new AppLinkError(`Timed out after ${formatDuration(spec.timeoutMs)} waiting for ${spec.subject} (status ${resource.status}). It may still complete.`, {
    exitCode: ExitCode.TIMEOUT,
    hints: [...laterHints(spec, resource), 'Wait longer with --wait-timeout SECONDS.'],
    id: 'wait_timeout',
  })
}

function lostError(spec: FlowSpec<FlowResource>, resource: FlowResource, error: AppLinkError, polls: number): AppLinkError {
  return new AppLinkError(`Stopped waiting for ${spec.subject} (status ${resource.status}): the last ${polls} status checks failed (${error.message}). It may still complete.`, {
    hints: [spec.checkHint],
    id: error.id,
    request: error.request,
    status: error.status,
  })
}

/** Opens the browser at the login URL, or prints it; on a terminal asks for a key first. */
async function browserStep(spec: FlowSpec<FlowResource>, resource: FlowResource, io: FlowIO, signal: AbortSignal): Promise<void> {
  const url = resource.redirect_uri as string
  const app = spec.browser?.app
  const {browserRefusal} = await import('../ui/browser.js')
  const refusal = browserRefusal(url)
  if (refusal) {
    // the service sent something a browser must not be handed: say so, show it, never open it
    io.write(`Not opening the login URL in a browser: ${refusal}. Check it before opening it yourself: ${url}\n`)
    return
  }

  if (io.interactive) {
    io.write(`${spec.browser?.prompt}\n`)
    const answer = await io.waitForKey(signal)
    if (signal.aborted) throw new Interrupted()
    if (answer === 'quit') throw interruptedError(spec, resource, 'quit')
    if (answer === 'interrupt') throw interruptedError(spec, resource, 'prompt')
    if (!(await io.openUrl(url, app))) io.write(`Could not open a browser${app ? ` (${app})` : ''}. Open this URL in a browser to log in: ${url}\n`)
    return
  }

  // No terminal: nobody can press a key, so never read stdin. The URL is always printed; a browser is
  // only tried when asked for by name (--browser), e.g. from a desktop session with output piped.
  io.write(`Open this URL in a browser to log in: ${url}\n`)
  if (app && !(await io.openUrl(url, app))) io.write(`Could not open ${app}.\n`)
}

/** Polls until a final status; `onChange` sees each new state (for what an interrupt says). */
async function poll<T extends FlowResource>(spec: FlowSpec<T>, created: T, io: FlowIO, signal: AbortSignal, onChange: (resource: T) => void): Promise<T> {
  let resource = created
  const started = io.now()
  const deadline = started + spec.timeoutMs
  let delay = 0
  let failures = 0
  io.progress.start(spec.action, resource.status)
  try {
    while (spec.isPending(resource.status)) {
      const now = io.now()
      if (now >= deadline) throw timeoutError(spec, resource)
      delay = io.schedule(now - started, delay)
      await io.sleep(Math.min(delay, deadline - now), signal)
      if (signal.aborted) throw new Interrupted()
      let next: T
      try {
        next = await untilAborted(spec.get(created), signal)
      } catch (error) {
        if (error instanceof Interrupted || !isTransient(error)) throw error
        failures++
        if (failures >= io.maxFailures) throw lostError(spec, resource, error as AppLinkError, failures)
        if (failures === 1) io.progress.note(`Checking the status failed (${(error as Error).message}); trying again.`)
        continue
      }

      failures = 0
      if (next.status !== resource.status) io.progress.update(next.status)
      resource = next
      onChange(resource)
    }
  } catch (error) {
    // on an interrupt, the interrupt handler has ended the progress line already
    if (!(error instanceof Interrupted)) io.progress.stop(error instanceof AppLinkError && error.id === 'wait_timeout' ? 'timed out' : 'failed')
    throw error
  }

  io.progress.stop(resource.status)
  return resource
}

/** Runs the whole flow; returns the final resource on success, throws an AppLinkError otherwise. */
export async function runFlow<T extends FlowResource>(spec: FlowSpec<T>, io: FlowIO): Promise<T> {
  const controller = new AbortController()
  let resource: T | undefined
  let phase: 'create' | 'poll' | 'prompt' = 'create'
  let interruption: AppLinkError | undefined
  // Ctrl-C / SIGTERM: everything here is synchronous (under the heroku CLI the process exits right after)
  let loginUrl: string | undefined
  const release = io.onInterrupt(() => {
    // a status answer may leave out the login URL that the create answer had: keep showing it
    interruption ??= interruptedError(spec, resource && {...resource, redirect_uri: resource.redirect_uri ?? loginUrl}, phase)
    controller.abort()
    if (phase === 'poll') io.progress.stop('interrupted')
    return interruption
  })
  try {
    resource = await untilAborted(spec.create(), controller.signal)
    loginUrl = resource.redirect_uri
    if (spec.isPending(resource.status)) {
      if (spec.browser && resource.redirect_uri) {
        phase = 'prompt'
        await browserStep(spec, resource, io, controller.signal)
      }

      phase = 'poll'
      resource = await poll(spec, resource, io, controller.signal, r => {
        resource = r
      })
    }
  } catch (error) {
    if (error instanceof Interrupted) throw interruption ?? interruptedError(spec, resource, phase)
    throw error
  } finally {
    release()
  }

  if (!spec.isSuccess(resource.status)) throw failedError(spec, resource)
  return resource
}

// ---------------------------------------------------------------------------------------------
// the flows of the commands

export const flowFlags = {
  'wait-timeout': Flags.string({
    description: `seconds to wait for the result before giving up (default ${DEFAULT_WAIT_TIMEOUT_S})`,
    env: 'APPLINK_WAIT_TIMEOUT',
    helpValue: '<seconds>',
  }),
}

export const oauthFlags = {
  browser: Flags.string({description: 'browser to open the login page with (e.g. "firefox", "google chrome")', helpValue: '<name>'}),
  'login-url': Flags.string({char: 'l', description: 'Salesforce login URL, e.g. https://test.salesforce.com or https://MyDomain.my.salesforce.com', helpValue: '<url>'}),
  ...flowFlags,
}

export interface FlowTarget {
  /** the app's name, for messages */
  app: string
  /** `--addon NAME` in the commands we suggest (`targetOf` in ui/hints.ts) */
  addon?: string
  timeoutMs: number
}

const ORG_LABEL: Record<OrgKind, string> = {datacloud: 'Data Cloud org', salesforce: 'Salesforce org'}

const CONNECTION_PENDING = (status: string) => !['connected', 'disconnected', 'failed'].includes(status)
const AUTHORIZATION_PENDING = (status: string) => status === 'authorizing'

/** `salesforce:connect` / `datacloud:connect`: POST /connections/{org}, poll GET /connections/{id}. */
export function connectionFlow(client: AppLinkClient, org: OrgKind, name: string, loginUrl: string | undefined, browser: string | undefined, target: FlowTarget): FlowSpec<Connection> {
  return {
    action: `Connecting ${ORG_LABEL[org]} ${name} to ${target.app}`,
    browser: {app: browser, prompt: `Press any key to open up the browser to connect ${name} to ${target.app}, or q to exit`},
    checkHint: `Check it with: ${infoCommand('connection', name, target)}`,
    // an ambiguous failure (reset, timeout, 5xx) is never resent: the connection is looked up by name
    // instead; a name already taken by a connection still waiting for its login is picked up
    create: () => createOrResume(() => createOrRecover(() => client.createConnection(org, loginUrl === undefined ? {connection_name: name} : {connection_name: name, login_url: loginUrl}), {
      check: infoCommand('connection', name, target),
      lookup: () => client.getConnection(name),
      subject: `${ORG_LABEL[org].replace(' org', '')} connection ${name}`,
    }), {isPending: CONNECTION_PENDING, kind: 'connection', lookup: () => client.getConnection(name), name, org, target}),
    get: created => client.getConnection(created.id || name),
    isPending: CONNECTION_PENDING,
    isSuccess: status => status === 'connected',
    kind: 'connection',
    resumeHint: `Go on waiting with: ${addCommand('connection', org, name, target)}`,
    retryHint: `Try again with: ${addCommand('connection', org, name, target)}`,
    subject: `${ORG_LABEL[org].replace(' org', '')} connection ${name}`,
    timeoutMs: target.timeoutMs,
  }
}

/** `*:authorizations:add`: POST /authorizations/{org}, poll GET /authorizations/{id}. */
export function authorizationFlow(client: AppLinkClient, org: OrgKind, name: string, loginUrl: string, browser: string | undefined, target: FlowTarget): FlowSpec<Authorization> {
  return {
    action: `Authorizing ${name} for ${target.app} (${ORG_LABEL[org]})`,
    browser: {app: browser, prompt: `Press any key to open up the browser to authorize ${name} for ${target.app}, or q to exit`},
    checkHint: `Check it with: ${infoCommand('authorization', name, target)}`,
    create: () => createOrResume(() => createOrRecover(() => client.createAuthorization(org, {developer_name: name, login_url: loginUrl}), {
      check: infoCommand('authorization', name, target),
      lookup: () => client.getAuthorization(name),
      subject: `authorization ${name}`,
    }), {isPending: AUTHORIZATION_PENDING, kind: 'authorization', lookup: () => client.getAuthorization(name), name, org, target}),
    get: created => client.getAuthorization(created.id || name),
    isPending: AUTHORIZATION_PENDING,
    isSuccess: status => status === 'authorized',
    kind: 'authorization',
    resumeHint: `Go on waiting with: ${addCommand('authorization', org, name, target)}`,
    retryHint: `Try again with: ${addCommand('authorization', org, name, target)}`,
    subject: `authorization ${name}`,
    timeoutMs: target.timeoutMs,
  }
}

export interface DataActionTargetInput {
  apiName: string
  connection: string
  label: string
  targetEndpoint: string
  type: string
}

/** `datacloud:data-action-target:create`: POST …/data_action_targets, poll GET …/data_action_targets/{api_name}. */
export function dataActionTargetFlow(client: AppLinkClient, input: DataActionTargetInput, target: FlowTarget): FlowSpec<DataActionTarget> {
  return {
    action: `Creating data action target ${input.apiName} on Data Cloud connection ${input.connection}`,
    checkHint: `Check it in Data Cloud Setup under Data Action Targets, in the org of connection ${input.connection}.`,
    // a 404 here means the connection named with -o does not exist
    create: () => orNotFound({addon: target.addon, app: target.app, kind: 'connection', label: 'Data Cloud connection', name: input.connection}, createOrRecover(() => client.createDataActionTarget(input.connection, {api_name: input.apiName, label: input.label, target_endpoint: input.targetEndpoint, type: input.type}), {
      check: `Data Cloud Setup, Data Action Targets, in the org of connection ${input.connection}`,
      lookup: () => client.getDataActionTarget(input.connection, input.apiName),
      subject: `data action target ${input.apiName}`,
    })),
    get: () => client.getDataActionTarget(input.connection, input.apiName),
    isPending: status => !['created', 'creation_failed'].includes(status),
    isSuccess: status => status === 'created',
    kind: 'data_action_target',
    subject: `data action target ${input.apiName}`,
    timeoutMs: target.timeoutMs,
  }
}

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
 * - Time, keys, the browser and signals come in through `FlowIO` (flow-io.ts), so tests never really wait.
 *
 * Beside it: what a flow is (flow-spec.ts), the flow definitions and flags (flow-definitions.ts),
 * the poll schedule and --wait-timeout (flow-timing.ts), and the errors a flow ends with (flow-errors.ts).
 */
import {AppLinkError} from '../api/errors.js'
import {failedError, Interrupted, interruptedError, lostError, timeoutError} from './flow-errors.js'
import type {FlowIO} from './flow-io.js'
import type {FlowResource, FlowSpec} from './flow-spec.js'

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

/**
 * Opens the browser at the login URL, or prints it; on a terminal asks for a key first. True when
 * a browser was opened with it.
 */
async function browserStep(spec: FlowSpec<FlowResource>, resource: FlowResource, io: FlowIO, signal: AbortSignal): Promise<boolean> {
  const url = resource.redirect_uri as string
  const app = spec.browser?.app
  const {browserRefusal} = await import('../ui/browser.js')
  const refusal = browserRefusal(url)
  if (refusal) {
    // the service sent something a browser must not be handed: say so, show it, never open it
    io.write(`Not opening the login URL in a browser: ${refusal}. Check it before opening it yourself: ${url}\n`)
    return false
  }

  if (io.interactive) {
    io.write(`${spec.browser?.prompt}\n`)
    const answer = await io.waitForKey(signal)
    if (signal.aborted) throw new Interrupted()
    if (answer === 'quit') throw interruptedError(spec, resource, 'quit')
    if (answer === 'interrupt') throw interruptedError(spec, resource, 'prompt')
    if (await io.openUrl(url, app)) return true
    io.write(`Could not open a browser${app ? ` (${app})` : ''}. Open this URL in a browser to log in: ${url}\n`)
    return false
  }

  // No terminal: nobody can press a key, so never read stdin. The URL is always printed; a browser is
  // only tried when asked for by name (--browser), e.g. from a desktop session with output piped.
  io.write(`Open this URL in a browser to log in: ${url}\n`)
  if (!app) return false
  if (await io.openUrl(url, app)) return true
  io.write(`Could not open ${app}.\n`)
  return false
}

/**
 * Polls until a final status; `onChange` sees each new state (for what an interrupt says). After a
 * browser was opened the first check is at once: a session already logged in, whose user approved
 * the app before, comes straight back from the login page.
 */
async function poll<T extends FlowResource>(spec: FlowSpec<T>, created: T, io: FlowIO, signal: AbortSignal, onChange: (resource: T) => void, checkAtOnce = false): Promise<T> {
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
      const atOnce = checkAtOnce && delay === 0
      delay = io.schedule(now - started, delay)
      if (!atOnce) await io.sleep(Math.min(delay, deadline - now), signal)
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
      let opened = false
      if (spec.browser && resource.redirect_uri) {
        phase = 'prompt'
        opened = await browserStep(spec, resource, io, controller.signal)
      }

      phase = 'poll'
      resource = await poll(spec, resource, io, controller.signal, r => {
        resource = r
      }, opened)
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

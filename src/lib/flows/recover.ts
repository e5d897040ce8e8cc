/**
 * What to do after a POST or DELETE failed ambiguously: the connection broke or timed out after the
 * request was sent, the service (or a gateway) answered 5xx, or a 2xx answer could not be read.
 * The request may or may not have taken effect, and it is never sent again blindly. Instead the
 * resource is looked up by name (a GET, retried as usual) and the user is told what happened:
 *
 * - create: it exists → carry on with it (a note says the request went through); it does not →
 *   "nothing was created; safe to run again"; the lookup fails too → "could not tell; check with …".
 * - delete: it is gone (or leaving) → done; it is still there → "not deleted; safe to run again";
 *   the lookup fails → "could not tell; check with …".
 *
 * Failures that certainly did not change anything (4xx, 429, connection refused) pass through as they are.
 */
import {AppLinkError} from '../api/errors.js'
import {isNotFound} from './lookup.js'
import {sleep as sleepMs} from '../api/retry.js'

export interface Recovery<T> {
  action: 'create' | 'delete'
  /** how messages name the resource, e.g. `Salesforce connection my_org` */
  subject: string
  /** a command that shows the resource, e.g. `heroku applink:connections:info my_org -a my-app` */
  check: string
  /** fetches the resource by name; rejects with `record_not_found` when it does not exist. Absent: state cannot be looked up */
  lookup?: () => Promise<T>
  /** delete only: whether a resource still found is already on its way out (e.g. `disconnecting`) */
  leaving?: (found: T) => boolean
  /** tells the user that the request went through after all: the command's `io.noteRedacted` (the failure it quotes may echo a secret back) */
  note?: (text: string) => void
  /** waits before looking again when the resource is not there yet; injectable for tests */
  sleep?: (ms: number) => Promise<void>
  /** after a timeout or a 504, how long to wait before a second look (default 1000 ms): a slow create may land just after */
  settleMs?: number
}

/** True when `error` leaves it open whether a POST/DELETE took effect. */
export function isAmbiguous(error: unknown): error is AppLinkError {
  if (!(error instanceof AppLinkError)) return false
  // it certainly never reached the service (connection refused, name not resolved): nothing changed
  if (error.sent === false) return false
  if (error.id === 'timeout' || error.id === 'network_error') return true
  if (error.status === undefined) return false
  if (error.status >= 500) return true
  // a 2xx whose body could not be read: the service said yes
  return error.id === 'invalid_response' && error.status >= 200 && error.status < 300
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

function statusOf(resource: unknown): string | undefined {
  const status = (resource as {status?: unknown} | undefined)?.status
  return typeof status === 'string' && status ? status : undefined
}

/** Drops the client's generic "check before sending again" hint: this module did the checking. */
function otherHints(error: AppLinkError): string[] {
  return error.hints.filter(h => !h.startsWith('The request may have reached'))
}

function derived(error: AppLinkError, message: string, hints: string[]): AppLinkError {
  return new AppLinkError(message, {cause: error, exitCode: error.exitCode, hints, id: error.id, request: error.request, sent: error.sent, status: error.status})
}

type Look<T> = {found: T; state: 'found'} | {error: unknown; state: 'unknown'} | {state: 'absent'}

async function look<T>(r: Recovery<T>): Promise<Look<T>> {
  if (!r.lookup) return {error: undefined, state: 'unknown'}
  try {
    return {found: await r.lookup(), state: 'found'}
  } catch (error) {
    return isNotFound(error) ? {state: 'absent'} : {error, state: 'unknown'}
  }
}

/**
 * Sends `request` once. When it fails ambiguously, looks the resource up and either returns what
 * the request produced (create: the resource; delete: the resource still leaving, or undefined when
 * it is gone) or throws an error that says what happened and what to do.
 */
export async function withRecovery<T>(request: () => Promise<T>, r: Recovery<T>): Promise<T | undefined> {
  try {
    return await request()
  } catch (error) {
    if (!isAmbiguous(error)) throw error
    return recover(error, r)
  }
}

/** A create (POST) with recovery: resolves to the resource it produced, or throws a clear error. */
export async function createOrRecover<T>(request: () => Promise<T>, r: Omit<Recovery<T>, 'action' | 'leaving'>): Promise<T> {
  return withRecovery(request, {...r, action: 'create'}) as Promise<T>
}

/** A delete (DELETE) with recovery: resolves to the service's answer, the resource still leaving, or undefined when it is gone. */
export function deleteOrRecover<T>(request: () => Promise<T>, r: Omit<Recovery<T>, 'action'>): Promise<T | undefined> {
  return withRecovery(request, {...r, action: 'delete'})
}

/** The recovery step alone, for callers that caught the failure themselves. */
export async function recover<T>(error: AppLinkError, r: Recovery<T>): Promise<T | undefined> {
  const failed = error.message.replace(/\.?\s*$/, '.')
  const checkHint = `Check with: ${r.check}`
  let state = await look(r)
  const mayStillLand = error.id === 'timeout' || error.status === 504
  if (state.state === 'absent' && r.action === 'create' && mayStillLand) {
    // a create that timed out may still be landing: look once more before saying it did not happen
    await (r.sleep ?? sleepMs)(r.settleMs ?? 1000)
    state = await look(r)
  }

  if (state.state === 'unknown') {
    const lookupError = state.error as (Error & {request?: string}) | undefined
    const how = lookupError?.request && !lookupError.message.startsWith(lookupError.request) ? ` with ${lookupError.request}` : ''
    const why = lookupError instanceof Error ? ` (looking it up${how} failed too: ${lookupError.message.replace(/\.$/, '')})` : ''
    const verb = r.action === 'create' ? 'created' : 'deleted'
    throw derived(error, `${failed} Could not tell whether ${r.subject} was ${verb}${why}.`, [
      checkHint,
      `Run the command again only if ${r.action === 'create' ? 'it is not there' : 'it is still there'}.`,
      ...otherHints(error),
    ])
  }

  if (r.action === 'create') {
    if (state.state === 'absent') {
      throw derived(error, `${failed} ${capitalize(r.subject)} was not created: it is safe to run the command again.`, otherHints(error))
    }

    const status = statusOf(state.found)
    r.note?.(`${failed} But ${r.subject} exists now${status ? ` (status ${status})` : ''}: the request went through.`)
    return state.found
  }

  if (state.state === 'absent') {
    r.note?.(`${failed} But ${r.subject} is gone: it was deleted.`)
    return undefined
  }

  const status = statusOf(state.found)
  if (r.leaving?.(state.found)) {
    r.note?.(`${failed} But ${r.subject} is being deleted${status ? ` (status ${status})` : ''}: the request went through.`)
    return state.found
  }

  throw derived(error, `${failed} ${capitalize(r.subject)} was not deleted${status ? ` (status ${status})` : ''}: it is safe to run the command again.`, [checkHint, ...otherHints(error)])
}

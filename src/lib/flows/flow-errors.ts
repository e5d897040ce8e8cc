/**
 * The errors the flow runner (flow.ts) ends with, each with the hints that say what to do next:
 * the flow ended failed, it was interrupted (q, Ctrl-C, SIGTERM), it timed out, or the status
 * checks kept failing. `Interrupted` is the runner's own signal that an abort cut a wait short.
 */
import {AppLinkError, ExitCode} from '../api/errors.js'
import type {FlowResource, FlowSpec} from './flow-spec.js'
import {formatDuration} from './flow-timing.js'

export class Interrupted extends Error {}

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

export function failedError(spec: FlowSpec<FlowResource>, resource: FlowResource): AppLinkError {
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
export function interruptedError(spec: FlowSpec<FlowResource>, resource: FlowResource | undefined, when: 'create' | 'poll' | 'prompt' | 'quit'): AppLinkError {
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

export function timeoutError(spec: FlowSpec<FlowResource>, resource: FlowResource): AppLinkError {
  return new AppLinkError(`Timed out after ${formatDuration(spec.timeoutMs)} waiting for ${spec.subject} (status ${resource.status}). It may still complete.`, {
    exitCode: ExitCode.TIMEOUT,
    hints: [...laterHints(spec, resource), 'Wait longer with --wait-timeout SECONDS.'],
    id: 'wait_timeout',
  })
}

export function lostError(spec: FlowSpec<FlowResource>, resource: FlowResource, error: AppLinkError, polls: number): AppLinkError {
  return new AppLinkError(`Stopped waiting for ${spec.subject} (status ${resource.status}): the last ${polls} status checks failed (${error.message}). It may still complete.`, {
    hints: [spec.checkHint],
    id: error.id,
    request: error.request,
    status: error.status,
  })
}

/**
 * Lookups by name: when the AppLink API answers `record_not_found` for a connection or an
 * authorization the user named, say which one is missing on which app and point at the command
 * that lists the existing ones. Every command that reads, deletes or publishes to a named
 * resource goes through `orNotFound`.
 */
import {AppLinkError} from '../api/errors.js'
import {assertValidName, type NameKind} from '../api/names.js'
import {type CommandTarget, listCommand} from '../ui/hints.js'

/** A record the user named, on the app (and add-on) the suggested commands run against. */
export interface NamedResource extends CommandTarget {
  /** `connection` or `authorization`: picks the list command to suggest */
  kind: 'authorization' | 'connection'
  /** how to call it in the message, e.g. `Data Cloud connection`; defaults to the kind */
  label?: string
  name: string
}

export function isNotFound(err: unknown): err is AppLinkError {
  return err instanceof AppLinkError && err.id === 'record_not_found'
}

/** The error to show when `resource` does not exist; keeps the request and status of the API's answer. */
export function notFound(resource: NamedResource, cause?: AppLinkError): AppLinkError {
  const label = resource.label ?? resource.kind
  const what = label.charAt(0).toUpperCase() + label.slice(1)
  return new AppLinkError(`${what} ${resource.name} was not found on app ${resource.app}.`, {
    cause,
    hints: [`List the app's ${resource.kind}s with: ${listCommand(resource.kind, resource)}`],
    id: 'record_not_found',
    request: cause?.request,
    status: cause?.status ?? 404,
  })
}

/** Awaits `request`, turning a `record_not_found` answer into an error that names `resource`. */
export async function orNotFound<T>(resource: NamedResource, request: Promise<T>): Promise<T> {
  try {
    return await request
  } catch (error) {
    if (isNotFound(error)) throw notFound(resource, error)
    throw error
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Lookups accept a resource's name or its id (docs/applink-api.md §2): a UUID passes as an id, anything else
 * must follow the name rules; checked before any request.
 */
export function assertNameOrId(kind: NameKind, value: string): void {
  if (!UUID.test(value)) assertValidName(kind, value)
}

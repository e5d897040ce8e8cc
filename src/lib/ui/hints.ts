/**
 * The commands we suggest next ("Check it with: heroku …"), built in one place from the resource
 * they act on: a connection, an authorization, a publication. Every suggestion runs against the
 * same add-on as the command that printed it: it names the app (`-a APP`) and, when the app has
 * several AppLink add-ons or the user named one, the add-on (`--addon NAME`). A hint that names a
 * command of this plugin is built here, never by hand (CONVENTIONS.md, "Hints").
 */
import type {AppLinkContext} from '../api/addon.js'
import type {OrgKind} from '../api/types.js'
import {isFailedStatus} from './output.js'

/** Where the commands we suggest run: the app, and the add-on when it must be named. */
export interface CommandTarget {
  app: string
  /** `--addon NAME`: set when the app has several AppLink add-ons or the user gave --addon */
  addon?: string
}

export type RecordKind = 'authorization' | 'connection'

/** The plugin's commands per kind of record, after `salesforce:` or `datacloud:`. */
const COMMANDS: Record<RecordKind, {add: string; jwt: string; remove: string}> = {
  authorization: {add: 'authorizations:add', jwt: 'authorizations:jwt:add', remove: 'authorizations:remove'},
  connection: {add: 'connect', jwt: 'connect:jwt', remove: 'disconnect'},
}

/** The target of a resolved add-on: its app, and its name when the app has several or one was named. */
export function targetOf(context: AppLinkContext): CommandTarget {
  const app = context.app.name
  return context.addonCount > 1 || context.addonNamed ? {addon: context.addon.name, app} : {app}
}

/** The target before the add-on is resolved: the flags as given. */
export function flagTarget(app: string, addon?: string): CommandTarget {
  return addon ? {addon, app} : {app}
}

/** `heroku HEAD -a APP [--addon NAME] [REST]`: a command line for this app (and add-on). */
export function herokuCommand(head: string, target: CommandTarget, rest?: string): string {
  return `heroku ${head} -a ${target.app}${target.addon ? ` --addon ${target.addon}` : ''}${rest ? ` ${rest}` : ''}`
}

/** The command that lists every record of this kind on the app. */
export function listCommand(kind: RecordKind, target: CommandTarget): string {
  return herokuCommand(`applink:${kind}s`, target)
}

/** The command that shows one record. */
export function infoCommand(kind: RecordKind, name: string, target: CommandTarget): string {
  return herokuCommand(`applink:${kind}s:info ${name}`, target)
}

/** The command that removes a record of this kind and org kind. */
export function removeCommand(kind: RecordKind, org: OrgKind, name: string, target: CommandTarget): string {
  return herokuCommand(`${org}:${COMMANDS[kind].remove} ${name}`, target)
}

/** The command that creates a record with an OAuth login (and picks one up that waits for it). */
export function addCommand(kind: RecordKind, org: OrgKind, name: string, target: CommandTarget): string {
  return herokuCommand(`${org}:${COMMANDS[kind].add} ${name}`, target)
}

/** The command that creates a record with the JWT bearer flow, its credentials as placeholders. */
export function jwtAddCommand(kind: RecordKind, org: OrgKind, name: string, target: CommandTarget): string {
  return herokuCommand(`${org}:${COMMANDS[kind].jwt} ${name}`, target, '--client-id CONSUMER_KEY --jwt-key-file server.key --username USER')
}

/** `salesforce:publications`, for one connection when named. */
export function publicationsCommand(target: CommandTarget, connection?: string): string {
  return herokuCommand('salesforce:publications', target, connection ? `--connection-name ${connection}` : undefined)
}

/** `salesforce:publish` with placeholders for the spec and the client name. */
export function publishCommand(target: CommandTarget, connection = 'NAME'): string {
  return herokuCommand(`salesforce:publish api-spec.yaml -c CLIENT_NAME --connection-name ${connection}`, target)
}

/** What fixes a failed record: log in again, the same way it was made (OAuth or JWT). */
export function fixHint(kind: RecordKind, record: {connection_method?: string; status: string}, org: OrgKind, name: string, target: CommandTarget): string | undefined {
  if (!isFailedStatus(record.status)) return undefined
  // a JWT connection exists only for Salesforce orgs (there is no datacloud:connect:jwt)
  if (record.connection_method === 'JWT' && (kind === 'authorization' || org === 'salesforce')) {
    return `${kind === 'connection' ? 'Reconnect' : 'Add it again'} with: ${jwtAddCommand(kind, org, name, target)}`
  }

  return `${kind === 'connection' ? 'Reconnect' : 'Re-authorize'} with: ${addCommand(kind, org, name, target)}`
}

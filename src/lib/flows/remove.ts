/**
 * The one path of the destructive commands (salesforce:disconnect, datacloud:disconnect,
 * *:authorizations:remove): check the name and `--confirm` before any request, resolve the add-on,
 * read the record and refuse one of the other org kind (the DELETE endpoints do not check it),
 * optionally look around (Data Cloud warns about its data action targets), ask on a terminal, then
 * send the DELETE with a progress line. What differs between a connection and an authorization
 * (its requests, `disconnect` or `remove`) comes from `RECORDS` in `records.ts`.
 */
import type {AppLinkContext} from '../api/addon.js'
import type {AppLinkClient} from '../api/applink-client.js'
import {askToConfirm, type Ask, needsPrompt, terminalAsk} from '../ui/confirm.js'
import type {IO} from '../ui/io.js'
import {interruptedError} from '../ui/interrupt.js'
import {flagTarget, herokuCommand, infoCommand, targetOf} from '../ui/hints.js'
import {assertNameOrId, type NamedResource, orNotFound} from './lookup.js'
import {step} from '../ui/progress.js'
import {assertOrgKind, RECORDS, type RecordKind} from './records.js'
import {deleteOrRecover} from './recover.js'
import {type OrgKind, orgKindLabel} from '../api/types.js'

export interface Removal {
  /** the flag value of --app */
  app: string
  /** the flag value of --addon */
  addon?: string
  /** the org kind the command removes; a record of the other kind is refused */
  org: OrgKind
  /** the command's id, e.g. `salesforce:disconnect` */
  commandId: string
  confirm?: string
  interactive: boolean
  /** the command's streams (the progress line, the prompt) */
  io: IO
  kind: RecordKind
  name: string
  /** true with --json: no progress line */
  quiet: boolean
  /** resolves the add-on (the command's `this.applink`) */
  connect: () => Promise<{client: AppLinkClient; context: AppLinkContext}>
  /** runs after the add-on is resolved and before the prompt; may print warnings */
  before?: (client: AppLinkClient, resource: NamedResource, io: IO) => Promise<void>
  /** the prompt, injectable for tests */
  ask?: Ask
}

export async function removeNamed<T>(r: Removal): Promise<T> {
  const record = RECORDS[r.kind]
  const label = `${orgKindLabel(r.org)} ${r.kind}`
  const {verb} = record
  assertNameOrId(record.nameKind, r.name)
  const confirmation = {
    action: `${verb} ${label} ${r.name} from ${r.app}`,
    // before the add-on is resolved: the flags as given
    command: herokuCommand(`${r.commandId} ${r.name}`, flagTarget(r.app, r.addon)),
    confirm: r.confirm,
    interactive: r.interactive,
    name: r.name,
  }
  const ask = needsPrompt(confirmation)
  const {client, context} = await r.connect()
  const target = targetOf(context)
  const resource: NamedResource = {...target, kind: r.kind, label, name: r.name}
  const lookup = () => record.get(client, r.name) as Promise<T>
  // read first: a name that does not exist fails before any prompt, and the kind is checked
  const found = await orNotFound<unknown>(resource, lookup())
  assertOrgKind(found, {kind: r.kind, name: r.name, org: r.org, target, verb})
  if (r.before) await r.before(client, resource, r.io)
  if (ask) await askToConfirm(confirmation, r.ask ?? terminalAsk(r.io, r.name))
  const progress = `${record.doing} ${label} ${r.name} from ${context.app.name}`
  // an ambiguous failure (reset, timeout, 5xx) is never resent: the resource is looked up by name instead
  const check = infoCommand(r.kind, r.name, target)
  const removal = () => deleteOrRecover(() => record.remove(client, r.name) as Promise<T>, {
    check,
    leaving: found => ['disconnected', 'disconnecting'].includes(String((found as {status?: unknown}).status)),
    lookup,
    note: text => r.io.noteRedacted(text),
    subject: `${label} ${r.name}`,
  })
  const result = await step(progress, () => orNotFound(resource, removal()), {
    interrupted: () => interruptedError(`Interrupted while the request to ${verb} ${label} ${r.name} was under way: it may or may not be done.`, [`Check with: ${check}`]),
    io: r.io,
    quiet: r.quiet,
  })
  // an empty 2xx answer: still one JSON document with --json, shaped like the resource
  return result ?? record.removed(r.name) as T
}

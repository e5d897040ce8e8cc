/**
 * The one path of the destructive commands (salesforce:disconnect, datacloud:disconnect,
 * *:authorizations:remove): check the name and `--confirm` before any request, resolve the add-on,
 * read the record and refuse one of the other org kind (the DELETE endpoints do not check it),
 * optionally look around (Data Cloud warns about its data action targets), ask on a terminal, then
 * send the DELETE with a progress line.
 */
import type {AppLinkContext} from '../api/addon.js'
import type {AppLinkClient} from '../api/applink-client.js'
import {askToConfirm, type Ask, needsPrompt, terminalAsk} from '../ui/confirm.js'
import type {IO} from '../ui/io.js'
import {interruptedError} from '../ui/interrupt.js'
import {assertNameOrId, type NamedResource, orNotFound} from './lookup.js'
import {step} from '../ui/progress.js'
import {assertOrgKind, infoCommand} from './records.js'
import {deleteOrRecover} from './recover.js'
import type {OrgKind} from '../api/types.js'

export interface Removal<T> {
  /** the flag value of --app */
  app: string
  /** the flag value of --addon, repeated in the commands we suggest */
  addon?: string
  /** the org kind the command removes; a record of the other kind is refused */
  org: OrgKind
  /** e.g. `heroku salesforce:disconnect` */
  command: string
  confirm?: string
  interactive: boolean
  /** the command's streams (the progress line, the prompt) */
  io: IO
  kind: NamedResource['kind']
  /** e.g. `Salesforce connection` */
  label: string
  name: string
  /** true with --json: no progress line */
  quiet: boolean
  /** `disconnect` or `remove` */
  verb: 'disconnect' | 'remove'
  /** resolves the add-on (the command's `this.applink`) */
  connect: () => Promise<{client: AppLinkClient; context: AppLinkContext}>
  /** sends the DELETE */
  remove: (client: AppLinkClient, name: string) => Promise<T>
  /** runs after the add-on is resolved and before the prompt; may print warnings */
  before?: (client: AppLinkClient, resource: NamedResource, io: IO) => Promise<void>
  /** the prompt, injectable for tests */
  ask?: Ask
}

export async function removeNamed<T>(r: Removal<T>): Promise<T> {
  assertNameOrId(r.kind === 'connection' ? 'connection name' : 'developer name', r.name)
  const confirmation = {
    action: `${r.verb} ${r.label} ${r.name} from ${r.app}`,
    command: `${r.command} ${r.name} -a ${r.app}`,
    confirm: r.confirm,
    interactive: r.interactive,
    name: r.name,
  }
  const ask = needsPrompt(confirmation)
  const {client, context} = await r.connect()
  const resource: NamedResource = {app: context.app.name, kind: r.kind, label: r.label, name: r.name}
  const lookup = () => (r.kind === 'connection' ? client.getConnection(r.name) : client.getAuthorization(r.name)) as Promise<unknown> as Promise<T>
  const target = {addon: r.addon, app: context.app.name}
  // read first: a name that does not exist fails before any prompt, and the kind is checked
  const found = await orNotFound<unknown>(resource, lookup())
  assertOrgKind(found, {kind: r.kind, name: r.name, org: r.org, target, verb: r.verb})
  if (r.before) await r.before(client, resource, r.io)
  if (ask) await askToConfirm(confirmation, r.ask ?? terminalAsk(r.io, r.name))
  const progress = `${r.verb === 'disconnect' ? 'Disconnecting' : 'Removing'} ${r.label} ${r.name} from ${context.app.name}`
  // an ambiguous failure (reset, timeout, 5xx) is never resent: the resource is looked up by name instead
  const check = infoCommand(r.kind, r.name, target)
  const removal = () => deleteOrRecover(() => r.remove(client, r.name), {
    check,
    leaving: found => ['disconnected', 'disconnecting'].includes(String((found as {status?: unknown}).status)),
    lookup,
    note: text => r.io.noteRedacted(text),
    subject: `${r.label} ${r.name}`,
  })
  const result = await step(progress, () => orNotFound(resource, removal()), {
    interrupted: () => interruptedError(`Interrupted while the request to ${r.verb} ${r.label} ${r.name} was under way: it may or may not be done.`, [`Check with: ${check}`]),
    io: r.io,
    quiet: r.quiet,
  })
  // an empty 2xx answer: still one JSON document with --json, shaped like the resource
  return result ?? (r.kind === 'connection' ? {org: {connection_name: r.name}} : {org: {developer_name: r.name}}) as T
}

/**
 * The one body of the destructive commands (`salesforce:disconnect`, `datacloud:disconnect`,
 * `*:authorizations:remove`): each command file only says which record it removes (`kind`, `org`),
 * its argument and its help, and optionally a step before the prompt (`before`). The steps are in
 * `flows/remove.ts`; what differs per kind of record is in `flows/records.ts`.
 */
import type {AppLinkClient} from '../api/applink-client.js'
import type {Authorization, Connection, OrgKind} from '../api/types.js'
import type {NamedResource} from '../flows/lookup.js'
import type {IO} from '../ui/io.js'
import {RECORDS, type RecordKind} from '../flows/records.js'
import {removeNamed} from '../flows/remove.js'
import {AppLinkCommand} from './base.js'

export abstract class RemoveCommand extends AppLinkCommand {
  /** runs once the add-on is resolved, before the prompt and the DELETE (e.g. to list what goes with it) */
  static before?: (client: AppLinkClient, resource: NamedResource, io: IO) => Promise<void>

  static kind: RecordKind

  static org: OrgKind = 'salesforce'

  async run(): Promise<Authorization | Connection> {
    const {before, kind, org} = this.constructor as typeof RemoveCommand
    const {args, flags} = await this.parse(this.constructor as typeof RemoveCommand)
    return removeNamed({
      addon: flags.addon,
      app: flags.app,
      before,
      commandId: this.id ?? '',
      confirm: (flags as {confirm?: string}).confirm,
      connect: () => this.applink(flags.app, flags.addon),
      interactive: this.interactive,
      io: this.io,
      kind,
      name: (args as Record<string, string>)[RECORDS[kind].arg],
      org,
      quiet: this.jsonEnabled(),
    })
  }
}

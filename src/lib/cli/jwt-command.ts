/**
 * The one body of the JWT bearer-flow commands (`salesforce:connect:jwt`,
 * `salesforce:authorizations:jwt:add`, `datacloud:authorizations:jwt:add`): each command file only
 * says which record it makes (`kind`, `org`), its argument and its help. The steps are in
 * `flows/jwt.ts`; what differs per kind of record is in `flows/records.ts`.
 */
import {AppLinkCommand} from './base.js'
import {addWithJwt} from '../flows/jwt.js'
import {RECORDS, type RecordKind} from '../flows/records.js'
import {infoCommand} from '../ui/hints.js'
import {authorizationRows, connectionRows, printInfo} from '../ui/output.js'
import type {Authorization, Connection, OrgKind} from '../api/types.js'

export abstract class JwtAddCommand extends AppLinkCommand {
  static kind: RecordKind

  static org: OrgKind = 'salesforce'

  async run(): Promise<Authorization | Connection> {
    const {kind, org} = this.constructor as typeof JwtAddCommand
    const {args, flags} = await this.parse(this.constructor as typeof JwtAddCommand)
    const name = (args as Record<string, string>)[RECORDS[kind].arg]
    const {alias, label, result, target} = await addWithJwt<Authorization | Connection>({
      alias: (flags as {alias?: string}).alias,
      connect: () => this.applink(flags.app, flags.addon),
      flags: flags as typeof flags & {'client-id': string; 'jwt-key-file': string; username: string},
      kind,
      io: this.io,
      name,
      org,
      quiet: this.jsonEnabled(),
    })
    return this.render(result, async () => {
      // an authorization's alias, which the app's SDK fetches the credentials by: the one the service answers with, else the one sent
      const rows = kind === 'connection' ? connectionRows(result as Connection) : withAlias(authorizationRows(result as Authorization), (result as {alias?: string}).alias ?? alias)
      await printInfo(this.io, `${label} ${name} on app ${target.app}`, rows)
      if (result.status !== RECORDS[kind].ready) this.io.err(`Check its status with: ${infoCommand(kind, name, target)}\n`)
    })
  }
}

/** The rows with `Alias` right after the developer name. */
function withAlias(rows: Record<string, string | undefined>, alias: string): Record<string, string | undefined> {
  return {'Developer Name': rows['Developer Name'], Alias: alias, ...rows}
}

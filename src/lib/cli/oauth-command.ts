/**
 * The one body of the commands that make a record with an OAuth login in a browser and wait for it
 * (`salesforce:connect`, `datacloud:connect`, `*:authorizations:add`): each command file only says
 * which record it makes (`kind`, `org`), its argument, its flags and its help. The flow is
 * `recordFlow` (`flows/flow-definitions.ts`) run by `flows/flow.ts`; what differs per kind of
 * record is in `flows/records.ts`.
 */
import {AppLinkCommand} from './base.js'
import {recordFlow} from '../flows/flow-definitions.js'
import {flowIO} from '../flows/flow-io.js'
import {waitTimeoutMs} from '../flows/flow-timing.js'
import {runFlow} from '../flows/flow.js'
import {loginUrl} from '../flows/jwt.js'
import {RECORDS, type RecordKind} from '../flows/records.js'
import {assertValidName} from '../api/names.js'
import {targetOf} from '../ui/hints.js'
import {authorizationRows, connectionRows, printInfo} from '../ui/output.js'
import {type Authorization, type Connection, orgKindLabel, type OrgKind} from '../api/types.js'

export abstract class OAuthAddCommand extends AppLinkCommand {
  static kind: RecordKind

  static org: OrgKind = 'salesforce'

  async run(): Promise<Authorization | Connection> {
    const {kind, org} = this.constructor as typeof OAuthAddCommand
    const parsed = await this.parse(this.constructor as typeof OAuthAddCommand)
    // the command files declare oauthFlags (flows/flow-definitions.ts)
    const flags = parsed.flags as typeof parsed.flags & {browser?: string; 'login-url'?: string; 'wait-timeout'?: string}
    const {arg, nameKind} = RECORDS[kind]
    const name = (parsed.args as Record<string, string>)[arg]
    assertValidName(nameKind, name)
    // a connection without -l lets the service choose the login URL; an authorization always sends one
    const login = kind === 'connection' && flags['login-url'] === undefined ? undefined : loginUrl(flags['login-url'])
    const timeoutMs = waitTimeoutMs(flags['wait-timeout'])
    const {client, context} = await this.applink(flags.app, flags.addon)
    const app = context.app.name
    const flow = recordFlow(kind, client, org, name, login, flags.browser, {...targetOf(context), io: this.io, timeoutMs})
    const record = await runFlow(flow, await flowIO(this.io))
    return this.render(record, () => {
      const rows = kind === 'connection' ? connectionRows(record as Connection) : authorizationRows(record as Authorization)
      return printInfo(this.io, `${orgKindLabel(org)} ${kind} ${name} on app ${app}`, rows)
    })
  }
}

import {Args} from '@oclif/core'

import {AppLinkCommand} from '../../lib/cli/base.js'
import {confirmFlag} from '../../lib/ui/confirm.js'
import type {AppLinkClient} from '../../lib/api/applink-client.js'
import type {IO} from '../../lib/ui/io.js'
import type {NamedResource} from '../../lib/flows/lookup.js'
import {removeNamed} from '../../lib/flows/remove.js'
import {type Connection, orgKindLabel, type OrgKind} from '../../lib/api/types.js'

/** `salesforce:disconnect`; `datacloud:disconnect` is this command with `org = 'datacloud'` and a warning step. */
export default class Disconnect extends AppLinkCommand {
  static args = {
    connection_name: Args.string({description: 'name of the connection to remove', required: true}),
  }

  /** runs once the add-on is resolved, before the prompt and the DELETE (e.g. to list what goes with it) */
  static before?: (client: AppLinkClient, resource: NamedResource, io: IO) => Promise<void>

  static description = 'disconnect a Salesforce org from an app (asks you to type the connection name)'

  static examples = [
    '$ heroku salesforce:disconnect my_org -a my-app',
    '$ heroku salesforce:disconnect my_org -a my-app --confirm my_org',
  ]

  static flags = {
    confirm: confirmFlag('the connection name'),
  }

  static org: OrgKind = 'salesforce'

  async run(): Promise<Connection> {
    const {before, org} = this.constructor as typeof Disconnect
    const {args, flags} = await this.parse(this.constructor as typeof Disconnect)
    return removeNamed({
      addon: flags.addon,
      app: flags.app,
      before,
      command: `heroku ${this.id}`,
      confirm: flags.confirm,
      connect: () => this.applink(flags.app, flags.addon),
      interactive: this.interactive,
      kind: 'connection',
      label: `${orgKindLabel(org)} connection`,
      org,
      name: args.connection_name,
      io: this.io,
      quiet: this.jsonEnabled(),
      remove: (client, name) => client.deleteConnection(name),
      verb: 'disconnect',
    })
  }
}

import {Args} from '../../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {assertNameOrId, orNotFound} from '../../../lib/flows/lookup.js'
import {fixHint, targetOf} from '../../../lib/ui/hints.js'
import {connectionRows, orgKindOf, printInfo} from '../../../lib/ui/output.js'
import type {Connection} from '../../../lib/api/types.js'

export default class ConnectionsInfo extends AppLinkCommand {
  static args = {
    connection_name: Args.string({description: 'name (or id) of the connection', required: true}),
  }

  static description = 'show one Salesforce or Data Cloud connection of an app, with the error and a fix when it failed'

  static examples = [
    '$ heroku applink:connections:info my_org -a my-app',
    '$ heroku applink:connections:info my_org -a my-app --json | jq -r .status',
  ]

  async run(): Promise<Connection> {
    const {args, flags} = await this.parse(ConnectionsInfo)
    assertNameOrId('connection name', args.connection_name)
    const {client, context} = await this.applink(flags.app, flags.addon)
    const target = targetOf(context)
    const connection = await orNotFound({...target, kind: 'connection', name: args.connection_name}, client.getConnection(args.connection_name))
    return this.render(connection, async () => {
      const name = connection.org?.connection_name ?? args.connection_name
      await printInfo(this.io, `Heroku AppLink connection ${name} for app ${target.app}`, connectionRows(connection))
      const hint = fixHint('connection', connection, orgKindOf(connection.org?.type), name, target)
      if (hint) this.io.note(hint)
    })
  }
}

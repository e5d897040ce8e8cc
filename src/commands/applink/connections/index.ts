import {AppLinkCommand} from '../../../lib/cli/base.js'
import {printTable, statusText} from '../../../lib/ui/output.js'
import type {Connection} from '../../../lib/api/types.js'
import {orgTypeLabel} from '../../../lib/api/types.js'

export default class Connections extends AppLinkCommand {
  static description = 'list the Salesforce and Data Cloud connections of an app\'s AppLink add-on'

  static examples = [
    '$ heroku applink:connections -a my-app',
    '$ heroku applink:connections -a my-app --json | jq -r \'.[].org.connection_name\'',
  ]

  async run(): Promise<Connection[]> {
    const {flags} = await this.parse(Connections)
    const {client, context} = await this.applink(flags.app, flags.addon)
    const connections = await client.listConnections()
    return this.render(connections, () => printTable(this.io, `Heroku AppLink connections for app ${context.app.name}`, connections, [
      {get: c => c.org?.connection_name, header: 'Connection Name'},
      {get: c => orgTypeLabel(c.org?.type), header: 'Type'},
      {get: c => c.org?.id, header: 'Org ID'},
      {get: c => c.status, header: 'Status', style: statusText},
      {get: c => c.org?.username, header: 'Username'},
      {get: c => c.error?.message, header: 'Error'},
    ], `There are no Heroku AppLink connections for app ${context.app.name}.`))
  }
}

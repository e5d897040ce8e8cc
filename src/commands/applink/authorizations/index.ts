import {AppLinkCommand} from '../../../lib/cli/base.js'
import {printTable, statusText} from '../../../lib/ui/output.js'
import type {Authorization} from '../../../lib/api/types.js'
import {orgTypeLabel} from '../../../lib/api/types.js'

export default class Authorizations extends AppLinkCommand {
  static description = 'list the Salesforce and Data Cloud authorizations of an app\'s AppLink add-on'

  static examples = [
    '$ heroku applink:authorizations -a my-app',
    '$ heroku applink:authorizations -a my-app --json | jq -r \'.[].org.developer_name\'',
  ]

  async run(): Promise<Authorization[]> {
    const {flags} = await this.parse(Authorizations)
    const {client, context} = await this.applink(flags.app, flags.addon)
    const authorizations = await client.listAuthorizations()
    return this.render(authorizations, () => printTable(this.io, `Heroku AppLink authorizations for app ${context.app.name}`, authorizations, [
      {get: a => a.org?.developer_name, header: 'Developer Name'},
      {get: a => orgTypeLabel(a.org?.type), header: 'Type'},
      {get: a => a.org?.id, header: 'Org ID'},
      {get: a => a.status, header: 'Status', style: statusText},
      {get: a => a.org?.username, header: 'Username'},
      {get: a => a.connection_method, header: 'Method'},
      {get: a => a.error?.message, header: 'Error'},
    ], `There are no Heroku AppLink authorizations for app ${context.app.name}.`))
  }
}

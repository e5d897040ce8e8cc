import {Args} from '@oclif/core'

import {AppLinkCommand} from '../../lib/base.js'
import {confirmFlag} from '../../lib/confirm.js'
import {removeNamed} from '../../lib/remove.js'
import type {Connection} from '../../lib/types.js'

export default class Disconnect extends AppLinkCommand {
  static args = {
    connection_name: Args.string({description: 'name of the Salesforce connection to remove', required: true}),
  }

  static description = 'disconnect a Salesforce org from an app (asks you to type the connection name)'

  static examples = [
    '$ heroku salesforce:disconnect my_org -a my-app',
    '$ heroku salesforce:disconnect my_org -a my-app --confirm my_org',
  ]

  static flags = {
    confirm: confirmFlag('the connection name'),
  }

  async run(): Promise<Connection> {
    const {args, flags} = await this.parse(Disconnect)
    return removeNamed({
      app: flags.app,
      command: 'heroku salesforce:disconnect',
      confirm: flags.confirm,
      connect: () => this.applink(flags.app, flags.addon),
      interactive: this.interactive,
      kind: 'connection',
      label: 'Salesforce connection',
      name: args.connection_name,
      quiet: this.jsonEnabled(),
      remove: (client, name) => client.deleteConnection(name),
      verb: 'disconnect',
    })
  }
}

import {Args} from '@oclif/core'

import {AppLinkCommand} from '../../../lib/base.js'
import {confirmFlag} from '../../../lib/confirm.js'
import {removeNamed} from '../../../lib/remove.js'
import type {Authorization} from '../../../lib/types.js'

export default class Remove extends AppLinkCommand {
  static args = {
    developer_name: Args.string({description: 'developer name of the Data Cloud authorization to remove', required: true}),
  }

  static description = 'remove a Data Cloud authorization from an app (asks you to type the developer name)'

  static examples = [
    '$ heroku datacloud:authorizations:remove my_auth -a my-app',
    '$ heroku datacloud:authorizations:remove my_auth -a my-app --confirm my_auth',
  ]

  static flags = {
    confirm: confirmFlag('the developer name'),
  }

  async run(): Promise<Authorization> {
    const {args, flags} = await this.parse(Remove)
    return removeNamed({
      app: flags.app,
      command: 'heroku datacloud:authorizations:remove',
      confirm: flags.confirm,
      connect: () => this.applink(flags.app, flags.addon),
      interactive: this.interactive,
      kind: 'authorization',
      label: 'Data Cloud authorization',
      name: args.developer_name,
      quiet: this.jsonEnabled(),
      remove: (client, name) => client.deleteAuthorization(name),
      verb: 'remove',
    })
  }
}

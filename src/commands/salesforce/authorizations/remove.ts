import {Args} from '@oclif/core'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {confirmFlag} from '../../../lib/ui/confirm.js'
import {removeNamed} from '../../../lib/flows/remove.js'
import {type Authorization, orgKindLabel, type OrgKind} from '../../../lib/api/types.js'

/** `salesforce:authorizations:remove`; the Data Cloud twin is this command with `org = 'datacloud'`. */
export default class Remove extends AppLinkCommand {
  static args = {
    developer_name: Args.string({description: 'developer name of the authorization to remove', required: true}),
  }

  static description = 'remove a Salesforce authorization from an app (asks you to type the developer name)'

  static examples = [
    '$ heroku salesforce:authorizations:remove my_auth -a my-app',
    '$ heroku salesforce:authorizations:remove my_auth -a my-app --confirm my_auth',
  ]

  static flags = {
    confirm: confirmFlag('the developer name'),
  }

  static org: OrgKind = 'salesforce'

  async run(): Promise<Authorization> {
    const {org} = this.constructor as typeof Remove
    const {args, flags} = await this.parse(this.constructor as typeof Remove)
    return removeNamed({
      addon: flags.addon,
      app: flags.app,
      command: `heroku ${this.id}`,
      confirm: flags.confirm,
      connect: () => this.applink(flags.app, flags.addon),
      interactive: this.interactive,
      kind: 'authorization',
      label: `${orgKindLabel(org)} authorization`,
      org,
      name: args.developer_name,
      io: this.io,
      quiet: this.jsonEnabled(),
      remove: (client, name) => client.deleteAuthorization(name),
      verb: 'remove',
    })
  }
}

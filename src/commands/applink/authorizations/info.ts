import {Args} from '../../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {assertNameOrId, orNotFound} from '../../../lib/flows/lookup.js'
import {fixHint, targetOf} from '../../../lib/ui/hints.js'
import {authorizationRows, orgKindOf, printInfo} from '../../../lib/ui/output.js'
import type {Authorization} from '../../../lib/api/types.js'

export default class AuthorizationsInfo extends AppLinkCommand {
  static args = {
    developer_name: Args.string({description: 'developer name (or id) of the authorization', required: true}),
  }

  static description = 'show one Salesforce or Data Cloud authorization of an app, with the error and a fix when it failed'

  static examples = [
    '$ heroku applink:authorizations:info my_auth -a my-app',
    '$ heroku applink:authorizations:info my_auth -a my-app --json | jq -r .org.username',
  ]

  async run(): Promise<Authorization> {
    const {args, flags} = await this.parse(AuthorizationsInfo)
    assertNameOrId('developer name', args.developer_name)
    const {client, context} = await this.applink(flags.app, flags.addon)
    const target = targetOf(context)
    const authorization = await orNotFound({...target, kind: 'authorization', name: args.developer_name}, client.getAuthorization(args.developer_name))
    return this.render(authorization, async () => {
      const name = authorization.org?.developer_name ?? args.developer_name
      await printInfo(this.io, `Heroku AppLink authorization ${name} for app ${target.app}`, authorizationRows(authorization))
      const hint = fixHint('authorization', authorization, orgKindOf(authorization.org?.type), name, target)
      if (hint) this.io.note(hint)
    })
  }
}

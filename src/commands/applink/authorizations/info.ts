import {Args} from '@oclif/core'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {assertNameOrId, orNotFound} from '../../../lib/flows/lookup.js'
import {authorizationRows, fixHint, isFailedStatus, orgKindOf, printInfo} from '../../../lib/ui/output.js'
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
    const app = context.app.name
    const authorization = await orNotFound({app, kind: 'authorization', name: args.developer_name}, client.getAuthorization(args.developer_name))
    return this.render(authorization, async () => {
      const name = authorization.org?.developer_name ?? args.developer_name
      await printInfo(this.io, `Heroku AppLink authorization ${name} for app ${app}`, authorizationRows(authorization))
      const org = orgKindOf(authorization.org?.type)
      const hint = authorization.connection_method === 'JWT' && isFailedStatus(authorization.status)
        ? `Add it again with: heroku ${org}:authorizations:jwt:add ${name} -a ${app} --client-id CONSUMER_KEY --jwt-key-file server.key --username USER`
        : fixHint('authorization', authorization.status, org, name, app)
      if (hint) this.io.note(hint)
    })
  }
}

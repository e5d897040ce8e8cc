import {Args, Flags} from '@oclif/core'

import {AppLinkCommand} from '../../../../lib/base.js'
import {addWithJwt, jwtFlags} from '../../../../lib/jwt.js'
import {authorizationRows, printInfo} from '../../../../lib/output.js'
import type {Authorization} from '../../../../lib/types.js'

export default class AuthorizationsJwtAdd extends AppLinkCommand {
  static args = {
    developer_name: Args.string({description: 'developer name for the authorization: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = 'store a Data Cloud user\'s credentials for an app with the JWT bearer flow (no browser; for CI and scripts)'

  static examples = [
    '$ heroku datacloud:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com',
    '$ heroku datacloud:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com --alias billing',
  ]

  static flags = {
    ...jwtFlags(),
    alias: Flags.string({description: 'alias the app\'s AppLink SDK fetches the credentials by [default: applink:DEVELOPER_NAME]'}),
  }

  async run(): Promise<Authorization> {
    const {args, flags} = await this.parse(AuthorizationsJwtAdd)
    const name = args.developer_name
    const {app, result} = await addWithJwt<Authorization>({
      app: flags.app,
      connect: () => this.applink(flags.app, flags.addon),
      flags,
      kind: 'authorization',
      label: 'Data Cloud authorization',
      name,
      quiet: this.jsonEnabled(),
      send: (client, params) => client.createJwtAuthorization('datacloud', {...params, alias: flags.alias ?? `applink:${name}`, developer_name: name}),
    })
    return this.render(result, async () => {
      await printInfo(`Data Cloud authorization ${name} on app ${app}`, authorizationRows(result))
      if (result.status !== 'authorized') process.stderr.write(`Check its status with: heroku applink:authorizations:info ${name} -a ${app}\n`)
    })
  }
}

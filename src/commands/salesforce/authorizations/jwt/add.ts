import {Args, Flags} from '@oclif/core'

import {AppLinkCommand} from '../../../../lib/base.js'
import {addWithJwt, jwtFlags} from '../../../../lib/jwt.js'
import {authorizationRows, printInfo} from '../../../../lib/output.js'
import {type Authorization, orgKindLabel, type OrgKind} from '../../../../lib/types.js'

/** `salesforce:authorizations:jwt:add`; the Data Cloud twin is this command with `org = 'datacloud'`. */
export default class AuthorizationsJwtAdd extends AppLinkCommand {
  static args = {
    developer_name: Args.string({description: 'developer name for the authorization: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = 'store a Salesforce user\'s credentials for an app with the JWT bearer flow (no browser; for CI and scripts)'

  static examples = [
    '$ heroku salesforce:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com',
    '$ heroku salesforce:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com --alias billing',
  ]

  static flags = {
    ...jwtFlags(),
    alias: Flags.string({description: 'alias the app\'s AppLink SDK fetches the credentials by [default: applink:DEVELOPER_NAME]'}),
  }

  static org: OrgKind = 'salesforce'

  async run(): Promise<Authorization> {
    const {org} = this.constructor as typeof AuthorizationsJwtAdd
    const {args, flags} = await this.parse(this.constructor as typeof AuthorizationsJwtAdd)
    const name = args.developer_name
    const {app, result} = await addWithJwt<Authorization>({
      app: flags.app,
      connect: () => this.applink(flags.app, flags.addon),
      flags,
      kind: 'authorization',
      label: `${orgKindLabel(org)} authorization`,
      name,
      quiet: this.jsonEnabled(),
      send: (client, params) => client.createJwtAuthorization(org, {...params, alias: flags.alias ?? `applink:${name}`, developer_name: name}),
    })
    return this.render(result, async () => {
      await printInfo(`${orgKindLabel(org)} authorization ${name} on app ${app}`, authorizationRows(result))
      if (result.status !== 'authorized') process.stderr.write(`Check its status with: heroku applink:authorizations:info ${name} -a ${app}\n`)
    })
  }
}

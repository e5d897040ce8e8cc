import {Args, Flags} from '@oclif/core'

import {AppLinkCommand} from '../../../../lib/cli/base.js'
import {addWithJwt, jwtFlags} from '../../../../lib/flows/jwt.js'
import {authorizationRows, printInfo} from '../../../../lib/ui/output.js'
import {type Authorization, orgKindLabel, type OrgKind} from '../../../../lib/api/types.js'

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
    const alias = flags.alias ?? `applink:${name}`
    const {app, result} = await addWithJwt<Authorization>({
      app: flags.app,
      connect: () => this.applink(flags.app, flags.addon),
      flags,
      kind: 'authorization',
      label: `${orgKindLabel(org)} authorization`,
      name,
      io: this.io,
      quiet: this.jsonEnabled(),
      send: (client, params) => client.createJwtAuthorization(org, {...params, alias, developer_name: name}),
    })
    return this.render(result, async () => {
      // the alias the app's SDK fetches the credentials by: the one the service answers with, else the one sent
      await printInfo(this.io, `${orgKindLabel(org)} authorization ${name} on app ${app}`, withAlias(authorizationRows(result), (result as {alias?: string}).alias ?? alias))
      if (result.status !== 'authorized') this.io.err(`Check its status with: heroku applink:authorizations:info ${name} -a ${app}\n`)
    })
  }
}

/** The rows with `Alias` right after the developer name. */
function withAlias(rows: Record<string, string | undefined>, alias: string): Record<string, string | undefined> {
  return {'Developer Name': rows['Developer Name'], Alias: alias, ...rows}
}

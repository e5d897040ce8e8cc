import {Args} from '../../../lib/ui/oclif.js'

import {jwtFlags} from '../../../lib/flows/jwt.js'
import {JwtAddCommand} from '../../../lib/cli/jwt-command.js'
import type {RecordKind} from '../../../lib/flows/records.js'

export default class ConnectJwt extends JwtAddCommand {
  static args = {
    connection_name: Args.string({description: 'name for the connection: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = 'connect a Salesforce org to an app with the JWT bearer flow (no browser; for CI and scripts)'

  static examples = [
    '$ heroku salesforce:connect:jwt my_org -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com',
    '$ heroku salesforce:connect:jwt my_sandbox -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com.sandbox -l https://test.salesforce.com',
  ]

  static flags = jwtFlags()

  static kind: RecordKind = 'connection'
}

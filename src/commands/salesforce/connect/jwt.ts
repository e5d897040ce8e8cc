import {Args} from '@oclif/core'
import {randomUUID} from 'node:crypto'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {addWithJwt, jwtFlags} from '../../../lib/flows/jwt.js'
import {connectionRows, printInfo} from '../../../lib/ui/output.js'
import type {Connection} from '../../../lib/api/types.js'

export default class ConnectJwt extends AppLinkCommand {
  static args = {
    connection_name: Args.string({description: 'name for the connection: 3-30 letters, digits and single underscores, starting with a letter', required: true}),
  }

  static description = 'connect a Salesforce org to an app with the JWT bearer flow (no browser; for CI and scripts)'

  static examples = [
    '$ heroku salesforce:connect:jwt my_org -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com',
    '$ heroku salesforce:connect:jwt my_sandbox -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com.sandbox -l https://test.salesforce.com',
  ]

  static flags = jwtFlags()

  async run(): Promise<Connection> {
    const {args, flags} = await this.parse(ConnectJwt)
    const name = args.connection_name
    const {app, result} = await addWithJwt<Connection>({
      app: flags.app,
      connect: () => this.applink(flags.app, flags.addon),
      flags,
      kind: 'connection',
      label: 'Salesforce connection',
      name,
      io: this.io,
      quiet: this.jsonEnabled(),
      // contract: a connection's alias is a fresh random UUID
      send: (client, params) => client.createJwtConnection({...params, alias: randomUUID(), connection_name: name}),
    })
    return this.render(result, async () => {
      await printInfo(this.io, `Salesforce connection ${name} on app ${app}`, connectionRows(result))
      if (result.status !== 'connected') this.io.err(`Check its status with: heroku applink:connections:info ${name} -a ${app}\n`)
    })
  }
}

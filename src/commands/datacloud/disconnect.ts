import {Args} from '@oclif/core'

import type {AppLinkClient} from '../../lib/applink-client.js'
import {AppLinkCommand} from '../../lib/base.js'
import {confirmFlag} from '../../lib/confirm.js'
import {type NamedResource, orNotFound} from '../../lib/lookup.js'
import {removeNamed} from '../../lib/remove.js'
import type {Connection} from '../../lib/types.js'

export default class Disconnect extends AppLinkCommand {
  static args = {
    connection_name: Args.string({description: 'name of the Data Cloud connection to remove', required: true}),
  }

  static description = 'disconnect a Data Cloud org from an app; its data action targets are deleted with it (asks you to type the connection name)'

  static examples = [
    '$ heroku datacloud:disconnect my_dc_org -a my-app',
    '$ heroku datacloud:disconnect my_dc_org -a my-app --confirm my_dc_org',
  ]

  static flags = {
    confirm: confirmFlag('the connection name'),
  }

  async run(): Promise<Connection> {
    const {args, flags} = await this.parse(Disconnect)
    return removeNamed({
      app: flags.app,
      before: warnAboutTargets,
      command: 'heroku datacloud:disconnect',
      confirm: flags.confirm,
      connect: () => this.applink(flags.app, flags.addon),
      interactive: this.interactive,
      kind: 'connection',
      label: 'Data Cloud connection',
      name: args.connection_name,
      quiet: this.jsonEnabled(),
      remove: (client, name) => client.deleteConnection(name),
      verb: 'disconnect',
    })
  }
}

/** Lists, on stderr, the data action targets that are deleted with the connection. */
async function warnAboutTargets(client: AppLinkClient, resource: NamedResource): Promise<void> {
  const targets = await orNotFound(resource, client.listDataActionTargets(resource.name)) ?? []
  if (targets.length === 0) return
  const what = targets.length === 1 ? 'its data action target' : `its ${targets.length} data action targets`
  const lines = targets.map(t => `  ${t.label || t.api_name} (${t.api_name})`)
  process.stderr.write(`Warning: disconnecting ${resource.name} also deletes ${what}:\n${lines.join('\n')}\n`)
}

import type {AppLinkClient} from '../../lib/api/applink-client.js'
import type {IO} from '../../lib/ui/io.js'
import {type NamedResource, orNotFound} from '../../lib/flows/lookup.js'
import type {OrgKind} from '../../lib/api/types.js'
import SalesforceDisconnect from '../salesforce/disconnect.js'

export default class DatacloudDisconnect extends SalesforceDisconnect {
  // own copy: oclif's parse() spreads the class, which skips inherited statics
  static args = SalesforceDisconnect.args

  static before = warnAboutTargets

  static description = 'disconnect a Data Cloud org from an app; its data action targets are deleted with it (asks you to type the connection name)'

  static examples = [
    '$ heroku datacloud:disconnect my_dc_org -a my-app',
    '$ heroku datacloud:disconnect my_dc_org -a my-app --confirm my_dc_org',
  ]

  static org: OrgKind = 'datacloud'
}

/** Lists, on stderr, the data action targets that are deleted with the connection. */
async function warnAboutTargets(client: AppLinkClient, resource: NamedResource, io: IO): Promise<void> {
  const targets = await orNotFound(resource, client.listDataActionTargets(resource.name)) ?? []
  if (targets.length === 0) return
  const what = targets.length === 1 ? 'its data action target' : `its ${targets.length} data action targets`
  const lines = targets.map(t => `  ${t.label || t.api_name} (${t.api_name})`)
  io.note(`Warning: disconnecting ${resource.name} also deletes ${what}:\n${lines.join('\n')}`)
}

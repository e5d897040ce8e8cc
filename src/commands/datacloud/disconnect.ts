import type {AppLinkClient} from '../../lib/api/applink-client.js'
import type {IO} from '../../lib/ui/io.js'
import {type NamedResource, orNotFound} from '../../lib/flows/lookup.js'
import SalesforceDisconnect from '../salesforce/disconnect.js'
import {dataCloudTwin} from '../../lib/cli/twin.js'

export default dataCloudTwin(SalesforceDisconnect, {
  before: warnAboutTargets,
  description: 'disconnect a Data Cloud org from an app; its data action targets are deleted with it (asks you to type the connection name)',
  examples: [
    '$ heroku datacloud:disconnect my_dc_org -a my-app',
    '$ heroku datacloud:disconnect my_dc_org -a my-app --confirm my_dc_org',
  ],
})

/** Lists, on stderr, the data action targets that are deleted with the connection. */
async function warnAboutTargets(client: AppLinkClient, resource: NamedResource, io: IO): Promise<void> {
  const targets = await orNotFound(resource, client.listDataActionTargets(resource.name)) ?? []
  if (targets.length === 0) return
  const what = targets.length === 1 ? 'its data action target' : `its ${targets.length} data action targets`
  const lines = targets.map(t => `  ${t.label || t.api_name} (${t.api_name})`)
  io.note(`Warning: disconnecting ${resource.name} also deletes ${what}:\n${lines.join('\n')}`)
}

import {Args, Flags} from '../../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {invalidInput} from '../../../lib/api/errors.js'
import {dataActionTargetFlow, flowFlags} from '../../../lib/flows/flow-definitions.js'
import {flowIO} from '../../../lib/flows/flow-io.js'
import {waitTimeoutMs} from '../../../lib/flows/flow-timing.js'
import {runFlow} from '../../../lib/flows/flow.js'
import {assertValidName, nameProblem} from '../../../lib/api/names.js'
import {targetOf} from '../../../lib/ui/hints.js'
import {printInfo} from '../../../lib/ui/output.js'
import type {DataActionTarget} from '../../../lib/api/types.js'

export default class DataActionTargetCreate extends AppLinkCommand {
  static args = {
    label: Args.string({description: 'label of the data action target (display text; may hold spaces)', required: true}),
  }

  static description = `create a Data Cloud data action target that sends Data Cloud events to an app, and wait until it is created

The API name defaults to the label with spaces turned into underscores.`

  static examples = [
    '$ heroku datacloud:data-action-target:create "Order Events" -a my-app -o my_dc_org -p /handleDataCloudDataChangeEvent',
    '$ heroku datacloud:data-action-target:create "Order Events" -a my-app -o my_dc_org -p / -n order_events_v2 --json',
  ]

  static flags = {
    'api-name': Flags.string({char: 'n', description: 'API name of the target [default: LABEL with spaces turned into _]'}),
    'connection-name': Flags.string({char: 'o', description: 'Data Cloud connection (of this app) to create the target in', required: true}),
    'target-api-path': Flags.string({char: 'p', description: 'path on the app that receives the events, e.g. "/" or "/handleDataCloudDataChangeEvent"', required: true}),
    type: Flags.string({char: 't', default: 'webhook', description: 'type of the target', options: ['webhook']}),
    ...flowFlags,
  }

  async run(): Promise<DataActionTarget> {
    const {args, flags} = await this.parse(DataActionTargetCreate)
    const connection = flags['connection-name']
    const apiName = flags['api-name'] ?? args.label.replaceAll(' ', '_')
    assertValidName('connection name', connection)
    const problem = flags['api-name'] === undefined && nameProblem(apiName)
    if (problem) throw invalidInput('invalid_name', `Invalid API name ${JSON.stringify(apiName)} (made from the label): ${problem}.`, ['Choose one with -n/--api-name: 3–30 letters, digits and single underscores, starting with a letter and ending with a letter or digit.'])
    assertValidName('API name', apiName)
    const path = flags['target-api-path']
    if (!path.startsWith('/')) throw invalidInput('invalid_target_api_path', `Invalid --target-api-path ${JSON.stringify(path)}: it must start with "/".`, ['Give the path on the app without its URL, e.g. / or /handleDataCloudDataChangeEvent'])
    const timeoutMs = waitTimeoutMs(flags['wait-timeout'])
    const {client, context} = await this.applink(flags.app, flags.addon)
    const input = {apiName, connection, label: args.label, targetEndpoint: path, type: flags.type}
    const target = await runFlow(dataActionTargetFlow(client, input, {...targetOf(context), io: this.io, timeoutMs}), await flowIO(this.io))
    return this.render(target, () => printInfo(this.io, `Data action target ${apiName} on connection ${connection}`, {
      'API Name': target.api_name,
      ID: target.id,
      Label: target.label,
      Status: target.status,
      'Target Endpoint': target.target_endpoint,
      Type: target.type,
      'Heroku App': target.heroku_app?.name,
      URL: target.heroku_app?.url,
    }))
  }
}

import {Args} from '../../lib/ui/oclif.js'

import {confirmFlag} from '../../lib/ui/confirm.js'
import type {RecordKind} from '../../lib/flows/records.js'
import {RemoveCommand} from '../../lib/cli/remove-command.js'
import type {OrgKind} from '../../lib/api/types.js'

/** `salesforce:disconnect`; `datacloud:disconnect` is this command with `org = 'datacloud'` and a warning step. */
export default class Disconnect extends RemoveCommand {
  static args = {
    connection_name: Args.string({description: 'name of the connection to remove', required: true}),
  }

  static description = 'disconnect a Salesforce org from an app (asks you to type the connection name)'

  static examples = [
    '$ heroku salesforce:disconnect my_org -a my-app',
    '$ heroku salesforce:disconnect my_org -a my-app --confirm my_org',
  ]

  static flags = {
    confirm: confirmFlag('the connection name'),
  }

  static kind: RecordKind = 'connection'

  static org: OrgKind = 'salesforce'
}

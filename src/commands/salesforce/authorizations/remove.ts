import {Args} from '../../../lib/ui/oclif.js'

import {confirmFlag} from '../../../lib/ui/confirm.js'
import type {RecordKind} from '../../../lib/flows/records.js'
import {RemoveCommand} from '../../../lib/cli/remove-command.js'
import type {OrgKind} from '../../../lib/api/types.js'

/** `salesforce:authorizations:remove`; the Data Cloud twin is this command with `org = 'datacloud'`. */
export default class Remove extends RemoveCommand {
  static args = {
    developer_name: Args.string({description: 'developer name of the authorization to remove', required: true}),
  }

  static description = 'remove a Salesforce authorization from an app (asks you to type the developer name)'

  static examples = [
    '$ heroku salesforce:authorizations:remove my_auth -a my-app',
    '$ heroku salesforce:authorizations:remove my_auth -a my-app --confirm my_auth',
  ]

  static flags = {
    confirm: confirmFlag('the developer name'),
  }

  static kind: RecordKind = 'authorization'

  static org: OrgKind = 'salesforce'
}

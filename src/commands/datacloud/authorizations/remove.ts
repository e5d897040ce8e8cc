import SalesforceAuthorizationsRemove from '../../salesforce/authorizations/remove.js'
import type {OrgKind} from '../../../lib/api/types.js'

export default class DatacloudAuthorizationsRemove extends SalesforceAuthorizationsRemove {
  // own copy: oclif's parse() spreads the class, which skips inherited statics
  static args = SalesforceAuthorizationsRemove.args

  static description = 'remove a Data Cloud authorization from an app (asks you to type the developer name)'

  static examples = [
    '$ heroku datacloud:authorizations:remove my_auth -a my-app',
    '$ heroku datacloud:authorizations:remove my_auth -a my-app --confirm my_auth',
  ]

  static org: OrgKind = 'datacloud'
}

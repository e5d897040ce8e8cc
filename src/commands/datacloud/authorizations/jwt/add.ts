import SalesforceAuthorizationsJwtAdd from '../../../salesforce/authorizations/jwt/add.js'
import type {OrgKind} from '../../../../lib/api/types.js'

export default class DatacloudAuthorizationsJwtAdd extends SalesforceAuthorizationsJwtAdd {
  // own copy: oclif's parse() spreads the class, which skips inherited statics
  static args = SalesforceAuthorizationsJwtAdd.args

  static description = 'store a Data Cloud user\'s credentials for an app with the JWT bearer flow (no browser; for CI and scripts)'

  static examples = [
    '$ heroku datacloud:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com',
    '$ heroku datacloud:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com --alias billing',
  ]

  static org: OrgKind = 'datacloud'
}

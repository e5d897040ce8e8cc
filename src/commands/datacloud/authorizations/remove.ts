import SalesforceAuthorizationsRemove from '../../salesforce/authorizations/remove.js'
import {dataCloudTwin} from '../../../lib/cli/twin.js'

export default dataCloudTwin(SalesforceAuthorizationsRemove, {
  description: 'remove a Data Cloud authorization from an app (asks you to type the developer name)',
  examples: [
    '$ heroku datacloud:authorizations:remove my_auth -a my-app',
    '$ heroku datacloud:authorizations:remove my_auth -a my-app --confirm my_auth',
  ],
})

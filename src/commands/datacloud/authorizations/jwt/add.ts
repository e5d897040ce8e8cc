import SalesforceAuthorizationsJwtAdd from '../../../salesforce/authorizations/jwt/add.js'
import {dataCloudTwin} from '../../../../lib/cli/twin.js'

export default dataCloudTwin(SalesforceAuthorizationsJwtAdd, {
  description: 'store a Data Cloud user\'s credentials for an app with the JWT bearer flow (no browser; for CI and scripts)',
  examples: [
    '$ heroku datacloud:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com',
    '$ heroku datacloud:authorizations:jwt:add my_auth -a my-app --client-id 3MVG9... --jwt-key-file server.key --username api@example.com --alias billing',
  ],
})

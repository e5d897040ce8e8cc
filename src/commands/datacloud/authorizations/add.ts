import SalesforceAuthorizationsAdd from '../../salesforce/authorizations/add.js'
import {dataCloudTwin} from '../../../lib/cli/twin.js'

export default dataCloudTwin(SalesforceAuthorizationsAdd, {
  description: `store a Data Cloud user's credentials for an app: log in as that user in a browser (OAuth), then wait until the authorization is ready

On a terminal, press a key to open the browser (q quits). Without one, the login URL is printed on stderr and the command polls until the login ends, --wait-timeout passes, or Ctrl-C. The login URL sent is https://login.salesforce.com unless -l/--login-url is given.`,
  examples: [
    '$ heroku datacloud:authorizations:add my_dc_auth -a my-app',
    '$ heroku datacloud:authorizations:add my_dc_auth -a my-app -l https://MyDomain.my.salesforce.com --browser firefox',
  ],
})

import SalesforceConnect from '../salesforce/connect/index.js'
import {dataCloudTwin} from '../../lib/cli/twin.js'

export default dataCloudTwin(SalesforceConnect, {
  description: `connect a Data Cloud org to an app: log in to the org in a browser (OAuth), then wait until the connection is ready

On a terminal, press a key to open the browser (q quits). Without one, the login URL is printed on stderr and the command polls until the login ends, --wait-timeout passes, or Ctrl-C.`,
  examples: [
    '$ heroku datacloud:connect my_dc_org -a my-app',
    '$ heroku datacloud:connect my_dc_org -a my-app -l https://MyDomain.my.salesforce.com --browser firefox',
    '$ heroku datacloud:connect my_dc_org -a my-app --json 2>/dev/null | jq -r .status',
  ],
})

import {Args, Flags} from '../../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {ExitCode} from '../../../lib/api/errors.js'
import {defaultTimeoutMs} from '../../../lib/api/http.js'
import {assertValidName} from '../../../lib/api/names.js'
import type {DeliveryDocument} from '../../../lib/invoke/events.js'
import {flagTarget, targetOf} from '../../../lib/ui/hints.js'
import {localHerokuHost} from '../../../lib/cli/first-run.js'

export default class EventsTrigger extends AppLinkCommand {
  static args = {
    target: Args.string({description: 'API name of the data action target', required: true}),
  }

  static description = 'send a signed Data Cloud data action event to your app, as Data Cloud does (local emulator only)'

  static examples = [
    '$ heroku applink:events:trigger My_Target -a my-app',
    '$ heroku applink:events:trigger My_Target -a my-app --object Account_Home__dlm --set Name__c=Acme --set Amount__c:=42',
    '$ heroku applink:events:trigger My_Target -a my-app --file event.json --url http://127.0.0.1:8080',
    '$ heroku applink:events:trigger My_Target -a my-app --resend 5b0e7a40-2a53-4c1e-9f57-0b6a1d3f8e21',
    '$ heroku applink:events:trigger My_Target -a my-app --duplicate',
    '$ heroku applink:events:trigger My_Target -a my-app --from-record 001xx0000001 --set Status__c=Closed',
  ]

  static flags = {
    'connection-name': Flags.string({char: 'o', description: 'Data Cloud connection of the target (when several have one of that name)'}),
    data: Flags.string({char: 'd', description: 'the whole event body as JSON, signed and sent as it is'}),
    duplicate: Flags.boolean({description: 'send the last event again as a new delivery (same EventUuid)'}),
    file: Flags.string({description: 'read the whole event body from a JSON file'}),
    'from-record': Flags.string({description: 'a row of the emulated Data Cloud (by Id, id or Id__c): its object and values make the event'}),
    object: Flags.string({description: 'SourceObjectDeveloperName of the event (default Emulated_Record__dlm)'}),
    'out-of-order': Flags.boolean({description: 'send a new event older (EventPublishDateTime, ReplayId) than the last one sent'}),
    resend: Flags.string({description: 'send the event with this EventUuid again: same body and signature'}),
    set: Flags.string({description: 'a field of PayloadCurrentValue: Field=Value (string) or Field:=JSON', multiple: true, multipleNonGreedy: true}),
    url: Flags.string({description: 'app address (default: http://127.0.0.1:$APP_PORT, then $PORT, then 3000)'}),
  }

  async run(): Promise<DeliveryDocument> {
    const {args, flags} = await this.parse(EventsTrigger)
    assertValidName('API name', args.target)
    const events = await import('../../../lib/invoke/events.js')
    // everything local first: a problem here exits 2 before any request
    const request = await events.triggerRequest(flags)
    // the Heroku Platform API means the hosted AppLink: refused before any request
    if (!localHerokuHost()) throw events.notEmulated(flagTarget(flags.app, flags.addon))
    const {client, context} = await this.applink(flags.app, flags.addon)
    const target = targetOf(context)
    if (!events.isLocalUrl(context.apiUrl)) throw events.notEmulated(target)
    const event = await client.emulatedDataActionEvent(args.target, request.params)
    const delivery = await events.deliverEvent(event, request.base, defaultTimeoutMs(), target)
    if (delivery.response.status < 200 || delivery.response.status >= 300) process.exitCode = ExitCode.FAILED
    return this.render(events.deliveryDocument(delivery), () => events.printDelivery(delivery, this.io))
  }
}

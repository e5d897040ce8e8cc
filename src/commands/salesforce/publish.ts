import {Args} from '../../lib/ui/oclif.js'

import {appFlag, AppLinkCommand} from '../../lib/cli/base.js'
import {invalidInput} from '../../lib/api/errors.js'
import {assertValidName} from '../../lib/api/names.js'
import {SpecError} from '../../lib/openapi/check.js'
import {formatReport} from '../../lib/openapi/format.js'
import type {SpecReport} from '../../lib/openapi/types.js'
import {formatPlan, formatPublished, preparePublish, type PublishPlan} from '../../lib/flows/publish.js'
import {publishFlags, publishInput, uploadPlan} from '../../lib/flows/publish-upload.js'
import {targetOf} from '../../lib/ui/hints.js'

export default class Publish extends AppLinkCommand {
  static args = {
    api_spec_file: Args.string({description: 'OpenAPI 3.0 spec of the app\'s API (.json, .yaml or .yml)', required: true}),
  }

  static baseFlags = {...AppLinkCommand.baseFlags, app: appFlag({description: 'app to publish (not needed with --dry-run)', required: false})}

  static description = 'check an app\'s OpenAPI spec, then publish it to a connected Salesforce org (--dry-run: check and show, send nothing)'

  static examples = [
    '$ heroku salesforce:publish api-spec.yaml -c OrdersAPI --connection-name my_org -a my-app',
    '$ heroku salesforce:publish api-spec.yaml -c OrdersAPI --connection-name my_org --authorization-permission-set-name Orders_Perms -a my-app',
    '$ heroku salesforce:publish api-spec.yaml -c OrdersAPI --connection-name my_org --dry-run',
  ]

  static flags = publishFlags

  async run(): Promise<PublishPlan | {published: PublishPlan; response: unknown}> {
    const {args, flags} = await this.parse(Publish)
    const human = !this.jsonEnabled()
    if (flags['authorization-connected-app-name']) this.io.warn('--authorization-connected-app-name is deprecated (Salesforce replaces connected apps with external client apps): use --authorization-external-client-app-name.')
    assertValidName('connection name', flags['connection-name'])
    if (!flags['dry-run'] && !flags.app) throw invalidInput('missing_app', 'Missing required flag -a/--app: the app whose AppLink add-on publishes the spec.', ['Give it with -a APP, or run the command in the app\'s git checkout. A --dry-run needs no app.'])
    const showReport = (report: SpecReport) => {
      if (human && report.diagnostics.length > 0) this.io.err(formatReport(report, {maxWarnings: 20}))
    }

    const prepared = await preparePublish(publishInput(flags, args.api_spec_file)).catch(error => {
      if (!(error instanceof SpecError)) throw error
      showReport(error.report)
      throw flags['dry-run'] ? new SpecError(error.report, {dryRun: true}) : error
    })
    showReport(prepared.report)
    if (human && prepared.ignored.length > 0) this.io.warn(`not sent from --metadata-dir: ${prepared.ignored.join(', ')} (only connectedapp-meta.xml and permissionset-meta.xml are).`)
    const {plan} = prepared
    if (flags['dry-run']) return this.render(plan, () => {
      this.io.out(formatPlan(plan))
    })

    const {client, context} = await this.applink(flags.app as string, flags.addon)
    const response = await uploadPlan(client, prepared, targetOf(context), {human, io: this.io})
    return this.render({published: plan, response}, () => {
      this.io.out(formatPublished(plan))
    })
  }
}

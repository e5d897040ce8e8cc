import {Args, Flags} from '@oclif/core'

import {appFlag, AppLinkCommand} from '../../lib/cli/base.js'
import {invalidInput} from '../../lib/api/errors.js'
import {assertValidName} from '../../lib/api/names.js'
import {step} from '../../lib/ui/progress.js'
import {SpecError} from '../../lib/openapi/check.js'
import {formatReport} from '../../lib/openapi/format.js'
import type {SpecReport} from '../../lib/openapi/types.js'
import {buildMultipart, formatPlan, formatPublished, preparePublish, publishFailure, type PublishPlan, uploadProgress} from '../../lib/flows/publish.js'

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

  static flags = {
    'authorization-connected-app-name': Flags.string({description: '(deprecated: use --authorization-external-client-app-name) connected app to create from AppLink\'s template'}),
    'authorization-external-client-app-name': Flags.string({description: 'external client app to create from AppLink\'s template, for user-plus operations'}),
    'authorization-permission-set-name': Flags.string({description: 'permission set to create from AppLink\'s template, for user-plus operations'}),
    'client-name': Flags.string({char: 'c', description: 'name Salesforce gives the generated client (External Service)', required: true}),
    'connection-name': Flags.string({description: 'Salesforce connection (org) to publish to', required: true}),
    'dry-run': Flags.boolean({description: 'check the spec and show what would be published, without credentials or requests'}),
    'metadata-dir': Flags.string({description: 'directory holding connectedapp-meta.xml and/or permissionset-meta.xml to send along'}),
  }

  async run(): Promise<PublishPlan | {published: PublishPlan; response: unknown}> {
    const {args, flags} = await this.parse(Publish)
    const human = !this.jsonEnabled()
    if (flags['authorization-connected-app-name']) this.io.warn('--authorization-connected-app-name is deprecated (Salesforce replaces connected apps with external client apps): use --authorization-external-client-app-name.')
    assertValidName('connection name', flags['connection-name'])
    if (!flags['dry-run'] && !flags.app) throw invalidInput('missing_app', 'Missing required flag -a/--app: the app whose AppLink add-on publishes the spec.', ['Give it with -a APP, or run the command in the app\'s git checkout. A --dry-run needs no app.'])
    const showReport = (report: SpecReport) => {
      if (human && report.diagnostics.length > 0) this.io.err(formatReport(report, {maxWarnings: 20}))
    }

    const prepared = await preparePublish({
      authorization: {connectedAppName: flags['authorization-connected-app-name'], externalClientAppName: flags['authorization-external-client-app-name'], permissionSetName: flags['authorization-permission-set-name']},
      clientName: flags['client-name'],
      connectionName: flags['connection-name'],
      metadataDir: flags['metadata-dir'],
      specFile: args.api_spec_file,
    }).catch(error => {
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

    const app = flags.app as string
    const {client} = await this.applink(app, flags.addon)
    const multipart = await buildMultipart(prepared.zip, plan.appRequest)
    const showProgress = human && multipart.body.length > 1024 * 1024 && this.io.liveProgress
    const progress = showProgress ? uploadProgress(this.io, `Uploading ${plan.file}`) : undefined
    // an ambiguous failure (reset, timeout, 5xx) is never resent: the user is told how to check instead
    const {createOrRecover} = await import('../../lib/flows/recover.js')
    const upload = () => createOrRecover(() => client.publish(plan.connectionName, multipart, {onProgress: progress?.update}), {
      check: `heroku salesforce:publications -a ${app} --connection-name ${plan.connectionName}`,
      note: text => this.io.noteRedacted(text),
      subject: `the publication of ${plan.file} to ${plan.connectionName}`,
    })
    .catch(error => {
      throw publishFailure(error, plan, app)
    })
    .finally(() => progress?.done())
    // a progress line for big uploads on a terminal; otherwise one step line (a spinner on a terminal)
    const response = progress ? await upload() : await step(`Publishing ${plan.file} to ${plan.connectionName} as ${plan.clientName}`, upload, {io: this.io, quiet: !human})
    return this.render({published: plan, response}, () => {
      this.io.out(formatPublished(plan))
    })
  }
}

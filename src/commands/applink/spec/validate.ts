import {Args, Flags} from '../../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../../lib/cli/base.js'
import {ExitCode} from '../../../lib/api/errors.js'
import {checkSpecFile} from '../../../lib/openapi/check.js'
import {formatReport} from '../../../lib/openapi/format.js'
import type {SpecReport} from '../../../lib/openapi/types.js'
import {readMetadataDir} from '../../../lib/flows/publish.js'

export default class SpecValidate extends AppLinkCommand {
  static args = {
    file: Args.string({description: 'OpenAPI 3.0 spec (.json, .yaml or .yml)', required: true}),
  }

  // a local check: no -a/--app, --addon or -r (nor Heroku credentials); only --json remains
  static baseFlags = {} as unknown as typeof AppLinkCommand.baseFlags

  static description = 'check an OpenAPI spec for AppLink without publishing it (no app or credentials needed; for CI)'

  static examples = [
    '$ heroku applink:spec:validate api-spec.yaml',
    '$ heroku applink:spec:validate api-spec.yaml --metadata-dir metadata --authorization-permission-set-name Orders_Perms',
    '$ heroku applink:spec:validate api-spec.json --json | jq \'.diagnostics[] | select(.severity == "error")\'',
  ]

  static flags = {
    'authorization-connected-app-name': Flags.string({description: 'check it as salesforce:publish would (deprecated flag there)'}),
    'authorization-external-client-app-name': Flags.string({description: 'check it as salesforce:publish would'}),
    'authorization-permission-set-name': Flags.string({description: 'check it as salesforce:publish would'}),
    'metadata-dir': Flags.string({description: 'check conflicts with the metadata files salesforce:publish would send'}),
  }

  async run(): Promise<SpecReport> {
    const {args, flags} = await this.parse(SpecValidate)
    const metadataDir = flags['metadata-dir']
    const metadata = metadataDir ? await readMetadataDir(metadataDir) : undefined
    const report = await checkSpecFile(args.file, {
      authorization: {connectedAppName: flags['authorization-connected-app-name'], externalClientAppName: flags['authorization-external-client-app-name'], permissionSetName: flags['authorization-permission-set-name']},
      metadataDir,
      metadataFiles: metadata?.files.map(f => f.name),
    })
    // errors make the spec invalid input: exit 2, with the full report on stdout either way
    if (!report.ok) process.exitCode = ExitCode.INVALID_INPUT
    return this.render(report, () => {
      this.io.out(formatReport(report))
    })
  }
}

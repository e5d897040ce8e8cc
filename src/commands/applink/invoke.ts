import {Args, Flags} from '../../lib/ui/oclif.js'

import {AppLinkCommand} from '../../lib/cli/base.js'
import {ExitCode} from '../../lib/api/errors.js'
import {defaultTimeoutMs} from '../../lib/api/http.js'
import type {InvokeDocument} from '../../lib/invoke/output.js'
import {parseHeaders, parseParams} from '../../lib/invoke/request.js'
import {assertNameOrId, orNotFound} from '../../lib/flows/lookup.js'
import {targetOf} from '../../lib/ui/hints.js'
import {maskKnownSecrets} from '../../lib/api/redact.js'

export default class Invoke extends AppLinkCommand {
  static args = {
    operation: Args.string({description: 'operationId of the spec, or "METHOD /path"', required: true}),
  }

  static description = 'call an operation of your app as Salesforce does: headers of an org user from an AppLink authorization, body and response checked against the spec'

  static examples = [
    '$ heroku applink:invoke listAccounts -p limit=5 -a my-app --authorization my_auth',
    '$ heroku applink:invoke createAccount --data \'{"name": "Acme"}\' -a my-app --authorization my_auth',
    '$ heroku applink:invoke "GET /accounts/{accountId}" -p accountId=001xx000003DGb2AAG -a my-app --authorization my_auth -i',
    '$ heroku applink:invoke createAccount --data @account.json --url https://my-app.herokuapp.com -a my-app --authorization my_auth --json',
  ]

  static flags = {
    authorization: Flags.string({description: 'developer name of the AppLink authorization whose org user invokes', required: true}),
    data: Flags.string({char: 'd', description: 'request body: JSON, @FILE, or - to read stdin'}),
    header: Flags.string({char: 'H', description: 'add or override a header: \'Name: value\' (\'Name:\' removes it)', multiple: true, multipleNonGreedy: true}),
    include: Flags.boolean({char: 'i', description: 'show the response status line and headers before the body'}),
    mesh: Flags.boolean({description: 'through the local service mesh in front of the app (heroku applink:mesh): default address http://127.0.0.1:$PORT, else 8070; the AppLink API must be the emulator\'s'}),
    namespace: Flags.string({default: '', description: 'namespace sent in x-client-context (empty by default)'}),
    param: Flags.string({char: 'p', description: 'parameter NAME=VALUE: fills {NAME} in the path, else a query (or header) parameter', multiple: true, multipleNonGreedy: true}),
    spec: Flags.string({description: 'OpenAPI spec of the app (default: api-spec.yaml/.yml/.json, then openapi.*, in the current folder)'}),
    strict: Flags.boolean({description: 'exit 1 when the response does not match the spec (otherwise a warning)'}),
    url: Flags.string({description: 'app address (default: http://127.0.0.1:$APP_PORT, then $PORT, then 3000)'}),
    validate: Flags.boolean({allowNo: true, default: true, description: 'check the body and parameters against the spec before sending (--no-validate skips it)'}),
  }

  async run(): Promise<InvokeDocument> {
    const {args, flags} = await this.parse(Invoke)
    assertNameOrId('developer name', flags.authorization)
    const headerFlags = parseHeaders(flags.header)
    const {assertMeshCanAuthenticate, identityFrom, meshRefusalNote, prepareInvocation, sendInvocation} = await import('../../lib/invoke/invoke.js')
    // everything local first: a problem here exits 2 before any request
    const prepared = await prepareInvocation({data: flags.data, headers: headerFlags, io: this.io, mesh: flags.mesh, operation: args.operation, params: parseParams(flags.param), spec: flags.spec, url: flags.url, validate: flags.validate})
    const {client, context} = await this.applink(flags.app, flags.addon)
    const target = targetOf(context)
    if (flags.mesh) assertMeshCanAuthenticate(context.apiUrl, target)
    const {accessToken, authorization} = await orNotFound({...target, kind: 'authorization', name: flags.authorization}, client.getAuthorizationWithAccessToken(flags.authorization))
    const {identity, warnings} = identityFrom(authorization, accessToken, context.app.id, flags.namespace, target)
    for (const w of warnings) this.io.warn(w)
    const result = await sendInvocation(prepared, identity, headerFlags, defaultTimeoutMs(), this.io)
    const {invokeDocument, printInvocation} = await import('../../lib/invoke/output.js')
    const note = meshRefusalNote(result)
    if (note) this.io.note(note)
    const ok = result.response.status >= 200 && result.response.status < 300
    if (!ok || (flags.strict && result.problems.length > 0)) process.exitCode = ExitCode.FAILED
    return this.render(invokeDocument(result, prepared.body?.json ?? prepared.body?.text), () => printInvocation(result, {include: flags.include, io: this.io}))
  }

  /** The document is masked already; secret-looking field names in the app's own answer stay as they are. */
  protected toSuccessJson(result: unknown): unknown {
    return JSON.parse(maskKnownSecrets(JSON.stringify(result)))
  }
}

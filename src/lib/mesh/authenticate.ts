/**
 * The mesh's two calls to the AppLink API (docs/mesh.md, "Authentication"): `POST
 * {HEROKU_APPLINK_API_URL}/invocations/authentication` for a Salesforce request and `POST
 * {HEROKU_APPLINK_API_URL}/data_action_targets/authenticate` for a data action request, each with
 * the add-on's token and the request id in `REQUEST_ID`; and what each answer becomes (forward, 403,
 * the service's own status, 500). Connections are kept alive between requests.
 */
import {Agent as HttpAgent, request as httpRequest} from 'node:http'
import {Agent as HttpsAgent, request as httpsRequest} from 'node:https'

import type {MeshRequestContext} from './validate.js'

export interface AppLinkEndpoint {
  /** `HEROKU_APPLINK_API_URL` (its path kept: the add-on's `/addons/{id}`) */
  apiUrl: string
  token: string
}

/** What the mesh does after the call: forward, or answer `status` with `body` (a newline is added). */
export type AuthOutcome =
  | {body: string; log: {level: 'ERROR' | 'WARN'; text: string}; ok: false; status: number}
  | {ok: true}

const TIMEOUT_MS = 30_000

export class Authenticator {
  private readonly agent: HttpAgent | HttpsAgent
  private readonly base: URL

  constructor(private readonly endpoint: AppLinkEndpoint) {
    this.base = new URL(endpoint.apiUrl)
    this.agent = this.base.protocol === 'https:' ? new HttpsAgent({keepAlive: true}) : new HttpAgent({keepAlive: true})
  }

  /** `/invocations/authentication` with the context of a Salesforce request. */
  async salesforce(context: MeshRequestContext, requestId: string): Promise<AuthOutcome> {
    const body = {app_uuid: context.appUuid, core_jwt_token: context.auth, org_domain_url: context.orgDomainUrl, org_id: context.orgId}
    return this.call('/invocations/authentication', body, requestId, {
      failed: `unable to invoke Salesforce authentication request ${requestId}`,
      kind: 'Salesforce',
      refused: `Unauthorized request! Org ${context.orgId} not found or not connected to app`,
    })
  }

  /** `/data_action_targets/authenticate` with the query's target and org, the signature and the raw body. */
  async dataAction(apiName: string, orgId: string, signature: string, payload: Buffer, requestId: string): Promise<AuthOutcome> {
    const body = {api_name: apiName, org_id: orgId, payload: payload.toString('utf8'), signature}
    return this.call('/data_action_targets/authenticate', body, requestId, {
      failed: `unable to invoke Data Action Target authentication request ${requestId}`,
      kind: 'Data Action Target',
      refused: `Unauthorized request! Org ${orgId} not found or not connected to app and/or Data Action Target '${apiName}' signed key not found or is invalid`,
    })
  }

  close(): void {
    this.agent.destroy()
  }

  private async call(path: string, payload: unknown, requestId: string, words: {failed: string; kind: string; refused: string}): Promise<AuthOutcome> {
    const url = new URL(`${this.base.pathname.replace(/\/+$/, '')}${path}`, this.base)
    const text = JSON.stringify(payload)
    let answer: {body: string; status: number}
    try {
      answer = await post(url, text, {
        Authorization: `Bearer ${this.endpoint.token}`,
        'Content-Length': String(Buffer.byteLength(text)),
        'Content-Type': 'application/json',
        // Go sends the header REQUEST_ID as `Request_id`
        Request_id: requestId,
      }, this.agent)
    } catch (error) {
      const message = (error as Error).message
      return {body: `${words.failed}: ${message}`, log: {level: 'ERROR', text: `Failed to authenticate ${words.kind} request: ${message}`}, ok: false, status: 500}
    }

    if (answer.status === 200) return {ok: true}
    if (answer.status === 401 || answer.status === 403) return {body: 'Forbidden', log: {level: 'WARN', text: words.refused}, ok: false, status: 403}
    return {body: answer.body, log: {level: 'ERROR', text: `Failed to authenticate request: statusCode ${answer.status}, body '${answer.body}'`}, ok: false, status: answer.status}
  }
}

function post(url: URL, body: string, headers: Record<string, string>, agent: HttpAgent | HttpsAgent): Promise<{body: string; status: number}> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve, reject) => {
    const req = send(url, {agent, headers, method: 'POST', timeout: TIMEOUT_MS}, res => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({body: Buffer.concat(chunks).toString('utf8'), status: res.statusCode ?? 0}))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)))
    req.on('error', reject)
    req.end(body)
  })
}

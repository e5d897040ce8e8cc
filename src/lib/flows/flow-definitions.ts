/**
 * The flows of the commands that wait, for the runner in flow.ts: a connection or an authorization
 * made with an OAuth login (`salesforce:connect`, `datacloud:connect`, `*:authorizations:add`: one
 * definition, `recordFlow`, parametrised by the record kind) and a data action target
 * (`datacloud:data-action-target:create`, no login), and the flags these commands share.
 */
import {Flags} from '../ui/oclif.js'

import type {AppLinkClient} from '../api/applink-client.js'
import type {Authorization, Connection, DataActionTarget, OrgKind} from '../api/types.js'
import type {IO} from '../ui/io.js'
import type {FlowSpec} from './flow-spec.js'
import {DEFAULT_WAIT_TIMEOUT_S} from './flow-timing.js'
import {orNotFound} from './lookup.js'
import {createOrResume} from './records.js'
import {addCommand, infoCommand} from '../ui/hints.js'
import {createOrRecover} from './recover.js'

export const flowFlags = {
  'wait-timeout': Flags.string({
    description: `seconds to wait for the result before giving up (default ${DEFAULT_WAIT_TIMEOUT_S})`,
    env: 'APPLINK_WAIT_TIMEOUT',
    helpValue: '<seconds>',
  }),
}

export const oauthFlags = {
  browser: Flags.string({description: 'browser to open the login page with (e.g. "firefox", "google chrome")', helpValue: '<name>'}),
  'login-url': Flags.string({char: 'l', description: 'Salesforce login URL, e.g. https://test.salesforce.com or https://MyDomain.my.salesforce.com', helpValue: '<url>'}),
  ...flowFlags,
}

export interface FlowTarget {
  /** the app's name, for messages */
  app: string
  /** `--addon NAME` in the commands we suggest (`targetOf` in ui/hints.ts) */
  addon?: string
  /** the command's streams: notes from recovery and resumption go to its stderr */
  io: IO
  timeoutMs: number
}

const ORG_LABEL: Record<OrgKind, string> = {datacloud: 'Data Cloud org', salesforce: 'Salesforce org'}

interface Records {
  authorization: Authorization
  connection: Connection
}

/** What differs between the connection flow and the authorization flow. */
interface RecordFlowKind<K extends keyof Records> {
  /** progress label */
  action(org: OrgKind, name: string, app: string): string
  /** what the browser is opened for, e.g. `connect my_org to my-app` */
  purpose(name: string, app: string): string
  subject(org: OrgKind, name: string): string
  create(client: AppLinkClient, org: OrgKind, name: string, loginUrl: string | undefined): Promise<Records[K]>
  read(client: AppLinkClient, idOrName: string): Promise<Records[K]>
  isPending(status: string): boolean
  success: string
}

const RECORD_FLOWS: {[K in keyof Records]: RecordFlowKind<K>} = {
  authorization: {
    action: (org, name, app) => `Authorizing ${name} for ${app} (${ORG_LABEL[org]})`,
    create: (client, org, name, loginUrl) => client.createAuthorization(org, {developer_name: name, login_url: loginUrl as string}),
    isPending: status => status === 'authorizing',
    purpose: (name, app) => `authorize ${name} for ${app}`,
    read: (client, idOrName) => client.getAuthorization(idOrName),
    subject: (_org, name) => `authorization ${name}`,
    success: 'authorized',
  },
  connection: {
    action: (org, name, app) => `Connecting ${ORG_LABEL[org]} ${name} to ${app}`,
    create: (client, org, name, loginUrl) => client.createConnection(org, loginUrl === undefined ? {connection_name: name} : {connection_name: name, login_url: loginUrl}),
    isPending: status => !['connected', 'disconnected', 'failed'].includes(status),
    purpose: (name, app) => `connect ${name} to ${app}`,
    read: (client, idOrName) => client.getConnection(idOrName),
    subject: (org, name) => `${ORG_LABEL[org].replace(' org', '')} connection ${name}`,
    success: 'connected',
  },
}

/**
 * A connection or an authorization made with an OAuth login: POST /{kind}s/{org}, poll
 * GET /{kind}s/{id}. An ambiguous failure of the POST (reset, timeout, 5xx) is never resent: the
 * record is looked up by name instead; a name already taken by a record still waiting for its
 * login is picked up.
 */
export function recordFlow<K extends keyof Records>(kind: K, client: AppLinkClient, org: OrgKind, name: string, loginUrl: string | undefined, browser: string | undefined, target: FlowTarget): FlowSpec<Records[K]> {
  const k = RECORD_FLOWS[kind] as RecordFlowKind<K>
  const subject = k.subject(org, name)
  const lookup = () => k.read(client, name)
  const note = (text: string) => target.io.noteRedacted(text)
  return {
    action: k.action(org, name, target.app),
    browser: {app: browser, prompt: `Press any key to open up the browser to ${k.purpose(name, target.app)}, or q to exit`},
    checkHint: `Check it with: ${infoCommand(kind, name, target)}`,
    create: () => createOrResume(() => createOrRecover(() => k.create(client, org, name, loginUrl), {
      check: infoCommand(kind, name, target),
      lookup,
      note,
      subject,
    }), {isPending: k.isPending, kind, lookup, name, note, org, target}),
    get: created => k.read(client, created.id || name),
    isPending: k.isPending,
    isSuccess: status => status === k.success,
    kind,
    resumeHint: `Go on waiting with: ${addCommand(kind, org, name, target)}`,
    retryHint: `Try again with: ${addCommand(kind, org, name, target)}`,
    subject,
    timeoutMs: target.timeoutMs,
  }
}

export interface DataActionTargetInput {
  apiName: string
  connection: string
  label: string
  targetEndpoint: string
  type: string
}

/** `datacloud:data-action-target:create`: POST …/data_action_targets, poll GET …/data_action_targets/{api_name}. */
export function dataActionTargetFlow(client: AppLinkClient, input: DataActionTargetInput, target: FlowTarget): FlowSpec<DataActionTarget> {
  return {
    action: `Creating data action target ${input.apiName} on Data Cloud connection ${input.connection}`,
    checkHint: `Check it in Data Cloud Setup under Data Action Targets, in the org of connection ${input.connection}.`,
    // a 404 here means the connection named with -o does not exist
    create: () => orNotFound({addon: target.addon, app: target.app, kind: 'connection', label: 'Data Cloud connection', name: input.connection}, createOrRecover(() => client.createDataActionTarget(input.connection, {api_name: input.apiName, label: input.label, target_endpoint: input.targetEndpoint, type: input.type}), {
      check: `Data Cloud Setup, Data Action Targets, in the org of connection ${input.connection}`,
      lookup: () => client.getDataActionTarget(input.connection, input.apiName),
      note: text => target.io.noteRedacted(text),
      subject: `data action target ${input.apiName}`,
    })),
    get: () => client.getDataActionTarget(input.connection, input.apiName),
    isPending: status => !['created', 'creation_failed'].includes(status),
    isSuccess: status => status === 'created',
    kind: 'data_action_target',
    subject: `data action target ${input.apiName}`,
    timeoutMs: target.timeoutMs,
  }
}

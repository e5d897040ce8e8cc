/**
 * The shapes of what the emulator stores (store.ts writes them as data.json): the Platform API's
 * apps, add-ons and attachments, AppLink's connections, authorizations, publications and data
 * action targets, and the emulated orgs (org/types.ts).
 */
import type {OrgData} from '../org/types.js'

export interface ApiErrorBody {
  id: string
  message: string
}

export interface Audit {
  created_at: string
  created_by: string
  last_modified_at: string
  last_modified_by: string
}

export interface AppRecord {
  config_vars: Record<string, string>
  created_at: string
  id: string
  name: string
  region: string
  /** the latest release number; config changes and attachments add releases */
  release: number
  stack: string
  updated_at: string
}

export interface AddonRecord {
  /** the app that owns (bills) the add-on */
  app_id: string
  created_at: string
  id: string
  name: string
  plan: string
  service: string
  /** the AppLink bearer token of this add-on (`{ATTACHMENT}_TOKEN`) */
  token: string
  updated_at: string
}

export interface AttachmentRecord {
  addon_id: string
  app_id: string
  created_at: string
  id: string
  name: string
  updated_at: string
}

export type OrgKind = 'datacloud' | 'salesforce'

export interface OrgRecord {
  id?: string
  instance_url?: string
  type: string
  user_id?: string
  username?: string
}

/** What connections and authorizations both hold. */
export interface OrgLinkRecord extends Audit {
  addon_id: string
  alias?: string
  app_id: string
  client_id?: string
  connection_method: 'JWT' | 'OAuth'
  created_via_app: string
  error?: ApiErrorBody
  id: string
  kind: OrgKind
  login_url?: string
  name: string
  org: OrgRecord
  /** the OAuth state while the login is pending (the redirect_uri is built from it) */
  state?: string
  status: string
}

export type ConnectionRecord = OrgLinkRecord

export interface AuthorizationRecord extends OrgLinkRecord {
  access_token?: string
  api_version: string
  app_name: string
}

export interface PublishedOperation {
  agent_action: boolean
  description?: string
  method: string
  operation_id?: string
  path: string
}

export interface PublicationRecord extends Audit {
  addon_id: string
  agent_actions: string[]
  app_uuid: string
  authorization_connected_app_name?: string
  authorization_external_client_app_name?: string
  authorization_permission_set_name?: string
  client_name: string
  connection_id: string
  connection_name: string
  created_via_app: string
  esr_id: string
  esr_name: string
  files: string[]
  id: string
  operations: PublishedOperation[]
  org_id?: string
  spec_title?: string
  spec_version?: string
  topic?: string
}

/** A data action event the emulated Data Cloud built for a target (kept for --resend and --duplicate). */
export interface SentEventRecord {
  event_uuid: string
  /** the body exactly as signed and sent */
  payload: string
  replay_id: number
  sent_at: string
}

export interface DataActionTargetRecord extends Audit {
  addon_id: string
  api_name: string
  app_id: string
  connection_id: string
  error?: ApiErrorBody
  /** the last events built for it, oldest first (at most EVENTS_KEPT, applink/events.ts) */
  events?: SentEventRecord[]
  id: string
  label: string
  /** the last ReplayId handed out */
  replay_id?: number
  /**
   * the HMAC-SHA256 key Data Cloud signs its events with (x-signature); made while the target is
   * `generating_signing_key`, kept across restarts, never answered, shown or logged
   */
  signing_key?: string
  status: string
  target_endpoint: string
  type: string
}

export interface StoreData {
  account: {email: string; id: string}
  addons: AddonRecord[]
  /** the Platform API key the emulator accepts (printed as HEROKU_API_KEY) */
  api_key: string
  apps: AppRecord[]
  attachments: AttachmentRecord[]
  authorizations: AuthorizationRecord[]
  connections: ConnectionRecord[]
  created_at: string
  data_action_targets: DataActionTargetRecord[]
  /** the emulated Salesforce orgs: records, sessions, Data Cloud rows (src/emulator/org/) */
  orgs: OrgData[]
  publications: PublicationRecord[]
  /** signs the add-on SSO tokens */
  sso_secret: string
  version: number
}

/** `org.type` of an org of each kind, as the service sends it (§3). */
export const ORG_TYPE: Record<OrgKind, string> = {datacloud: 'DataCloudOrg', salesforce: 'SalesforceOrg'}

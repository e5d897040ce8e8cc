/** Resource shapes of the AppLink API (docs/applink-api.md §3). */

export interface ApiError {
  id: string
  message: string
}

export interface AuditFields {
  created_at?: string
  created_by?: string
  created_via_app?: string
  last_modified_at?: string
  last_modified_by?: string
}

export type ConnectionStatus = 'connected' | 'connecting' | 'disconnected' | 'disconnecting' | 'failed'
export type OrgType = 'DataCloudOrg' | 'DatacloudOrg' | 'SalesforceOrg'

export interface ConnectionOrg {
  connection_name: string
  id?: string
  instance_url?: string
  type: OrgType | string
  user_id?: string
  username?: string
}

export interface Connection extends AuditFields {
  addon_id?: string
  app_id?: string
  connection_method?: string
  error?: ApiError
  id: string
  org: ConnectionOrg
  redirect_uri?: string
  status: ConnectionStatus | string
}

export type AuthorizationStatus = 'authorized' | 'authorizing' | 'disconnected' | 'failed'

export interface AuthorizationOrg {
  api_version?: string
  developer_name: string
  id?: string
  instance_url?: string
  type: OrgType | string
  user_auth?: {access_token: string; user_id?: string; username?: string}
  user_id?: string
  username?: string
}

export interface Authorization extends AuditFields {
  addon_id?: string
  app_name?: string
  connection_method?: 'JWT' | 'OAuth' | string
  error?: ApiError
  id: string
  org: AuthorizationOrg
  redirect_uri?: string
  status: AuthorizationStatus | string
}

export interface Publication extends AuditFields {
  app_uuid: string
  connection_name: string
  esr_id?: string
  esr_name?: string
  heroku_applink_id?: string
  org_id?: string
}

export type DataActionTargetStatus = 'created' | 'creating' | 'creation_failed' | 'generating_signing_key' | 'pending'

export interface DataActionTarget extends AuditFields {
  api_name: string
  error?: ApiError
  heroku_app?: {id?: string; name?: string; url?: string}
  id: string
  label: string
  org?: Record<string, unknown>
  status: DataActionTargetStatus | string
  target_endpoint: string
  type: string
}

/** What `applink:events:trigger` asks the emulated Data Cloud for (docs/applink-api.md §6, an emulator extension). */
export interface DataActionEventParams {
  connection_name?: string
  duplicate?: boolean
  /** the id of a row of the org's emulated Data Cloud: its values become PayloadCurrentValue */
  from_record?: string
  object?: string
  out_of_order?: boolean
  /** the body to sign and send as it is (--data, --file) */
  payload?: string
  resend?: string
  values?: Record<string, unknown>
}

/** A data action event as the emulated Data Cloud built and signed it; the caller delivers it. */
export interface DataActionEvent {
  api_name: string
  connection_name: string
  event_uuid: null | string
  kind: 'duplicate' | 'new' | 'out_of_order' | 'payload' | 'resend'
  org_id: string
  /** the target's endpoint path with ?orgId=&apiName= */
  path: string
  /** the body, exactly as signed */
  payload: string
  replay_id: null | number
  /** base64 HMAC-SHA256 of the payload with the target's key: the x-signature header */
  signature: string
}

export type OrgKind = 'datacloud' | 'salesforce'

/** `DatacloudOrg` has been seen from the service too: both mean Data Cloud. */
export function orgTypeLabel(type: string | undefined): string {
  if (type === 'SalesforceOrg') return 'Salesforce Org'
  if (type === 'DataCloudOrg' || type === 'DatacloudOrg') return 'Data Cloud Org'
  return type ?? ''
}

/** How the org kind reads in messages: `Salesforce connection my_org`, `Data Cloud authorization a`. */
export function orgKindLabel(kind: OrgKind): string {
  return kind === 'datacloud' ? 'Data Cloud' : 'Salesforce'
}

/**
 * `x-request-context`, the header Salesforce sends an invoked app (base64 JSON): the fields
 * `applink:invoke` builds and the local service mesh reads, in the order the mesh checks them.
 */
export interface RequestContext {
  appUuid: string
  auth: string
  id: string
  loginUrl: string
  orgDomainUrl: string
  orgId: string
  resource: string
  type: string
}

/** The shapes of an emulated Salesforce org as the emulator's store keeps them. */

/** A stored sObject record: canonical field API names to JSON values (always `Id` and audit fields). */
export type SObjectRecord = Record<string, unknown> & {Id: string}

/** An access token the emulated org accepts, for one of its users. */
export interface OrgSession {
  expires_at: string
  token: string
  user_id: string
}

/** What kind of org it is, chosen on the login page when the org starts (Salesforce's words on the page: Production or Developer Edition, Sandbox, Scratch org). */
export type OrgEdition = 'production' | 'sandbox' | 'scratch'

/** A custom `__c` field: added by a first write (type and reference only) or defined by --metadata. */
export interface CustomField {
  /** deleting the referenced record deletes this one (master-detail) */
  cascade?: boolean
  /** the child relationship name the referenced object gets (`Items__r`) */
  childName?: string
  /** a formula or auto number: set by the org */
  computed?: boolean
  defaultValue?: unknown
  label?: string
  length?: number
  picklist?: {defaultValue?: string; restricted: boolean; values: string[]}
  /** the referenced object, for reference fields */
  references?: string
  required?: boolean
  type: 'base64' | 'boolean' | 'combobox' | 'currency' | 'date' | 'datetime' | 'double' | 'email' | 'int' | 'multipicklist' | 'percent' | 'phone' | 'picklist' | 'reference' | 'string' | 'textarea' | 'url'
}

export interface OrgData {
  created_at: string
  /** custom fields added by writes, by object then field */
  custom_fields: Record<string, Record<string, CustomField>>
  /** key prefixes of custom objects added by writes */
  custom_objects: Record<string, string>
  /** true once a Data Cloud connection or authorization reached the org: it is then also a Data Cloud org */
  data_cloud: boolean
  /** Data Cloud rows, by object (table) name */
  datacloud: Record<string, Record<string, unknown>[]>
  /** ids of deleted records, with their type (for ENTITY_IS_DELETED) */
  deleted: Record<string, string>
  /** what kind of org: production (or Developer Edition), sandbox, scratch */
  edition: OrgEdition
  id: string
  /**
   * the org's My Domain URL (`https://{name}.my.salesforce.com`, a sandbox's
   * `https://{name}--sandbox.sandbox.my.salesforce.com`); answers carry the emulator's origin instead
   */
  instance_url: string
  /** the My Domain name: from the domain of the username that started the org (before store version 3: the connection or authorization name) */
  name: string
  /** records by object API name */
  objects: Record<string, SObjectRecord[]>
  sessions: OrgSession[]
}

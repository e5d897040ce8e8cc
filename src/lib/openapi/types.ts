/**
 * The result of checking an OpenAPI spec for AppLink (shared by `salesforce:publish`,
 * `applink:spec:validate`, the dry run and the emulator). Implemented in ./check.ts.
 */

export type Severity = 'error' | 'warning'

export interface Diagnostic {
  /** 1-based; 0 when the problem is about the file as a whole */
  column: number
  /** a one-line fix */
  fix?: string
  /** 1-based; 0 when the problem is about the file as a whole */
  line: number
  /** a one-line reason */
  message: string
  /** JSON pointer of the node, e.g. `/paths/~1orders/get/operationId`; '' for the document */
  path: string
  severity: Severity
}

export interface SpecOperation {
  /** true when `x-sfdc/agent/action/publishAsAgentAction` is true */
  agentAction: boolean
  authorization?: {connectedApp?: string; externalClientApp?: string; permissionSet?: string}
  description?: string
  /** upper case: GET, POST, … */
  method: string
  operationId?: string
  path: string
}

export interface AgentTopic {
  classificationDescription?: string
  instructions?: string[] | string
  name?: string
  scope?: string
}

export interface SpecReport {
  /** size of the spec file in bytes */
  bytes?: number
  diagnostics: Diagnostic[]
  /** the file name as given (used in `file:line:column`) */
  file: string
  format: 'json' | 'yaml'
  /** no diagnostic of severity error */
  ok: boolean
  operations: SpecOperation[]
  /** `servers[].url`, with variables replaced by their defaults */
  servers?: string[]
  title?: string
  topic?: AgentTopic
  version?: string
}

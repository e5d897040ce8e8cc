/**
 * The Data Cloud twin of a Salesforce command (`datacloud:connect`, `datacloud:disconnect`,
 * `datacloud:authorizations:add`, `…:jwt:add`, `…:remove`): the same command with `org =
 * 'datacloud'`, its own help, and optionally more statics of its own (`before` of a removal). Its
 * file is one call: `export default dataCloudTwin(SalesforceCommand, {description, examples})`.
 */
import type {OrgKind} from '../api/types.js'

/** The twin's own help, and any other static of the Salesforce command it sets differently. */
export type TwinStatics<C> = Partial<Omit<C, 'args' | 'org' | 'prototype'>> & {description: string; examples: string[]}

/** A subclass of the Salesforce command `salesforce` for Data Cloud orgs. */
export function dataCloudTwin<C extends {args?: object; org: OrgKind}>(salesforce: C, statics: TwinStatics<C>): C {
  class DataCloudTwin extends (salesforce as unknown as new (...args: any[]) => object) {}
  // args are the twin's own copy: oclif's parse() spreads the class, which skips inherited statics
  const org: OrgKind = 'datacloud'
  return Object.assign(DataCloudTwin, {args: salesforce.args, ...statics, org}) as unknown as C
}

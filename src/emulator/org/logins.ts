/**
 * Which org a login reaches: decided by who logs in, never by what the connection or authorization
 * is called, as in Salesforce, where a username belongs to exactly one org.
 *
 * - A username the emulator knows (a User record of an org) reaches that org, as that user.
 * - A username it has not seen joins the org whose users share its domain (the part after @), or
 *   starts a new org, named after that domain and seeded as every new org is.
 * - The login page may also pick an org (the username then joins it, unless it belongs to another
 *   org) or an existing user.
 *
 * Usernames compare without regard to case. A store migrated from version 2 may hold one username
 * in several orgs (its orgs were once named after connections): the oldest of them is its org.
 */
import {salesforceId} from './ids.js'
import {ensureOrg, ensureUser, findOrg, type OrgStoreData} from './orgs.js'
import {recordsOf} from './records.js'
import type {OrgData, OrgEdition} from './types.js'

/** The one default admin user: `--auto-approve` logs in as it, and the login page offers it. */
export const DEFAULT_ADMIN = 'admin@emulated-org.example'

/** The words of the login page for each edition. */
export const EDITIONS: Record<OrgEdition, string> = {production: 'Production or Developer Edition', sandbox: 'Sandbox', scratch: 'Scratch org'}

/** A user of an org. */
export interface OrgLogin {
  org: OrgData
  userId: string
  username: string
}

/** A login that cannot be done as asked; the message names the problem and the fix. Nothing was changed. */
export class LoginError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LoginError'
  }
}

export interface LoginRequest {
  /** a Data Cloud connection or authorization: the org is then also a Data Cloud org */
  dataCloud: boolean
  /** the edition of a new org (an existing org keeps its own) */
  edition: OrgEdition
  /** an org picked on the login page: a new username joins it */
  orgId?: string
  /** an existing user picked on the login page (with `orgId`): the username is then not read */
  userId?: string
  username: string
}

/** The users of an org (its User records with a username). */
export function usersOf(org: OrgData): Array<{id: string; username: string}> {
  return recordsOf(org, 'User').filter(u => typeof u.Username === 'string' && u.Username !== '').map(u => ({id: u.Id, username: u.Username as string}))
}

/** The domain of a username: the part after its last @, in lower case. */
export function domainOf(username: string): string {
  return username.slice(username.lastIndexOf('@') + 1).toLowerCase()
}

/** The org and user of a username (the oldest org holding it), when some org has it. */
export function findUser(data: OrgStoreData, username: string): OrgLogin | undefined {
  const wanted = username.toLowerCase()
  for (const org of data.orgs) {
    const user = usersOf(org).find(u => u.username.toLowerCase() === wanted)
    if (user) return {org, userId: user.id, username: user.username}
  }

  return undefined
}

/** The oldest org with a user of this domain. */
function findDomainOrg(data: OrgStoreData, domain: string): OrgData | undefined {
  return data.orgs.find(org => usersOf(org).some(u => domainOf(u.username) === domain))
}

/** The My Domain URL of an org named `name`. */
export function myDomainUrl(name: string, edition: OrgEdition): string {
  if (edition === 'sandbox') return `https://${name}--sandbox.sandbox.my.salesforce.com`
  if (edition === 'scratch') return `https://${name}.scratch.my.salesforce.com`
  return `https://${name}.my.salesforce.com`
}

/** The edition a My Domain URL is of. */
export function editionOf(instanceUrl: string): OrgEdition {
  if (/\.sandbox\.my\.salesforce\.com$/i.test(instanceUrl)) return 'sandbox'
  if (/\.scratch\.my\.salesforce\.com$/i.test(instanceUrl)) return 'scratch'
  return 'production'
}

/** The My Domain name of a new org: the first label of the username's domain, made unique among the orgs (`acme`, `acme-2`). */
function newOrgName(data: OrgStoreData, username: string): string {
  const base = domainOf(username).split('.')[0].replaceAll(/[^a-z0-9-]/g, '-').replaceAll(/^-+|-+$/g, '') || 'org'
  const taken = new Set(data.orgs.map(o => o.name.toLowerCase()))
  let name = base
  for (let n = 2; taken.has(name); n++) name = `${base}-${n}`
  return name
}

/** A user id for a new user of the org, unused in it. */
function newUserId(org: OrgData, username: string): string {
  const used = new Set(recordsOf(org, 'User').map(u => u.Id))
  let id = salesforceId('005', `${org.instance_url} ${username}`)
  for (let n = 2; used.has(id); n++) id = salesforceId('005', `${org.instance_url} ${username} ${n}`)
  return id
}

/** Adds a new user to an org. */
function addUser(org: OrgData, username: string): OrgLogin {
  const userId = newUserId(org, username)
  ensureUser(org, {id: userId, username})
  return {org, userId, username}
}

/** Starts a new org for a username: named after its domain, seeded, the user its first admin. */
function startOrg(data: OrgStoreData, store: object, username: string, edition: OrgEdition): OrgLogin {
  const name = newOrgName(data, username)
  const instanceUrl = myDomainUrl(name, edition)
  let id = salesforceId('00D', instanceUrl)
  for (let n = 2; findOrg(data, id); n++) id = salesforceId('00D', `${instanceUrl} ${n}`)
  const userId = salesforceId('005', `${instanceUrl} ${username}`)
  const org = ensureOrg(data, store, {data_cloud: false, edition, id, instance_url: instanceUrl, name}, {id: userId, username})
  return {org, userId, username}
}

/** How messages name an org. */
function orgName(org: OrgData): string {
  return `${org.name} (${org.id})`
}

/**
 * The org and user a login reaches (the rules above): a new user or a new org is created as needed.
 * Call inside a store update; a LoginError is thrown before anything changes.
 */
export function logIn(data: OrgStoreData, store: object, login: LoginRequest): OrgLogin {
  const picked = login.orgId === undefined ? undefined : findOrg(data, login.orgId)
  if (login.orgId !== undefined && !picked) throw new LoginError(`The org ${login.orgId} picked on the login page does not exist (any more). Pick another org or user, or leave the choice to the username.`)
  let result: OrgLogin
  if (picked && login.userId !== undefined) {
    const user = usersOf(picked).find(u => u.id === login.userId)
    if (!user) throw new LoginError(`The user ${login.userId} picked on the login page is not a user of org ${orgName(picked)} (any more). Pick another user, or type a username.`)
    result = {org: picked, userId: user.id, username: user.username}
  } else {
    const known = findUser(data, login.username)
    if (picked && known && known.org !== picked) {
      throw new LoginError(`${known.username} is a user of org ${orgName(known.org)}, and a username belongs to one org only. Type a username that is new to ${orgName(picked)} to add it there, or pick ${known.org.name} (or that user) to log in to its org.`)
    }

    const joins = picked ?? findDomainOrg(data, domainOf(login.username))
    result = known ?? (joins ? addUser(joins, login.username) : startOrg(data, store, login.username, login.edition))
  }

  if (login.dataCloud) result.org.data_cloud = true
  return result
}

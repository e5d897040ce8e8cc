/**
 * The emulated Salesforce org: what the rest of the emulator uses. Every connection and
 * authorization reaches an org served by the emulator itself (its `instance_url` is the emulator's
 * origin); the access token of a request tells which org and user it is.
 *
 *   standard-objects.ts  the standard objects as data tables   describe.ts  describe answers
 *   schema.ts   objects, fields, relationships      records.ts   create/read/update/delete rules
 *   ids.ts      18-character ids                    soql*.ts     SOQL evaluation (paths, WHERE, plan)
 *   orgs.ts     orgs, users, sessions, runtime      sql.ts       Data Cloud SQL evaluation
 *   logins.ts   which org and user a login reaches  routes/      REST, composite graph, Data Cloud, mesh
 *   seed.ts     default data and --org-data files
 *   metadata.ts --metadata: SFDX source / describe JSON (xml.ts: fast-xml-parser)
 *
 * May import: `http/` (replies, the router's types, HTML escaping); `store/` imports its data's type
 * (`types.ts`).
 */
import {editionOf} from './logins.js'
import {findSession, type OrgStoreData, ensureOrg, issueSession, runtime} from './orgs.js'
import type {RouteTable} from './http.js'
import {registerDataCloudRoutes} from './routes/datacloud.js'
import {registerGraphRoutes} from './routes/graph.js'
import {registerMeshRoutes} from './routes/mesh.js'
import {registerRestRoutes} from './routes/rest.js'
import type {OrgSeed} from './seed.js'
import type {OrgData} from './types.js'

export {applySchema, loadMetadata, type OrgSchema} from './metadata.js'
export {defaultSeed, loadSeedFile, SeedError} from './seed.js'
export {findOrg, issueSession} from './orgs.js'
export {DEFAULT_ADMIN, EDITIONS, LoginError, type LoginRequest, logIn, type OrgLogin, usersOf} from './logins.js'

/** A connection or authorization, as far as its org goes. */
interface OrgLink {
  access_token?: string
  kind: 'datacloud' | 'salesforce'
  name: string
  org: {id?: string; instance_url?: string; user_id?: string; username?: string}
  status: string
}

export function registerOrgRoutes(router: RouteTable): void {
  registerRestRoutes(router)
  registerGraphRoutes(router)
  registerDataCloudRoutes(router)
  registerMeshRoutes(router)
}

/** Sets the data new orgs of this store are seeded with (the --org-data file); undefined for the default. */
export function useSeed(store: object, seed: OrgSeed | undefined): void {
  runtime(store).seed = seed
}

/**
 * The org of a completed connection or authorization, with its user. The login made both (logIn);
 * an org missing from the store (a version 1 store's links) is created and seeded here, named after
 * the link as orgs then were. Call inside a store update.
 */
export function linkOrg(data: OrgStoreData, store: object, link: OrgLink): OrgData | undefined {
  const {id, user_id: userId, username} = link.org
  if (!id || !userId || !username) return undefined
  const instanceUrl = link.org.instance_url ?? `https://${link.name.toLowerCase().replaceAll('_', '-')}.my.salesforce.com`
  const org = {data_cloud: link.kind === 'datacloud', edition: editionOf(instanceUrl), id, instance_url: instanceUrl, name: link.name}
  return ensureOrg(data, store, org, {id: userId, username})
}

/**
 * Gives an authorized authorization a working access token: keeps the one it has while its session
 * is valid, else issues a new one (as AppLink refreshes tokens). True when it changed.
 */
export function refreshToken(data: OrgStoreData, store: object, auth: OrgLink): boolean {
  if (auth.status !== 'authorized') return false
  const org = linkOrg(data, store, auth)
  if (!org) return false
  if (auth.access_token && findSession(data, auth.access_token)) return false
  auth.access_token = issueSession(org, auth.org.user_id!)
  return true
}

/**
 * At start-up: an org for every completed connection and authorization (stores written before
 * orgs existed get theirs now), and the authorizations' tokens as sessions. True when it changed.
 */
export function syncOrgs(data: OrgStoreData & {authorizations: OrgLink[]; connections: OrgLink[]}, store: object): boolean {
  let changed = false
  for (const c of data.connections) {
    if (c.status !== 'connected' || !c.org.id || data.orgs.some(o => o.id === c.org.id)) continue
    changed = Boolean(linkOrg(data, store, c)) || changed
  }

  for (const a of data.authorizations) changed = refreshToken(data, store, a) || changed
  return changed
}

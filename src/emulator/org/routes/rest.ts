/**
 * The Salesforce REST API subset the AppLink SDK uses, under /services/data/vNN.N/: query with
 * paging (2,000 records a page, `nextRecordsUrl` locators), sObject create, read, update and
 * delete, and describe (`sobjects`, `sobjects/{Type}`, `sobjects/{Type}/describe`). Every request needs `Authorization: Bearer {access token}` of an emulated org.
 */
import {randomBytes} from 'node:crypto'

import {sendSalesforce} from '../../http/reply.js'
import {SfError} from '../errors.js'
import {describeBasic, describeGlobal, describeObject} from '../describe.js'
import {apiVersion, jsonBody, type OrgCtx, orgSession, type RouteTable, sfHandler} from '../http.js'
import {createOp, deleteOp, readOp, updateOp} from '../operations.js'
import {type Cursor, runtime} from '../orgs.js'
import {API_PATH} from '../records.js'
import {runSoql} from '../soql.js'
import type {OrgData} from '../types.js'

/** Records per query page, as Salesforce's default batch size. */
export const PAGE_SIZE = 2000
const CURSOR_TTL_MS = 15 * 60 * 1000
const MAX_CURSORS = 200

function page(ctx: OrgCtx, version: string, cursorId: string, cursor: Cursor, offset: number): void {
  const records = cursor.records.slice(offset, offset + PAGE_SIZE)
  const next = offset + PAGE_SIZE
  const done = next >= cursor.records.length
  const body: Record<string, unknown> = {done, records, totalSize: cursor.totalSize}
  if (!done) body.nextRecordsUrl = `${API_PATH(version)}/query/${cursorId}-${next}`
  sendSalesforce(ctx.res, 200, body)
}

function newCursorId(): string {
  const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
  return '01g' + [...randomBytes(15)].map(b => chars[b % 62]).join('')
}

function query(ctx: OrgCtx): void {
  const version = apiVersion(ctx.params.version)
  const {org} = orgSession(ctx)
  const q = ctx.url.searchParams.get('q')
  if (q === null) throw new SfError(400, 'MALFORMED_QUERY', 'The q parameter is required: GET /services/data/vNN.N/query?q=SELECT+...')
  const result = runSoql(org, q, version)
  if (result.records.length <= PAGE_SIZE) {
    sendSalesforce(ctx.res, 200, {done: true, records: result.records, totalSize: result.totalSize})
    return
  }

  const {cursors} = runtime(ctx.emu.store)
  const now = Date.now()
  for (const [id, c] of cursors) if (now - c.createdAt > CURSOR_TTL_MS || cursors.size >= MAX_CURSORS) cursors.delete(id)
  const id = newCursorId()
  const cursor: Cursor = {createdAt: now, orgId: org.id, records: result.records, totalSize: result.totalSize}
  cursors.set(id, cursor)
  page(ctx, version, id, cursor, 0)
}

function queryMore(ctx: OrgCtx): void {
  const version = apiVersion(ctx.params.version)
  const {org} = orgSession(ctx)
  const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(ctx.params.locator)
  const cursor = m ? runtime(ctx.emu.store).cursors.get(m[1]) : undefined
  if (!m || !cursor || cursor.orgId !== org.id || Date.now() - cursor.createdAt > CURSOR_TTL_MS) {
    throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
  }

  const offset = Number(m[2])
  if (offset % PAGE_SIZE !== 0 || offset >= cursor.records.length) throw new SfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator')
  page(ctx, version, m[1], cursor, offset)
}

async function create(ctx: OrgCtx): Promise<void> {
  apiVersion(ctx.params.version)
  const {org, session} = orgSession(ctx)
  const body = await jsonBody(ctx)
  const result = createOp(org, session.user_id, ctx.params.type, body, Boolean(ctx.emu.options.inventFields))
  await ctx.emu.store.flush()
  sendSalesforce(ctx.res, result.status, result.body)
}

async function update(ctx: OrgCtx): Promise<void> {
  apiVersion(ctx.params.version)
  const {org, session} = orgSession(ctx)
  const body = await jsonBody(ctx)
  const result = updateOp(org, session.user_id, ctx.params.type, ctx.params.id, body, Boolean(ctx.emu.options.inventFields))
  await ctx.emu.store.flush()
  sendSalesforce(ctx.res, result.status, result.body)
}

async function remove(ctx: OrgCtx): Promise<void> {
  apiVersion(ctx.params.version)
  const {org} = orgSession(ctx)
  const result = deleteOp(org, ctx.params.type, ctx.params.id)
  await ctx.emu.store.flush()
  sendSalesforce(ctx.res, result.status, result.body)
}

function read(ctx: OrgCtx): void {
  const version = apiVersion(ctx.params.version)
  const {org} = orgSession(ctx)
  const result = readOp(org, ctx.params.type, ctx.params.id, version, ctx.url.searchParams.get('fields') ?? undefined)
  sendSalesforce(ctx.res, result.status, result.body)
}

/** `GET sobjects`, `GET sobjects/{Type}` and `GET sobjects/{Type}/describe`. */
function describeHandler(answer: (org: OrgData, type: string, version: string) => Record<string, unknown>) {
  return sfHandler(ctx => {
    const version = apiVersion(ctx.params.version)
    const {org} = orgSession(ctx)
    sendSalesforce(ctx.res, 200, answer(org, ctx.params.type, version))
  })
}

export function registerRestRoutes(router: RouteTable): void {
  const base = '/services/data/:version'
  router.add('GET', `${base}/query`, sfHandler(query))
  router.add('GET', `${base}/queryAll`, sfHandler(query))
  router.add('GET', `${base}/query/:locator`, sfHandler(queryMore))
  router.add('GET', `${base}/queryAll/:locator`, sfHandler(queryMore))
  router.add('GET', `${base}/sobjects`, describeHandler((org, _type, version) => describeGlobal(org, version)))
  router.add('GET', `${base}/sobjects/:type`, describeHandler(describeBasic))
  router.add('GET', `${base}/sobjects/:type/describe`, describeHandler(describeObject))
  router.add('POST', `${base}/sobjects/:type`, sfHandler(create))
  router.add('GET', `${base}/sobjects/:type/:id`, sfHandler(read))
  router.add('PATCH', `${base}/sobjects/:type/:id`, sfHandler(update))
  router.add('DELETE', `${base}/sobjects/:type/:id`, sfHandler(remove))
}

/**
 * Data Cloud on an emulated org: `POST /api/v1/ingest/sources/{source}/{object}` stores rows
 * (`{"data": [{...}]}`, or a bare list), and `POST /api/v2/query` `{"sql": "..."}` answers SQL
 * over them (table `{object}`, also reachable as `{object}__dll`), in batches of 2,000 rows with
 * `nextBatchId` (`POST /api/v2/query/{nextBatchId}`).
 */
import {randomUUID} from 'node:crypto'

import {sendSalesforce} from '../../http/reply.js'
import {SfError} from '../errors.js'
import {jsonBody, type OrgCtx, orgSession, type RouteTable, sfHandler} from '../http.js'
import {type Batch, runtime} from '../orgs.js'
import {runSql} from '../sql.js'
import type {OrgData} from '../types.js'

export const BATCH_SIZE = 2000
const NAME = /^[A-Za-z][A-Za-z0-9_]{0,79}$/

function isRow(value: unknown): value is Record<string, unknown> {
  return Boolean(value) && typeof value === 'object' && !Array.isArray(value)
}

async function ingest(ctx: OrgCtx): Promise<void> {
  const {org} = orgSession(ctx)
  const {object, source} = ctx.params
  if (!NAME.test(source) || !NAME.test(object)) throw new SfError(400, 'INVALID_ARGUMENT', 'The source and object names hold letters, digits and underscores, and start with a letter.')
  const body = await jsonBody(ctx)
  const rows = Array.isArray(body) ? body : isRow(body) && Array.isArray(body.data) ? body.data : undefined
  if (!rows || !rows.every(r => isRow(r))) throw new SfError(400, 'INVALID_ARGUMENT', 'Send the rows as {"data": [{"field": value, ...}, ...]}.')
  if (!Object.hasOwn(org.datacloud, object)) org.datacloud[object] = []
  for (const r of rows) org.datacloud[object].push({...r})
  await ctx.emu.store.flush()
  sendSalesforce(ctx.res, 202, {accepted: true})
}

function tables(org: OrgData): Record<string, Record<string, unknown>[]> {
  const out: Record<string, Record<string, unknown>[]> = Object.create(null)
  for (const [name, rows] of Object.entries(org.datacloud)) {
    out[name] = rows
    if (!name.endsWith('__dll') && !name.endsWith('__dlm')) out[`${name}__dll`] = rows
  }

  return out
}

function sqlType(values: unknown[]): {type: string; typeCode: number} {
  const v = values.find(x => x !== null && x !== undefined)
  if (typeof v === 'number') return {type: 'DECIMAL', typeCode: 3}
  if (typeof v === 'boolean') return {type: 'BOOLEAN', typeCode: 16}
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v)) return {type: 'TIMESTAMP WITH TIME ZONE', typeCode: 2014}
  return {type: 'VARCHAR', typeCode: 12}
}

function answer(ctx: OrgCtx, batch: Batch, offset: number, startTime: string): void {
  const rows = batch.rows.slice(offset, offset + BATCH_SIZE)
  const next = offset + BATCH_SIZE
  const done = next >= batch.rows.length
  let nextBatchId: string | undefined
  if (!done) {
    nextBatchId = randomUUID()
    runtime(ctx.emu.store).batches.set(nextBatchId, {...batch, createdAt: Date.now(), rows: batch.rows.slice(next)})
  }

  sendSalesforce(ctx.res, 200, {data: rows, done, endTime: new Date().toISOString(), metadata: batch.metadata, nextBatchId: nextBatchId ?? '', queryId: batch.queryId, rowCount: rows.length, startTime})
}

async function query(ctx: OrgCtx): Promise<void> {
  const startTime = new Date().toISOString()
  const {org} = orgSession(ctx)
  const body = await jsonBody(ctx)
  const sql = isRow(body) && typeof body.sql === 'string' ? body.sql : undefined
  if (!sql) throw new SfError(400, 'INVALID_ARGUMENT', 'Send the query as {"sql": "SELECT ..."}.')
  const result = runSql(sql, tables(org))
  const metadata: Record<string, unknown> = {}
  for (const [i, name] of result.columns.entries()) metadata[name] = {placeInOrder: i, ...sqlType(result.rows.map(r => r[i]))}
  answer(ctx, {createdAt: Date.now(), metadata, orgId: org.id, queryId: randomUUID(), rows: result.rows}, 0, startTime)
}

function nextBatch(ctx: OrgCtx): void {
  const startTime = new Date().toISOString()
  const {org} = orgSession(ctx)
  const {batches} = runtime(ctx.emu.store)
  const batch = batches.get(ctx.params.batch)
  if (!batch || batch.orgId !== org.id) throw new SfError(404, 'NOT_FOUND', `No query batch ${ctx.params.batch}: batches are kept in memory until they are fetched or the emulator stops.`)
  batches.delete(ctx.params.batch)
  answer(ctx, batch, 0, startTime)
}

export function registerDataCloudRoutes(router: RouteTable): void {
  router.add('POST', '/api/v1/ingest/sources/:source/:object', sfHandler(ingest))
  router.add('POST', '/api/v2/query', sfHandler(query))
  router.add('POST', '/api/v2/query/:batch', sfHandler(nextBatch))
}

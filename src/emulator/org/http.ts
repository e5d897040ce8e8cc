/**
 * Small HTTP helpers of the org routes: the router's context with the part of the emulator's state
 * the org uses, the access token, JSON bodies and Salesforce's error shape. Replies go through the
 * emulator's one set of helpers (../http.ts); nothing here imports server.ts.
 */
import type {IncomingMessage} from 'node:http'

import {bearerToken, sendSalesforce} from '../http/reply.js'
import type {Ctx, Router} from '../http/router.js'
import {SfError} from './errors.js'
import {findSession, type OrgStoreData} from './orgs.js'
import {ensureStandardRecords} from './records.js'
import type {OrgData, OrgSession} from './types.js'

export interface OrgEmu {
  log(line: string, kind?: 'error' | 'request'): void
  /** the start options the org reads */
  readonly options: {inventFields?: boolean}
  origin: string
  store: {data: OrgStoreData & Record<string, any>; flush(): Promise<void>}
}

/** What an org route handler gets: the router's context, its state seen as `OrgEmu`. */
export type OrgCtx = Omit<Ctx, 'emu' | 'json'> & {emu: OrgEmu}

export type OrgHandler = (ctx: OrgCtx) => Promise<void> | void

/** Where the org routes register. */
export type RouteTable = Pick<Router, 'add'>

/** The access token of a request, as Salesforce takes it: `Bearer TOKEN` or `OAuth TOKEN`. */
export function accessToken(req: IncomingMessage): string {
  return bearerToken(req, ['Bearer', 'OAuth'])
}

/** The org and user of a request's access token, or 401 INVALID_SESSION_ID. */
export function orgSession(ctx: OrgCtx): {org: OrgData; session: OrgSession} {
  const found = findSession(ctx.emu.store.data, accessToken(ctx.req))
  if (!found) throw new SfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid')
  // orgs stored before the standard records existed get them now (kept with the next write)
  ensureStandardRecords(found.org, found.session.user_id)
  return found
}

/** The request body as JSON, or the Salesforce error for a body that is not. */
export async function jsonBody(ctx: OrgCtx): Promise<unknown> {
  const text = (await ctx.body()).toString('utf8')
  if (text.trim() === '') throw new SfError(400, 'JSON_PARSER_ERROR', 'The request body is empty: send a JSON object.')
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new SfError(400, 'JSON_PARSER_ERROR', `The request body is not valid JSON: ${(error as Error).message}`)
  }
}

/** Wraps a handler so that SfErrors are answered in Salesforce's shape. */
export function sfHandler(handler: OrgHandler): OrgHandler {
  return async ctx => {
    try {
      await handler(ctx)
    } catch (error) {
      if (!(error instanceof SfError)) throw error
      sendSalesforce(ctx.res, error.status, error.body())
    }
  }
}

/** `v62.0` → `62.0`, or NOT_FOUND as Salesforce answers an unknown version. */
export function apiVersion(param: string): string {
  const m = /^v(\d{2,3}\.\d)$/.exec(param)
  if (!m) throw new SfError(404, 'NOT_FOUND', 'The requested resource does not exist')
  return m[1]
}

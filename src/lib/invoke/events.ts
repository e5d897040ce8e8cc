/**
 * `applink:events:trigger`: a Data Cloud data action event delivered to the app as Data Cloud sends
 * it (docs/events.md). The flags are checked here first (exit 2, nothing sent); the event itself
 * is built and signed by the emulated Data Cloud, the only holder of the target's key
 * (`AppLinkClient.emulatedDataActionEvent`, docs/applink-api.md §6); this module posts it to the
 * app (`POST {app}{target path}?orgId=&apiName=`, `Content-Type: application/json`, `x-signature`)
 * and shows the answer with Stripe CLI's `-->` / `<--` lines.
 */
import {readFile} from 'node:fs/promises'
import {STATUS_CODES} from 'node:http'

import {AppLinkError, invalidInput} from '../api/errors.js'
import {NetworkError, send} from '../api/http.js'
import type {DataActionEvent, DataActionEventParams} from '../api/types.js'
import {type CommandTarget, herokuCommand} from '../ui/hints.js'
import type {IO} from '../ui/io.js'
import {defaultBaseUrl} from './request.js'

export interface TriggerFlags {
  'connection-name'?: string
  data?: string
  duplicate?: boolean
  file?: string
  'from-record'?: string
  object?: string
  'out-of-order'?: boolean
  resend?: string
  set?: string[]
  url?: string
}

export interface TriggerRequest {
  base: URL
  params: DataActionEventParams
}

const FIELD = /^[A-Za-z]\w{0,79}$/

/** `--set Field=Value` (a string) or `--set Field:=JSON` (a number, true, null, an object…). */
export function parseSets(list: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const item of list) {
    const i = item.indexOf('=')
    const json = i > 0 && item[i - 1] === ':'
    const name = i > 0 ? item.slice(0, json ? i - 1 : i) : ''
    if (!FIELD.test(name)) {
      throw invalidInput('invalid_field', `--set ${JSON.stringify(item)} is not Field=Value.`, ['Give each field as --set Name__c=Acme (a string) or --set Amount__c:=42 (a JSON value).'])
    }

    const raw = item.slice(i + 1)
    if (json) {
      try {
        out[name] = JSON.parse(raw)
      } catch {
        throw invalidInput('invalid_json', `--set ${name}:=${raw}: the value is not JSON.`, [`Write a JSON value after :=, e.g. ${name}:=42, ${name}:=true, or use ${name}=${raw} for a string.`])
      }
    } else {
      out[name] = raw
    }
  }

  return out
}

function used(flags: TriggerFlags, names: Array<keyof TriggerFlags>): string[] {
  return names.filter(n => {
    const v = flags[n]
    return Array.isArray(v) ? v.length > 0 : v !== undefined && v !== false
  }).map(n => `--${n}`)
}

function exclusive(flags: TriggerFlags, flag: keyof TriggerFlags, others: Array<keyof TriggerFlags>, why: string): void {
  if (!used(flags, [flag]).length) return
  const clash = used(flags, others)
  if (clash.length > 0) throw invalidInput('invalid_flags', `--${flag} cannot be combined with ${clash.join(', ')}: ${why}; nothing was sent.`)
}

/** The app's origin (its path kept as a prefix). */
function baseUrl(value: string | undefined): URL {
  const text = value ?? defaultBaseUrl()
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw invalidInput('invalid_url', `--url ${JSON.stringify(text)} is not a URL.`, ['Give the app\'s address, e.g. --url http://127.0.0.1:3000.'])
  }

  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalidInput('invalid_url', `--url ${text}: use an http:// or https:// URL.`)
  return url
}

/** Everything local: flag combinations, --set, --data / --file, --url. Throws exit-2 errors before any request. */
export async function triggerRequest(flags: TriggerFlags): Promise<TriggerRequest> {
  exclusive(flags, 'data', ['file'], 'give the body one way')
  exclusive(flags, 'resend', ['data', 'file', 'from-record', 'object', 'set', 'duplicate', 'out-of-order'], 'a resent event has the same body and signature as the first time')
  exclusive(flags, 'duplicate', ['data', 'file', 'from-record', 'object', 'set', 'out-of-order'], 'a duplicate carries the same event as the last one sent')
  for (const f of ['data', 'file'] as const) exclusive(flags, f, ['from-record', 'object', 'set', 'out-of-order'], `--${f} is the whole body, sent as it is`)
  const base = baseUrl(flags.url)
  const params: DataActionEventParams = {}
  if (flags['connection-name']) params.connection_name = flags['connection-name']
  if (flags.resend !== undefined) {
    if (!/^[\w-]{1,64}$/.test(flags.resend)) throw invalidInput('invalid_event_id', `--resend ${JSON.stringify(flags.resend)} is not an EventUuid.`, ['Give the EventUuid shown in the --> line of the event to send again.'])
    params.resend = flags.resend
    return {base, params}
  }

  if (flags.duplicate) params.duplicate = true
  if (flags['out-of-order']) params.out_of_order = true
  if (flags.object !== undefined) {
    if (!FIELD.test(flags.object)) throw invalidInput('invalid_object', `--object ${JSON.stringify(flags.object)} is not an object API name.`, ['Give the Data Cloud object\'s API name, e.g. --object Account_Home__dlm.'])
    params.object = flags.object
  }

  if (flags['from-record'] !== undefined) {
    if (!/^[\w.:-]{1,80}$/.test(flags['from-record'])) throw invalidInput('invalid_record_id', `--from-record ${JSON.stringify(flags['from-record'])} is not a record id.`, ['Give the Id (or id, Id__c) of a row ingested into the emulated Data Cloud.'])
    params.from_record = flags['from-record']
  }

  if (flags.set?.length) params.values = parseSets(flags.set)
  const source = flags.data === undefined ? flags.file : '--data'
  let text = flags.data
  if (flags.file !== undefined) {
    try {
      text = await readFile(flags.file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw invalidInput('file_not_found', `--file ${flags.file}: ${code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code})`}; nothing was sent.`)
    }
  }

  if (text !== undefined) {
    try {
      JSON.parse(text)
    } catch (error) {
      throw invalidInput('invalid_json', `The body from ${source} is not valid JSON: ${(error as Error).message}; nothing was sent.`, ['Data Cloud sends a JSON object {"creationDateTime", "count", "schemas", "events": [...]}; see docs/events.md.'])
    }

    params.payload = text
  }

  return {base, params}
}

const LOCAL_NAMES = new Set(['localhost', '[::1]', '::1'])

/** True for a URL on this machine (localhost, ::1, 127.0.0.0/8), as the emulator's. */
export function isLocalUrl(url: string): boolean {
  let host = ''
  try {
    host = new URL(url).hostname.toLowerCase()
  } catch {}

  return LOCAL_NAMES.has(host) || /^127(\.\d{1,3}){3}$/.test(host)
}

/** Data action events come from Data Cloud: only the local emulator can play it (exit 2, nothing sent). */
export function notEmulated(target: CommandTarget): AppLinkError {
  return invalidInput('not_emulated', `Data action events are sent by Data Cloud: they cannot be triggered locally against the hosted Heroku AppLink (app ${target.app}); nothing was sent.`, [
    'On Salesforce, change a record of the object the data action watches: Data Cloud then sends the event to your app.',
    'To try your app with signed events on this machine, use the emulator: heroku applink:emulator (docs/events.md).',
  ])
}

export interface Delivery {
  duration_ms: number
  event: DataActionEvent
  request: {body: string; headers: Record<string, string>; method: 'POST'; url: string}
  response: {body: unknown; headers: Record<string, string | string[]>; status: number; text: string}
}

/** The app did not answer: what happened, and how to send the same event again. */
function unreachable(error: NetworkError, url: URL, event: DataActionEvent, target: CommandTarget): AppLinkError {
  const again = event.event_uuid ? [`Send the same event again once the app is up: ${herokuCommand(`applink:events:trigger ${event.api_name}`, target, `--resend ${event.event_uuid}`)}`] : []
  if (error.code === 'ECONNREFUSED') {
    return new AppLinkError(`Nothing is listening at ${url.origin} (connection refused): the event was not delivered.`, {
      hints: ['Start your app (heroku local web, or npm start), or give its address with --url URL (default http://127.0.0.1:$APP_PORT, then $PORT, then 3000).', ...again],
      id: 'app_unreachable',
    })
  }

  return new AppLinkError(`The event to ${url.origin}${url.pathname} failed: ${error.message}; the app may or may not have received it.`, {hints: ['Check the app\'s logs.', ...again], id: 'app_unreachable'})
}

/** Posts the signed event to the app as Data Cloud does. */
export async function deliverEvent(event: DataActionEvent, base: URL, timeoutMs: number, target: CommandTarget): Promise<Delivery> {
  const url = new URL(base)
  const path = new URL(event.path, 'http://app.invalid')
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path.pathname}`
  url.search = path.search
  const headers = {'content-type': 'application/json', 'x-signature': event.signature}
  const started = performance.now()
  let res
  try {
    res = await send({body: event.payload, headers, method: 'POST', timeoutMs, url})
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error
    throw unreachable(error, url, event, target)
  }

  const duration = Math.round(performance.now() - started)
  const text = res.body.toString('utf8')
  let body: unknown = text === '' ? null : text
  try {
    if (/^\s*[[{]/.test(text)) body = JSON.parse(text)
  } catch {}

  const responseHeaders: Record<string, string | string[]> = {}
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) responseHeaders[k] = v
  return {duration_ms: duration, event, request: {body: event.payload, headers, method: 'POST', url: url.toString()}, response: {body, headers: responseHeaders, status: res.status, text}}
}

export interface DeliveryDocument {
  event: Omit<DataActionEvent, 'path' | 'payload' | 'signature'>
  request: {body: unknown; headers: Record<string, string>; method: string; url: string}
  response: {body: unknown; duration_ms: number; headers: Record<string, unknown>; status: number}
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The --json document: the event, the request as sent (body parsed), the app's answer. */
export function deliveryDocument(d: Delivery): DeliveryDocument {
  const {api_name: apiName, connection_name: connectionName, event_uuid: eventUuid, kind, org_id: orgId, replay_id: replayId} = d.event
  return {
    event: {api_name: apiName, connection_name: connectionName, event_uuid: eventUuid, kind, org_id: orgId, replay_id: replayId},
    request: {body: parsed(d.request.body), headers: d.request.headers, method: d.request.method, url: d.request.url},
    response: {body: d.response.body, duration_ms: d.duration_ms, headers: d.response.headers, status: d.response.status},
  }
}

const KIND_NOTE: Record<DataActionEvent['kind'], string> = {
  duplicate: ' (duplicate: same EventUuid, new delivery)',
  new: '',
  out_of_order: ' (out of order: older than the last event sent)',
  payload: ' (body from --data/--file)',
  resend: ' (resent: same body and signature)',
}

/** People: `--> EventType Action [EventUuid]`, `<-- [status] POST url (ms)`, then the app's body. */
export function printDelivery(d: Delivery, io: IO): void {
  const first = (parsed(d.request.body) as {events?: Array<{EventType?: unknown}>})?.events?.[0]
  const type = typeof first?.EventType === 'string' ? first.EventType : 'event'
  const replay = d.event.replay_id === null ? '' : ` ReplayId ${d.event.replay_id}`
  io.out(`--> ${type} ${d.event.api_name} [${d.event.event_uuid ?? 'no EventUuid'}]${replay}${KIND_NOTE[d.event.kind]}\n`)
  const status = `${d.response.status} ${STATUS_CODES[d.response.status] ?? ''}`.trim()
  io.out(`<-- [${status}] POST ${d.request.url} (${d.duration_ms} ms)\n`)
  const {body, text} = d.response
  if (text !== '') {
    const shown = typeof body === 'string' ? text : JSON.stringify(body, null, 2)
    io.out(shown.endsWith('\n') ? shown : `${shown}\n`)
  }
}

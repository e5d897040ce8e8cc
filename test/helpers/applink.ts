/**
 * Shared test fixtures: a fake app with one AppLink add-on on the Platform API (nock on
 * api.heroku.com), the AppLink API origin with its required headers, and a runner that returns
 * stdout, stderr and the exit code of a command as a user would see them.
 */
import {run as runOclif} from '@oclif/core'
import {captureOutput, runCommand} from '@oclif/test'
import nock from 'nock'
import {fileURLToPath} from 'node:url'

export const root = fileURLToPath(new URL('../..', import.meta.url))

export const HEROKU_TOKEN = 'heroku-token-7f3a9c1e2b'
export const APPLINK_TOKEN = 'applink-token-5d8e2f4a6c'
export const APP = {id: '11111111-2222-4333-8444-555555555555', name: 'my-app'}
export const ADDON = {addon_service: {name: 'heroku-applink'}, id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', name: 'applink-curved-12345'}
export const APPLINK_ORIGIN = 'https://applink.example.com'
export const API_URL = `${APPLINK_ORIGIN}/addons/${ADDON.id}`
export const SSO_BODY = {action: 'https://applink.example.com/sso', method: 'POST', params: {app: APP.name, email: 'dev@example.com', id: ADDON.id, 'nav-data': 'nav-secret-data-123', timestamp: '1700000000', token: 'sso-token-9b7c5d3e1f'}}
export const SSO_HEADER = Buffer.from(JSON.stringify(SSO_BODY)).toString('base64')
export const BASE = `/addons/${ADDON.id}`

/** Every secret the fixtures use: none may appear in any output. */
export const SECRETS = [HEROKU_TOKEN, APPLINK_TOKEN, SSO_HEADER, SSO_BODY.params.token, SSO_BODY.params['nav-data']]

process.env.HEROKU_API_KEY = HEROKU_TOKEN
delete process.env.HEROKU_APP
delete process.env.HEROKU_APPLINK_ADDON

/** The Platform API calls of add-on resolution (docs/applink-api.md §1), answered for APP with one add-on. */
export function platformApi(options: {addons?: unknown[]; attachments?: unknown[]; config?: Record<string, string>; sso?: boolean} = {}): nock.Scope {
  const scope = nock('https://api.heroku.com', {reqheaders: {authorization: `Bearer ${HEROKU_TOKEN}`}})
    .get(`/apps/${APP.name}`).reply(200, APP)
    .get(`/apps/${APP.name}/addons`).reply(200, options.addons ?? [ADDON, {addon_service: {name: 'heroku-postgresql'}, id: 'pg-id', name: 'postgresql-round-1'}])
    .get(`/apps/${APP.name}/addon-attachments`).reply(200, options.attachments ?? [{addon: {id: ADDON.id, name: ADDON.name}, name: 'HEROKU_APPLINK'}])
    .get(`/apps/${APP.name}/config-vars`).reply(200, options.config ?? {DATABASE_URL: 'postgres://x', HEROKU_APPLINK_API_URL: API_URL, HEROKU_APPLINK_TOKEN: APPLINK_TOKEN})
  if (options.sso !== false) {
    scope.get(`/apps/${APP.name}/addons/${ADDON.id}/sso`)
    .matchHeader('accept', 'application/vnd.heroku+json; version=3.sdk')
    .reply(200, SSO_BODY)
  }

  return scope
}

/** The AppLink API, matching only requests that carry every required header (docs/applink-api.md §2). */
export function applinkApi(origin = APPLINK_ORIGIN): nock.Scope {
  return nock(origin, {
    reqheaders: {
      accept: 'application/json',
      authorization: `Bearer ${APPLINK_TOKEN}`,
      'user-agent': /^heroku-plugin-applink-plus\/\d+\.\d+\.\d+/,
      'x-addon-sso': SSO_HEADER,
      'x-app-uuid': APP.id,
    },
  })
}

export interface RunResult {
  exitCode: number
  json?: unknown
  stderr: string
  stdout: string
}

/**
 * Runs a command through oclif's full lifecycle and returns what a user would see. `runCommand`
 * joins the arguments and splits them on spaces again; `exact` passes them as given (JSON bodies).
 */
export async function run(args: string[], options: {exact?: boolean} = {}): Promise<RunResult> {
  const previous = process.exitCode
  process.exitCode = undefined
  try {
    const {error, stderr, stdout} = options.exact
      ? await captureOutput(async () => runOclif(args, root), {stripAnsi: true})
      : await runCommand(args, {root}, {stripAnsi: true})
    const exitCode = error ? (error.oclif?.exit ?? 1) : Number(process.exitCode ?? 0)
    let json: unknown
    if (args.includes('--json')) {
      try {
        json = JSON.parse(stdout)
      } catch {}
    }

    return {exitCode, json, stderr, stdout}
  } finally {
    process.exitCode = previous
  }
}

export function assertNoSecrets(text: string, secrets: string[] = SECRETS): void {
  for (const s of secrets) if (text.includes(s)) throw new Error(`secret leaked: ${s.slice(0, 6)}…`)
}

export function connection(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    addon_id: ADDON.id,
    created_at: '2026-11-01T10:00:00Z',
    created_by: 'dev@example.com',
    id: 'c0c0c0c0-1111-4222-8333-444444444444',
    org: {connection_name: 'my_org', id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', user_id: '005000000000001AAA', username: 'admin@my-org.example'},
    status: 'connected',
    ...overrides,
  }
}

export function authorization(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    addon_id: ADDON.id,
    connection_method: 'OAuth',
    created_at: '2026-11-01T10:00:00Z',
    created_by: 'dev@example.com',
    id: 'a0a0a0a0-1111-4222-8333-444444444444',
    org: {developer_name: 'my_auth', id: '00D000000000001EAA', instance_url: 'https://my-org.my.salesforce.com', type: 'SalesforceOrg', user_id: '005000000000002AAA', username: 'user@my-org.example'},
    status: 'authorized',
    ...overrides,
  }
}

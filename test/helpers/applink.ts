/**
 * Shared test fixtures: the Platform API fixture of fixture.ts answered by nock on api.heroku.com,
 * the AppLink API origin with its required headers, and a runner that returns
 * stdout, stderr and the exit code of a command as a user would see them.
 */
import {run as runOclif} from '@oclif/core'
import {captureOutput, runCommand} from '@oclif/test'
import nock from 'nock'
import {fileURLToPath} from 'node:url'

import {ADDON, APP, APPLINK_TOKEN, HEROKU_TOKEN, resolutionAnswers, SECRETS, SSO_HEADER, USER_AGENT} from './fixture.js'

export const root = fileURLToPath(new URL('../..', import.meta.url))

export {ADDON, APP, APPLINK_TOKEN, BASE, HEROKU_TOKEN, SECRETS, SSO_BODY, SSO_HEADER} from './fixture.js'
export const APPLINK_ORIGIN = 'https://applink.example.com'
export const API_URL = `${APPLINK_ORIGIN}/addons/${ADDON.id}`

process.env.HEROKU_API_KEY = HEROKU_TOKEN
delete process.env.HEROKU_APP
delete process.env.HEROKU_APPLINK_ADDON

/** The Platform API calls of add-on resolution (docs/applink-api.md §1), answered for APP with one add-on. */
export function platformApi(options: {addons?: unknown[]; attachments?: unknown[]; config?: Record<string, string>; origin?: string; sso?: boolean} = {}): nock.Scope {
  const answers = resolutionAnswers(API_URL)
  const scope = nock(options.origin ?? 'https://api.heroku.com', {reqheaders: {authorization: `Bearer ${HEROKU_TOKEN}`}})
    .get(`/apps/${APP.name}`).reply(200, answers.app)
    .get(`/apps/${APP.name}/addons`).reply(200, options.addons ?? answers.addons)
    .get(`/apps/${APP.name}/addon-attachments`).reply(200, options.attachments ?? answers.attachments)
    .get(`/apps/${APP.name}/config-vars`).reply(200, options.config ?? answers.configVars)
  if (options.sso !== false) {
    scope.get(`/apps/${APP.name}/addons/${ADDON.id}/sso`)
    .matchHeader('accept', 'application/vnd.heroku+json; version=3.sdk')
    .reply(200, answers.sso)
  }

  return scope
}

/** The AppLink API, matching only requests that carry every required header (docs/applink-api.md §2). */
export function applinkApi(origin = APPLINK_ORIGIN): nock.Scope {
  return nock(origin, {
    reqheaders: {
      accept: 'application/json',
      authorization: `Bearer ${APPLINK_TOKEN}`,
      'user-agent': USER_AGENT,
      'x-addon-sso': SSO_HEADER,
      'x-app-uuid': APP.id,
    },
  })
}

/**
 * HEROKU_HOST on this machine, as with the emulator, for the tests of a describe block: a bare TCP
 * listener on 127.0.0.1 (so the first-run check finds something listening) whose HTTP nock answers
 * (`platformApi({origin: host.url})`). Returns the origin once `before` has run.
 */
export function localHerokuHost(): {url: string} {
  const host = {url: ''}
  let server: import('node:net').Server | undefined
  let saved: string | undefined
  before(async () => {
    const {createServer} = await import('node:net')
    server = createServer(socket => socket.destroy())
    await new Promise<void>(resolve => {
      server!.listen(0, '127.0.0.1', () => resolve())
    })
    host.url = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`
    saved = process.env.HEROKU_HOST
    process.env.HEROKU_HOST = host.url
  })
  after(async () => {
    if (saved === undefined) delete process.env.HEROKU_HOST
    else process.env.HEROKU_HOST = saved
    await new Promise(resolve => {
      server?.close(resolve)
    })
  })
  return host
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

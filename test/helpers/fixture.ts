/**
 * The one Platform API fixture of the tests: the app APP with the AppLink add-on ADDON (attached
 * as HEROKU_APPLINK, token APPLINK_TOKEN) and a Postgres add-on, the Heroku token, and the SSO
 * answer. The nock answers (applink.ts `platformApi`), the scripted integration server
 * (integration/helpers/scripted.ts `scriptResolution`) and the emulator's seeded store
 * (backend.ts `seedFixture`) all take their data from here. No side effects: the integration
 * tests import it without nock or oclif.
 */
import {readFileSync} from 'node:fs'

/** This package's version, as the User-Agent must carry it. */
const VERSION: string = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version
/** The whole User-Agent of every AppLink request (docs/applink-api.md §2): the plugin, its version, node's version. */
export const USER_AGENT = new RegExp(`^heroku-plugin-applink-plus/${VERSION.replaceAll('.', String.raw`\.`)} node-v\\d+\\.\\d+\\.\\d+$`)

export const HEROKU_TOKEN = 'heroku-token-7f3a9c1e2b'
export const APPLINK_TOKEN = 'applink-token-5d8e2f4a6c'
export const APP = {id: '11111111-2222-4333-8444-555555555555', name: 'my-app'}
export const ADDON = {addon_service: {name: 'heroku-applink'}, id: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', name: 'applink-curved-12345'}
export const PG_ADDON = {addon_service: {name: 'heroku-postgresql'}, id: 'b0b0b0b0-1111-4222-8333-444444444444', name: 'postgresql-round-1'}
/** the app's attachment of ADDON, as GET /apps/{app}/addon-attachments lists it */
export const ATTACHMENT = {addon: {id: ADDON.id, name: ADDON.name}, name: 'HEROKU_APPLINK'}
/** the app's config var besides those of the attachment */
export const DATABASE_URL = 'postgres://user:pass@db.example.com:5432/db'
export const SSO_BODY = {action: 'https://applink.example.com/sso', method: 'POST', params: {app: APP.name, email: 'dev@example.com', id: ADDON.id, 'nav-data': 'nav-secret-data-123', timestamp: '1700000000', token: 'sso-token-9b7c5d3e1f'}}
export const SSO_HEADER = Buffer.from(JSON.stringify(SSO_BODY)).toString('base64')
export const BASE = `/addons/${ADDON.id}`

/** Every secret the fixtures use: none may appear in any output. */
export const SECRETS = [HEROKU_TOKEN, APPLINK_TOKEN, SSO_HEADER, SSO_BODY.params.token, SSO_BODY.params['nav-data']]

export interface Resolution {
  addons: unknown[]
  app: {id: string; name: string}
  attachments: unknown[]
  configVars: Record<string, string>
  sso: typeof SSO_BODY
}

/**
 * The Platform API answers of add-on resolution (docs/applink-api.md §1) for APP, its add-on's
 * AppLink API at `apiUrl`: GET /apps/{app}, …/addons, …/addon-attachments, …/config-vars, and the
 * SSO answer.
 */
export function resolutionAnswers(apiUrl: string): Resolution {
  return {
    addons: [ADDON, PG_ADDON],
    app: APP,
    attachments: [ATTACHMENT],
    configVars: {DATABASE_URL, HEROKU_APPLINK_API_URL: apiUrl, HEROKU_APPLINK_TOKEN: APPLINK_TOKEN},
    sso: SSO_BODY,
  }
}

/**
 * Every command that talks to a service, as the fault and secrets tests run it against the
 * emulator (test/helpers/backend.ts): its command line, the request it exists for, and how a
 * write is checked after an ambiguous failure.
 */
import {fileURLToPath} from 'node:url'

import {ADDON, APP} from '../helpers/applink.js'

export const BASE = `/addons/${ADDON.id}`
export const KEY_FILE = fileURLToPath(new URL('../fixtures/keys/test-rsa.key', import.meta.url))
export const SPEC_FILE = fileURLToPath(new URL('../fixtures/specs/small.yaml', import.meta.url))

export type Kind = 'create' | 'delete' | 'flow' | 'publish' | 'read'

export interface CommandCase {
  argv: string[]
  kind: Kind
  /** the request the command exists for */
  main: {method: 'DELETE' | 'GET' | 'POST'; path: RegExp}
  /** flows: the status poll */
  poll?: RegExp
  /** the resource name a write creates or deletes */
  name?: string
}

const jwt = ['--client-id', '3MVG9-test-client', '--jwt-key-file', KEY_FILE, '--username', 'api@example.com']
/** the id of a resource the emulator created (a UUID) */
const NEW_ID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
const exact = (path: string) => new RegExp(`^${path.replaceAll(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

export const CASES: CommandCase[] = [
  {argv: ['applink:connections'], kind: 'read', main: {method: 'GET', path: exact(`${BASE}/connections`)}},
  {argv: ['applink:connections:info', 'my_org'], kind: 'read', main: {method: 'GET', path: exact(`${BASE}/connections/my_org`)}},
  {argv: ['applink:authorizations'], kind: 'read', main: {method: 'GET', path: exact(`${BASE}/authorizations`)}},
  {argv: ['applink:authorizations:info', 'my_auth'], kind: 'read', main: {method: 'GET', path: exact(`${BASE}/authorizations/my_auth`)}},
  {argv: ['salesforce:publications'], kind: 'read', main: {method: 'GET', path: exact(`${BASE}/connections/salesforce/my_org/apps/${APP.id}`)}},
  {argv: ['salesforce:connect', 'new_org'], kind: 'flow', main: {method: 'POST', path: exact(`${BASE}/connections/salesforce`)}, name: 'new_org', poll: new RegExp(`/connections/${NEW_ID}`)},
  {argv: ['datacloud:connect', 'new_dc'], kind: 'flow', main: {method: 'POST', path: exact(`${BASE}/connections/datacloud`)}, name: 'new_dc', poll: new RegExp(`/connections/${NEW_ID}`)},
  {argv: ['salesforce:authorizations:add', 'new_auth'], kind: 'flow', main: {method: 'POST', path: exact(`${BASE}/authorizations/salesforce`)}, name: 'new_auth', poll: new RegExp(`/authorizations/${NEW_ID}`)},
  {argv: ['datacloud:authorizations:add', 'new_dcauth'], kind: 'flow', main: {method: 'POST', path: exact(`${BASE}/authorizations/datacloud`)}, name: 'new_dcauth', poll: new RegExp(`/authorizations/${NEW_ID}`)},
  {argv: ['datacloud:data-action-target:create', 'NewTarget', '-o', 'dc_org', '-p', '/hook'], kind: 'flow', main: {method: 'POST', path: exact(`${BASE}/connections/datacloud/dc_org/data_action_targets`)}, name: 'NewTarget', poll: /\/data_action_targets\/NewTarget$/},
  {argv: ['salesforce:connect:jwt', 'jwt_org', ...jwt], kind: 'create', main: {method: 'POST', path: exact(`${BASE}/connections/salesforce/jwt`)}, name: 'jwt_org'},
  {argv: ['salesforce:authorizations:jwt:add', 'jwt_auth', ...jwt], kind: 'create', main: {method: 'POST', path: exact(`${BASE}/authorizations/salesforce/jwt`)}, name: 'jwt_auth'},
  {argv: ['datacloud:authorizations:jwt:add', 'jwt_dcauth', ...jwt], kind: 'create', main: {method: 'POST', path: exact(`${BASE}/authorizations/datacloud/jwt`)}, name: 'jwt_dcauth'},
  {argv: ['salesforce:disconnect', 'my_org', '--confirm', 'my_org'], kind: 'delete', main: {method: 'DELETE', path: exact(`${BASE}/connections/my_org`)}, name: 'my_org'},
  {argv: ['datacloud:disconnect', 'dc_org', '--confirm', 'dc_org'], kind: 'delete', main: {method: 'DELETE', path: exact(`${BASE}/connections/dc_org`)}, name: 'dc_org'},
  {argv: ['salesforce:authorizations:remove', 'my_auth', '--confirm', 'my_auth'], kind: 'delete', main: {method: 'DELETE', path: exact(`${BASE}/authorizations/my_auth`)}, name: 'my_auth'},
  {argv: ['datacloud:authorizations:remove', 'dc_auth', '--confirm', 'dc_auth'], kind: 'delete', main: {method: 'DELETE', path: exact(`${BASE}/authorizations/dc_auth`)}, name: 'dc_auth'},
  {argv: ['salesforce:publish', SPEC_FILE, '-c', 'MyClient', '--connection-name', 'my_org'], kind: 'publish', main: {method: 'POST', path: exact(`${BASE}/connections/salesforce/my_org/apps`)}},
]

/** The command line with the app. */
export function argvOf(c: CommandCase, extra: string[] = []): string[] {
  return [...c.argv, '-a', APP.name, ...extra]
}

export const title = (c: CommandCase) => c.argv[0]

/** A stack trace line, as printed by node. */
export const STACK = /\n\s+at .+:\d+:\d+\)?/

/**
 * Helpers for the emulated-org tests: an authorized user of an emulated org (through the AppLink
 * API and the login page, as a developer gets one), the real @heroku/applink SDK's view of that
 * org (from an x-client-context header, as an invoked app gets it), and raw REST calls.
 */
import {createRequire} from 'node:module'

import type {Emulator} from '../../../src/emulator/server/server.js'
import {answerLogin, applink as applinkCall, type Provisioned, request} from '../helpers.js'

// the SDK is CommonJS; loaded as an app loads it
const applink = createRequire(import.meta.url)('@heroku/applink')

export interface AuthorizedOrg {
  accessToken: string
  apiVersion: string
  id: string
  instanceUrl: string
  type: string
  userId: string
  username: string
}

/** Adds an authorization through the login page and reads it back, as the SDK's getAuthorization does. */
export async function authorize(emu: Emulator, p: Provisioned, name = 'my_auth', username = 'int@acme.example', kind: 'datacloud' | 'salesforce' = 'salesforce'): Promise<AuthorizedOrg> {
  const added = await applinkCall(emu, p, 'POST', `/authorizations/${kind}`, {developer_name: name})
  if (added.status !== 202) throw new Error(`authorizations:add failed: ${added.text}`)
  await answerLogin(added.body.redirect_uri, {decision: 'allow', username})
  const read = await applinkCall(emu, p, 'GET', `/authorizations/${name}`)
  const {org} = read.body
  return {accessToken: org.user_auth.access_token, apiVersion: org.api_version, id: org.id, instanceUrl: org.instance_url, type: org.type, userId: org.user_auth.user_id, username: org.user_auth.username}
}

/** `heroku salesforce:connect NAME` through the login page as `username`: the org of that user is then connected to the add-on. */
export async function connectOrg(emu: Emulator, p: Provisioned, name = 'my_org', username = 'int@acme.example'): Promise<void> {
  const made = await applinkCall(emu, p, 'POST', '/connections/salesforce', {connection_name: name})
  if (made.status !== 202) throw new Error(`salesforce:connect failed: ${made.text}`)
  await answerLogin(made.body.redirect_uri, {decision: 'allow', username})
}

/** The base64 x-client-context that Salesforce sends an invoked app for this user. */
export function clientContext(org: AuthorizedOrg, accessToken = org.accessToken): string {
  return Buffer.from(JSON.stringify({
    accessToken,
    apiVersion: org.apiVersion,
    namespace: '',
    orgDomainUrl: org.instanceUrl,
    orgId: org.id,
    requestId: `${org.id}-4b7e3d0c-1c1e-4d0a-9d55-1f7a9c2b8e11-2026-01-01T00:00:00.000000Z`,
    userContext: {userId: org.userId, username: org.username},
  })).toString('base64')
}

/** The SDK's org for this user, parsed from x-client-context by the SDK itself. */
export function sdkOrg(org: AuthorizedOrg, accessToken?: string): any {
  return applink.parseRequest({'x-client-context': clientContext(org, accessToken)}, {}, null).context.org
}

/** A raw call to the emulated org's REST API with a bearer token. */
export function orgCall(org: AuthorizedOrg, method: string, path: string, body?: unknown, token = org.accessToken) {
  return request(`${org.instanceUrl}${path}`, {
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: {authorization: `Bearer ${token}`, ...(body === undefined ? {} : {'content-type': 'application/json'})},
    method,
  })
}

/** Captures what the SDK throws. */
export async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (error) {
    return error
  }

  throw new Error('expected the call to fail')
}

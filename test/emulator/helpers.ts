/**
 * Test helpers for the emulator: start it in-process on 127.0.0.1 with port 0 in a temporary data
 * directory, call its Platform API with its key, provision an app with an AppLink add-on, and call
 * the AppLink API with that add-on's credentials, over real HTTP.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {request as httpRequest} from 'node:http'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {type Emulator, type EmulatorOptions, startEmulator} from '../../src/emulator/server/server.js'

export interface Reply {
  body: any
  headers: Headers
  status: number
  text: string
}

const dirs: string[] = []

export function tempDir(prefix = 'applink-emu-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(dir)
  return dir
}

export function removeTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, {force: true, recursive: true})
}

export async function start(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return startEmulator({dataDir: options.dataDir ?? tempDir(), port: 0, ...options})
}

/**
 * One HTTP exchange on a connection of its own (no keep-alive pool, so a restarted emulator on the
 * same port is never reached through a socket of the old one). Redirects are not followed.
 */
export async function request(url: string, init: {body?: BodyInit; headers?: Record<string, string>; method?: string} = {}): Promise<Reply> {
  const body = init.body === undefined ? undefined : Buffer.from(await new Response(init.body).arrayBuffer())
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {agent: false, headers: {...init.headers, ...(body ? {'content-length': String(body.length)} : {})}, method: init.method ?? 'GET'}, res => {
      const chunks: Buffer[] = []
      res.on('data', c => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let parsed: unknown
        try {
          parsed = JSON.parse(text)
        } catch {}

        const headers = new Headers()
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v)
        resolve({body: parsed, headers, status: res.statusCode ?? 0, text})
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** A Platform API call with the emulator's key (or `key`). */
export function platform(emu: Emulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key = emu.apiKey): Promise<Reply> {
  return request(`${emu.url}${path}`, {
    body: encode(body),
    headers: {accept: 'application/vnd.heroku+json; version=3', authorization: `Bearer ${key}`, ...(body === undefined ? {} : {'content-type': 'application/json'}), ...headers},
    method,
  })
}

/** An app with one AppLink add-on, as `heroku apps:create` + `heroku addons:create heroku-applink` leave it. */
export interface Provisioned {
  addon: {id: string; name: string}
  apiUrl: string
  app: {id: string; name: string}
  /** the headers every AppLink request of this app carries */
  headers: Record<string, string>
  sso: string
  token: string
}

export async function provision(emu: Emulator, appName = 'my-app'): Promise<Provisioned> {
  const app = await platform(emu, 'POST', '/apps', {name: appName})
  if (app.status !== 201) throw new Error(`apps:create failed: ${app.text}`)
  const addon = await platform(emu, 'POST', `/apps/${appName}/addons`, {plan: {name: 'heroku-applink'}})
  if (addon.status !== 201) throw new Error(`addons:create failed: ${addon.text}`)
  const config = await platform(emu, 'GET', `/apps/${appName}/config-vars`)
  const attachment = (addon.body.config_vars[0] as string).replace(/_API_URL$/, '')
  const sso = await platform(emu, 'GET', `/apps/${appName}/addons/${addon.body.id}/sso`, undefined, {accept: 'application/vnd.heroku+json; version=3.sdk'})
  const ssoHeader = Buffer.from(JSON.stringify(sso.body)).toString('base64')
  const token = config.body[`${attachment}_TOKEN`]
  return {
    addon: {id: addon.body.id, name: addon.body.name},
    apiUrl: config.body[`${attachment}_API_URL`],
    app: {id: app.body.id, name: app.body.name},
    headers: {accept: 'application/json', authorization: `Bearer ${token}`, 'x-addon-sso': ssoHeader, 'x-app-uuid': app.body.id},
    sso: ssoHeader,
    token,
  }
}

/**
 * Mocha hooks for tests that each want a fresh emulator (`start(options())`) with one provisioned
 * app: before each test both go to `ready`, where the test file keeps them (and may set up more);
 * after each test the emulator is closed and its data removed.
 */
export function eachWithApp(ready: (emu: Emulator, p: Provisioned) => Promise<void> | void, options: () => Partial<EmulatorOptions> = () => ({})): void {
  let emu: Emulator | undefined
  beforeEach(async () => {
    emu = await start(options())
    await ready(emu, await provision(emu))
  })
  afterEach(async () => {
    await emu?.close()
    emu = undefined
    removeTempDirs()
  })
}

/** A request body: text and bytes as they are, anything else as JSON. */
function encode(body: unknown): BodyInit | undefined {
  if (body === undefined) return undefined
  if (typeof body === 'string') return body
  if (body instanceof Uint8Array) return new Blob([new Uint8Array(body)])
  return JSON.stringify(body)
}

/** An AppLink API call with the add-on's headers; `path` is relative to /addons/{addon}. */
export function applink(emu: Emulator, p: Provisioned, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(`${emu.url}/addons/${p.addon.id}${path}`, {
    body: encode(body),
    headers: {...p.headers, ...(body === undefined ? {} : {'content-type': 'application/json'}), ...headers},
    method,
  })
}

/** Submits the login form of a pending flow like a browser would. */
export async function answerLogin(redirectUri: string, fields: Record<string, string>): Promise<Reply> {
  const page = await request(redirectUri)
  if (page.status !== 200) throw new Error(`login page: ${page.status} ${page.text}`)
  const state = /name="state" value="([^"]+)"/.exec(page.text)?.[1] ?? ''
  const action = new URL('/oauth/login', redirectUri)
  return request(action.toString(), {
    body: new URLSearchParams({state, ...fields}).toString(),
    headers: {'content-type': 'application/x-www-form-urlencoded'},
    method: 'POST',
  })
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise(r => {
      setTimeout(r, 50)
    })
  }
}

export const RSA_KEY_BITS = 1024

/** An RSA private key in PKCS#8 PEM, and an EC one (which JWT flows must refuse). */
export async function testKeys(): Promise<{ec: string; rsa: string}> {
  const {generateKeyPairSync} = await import('node:crypto')
  const rsa = generateKeyPairSync('rsa', {modulusLength: RSA_KEY_BITS}).privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
  const ec = generateKeyPairSync('ec', {namedCurve: 'P-256'}).privateKey.export({format: 'pem', type: 'pkcs8'}).toString()
  return {ec, rsa}
}

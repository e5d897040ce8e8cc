/**
 * The JWT bearer-flow commands (salesforce:connect:jwt, *:authorizations:jwt:add): their flags, the
 * checks of the key file and login URL before any request, and the one shared path (`addWithJwt`).
 * The key's text is registered as a secret, so it is masked wherever it could surface (errors,
 * debug traces, echoed responses), and no message here ever quotes the file's contents.
 */
import {Flags} from '../ui/oclif.js'
import {readFile, stat} from 'node:fs/promises'

import type {AppLinkContext} from '../api/addon.js'
import type {AppLinkClient} from '../api/applink-client.js'
import {AppLinkError, invalidInput} from '../api/errors.js'
import {assertValidName} from '../api/names.js'
import type {IO} from '../ui/io.js'
import {step} from '../ui/progress.js'
import {type CommandTarget, infoCommand, targetOf} from '../ui/hints.js'
import {RECORDS, type RecordKind} from './records.js'
import {createOrRecover} from './recover.js'
import {maskKnownSecrets, registerSecret} from '../api/redact.js'
import {type ApiError, type OrgKind, orgKindLabel} from '../api/types.js'

/** The login URL sent when `--login-url` is not given (Salesforce production and Developer Edition orgs). */
export const DEFAULT_LOGIN_URL = 'https://login.salesforce.com'

const MAX_KEY_BYTES = 64 * 1024

const KEY_HINT = 'Use the unencrypted RSA private key (a PEM file whose first line reads BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) whose certificate is uploaded to the Connected App, e.g. one made with: openssl req -x509 -newkey rsa:2048 -nodes -keyout server.key -out server.crt'

/**
 * Reads `--jwt-key-file` and returns its text. Throws an invalid-input error naming the file when it
 * is missing, unreadable, or does not hold an unencrypted RSA private key in PEM form.
 */
export async function readJwtKey(path: string): Promise<string> {
  let text: string
  try {
    const {size} = await stat(path)
    // a PEM RSA key is a few KB: anything far bigger is the wrong file, not worth reading
    if (size > MAX_KEY_BYTES) throw invalidInput('invalid_jwt_key_file', `JWT key file ${path} is ${size} bytes, too large for a private key.`, [KEY_HINT])
    text = await readFile(path, 'utf8')
  } catch (error) {
    if (error instanceof AppLinkError) throw error
    const code = (error as NodeJS.ErrnoException).code
    const problem = code === 'ENOENT' ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)'
        : code === 'EISDIR' ? 'is a directory, not a file'
          : `cannot be read (${code ?? 'unknown error'})`
    throw invalidInput('invalid_jwt_key_file', `JWT key file ${path} ${problem}.`, [`Pass the path of your private key file with --jwt-key-file. ${KEY_HINT}`])
  }

  registerKey(text)
  const bad = (what: string, hint = KEY_HINT) => invalidInput('invalid_jwt_key_file', `JWT key file ${path} ${what}.`, [hint])
  if (/-----BEGIN (ENCRYPTED PRIVATE KEY|[A-Z ]*PRIVATE KEY-----[\s\S]*Proc-Type: 4,ENCRYPTED)/.test(text)) {
    const decrypted = path.replace(/(\.[^./\\]*)?$/, '-decrypted$1')
    throw bad('holds an encrypted private key; AppLink needs it without a passphrase', `Decrypt a copy with: openssl pkey -in ${shellWord(path)} -out ${shellWord(decrypted)} (then pass --jwt-key-file ${shellWord(decrypted)})`)
  }

  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
    const holds = /-----BEGIN CERTIFICATE-----/.test(text) ? 'holds a certificate, not a private key'
      : /-----BEGIN [A-Z ]*PUBLIC KEY-----/.test(text) ? 'holds a public key, not a private key'
        : 'does not hold a PEM private key'
    throw bad(holds)
  }

  const {createPrivateKey} = await import('node:crypto')
  let type: string | undefined
  try {
    type = createPrivateKey(text).asymmetricKeyType
  } catch {
    // the crypto error can quote input: never pass it on
    throw bad('does not hold a valid PEM private key (it could not be parsed)')
  }

  if (type !== 'rsa') throw bad(`holds ${type ? `an ${type.toUpperCase()}` : 'a'} key; Salesforce's JWT bearer flow signs with RS256 and needs an RSA key`)
  return text
}

/** Masks the key, and each line of its body, in anything printed later in this process. */
function registerKey(text: string): void {
  registerSecret(text)
  registerSecret(text.trim())
  for (const line of text.split(/\r?\n/)) if (line.length >= 16 && !line.startsWith('-----')) registerSecret(line.trim())
}

/** Checks `--login-url`: an absolute https URL (http only for a local host, e.g. the emulator). */
export function loginUrl(value: string | undefined): string {
  if (value === undefined) return DEFAULT_LOGIN_URL
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalidInput('invalid_login_url', `Invalid --login-url ${JSON.stringify(value)}: it is not an absolute URL.`, ['Use e.g. https://login.salesforce.com, https://test.salesforce.com or https://MyDomain.my.salesforce.com'])
  }

  const local = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw invalidInput('invalid_login_url', `Invalid --login-url ${JSON.stringify(value)}: it must use https.`, ['Use e.g. https://login.salesforce.com or https://test.salesforce.com'])
  }

  return value
}

export interface JwtFlags {
  'client-id': string
  'jwt-key-file': string
  'login-url'?: string
  username: string
}

export interface JwtRequest {
  /** `--alias` as given (authorizations only) */
  alias?: string
  flags: JwtFlags
  kind: RecordKind
  /** the org kind of the record (a connection is always a Salesforce org's) */
  org: OrgKind
  name: string
  /** the command's streams (the progress line, notes) */
  io: IO
  /** true with --json: no progress line */
  quiet: boolean
  /** resolves the add-on (the command's `this.applink`) */
  connect: () => Promise<{client: AppLinkClient; context: AppLinkContext}>
}

export interface JwtResult<T> {
  /** the alias sent */
  alias: string
  /** e.g. `Salesforce connection`, `Data Cloud authorization` */
  label: string
  result: T
  /** where the commands we suggest run */
  target: CommandTarget
}

/**
 * The one path of the JWT commands: check the name, key file and login URL before anything is
 * sent, POST once, and turn a `failed` result into an error that carries the service's message.
 */
export async function addWithJwt<T extends {error?: ApiError; status: string}>(r: JwtRequest): Promise<JwtResult<T>> {
  const record = RECORDS[r.kind]
  const label = `${orgKindLabel(r.org)} ${r.kind}`
  assertValidName(record.nameKind, r.name)
  const key = await readJwtKey(r.flags['jwt-key-file'])
  const url = loginUrl(r.flags['login-url'])
  const {client, context} = await r.connect()
  const target = targetOf(context)
  const alias = r.alias ?? record.defaultAlias(r.name)
  const params = {alias, client_id: r.flags['client-id'], jwt_private_key: key, login_url: url, username: r.flags.username}
  const progress = `Adding ${label} ${r.name} to ${context.app.name} with JWT as ${r.flags.username}`
  // an ambiguous failure (reset, timeout, 5xx) is never resent: the resource is looked up by name instead
  const sendOnce = () => createOrRecover(() => record.createJwt(client, r.org, r.name, params) as Promise<T>, {
    check: infoCommand(r.kind, r.name, target),
    lookup: () => record.get(client, r.name) as Promise<T>,
    note: text => r.io.noteRedacted(text),
    subject: `${label} ${r.name}`,
  })
  const result = scrub(await step(progress, () => maskFailure(sendOnce()), {done: res => res?.status ?? 'done', io: r.io, quiet: r.quiet}))
  if (result?.status === 'failed') {
    const reason = result.error?.message ? `: ${result.error.message}` : ''
    throw new AppLinkError(`${label} ${r.name} failed${reason}`, {
      hints: [
        'Check that --client-id is the consumer key of the Connected App (or External Client App), that its certificate matches the key file, and that --username is pre-authorized for it.',
        `A sandbox logs in at https://test.salesforce.com: pass it with --login-url (sent: ${url}).`,
      ],
      id: result.error?.id ?? `${r.kind}_failed`,
    })
  }

  return {alias, label, result, target}
}

/** Re-throws a refused request with known secrets masked: a service may quote what it was sent. */
async function maskFailure<T>(request: Promise<T>): Promise<T> {
  try {
    return await request
  } catch (error) {
    if (!(error instanceof AppLinkError)) throw error
    const hints = error.hints.map(h => maskKnownSecrets(h))
    throw new AppLinkError(maskKnownSecrets(error.message), {exitCode: error.exitCode, hints, id: error.id, request: error.request, status: error.status})
  }
}

/** A copy of a response with every known secret masked: the service never gets to echo the key back. */
function scrub<T>(value: T): T {
  return value === undefined ? value : JSON.parse(maskKnownSecrets(JSON.stringify(value))) as T
}

/** The flags every JWT command takes. */
export function jwtFlags() {
  return {
    'client-id': Flags.string({description: 'consumer key of the Connected App (or External Client App) that holds the key\'s certificate', required: true}),
    'jwt-key-file': Flags.string({description: 'path to the RSA private key (PEM) whose certificate is uploaded to the app', required: true}),
    'login-url': Flags.string({char: 'l', description: `Salesforce login URL [default: ${DEFAULT_LOGIN_URL}; https://test.salesforce.com for sandboxes]`, helpValue: '<url>'}),
    username: Flags.string({description: 'Salesforce username pre-authorized for the app', required: true}),
  }
}

/** A path as it can be pasted into a shell: quoted when it holds anything but plain characters. */
function shellWord(text: string): string {
  return /^[\w./@:+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`
}

/**
 * Redaction of secrets before anything reaches a log, an error message or debug output.
 * Two layers:
 * - structural: header values, JSON fields and URL query parameters that can hold a secret
 *   (`authorization`, `x-addon-sso`, `access_token`, `jwt_private_key`, `code`, …), PEM private keys,
 *   `Bearer …` credentials and passwords in URLs are replaced by `[REDACTED]`;
 * - by value: secrets this process has seen (the add-on token, the SSO payload, config vars that look
 *   secret) are registered with `registerSecret` and masked wherever they appear, in any text.
 */

export const REDACTED = '[REDACTED]'

// x-client-context and x-request-context (applink:invoke) are base64 JSON holding an org access token
const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'set-cookie', 'x-addon-sso', 'x-client-context', 'x-request-context'])

/** Body fields / query parameters whose values are secrets wherever they appear. */
const SECRET_KEY_LIST = [
  'access_token', 'api_key', 'assertion', 'authorization', 'client_assertion', 'client_secret', 'code', 'cookie',
  'id_token', 'jwt', 'jwt_private_key', 'password', 'private_key', 'refresh_token', 'secret', 'signing_key', 'sso', 'token', 'x-addon-sso',
]
const SECRET_KEYS = new RegExp(`^(${SECRET_KEY_LIST.join('|')})$`, 'i')

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.test(key)
}

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : v
  return out
}

export function redactUrl(url: string): string {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return redactText(url)
  }

  if (u.username || u.password) {
    u.username = ''
    u.password = ''
  }

  for (const key of [...u.searchParams.keys()]) if (isSecretKey(key)) u.searchParams.set(key, REDACTED)
  return maskKnownSecrets(u.toString())
}

/**
 * A JSON value with secret fields replaced; strings are cleaned with `redactText`. A secret is a
 * scalar (a token, a key, a code): under a secret-looking key, an object or an array is data, not a
 * credential (an OpenAPI operation's `x-sfdc` `authorization` names an external client app and a
 * permission set), so it is shown with its own fields redacted the same way.
 */
export function redactJson(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(v => redactJson(v))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) && isSecretValue(v) ? REDACTED : redactJson(v)
    return out
  }

  if (typeof value === 'string') return redactText(value)
  return value
}

function isSecretValue(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '' && typeof v !== 'object'
}

/** Redacts a JSON text structurally, or any other text with `redactText`. */
export function redactBody(body: string): string {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return redactText(body)
  }

  return maskKnownSecrets(JSON.stringify(redactJson(parsed)))
}

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g
const BEARER = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi
const SECRET_PARAM = new RegExp(`([?&#](?:${SECRET_KEY_LIST.join('|')})=)[^&#\\s"'<>]*`, 'gi')
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@:"'<>]*:[^\s/@"'<>]*@/gi

/** Masks secrets in free text: PEM private keys, bearer/basic credentials, secret URL query parameters, URL passwords, known values. */
export function redactText(text: string): string {
  return maskKnownSecrets(text
  .replaceAll(PEM_BLOCK, REDACTED)
  .replaceAll(BEARER, `$1 ${REDACTED}`)
  .replaceAll(SECRET_PARAM, `$1${REDACTED}`)
  .replaceAll(URL_CREDENTIALS, `$1${REDACTED}@`))
}

/** Values known to be secret in this process (tokens read from config vars), masked in any text. */
const knownSecrets = new Set<string>()
/** longest first, so a secret that contains another one is masked whole */
let ordered: string[] = []

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 6) return
  knownSecrets.add(value)
  // the same value as it would appear inside a URL or a JSON string
  const encoded = encodeURIComponent(value)
  if (encoded !== value) knownSecrets.add(encoded)
  const quoted = JSON.stringify(value).slice(1, -1)
  if (quoted !== value) knownSecrets.add(quoted)
  ordered = [...knownSecrets].sort((a, b) => b.length - a.length)
}

export function maskKnownSecrets(text: string): string {
  let out = text
  for (const s of ordered) if (out.includes(s)) out = out.split(s).join(REDACTED)
  return out
}

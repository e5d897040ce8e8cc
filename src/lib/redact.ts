/**
 * Redaction of secrets before anything reaches a log, an error message or debug output.
 * Header values, JSON body fields and URL query parameters that can hold a secret are replaced
 * by `[REDACTED]`.
 */

export const REDACTED = '[REDACTED]'

const SECRET_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization', 'set-cookie', 'x-addon-sso'])

/** Body fields / query parameters whose values are secrets wherever they appear. */
const SECRET_KEYS = /^(access_token|refresh_token|token|jwt_private_key|private_key|client_secret|code|password|sso|id_token|api_key|secret)$/i

export function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(headers)) out[k] = SECRET_HEADERS.has(k.toLowerCase()) ? REDACTED : v
  return out
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.username || u.password) {
      u.username = ''
      u.password = ''
    }

    for (const key of u.searchParams.keys()) if (SECRET_KEYS.test(key)) u.searchParams.set(key, REDACTED)
    return u.toString()
  } catch {
    return url
  }
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(v => redactValue(v))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.test(k) ? REDACTED : redactValue(v)
    return out
  }

  if (typeof value === 'string' && /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(value)) return REDACTED
  return value
}

/** Redacts a JSON text (or any text: PEM blocks and bearer tokens are masked). */
export function redactBody(body: string): string {
  try {
    return JSON.stringify(redactValue(JSON.parse(body)))
  } catch {
    return body
    .replaceAll(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, REDACTED)
    .replaceAll(/Bearer\s+[\w.~+/=-]+/gi, `Bearer ${REDACTED}`)
  }
}

/** Values known to be secret in this process (tokens read from config vars), masked in any text. */
const knownSecrets = new Set<string>()

export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 6) knownSecrets.add(value)
}

export function maskKnownSecrets(text: string): string {
  let out = text
  for (const s of knownSecrets) if (out.includes(s)) out = out.split(s).join(REDACTED)
  return out
}

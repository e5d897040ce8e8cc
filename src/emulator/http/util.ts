/** Small helpers shared by the emulator's routes: ids, generated names, HTML escaping, request fields. */
import {randomBytes, randomInt, randomUUID, timingSafeEqual} from 'node:crypto'

import {badRequest} from './reply.js'

export function newId(): string {
  return randomUUID()
}

export function newToken(bytes = 24): string {
  return randomBytes(bytes).toString('hex')
}

/** Compares two secrets in constant time. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function now(): string {
  return new Date().toISOString()
}

const ADJECTIVES = ['amber', 'brave', 'calm', 'curved', 'deep', 'eager', 'fresh', 'gentle', 'hidden', 'lively', 'mellow', 'quiet', 'rapid', 'silver', 'sunny', 'vast']
const NOUNS = ['brook', 'canyon', 'cliffs', 'dawn', 'falls', 'forest', 'harbor', 'island', 'meadow', 'peak', 'ridge', 'river', 'shore', 'valley', 'wave', 'woods']

/** A Heroku-style generated name such as `quiet-harbor-12345`. */
export function generatedName(prefix?: string): string {
  const words = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${NOUNS[randomInt(NOUNS.length)]}`
  return `${prefix ? `${prefix}-` : ''}${words}-${randomInt(10_000, 100_000)}`
}

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
  .replaceAll('&', '&amp;')
  .replaceAll('<', '&lt;')
  .replaceAll('>', '&gt;')
  .replaceAll('"', '&quot;')
  .replaceAll('\'', '&#39;')
}

/** The JSON type of a value, as a person says it (for error messages). */
export function typeName(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'object') return 'an object'
  return `a ${typeof value}`
}

/** A JSON request body must be an object. */
export function asObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest(`The request body must be a JSON object, not ${typeName(body)}.`)
  return body as Record<string, unknown>
}

/** A required string field. */
export function requiredString(body: Record<string, unknown>, field: string): string {
  const value = body[field]
  if (value === undefined || value === null) throw badRequest(`${field} is required.`)
  if (typeof value !== 'string') throw badRequest(`${field} must be a string, not ${typeName(value)}.`)
  if (value.trim() === '') throw badRequest(`${field} must not be empty.`)
  return value
}

/** An optional string field: undefined when absent or null. */
export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string') throw badRequest(`${field} must be a string, not ${typeName(value)}.`)
  return value
}

/** The optional login_url: undefined when absent or empty, else an http(s) URL. */
export function validLoginUrl(body: Record<string, unknown>): string | undefined {
  const value = optionalString(body, 'login_url')
  if (value === undefined || value === '') return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw badRequest(`login_url ${JSON.stringify(value)} is not a URL.`)
  }

  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badRequest(`login_url must be an https URL, not ${url.protocol}.`)
  return value
}

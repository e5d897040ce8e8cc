/**
 * The one retry policy (src/lib/api/retry.ts) on its own: which outcomes are retried for which method,
 * Retry-After, the backoff and the HTML check. The AppLink client and the Platform API wrapper are
 * tested against it over real sockets in applink-client.test.ts, http.test.ts and test/faults/.
 */
import {expect} from 'chai'

import {backoffMs, looksLikeHtml, MAX_RETRY_AFTER_MS, retryAfterMs, retryDelay} from '../../../src/lib/api/retry.js'

describe('the retry policy', () => {
  const within = (wait: number | undefined, attempt: number) => {
    const cap = Math.min(4000, 250 * 2 ** (attempt - 1))
    expect(wait).to.be.a('number')
    expect(wait).to.be.within(cap / 2, cap)
  }

  it('retries a GET after a transient status, with backoff', () => {
    for (const status of [429, 502, 503, 504]) within(retryDelay('GET', {status}, 1, 4), 1)
    within(retryDelay('GET', {status: 503}, 3, 4), 3)
  })

  it('never retries a final status, nor a write after any status', () => {
    for (const status of [200, 201, 400, 401, 403, 404, 409, 422, 500, 501]) expect(retryDelay('GET', {status}, 1, 4), String(status)).to.equal(undefined)
    for (const method of ['POST', 'DELETE', 'PATCH', 'PUT']) {
      for (const status of [429, 500, 502, 503, 504]) expect(retryDelay(method, {status}, 1, 4), `${method} ${status}`).to.equal(undefined)
    }
  })

  it('waits what Retry-After asks, up to 30 s; past that it gives up at once', () => {
    expect(retryDelay('GET', {headers: {'retry-after': '2'}, status: 429}, 1, 4)).to.equal(2000)
    expect(retryDelay('GET', {headers: {'retry-after': '0'}, status: 503}, 1, 4)).to.equal(0)
    expect(retryDelay('GET', {headers: {'retry-after': '30'}, status: 429}, 1, 4)).to.equal(MAX_RETRY_AFTER_MS)
    expect(retryDelay('GET', {headers: {'retry-after': '31'}, status: 429}, 1, 4)).to.equal(undefined)
    // unreadable: the usual backoff
    within(retryDelay('GET', {headers: {'retry-after': 'soon'}, status: 429}, 2, 4), 2)
  })

  it('retries a GET after a transient network failure, sent or not', () => {
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'ECONNREFUSED', 'EAI_AGAIN', 'EPIPE']) {
      within(retryDelay('GET', {code, sent: true}, 1, 4), 1)
      within(retryDelay('GET', {code, sent: false}, 1, 4), 1)
    }

    expect(retryDelay('GET', {code: 'ECERT_SOMETHING', sent: true}, 1, 4)).to.equal(undefined)
  })

  it('retries a write only when it certainly never reached the server', () => {
    within(retryDelay('POST', {code: 'ECONNREFUSED', sent: false}, 1, 4), 1)
    within(retryDelay('DELETE', {code: 'EAI_AGAIN', sent: false}, 2, 4), 2)
    for (const code of ['ECONNRESET', 'ETIMEDOUT', 'EPIPE']) {
      expect(retryDelay('POST', {code, sent: true}, 1, 4), code).to.equal(undefined)
      expect(retryDelay('DELETE', {code, sent: true}, 1, 4), code).to.equal(undefined)
    }
  })

  it('stops at the last attempt', () => {
    expect(retryDelay('GET', {status: 503}, 4, 4)).to.equal(undefined)
    expect(retryDelay('GET', {code: 'ECONNRESET', sent: true}, 4, 4)).to.equal(undefined)
    expect(retryDelay('GET', {status: 503}, 1, 1)).to.equal(undefined)
  })

  it('backoffMs: capped exponential with jitter', () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      for (let i = 0; i < 20; i++) within(backoffMs(attempt), attempt)
    }
  })

  it('retryAfterMs reads seconds and HTTP dates, and ignores garbage', () => {
    const now = Date.parse('2026-11-29T10:00:00Z')
    expect(retryAfterMs('3', now)).to.equal(3000)
    expect(retryAfterMs('1.5', now)).to.equal(1500)
    expect(retryAfterMs(['4', '9'], now)).to.equal(4000)
    expect(retryAfterMs('Sun, 29 Nov 2026 10:00:05 GMT', now)).to.equal(5000)
    expect(retryAfterMs('Sun, 29 Nov 2026 09:00:00 GMT', now)).to.equal(0)
    expect(retryAfterMs('soon', now)).to.equal(undefined)
    expect(retryAfterMs(' ', now)).to.equal(undefined)
    expect(retryAfterMs(undefined, now)).to.equal(undefined)
  })

  it('looksLikeHtml', () => {
    for (const page of ['<!DOCTYPE html><html></html>', '  \n<html>', '<HEAD>', '<body>x</body>']) expect(looksLikeHtml(page), page).to.equal(true)
    for (const text of ['{"id": "x"}', '<?xml version="1.0"?>', 'Bad Gateway', '']) expect(looksLikeHtml(text), text).to.equal(false)
  })
})
